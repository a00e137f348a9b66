/**
 * `herald new`: a note made from the note template, with its title, the
 * day's date and the placeholder id filled in. Pure: the command reads the
 * template and writes the file.
 */
import { isCalendarDate } from '../model/calendar-date.ts';
import { UsageError } from '../errors/message.ts';
import { exampleAuthor } from '../lint/rules/template-text.ts';
import { replaceFieldValue, scalarField, setScalarField } from './front-matter-field.ts';

export interface NewNoteInput {
  /** The template's text, and where it came from (for messages). */
  template: string;
  templatePath: string;
  /** `<PREFIX>-XXXX`: `herald assign-ids` numbers it after the merge. */
  placeholder: string;
  title: string;
  /** YYYY-MM-DD. */
  date: string;
  /** The file name's words after the placeholder; made from the title when absent. */
  slug?: string;
  /** Who writes it (from git's user.name and user.email): put in place of the template's example author. */
  author?: { name?: string; email?: string };
  /** Today, YYYY-MM-DD: a later `date` is refused, as lint would refuse the note (`date-future`). */
  today: string;
  /** The configured mailing lists: a list the template names that is not one of them becomes the first of them. */
  lists: readonly string[];
}

export interface NewNote {
  /** `<PREFIX>-XXXX-<slug>.md`. */
  fileName: string;
  text: string;
}

const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const slugLength = 48;

export function newNote(input: NewNoteInput): NewNote {
  const title = input.title.trim();
  if (title === '') throw new UsageError('the title must not be empty: herald new "What is wrong and what it affects"');
  if (/[\u0000-\u001f\u007f\u0085\u2028\u2029]/.test(title)) throw new UsageError('the title must be one line without control characters');
  if (/[\u202a-\u202e\u2066-\u2069]/.test(title)) throw new UsageError('the title must not hold an invisible bidirectional control character (U+202A-U+202E, U+2066-U+2069): it makes text display in another order than it reads');
  const length = [...title].length;
  if (length > 100) throw new UsageError(`the title is ${length} characters long; the limit is 100 (it becomes the mail subject and the page title)`);
  if (!isCalendarDate(input.date)) throw new UsageError(`--date must be a day written YYYY-MM-DD, not "${input.date}"`);
  if (input.date > input.today) throw new UsageError(`--date ${input.date} is in the future; date the note the day it is first published, today or earlier`);
  if (input.slug !== undefined && !slugPattern.test(input.slug)) throw new UsageError(`--slug must be lower-case letters and digits joined by single dashes, like "libvirt-tcp", not "${input.slug}"`);
  const slug = input.slug ?? slugOf(title);

  let text = input.template;
  for (const [key, value] of [['id', input.placeholder], ['title', title], ['date', input.date]] as const) {
    const next = setScalarField(text, key, value);
    if (next === undefined) throw new UsageError(`the note template ${input.templatePath} has no \`${key}:\` field in its front matter to fill in; add one, or give another template with --template`);
    text = next;
  }
  text = withAuthor(text, input.author ?? {});
  text = withConfiguredLists(text, input.lists);
  return { fileName: `${input.placeholder}${slug === '' ? '' : `-${slug}`}.md`, text };
}

/**
 * The template's `lists` entries that name no configured list, named after
 * the first configured one; with no list configured, `lists: []` (a list
 * the config does not have would fail lint at once).
 */
function withConfiguredLists(text: string, lists: readonly string[]): string {
  const first = lists[0];
  if (first === undefined) return replaceFieldValue(text, 'lists', '[]') ?? text;
  for (let index = 0; ; index++) {
    const entry = scalarField(text, ['lists', index]);
    if (!entry) return text;
    if (typeof entry.value === 'string' && !lists.includes(entry.value)) text = setScalarField(text, ['lists', index], first) ?? text;
  }
}

/** The template's first author, when it is the example one, named after `author` (what is known of it). */
function withAuthor(text: string, author: { name?: string; email?: string }): string {
  for (const key of ['name', 'email'] as const) {
    const value = author[key]?.trim();
    if (!value || /[\u0000-\u001f\u007f]/.test(value) || scalarField(text, ['authors', 0, key])?.value !== exampleAuthor[key]) continue;
    text = setScalarField(text, ['authors', 0, key], value) ?? text;
  }
  return text;
}

/**
 * The title's words in lower-case ASCII joined by dashes, cut at a word
 * boundary to at most 48 characters: "Live migration leaves libvirt's TCP
 * port open" becomes "live-migration-leaves-libvirts-tcp-port-open".
 * Letters with accents lose them; other scripts give no words (then the
 * file is named after the placeholder alone, or by --slug).
 */
export function slugOf(title: string): string {
  const words = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/(?<=\w)['\u2019](?=\w)/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
  let slug = '';
  for (const word of words) {
    const longer = slug === '' ? word : `${slug}-${word}`;
    if (longer.length > slugLength) return slug === '' ? word.slice(0, slugLength) : slug;
    slug = longer;
  }
  return slug;
}

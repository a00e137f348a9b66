/**
 * One legacy note → one herald note (pure): read the original in its
 * format, take the structured fields out of it, and write the body with
 * the original's words and the template's sections. Everything that could
 * not be made structured is returned as a located message about the
 * original.
 */
import path from 'node:path';
import type { Root, RootContent } from 'mdast';
import { gfmToMarkdown } from 'mdast-util-gfm';
import { toMarkdown } from 'mdast-util-to-markdown';
import type { Config } from '../config/schema.ts';
import type { RuleId } from '../errors/catalog.ts';
import type { HeraldMessage } from '../errors/message.ts';
import { canonicalSectionFor } from '../model/body.ts';
import { message } from '../model/validate.ts';
import { readAffects } from './affects.ts';
import { readContacts } from './contacts.ts';
import { frontMatter } from './front-matter.ts';
import type { LegacyNote } from './legacy.ts';
import { looksLikeMediaWiki, readMediaWikiNote } from './mediawiki-format.ts';
import { readTextNote } from './text-format.ts';

export interface ConvertOptions {
  config: Config;
  /** The day of the import, YYYY-MM-DD: the date of notes whose original has none. */
  today: string;
  /** A date the user gave for the imported notes (`--date`). */
  date?: string;
  /** Mailing lists the note names (`lists:`). */
  lists?: readonly string[];
}

export interface ImportedNote {
  source: string;
  format: LegacyNote['format'];
  id: string;
  /** File name in the output folder: `<ID>.md`. */
  fileName: string;
  text: string;
  /** About the original: what could not be made structured. */
  messages: HeraldMessage[];
}

const idPattern = /\b([A-Z][A-Z0-9]*-\d{4,})\b/;

/** Reads the original in whichever format it is written. */
export function readLegacyNote(text: string): LegacyNote | undefined {
  return looksLikeMediaWiki(text) ? readMediaWikiNote(text) : (readTextNote(text) ?? readMediaWikiNote(text));
}

function body(note: LegacyNote): string {
  const children: RootContent[] = [...note.preamble];
  for (const section of note.sections) {
    // A heading herald reads as one of its sections is written as that section's name ("Recommended Action" → "Recommended Actions").
    const heading = canonicalSectionFor(section.heading) ?? section.heading;
    children.push({ type: 'heading', depth: 2, children: [{ type: 'text', value: heading }] }, ...section.nodes);
  }
  const root: Root = { type: 'root', children };
  return toMarkdown(root, { extensions: [gfmToMarkdown()], bullet: '-', fences: true, listItemIndent: 'one', rule: '-' });
}

/** At most 60 characters of a quoted text, for a one-line message. */
function excerpt(text: string): string {
  return text.length <= 60 ? text : `${text.slice(0, 57).trimEnd()}...`;
}

function cvesOf(text: string): string[] {
  return [...new Set([...text.matchAll(/\bCVE-\d{4}-\d{4,}\b/g)].map((m) => m[0]))];
}

/** Converts one original; an error message when it is not a legacy note at all. */
export function convertLegacyNote(source: string, text: string, options: ConvertOptions): ImportedNote | HeraldMessage {
  const note = readLegacyNote(text);
  if (!note) {
    return message(source, 'import-unrecognized', 'This file has neither "### Section ###" headings under a title nor MediaWiki "== Section ==" headings', { line: 1, column: 1 });
  }
  const messages: HeraldMessage[] = [];
  const report = (ruleId: RuleId, line: number, text: string) => messages.push(message(source, ruleId, text, { line, column: 1 }));

  const base = path.basename(source).replace(/\.[a-z]+$/i, '');
  let id = note.id ?? idPattern.exec(base)?.[1];
  let fileName = `${id}.md`;
  if (!id) {
    id = `${options.config.ids.prefix}-XXXX`;
    fileName = `${base.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'imported'}.md`;
    report('import-id-unknown', note.titleLine, `Neither the text nor the file name gives an id; imported as ${id}`);
  }

  const affectedSection = note.sections.find((s) => canonicalSectionFor(s.heading) === 'Affected Services / Software');
  const affects = readAffects(affectedSection?.lines ?? []);
  for (const item of affects.unstructured) {
    report('import-unstructured', item.line, `Affected Services / Software: "${excerpt(item.text)}" is not a product or release herald knows; it stays in the prose only`);
  }
  const contactsSection = note.sections.find((s) => canonicalSectionFor(s.heading) === 'Contacts / References');
  const contacts = readContacts(contactsSection?.lines ?? []);
  for (const item of contacts.unstructured) report('import-unstructured', item.line, item.text);
  const actions = note.sections.find((s) => canonicalSectionFor(s.heading) === 'Recommended Actions');
  if (actions && !actions.nodes.some((n) => n.type === 'list' && n.ordered)) {
    report('import-unstructured', actions.line, 'Recommended Actions is prose, not numbered steps: the checklist gets the whole section as one step');
  }
  for (const notice of note.notices) report('import-unstructured', notice.line, notice.text);
  if (!options.date) report('import-date-unknown', 1, `The original gives no publication date; the note is dated ${options.today}, the day of the import`);

  const date = options.date ?? options.today;
  const origin = `Imported by \`herald import ossn\` from ${path.basename(source)} (${note.format === 'text' ? 'e-mail text' : 'MediaWiki'} format).`;
  const header = frontMatter(
    { id, title: note.title, date, cve: cvesOf(note.text), authors: contacts.authors, references: contacts.references, affects: affects.affects, lists: options.lists ?? [] },
    { origin, ...(options.date ? {} : { dateComment: 'not in the original: the day of the import; replace it with the first publication date' }) },
  );
  return { source, format: note.format, id, fileName, text: `${header}\n${body(note)}`, messages };
}

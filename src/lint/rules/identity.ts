/** Rules on the advisory's id, title and file name. */
import path from 'node:path';
import type { NoteRule } from '../rule.ts';
import { advisoryMadeBeforeHerald } from '../../model/announce-from.ts';
import { lineBreakOrControl } from '../../model/control-chars.ts';
import { hasPlaceholderId } from '../../model/types.ts';
import { noteStem } from '../../io/note-file.ts';
import { closest } from '../../model/suggest.ts';

/** Patterns built from the configured prefix, compiled once per prefix rather than once per note. */
const compiled = new Map<string, RegExp>();

function pattern(source: string): RegExp {
  let regExp = compiled.get(source);
  if (!regExp) {
    regExp = new RegExp(source);
    compiled.set(source, regExp);
  }
  return regExp;
}

/**
 * The digits of an id: four at least, nine at most. `herald assign-ids`
 * counts on from the highest number in use, and a number of sixteen
 * digits or more loses its last ones as a double: the next id would repeat
 * one in use. Nine digits are far more than any archive needs.
 */
const digits = '\\d{4,9}';

/** An id `idFormat` accepts: `<PREFIX>-NNNN`, or the placeholder `<PREFIX>-XXXX`. */
function wellFormed(id: string, prefix: string): boolean {
  return pattern(`^${prefix}-(${digits}|XXXX)$`).test(id);
}

export const idFormat: NoteRule = ({ advisory, config, field, report }) => {
  if (advisory.kind !== 'note') return;
  const prefix = config.ids.prefix;
  if (!wellFormed(advisory.id, prefix)) {
    report('id-format', `Id "${advisory.id}" is not of the form ${prefix}-NNNN, four to nine digits (or ${prefix}-XXXX before assignment)`, field(['id']));
  }
};

export const aliasesWellFormed: NoteRule = ({ advisory, config, field, report }) => {
  const formerId = pattern(`^${config.ids.prefix}-${digits}$`);
  advisory.aliases.forEach((alias, index) => {
    if (!formerId.test(alias)) report('id-format', `Alias "${alias}" is not a former id of the form ${config.ids.prefix}-NNNN (four to nine digits)`, field(['aliases', index]));
    else if (alias === advisory.id) report('id-duplicate', `Alias "${alias}" is the note's own id`, field(['aliases', index]));
  });
};

/** Said of a well-formed id only: an id `idFormat` refuses is no file name to give. */
export const idMatchesFileName: NoteRule = ({ advisory, config, field, report }) => {
  const prefix = config.ids.prefix;
  if (advisory.kind !== 'note' || hasPlaceholderId(advisory) || !wellFormed(advisory.id, prefix)) return;
  const base = noteStem(advisory.source.path);
  if (base === advisory.id) return;
  const file = path.basename(advisory.source.path);
  // Named as `herald new` names a note (`OSSN-XXXX-<slug>.md`): its author guessed a number.
  if (pattern(`^${prefix}-XXXX(-|$)`).test(base)) {
    report(
      'id-filename-mismatch',
      `Id "${advisory.id}" is a number, but the note is new (its file, "${file}", is named as herald new names it): herald assign-ids gives it its number after the merge`,
      field(['id']),
      `Keep id: ${prefix}-XXXX until then; assign-ids takes the next free number and renames the file, so that two pull requests never take the same one.`,
    );
    return;
  }
  report('id-filename-mismatch', `Id "${advisory.id}" does not match the file name "${file}"`, field(['id']), `Rename the file to ${advisory.id}.md, or correct the id.`);
};

export const titleRules: NoteRule = ({ advisory, field, report }) => {
  const at = field(['title']);
  if (lineBreakOrControl.test(advisory.title)) {
    report('title-control-char', 'Title contains a line break or control character', at);
  }
  const length = [...advisory.title].length;
  if (length > 100) report('title-too-long', `Title is ${length} characters long; the limit is 100`, at);
};

/** Values that end up in mail headers (author names in From-like lines, list names) must be header-safe. */
export const headerSafety: NoteRule = ({ advisory, field, report }) => {
  advisory.authors.forEach((author, index) => {
    if (lineBreakOrControl.test(author.name)) report('header-control-char', `Author name "${author.name.replace(lineBreakOrControl, '?')}" contains a control character`, field(['authors', index]));
  });
  advisory.lists.forEach((list, index) => {
    if (lineBreakOrControl.test(list)) report('header-control-char', 'Mailing list name contains a control character', field(['lists', index]));
  });
};

export const listsConfigured: NoteRule = ({ advisory, config, field, report }) => {
  // An advisory to announce that names no list reaches no one by mail (unless herald mails subscribers itself); a blog post is the site's.
  const mailed = advisory.kind === 'note' && advisory.status !== 'draft' && !advisoryMadeBeforeHerald(advisory, config.publish.announce_from);
  if (mailed && advisory.lists.length === 0 && config.mail.lists.length > 0 && !config.mail.subscribers) {
    report('list-none', 'The note names no mailing list: `herald publish` announces it to no one by mail', field(['lists']), `Add \`lists: [${config.mail.lists[0]!.name}]\` (configured: ${config.mail.lists.map((l) => l.name).join(', ')}); a note meant for the site alone can keep this warning.`);
  }
  const known = new Set(config.mail.lists.map((l) => l.name));
  advisory.lists.forEach((list, index) => {
    if (!known.has(list)) {
      const meant = closest(list, [...known]);
      const hint = known.size > 0 ? `Use one of: ${[...known].join(', ')}; or add it under mail.lists in the config.` : `No mailing list is configured: add "${list}" under mail.lists in the config (herald.config.yaml), or leave \`lists:\` out of the note.`;
      report('list-unknown', `Mailing list "${list}" is not configured${meant ? `; did you mean "${meant}"?` : ''}`, field(['lists', index]), hint);
    }
  });
};

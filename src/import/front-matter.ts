/**
 * The front matter of an imported note, written with the `yaml` package,
 * with comments that say where it came from and what the importer had to
 * make up (the date).
 */
import { Document, isMap, isScalar, visit } from 'yaml';
import type { AffectedInput } from './affects.ts';
import type { AuthorInput, ReferenceInput } from './contacts.ts';

export interface ImportedFields {
  id: string;
  title: string;
  date: string;
  cve: string[];
  authors: AuthorInput[];
  references: ReferenceInput[];
  affects: AffectedInput[];
  lists: readonly string[];
}

export interface FrontMatterNotes {
  /** Where the note came from, for the comment at the top. */
  origin: string;
  /** Set when the date is not the original's. */
  dateComment?: string;
}

/** `---`, the YAML, `---`: empty lists are left out, as a person would write it. */
export function frontMatter(fields: ImportedFields, notes: FrontMatterNotes): string {
  const data: Record<string, unknown> = { id: fields.id, title: fields.title, date: fields.date, status: 'published' };
  if (fields.cve.length > 0) data.cve = fields.cve;
  if (fields.authors.length > 0) data.authors = fields.authors;
  if (fields.references.length > 0) data.references = fields.references;
  if (fields.affects.length > 0) data.affects = fields.affects;
  if (fields.lists.length > 0) data.lists = [...fields.lists];
  const doc = new Document(data);
  doc.commentBefore = ` ${notes.origin}`;
  if (notes.dateComment) {
    // On a line of its own above the date: after the value, with one space, lint reads it as a `#` cutting the value short (yaml-comment-in-value).
    const pair = isMap(doc.contents) ? doc.contents.items.find((item) => isScalar(item.key) && item.key.value === 'date') : undefined;
    if (pair && isScalar(pair.key)) pair.key.commentBefore = ` ${notes.dateComment}`;
  }
  // Lists of plain values (cve, releases, versions) read best on one line.
  visit(doc, {
    Seq(_key, node) {
      if (node.items.every(isScalar)) node.flow = true;
    },
  });
  const yaml = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  return `---\n${yaml}---\n`;
}

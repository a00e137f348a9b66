/**
 * A legacy note as read from its original format, before it becomes a
 * herald note: the title, the id when the text gives one, and the sections
 * with their body as mdast (the text word for word, markup normalized) and
 * as plain lines (for reading the structured fields out of them).
 */
import type { RootContent } from 'mdast';

/** One line of the original, 1-based. */
export interface SourceLine {
  text: string;
  line: number;
}

export interface LegacySection {
  /** The heading as written, without its markup (`### Summary###` → `Summary`). */
  heading: string;
  line: number;
  nodes: RootContent[];
  /** The section's text without markup, line by line; links keep their URL. */
  lines: SourceLine[];
}

/** Something the reader kept as text because it has no Markdown equivalent. */
export interface ReaderNotice {
  line: number;
  text: string;
}

export interface LegacyNote {
  format: 'text' | 'mediawiki';
  id?: string;
  title: string;
  titleLine: number;
  /** Content between the title and the first section heading. */
  preamble: RootContent[];
  sections: LegacySection[];
  notices: ReaderNotice[];
  /** The whole original text, for lookups across sections (paths, CVE ids). */
  text: string;
}

/**
 * The "Contacts / References" trailer → `authors` and typed `references`:
 * "Author: Nathan Kinder, Red Hat", "Original LaunchPad Bug : https://…",
 * a label line followed by indented URLs, `[1]: https://…` footnotes.
 * Mailing-list addresses, "N/A" and plain-http URLs cannot be structured
 * (references are https only); they stay in the body and are reported.
 */
import type { SourceLine } from './legacy.ts';

export interface AuthorInput {
  name: string;
  affiliation?: string;
  email?: string;
}

export interface ReferenceInput {
  url: string;
  type: 'bug' | 'advisory' | 'article' | 'fix' | 'web';
  title?: string;
}

export interface ContactsResult {
  authors: AuthorInput[];
  references: ReferenceInput[];
  unstructured: { line: number; text: string }[];
}

const url = /https?:\/\/[^\s<>"]+[^\s<>".,;:)\]]/g;
const authorLine = /^authors?\b\s*:?\s*(.*)$/i;

/** The reference type, from where the link points and what the note calls it. */
export function referenceType(label: string, href: string): ReferenceInput['type'] {
  if (/bugs\.launchpad\.net|bugzilla|storyboard|\/issues\/\d+/i.test(href)) return 'bug';
  if (/review\.(openstack|opendev)\.org|\/commit\/|\/pull\/\d+|gerrit/i.test(href) || /\bfix(es)?\b/i.test(label)) return 'fix';
  if (/wiki\.openstack\.org\/wiki\/OSSN|security-advisories|secadv|\/security\/advisor/i.test(href) || /\b(OSSN|advisory|CVE)\b/i.test(label)) return 'advisory';
  if (/\b(docs?|documentation|guide|manual|reference)\b/i.test(label) || /\/\/docs\.|developer\./i.test(href)) return 'web';
  if (/\b(discussion|blog|article|write-?up|website|report)\b/i.test(label) || /blog/i.test(href)) return 'article';
  return 'web';
}

function authorsOf(value: string): AuthorInput[] {
  return value
    .split(/\s+and\s+|;\s*/)
    .map((part) => part.trim())
    .filter((part) => part !== '' && !part.startsWith('<'))
    .map((part) => {
      const email = /<?([\w.+-]+@[\w-]+(?:\.[\w-]+)+)>?/.exec(part)?.[1];
      const withoutEmail = email ? part.replace(/<?[\w.+-]+@[\w-]+(?:\.[\w-]+)+>?/, '').trim() : part;
      const comma = withoutEmail.indexOf(',');
      const name = (comma === -1 ? withoutEmail : withoutEmail.slice(0, comma)).trim();
      const affiliation = comma === -1 ? undefined : withoutEmail.slice(comma + 1).trim();
      return { name, ...(affiliation ? { affiliation } : {}), ...(email ? { email } : {}) };
    })
    .filter((author) => author.name !== '');
}

/** The words before a URL; a footnote mark (`[1]:`) is not a title. */
const labelOf = (text: string) => {
  const label = text.replace(/^\s*[-*]\s+/, '').replace(/[\s:=<(-]+$/, '').trim();
  return /^\[\d+\]$/.test(label) ? '' : label;
};

export function readContacts(lines: readonly SourceLine[]): ContactsResult {
  const authors: AuthorInput[] = [];
  const references: ReferenceInput[] = [];
  const unstructured: ContactsResult['unstructured'] = [];
  const seen = new Set<string>();
  let pendingLabel = '';
  for (const line of lines) {
    const text = line.text.trim().replace(/^[-*]\s+/, '');
    if (text === '') continue;
    const author = authorLine.exec(text);
    if (author && !/https?:\/\//.test(text)) {
      authors.push(...authorsOf(author[1]!));
      pendingLabel = '';
      continue;
    }
    const links = [...text.matchAll(url)];
    if (links.length === 0) {
      if (/:\s*$/.test(text)) pendingLabel = labelOf(text);
      // CVE ids are read from the whole note into `cve`.
      else if (/^[^:]*:\s*CVE-\d{4}-\d{4,}\b/.test(text)) continue;
      else unstructured.push({ line: line.line, text: `Contact line kept in the body only: "${text}"` });
      continue;
    }
    // A line with words before its URL starts a new record; a bare URL belongs to the label above it.
    const before = text.slice(0, links[0]!.index).trim();
    const label = before !== '' ? labelOf(before) : pendingLabel;
    if (before !== '') pendingLabel = '';
    for (const link of links) {
      const href = link[0];
      if (seen.has(href)) continue;
      seen.add(href);
      if (href.startsWith('http://')) {
        unstructured.push({ line: line.line, text: `Reference ${href} is plain http; references must be https, so it stays in the body only` });
        continue;
      }
      references.push({ url: href, type: referenceType(label, href), ...(label ? { title: label } : {}) });
    }
  }
  return { authors, references, unstructured };
}

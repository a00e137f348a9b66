/**
 * What an announcement says, independent of how it is laid out: the
 * headline, facts, notice and sections. The text body and the HTML
 * alternative are two layouts of this one plan, so they never disagree.
 */
import type { Nodes, Root, RootContent } from 'mdast';
import type { Config } from '../../config/schema.ts';
import type { Advisory, Reference, Revision } from '../../model/types.ts';
import { currentRevision, describeCredit, lastUpdated } from '../../model/types.ts';
import { describeScore } from '../../model/cvss.ts';
import { buildChecklist, type ChecklistVerify } from '../checklists/model.ts';
import { presentedBody } from '../../model/file-labels.ts';
import { endnotes } from '../../model/endnotes.ts';
import { markVerifyIds } from '../../model/verify-ids.ts';
import { absoluteUrl, advisoryPath } from '../site/urls.ts';
import { splitSections } from './text/sections.ts';
import { headingIds, type HeadingIds, idOfHeading } from '../../markdown/heading-ids.ts';

/** A `Label: value` line of the header block. */
export interface Fact {
  label: string;
  /** Lines of the value; each is wrapped on its own. */
  lines: string[];
  /** Where the value leads, when it is an address: the HTML part links it. */
  href?: string;
}

/** A section and how its content is laid out; `id`: its heading's in the HTML part, when the note wrote that heading (`heading-ids.ts`). */
export type PlannedSection =
  | { kind: 'markdown'; heading: string; id?: string; nodes: RootContent[] }
  | { kind: 'verification'; heading: string; verify: ChecklistVerify[] }
  | { kind: 'references'; heading: string; id?: string; nodes: RootContent[]; extra: Reference[] }
  | { kind: 'revisions'; heading: string; revisions: Revision[] };

export interface ContentPlan {
  /** `OSSN-0007 UPDATE 2`, with `(WITHDRAWN)` when withdrawn. */
  headline: string;
  title: string;
  facts: Fact[];
  /** What changed: the withdrawal reason and the latest update, for readers of the thread. */
  notice: string[];
  sections: PlannedSection[];
  /** The ids of the note's headings, which the HTML part gives them and its links to them. */
  headingIds: HeadingIds;
}

/** The first and last line of every private preview. */
export const previewBanner = '*** PRIVATE PREVIEW - NOT FOR DISTRIBUTION ***';
export const previewExplanation =
  'This message is a private preview, not the announcement. Do not forward it or act on it publicly.';

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function facts(advisory: Advisory, config: Config): Fact[] {
  const revision = currentRevision(advisory);
  const list: Fact[] = [{ label: 'Published', lines: [advisory.date] }];
  if (revision > 0) list.push({ label: 'Updated', lines: [`${lastUpdated(advisory)} (UPDATE ${revision})`] });
  if (advisory.status === 'withdrawn') list.push({ label: 'Status', lines: ['WITHDRAWN'] });
  if (advisory.severity) list.push({ label: 'Severity', lines: [capitalize(advisory.severity)] });
  if (advisory.cvss) list.push({ label: 'CVSS', lines: advisory.cvss.flatMap((cvss) => [describeScore(cvss), cvss.vector]) });
  if (advisory.cve.length > 0) list.push({ label: 'CVE', lines: [advisory.cve.join(', ')] });
  if (advisory.ghsa.length > 0) list.push({ label: 'GHSA', lines: [advisory.ghsa.join(', ')] });
  if (advisory.cwe.length > 0) list.push({ label: 'CWE', lines: [advisory.cwe.join(', ')] });
  const fixed = advisory.affects
    .filter((a) => a.fixed !== undefined)
    .map((a) => `${a.package ?? a.product} ${a.fixed}${a.releases.length > 0 ? ` (${a.releases.join(', ')})` : ''}`);
  if (fixed.length > 0) list.push({ label: 'Fixed in', lines: fixed });
  if (advisory.authors.length > 0) {
    const lines = advisory.authors.map((author) => `${author.name}${author.affiliation ? ` (${author.affiliation})` : ''}`);
    list.push({ label: lines.length === 1 ? 'Author' : 'Authors', lines });
  }
  if (advisory.credits) list.push({ label: 'Credits', lines: advisory.credits.map(describeCredit) });
  const web = webUrl(config, advisory.slug);
  list.push({ label: 'Web', lines: [web], href: web });
  return list;
}

/**
 * The site's root URL per config. `absoluteUrl` parses `base_url` twice on
 * every call; resolving the advisory's path (never empty) against its
 * result gives the same URL at a third of the cost.
 */
const siteRoots = new WeakMap<Config, string>();

function webUrl(config: Config, slug: string): string {
  let root = siteRoots.get(config);
  if (root === undefined) {
    root = absoluteUrl(config, '');
    siteRoots.set(config, root);
  }
  return new URL(advisoryPath(slug), root).href;
}

function notice(advisory: Advisory): string[] {
  const lines: string[] = [];
  if (advisory.status === 'withdrawn') lines.push(`WITHDRAWN: ${advisory.withdrawnReason ?? 'This advisory has been withdrawn.'}`);
  const latest = advisory.revisions.at(-1);
  if (latest) lines.push(`UPDATE ${latest.number} (${latest.date}): ${latest.summary}`);
  return lines;
}

/** Every URL the nodes link to or spell out, so front-matter references are not listed twice. */
function urlsIn(nodes: readonly RootContent[]): string {
  const parts: string[] = [];
  for (const node of nodes) {
    const urls: string[] = [];
    parts.push(textAndUrls(node, urls), ...urls);
  }
  return parts.join('\n');
}

/**
 * One walk for what `urlsIn` needs of a node: its text as
 * mdast-util-to-string gives it (values, else image alt, else the
 * children's text), and into `urls` the link and definition targets and
 * raw HTML in document order, as unist-util-visit would find them.
 */
function textAndUrls(node: Nodes, urls: string[]): string {
  if (node.type === 'link' || node.type === 'definition') urls.push(node.url);
  if (node.type === 'html') urls.push(node.value);
  let text = '';
  if ('children' in node) for (const child of node.children) text += textAndUrls(child, urls);
  if ('value' in node) return node.value == null ? '' : String(node.value);
  if ('alt' in node && node.alt) return node.alt;
  return text;
}

/**
 * In a mail, where nothing links a check's id to the check, each id a
 * step's `Verify:` line names is followed by the check's title, as the
 * Verification section spells it out: "Verify: `libvirt-tls` (libvirt
 * accepts only TLS)".
 */
function withCheckTitles(body: Root, advisory: Advisory): Root {
  const titles = new Map(advisory.verify.map((entry) => [entry.id, entry.title]));
  return markVerifyIds(body, new Set(titles.keys()), (id, written) => [written, { type: 'text', value: ` (${titles.get(id)})` }]);
}

function noteSections(advisory: Advisory, body: Root, ids: HeadingIds): PlannedSection[] {
  const checklist = buildChecklist(advisory);
  const planned: PlannedSection[] = [];
  let verificationPlaced = checklist.verify.length === 0;
  let referencesPlaced = advisory.references.length === 0;
  const placeVerification = () => {
    if (verificationPlaced) return;
    planned.push({ kind: 'verification', heading: 'Verification', verify: checklist.verify });
    verificationPlaced = true;
  };
  // Every section as the note wrote it, in its order: the steps too, with
  // what the note says around them (the checklists are where steps stand alone).
  for (const section of splitSections(body)) {
    const id = section.heading && idOfHeading(section.heading, ids);
    if (section.name === 'Recommended Actions') {
      planned.push({ kind: 'markdown', heading: section.name, id, nodes: section.nodes });
      placeVerification();
    } else if (section.name === 'Contacts / References') {
      placeVerification();
      const mentioned = urlsIn(section.nodes);
      planned.push({ kind: 'references', heading: section.name, id, nodes: section.nodes, extra: advisory.references.filter((r) => !mentioned.includes(r.url)) });
      referencesPlaced = true;
    } else {
      planned.push({ kind: 'markdown', heading: section.name, id, nodes: section.nodes });
    }
  }
  placeVerification();
  if (!referencesPlaced) planned.push({ kind: 'references', heading: 'References', nodes: [], extra: advisory.references });
  return planned;
}

function postSections(advisory: Advisory, body: Root): PlannedSection[] {
  const planned: PlannedSection[] = [{ kind: 'markdown', heading: '', nodes: body.children }];
  if (advisory.references.length > 0) {
    const mentioned = urlsIn(body.children);
    const extra = advisory.references.filter((r) => !mentioned.includes(r.url));
    if (extra.length > 0) planned.push({ kind: 'references', heading: 'References', nodes: [], extra });
  }
  return planned;
}

/** The content of the announcement of `advisory` as it stands (its latest revision). */
export function planContent(advisory: Advisory, config: Config): ContentPlan {
  const revision = currentRevision(advisory);
  const headline =
    advisory.kind === 'post'
      ? config.site.title
      : `${advisory.id}${revision > 0 ? ` UPDATE ${revision}` : ''}${advisory.status === 'withdrawn' ? ' (WITHDRAWN)' : ''}`;
  const { body, notes } = endnotes(withCheckTitles(presentedBody(advisory.body), advisory));
  const ids = headingIds(advisory.body);
  const sections = advisory.kind === 'post' ? postSections(advisory, body) : noteSections(advisory, body, ids);
  if (notes.length > 0) sections.push({ kind: 'markdown', heading: 'Footnotes', nodes: notes });
  if (advisory.revisions.length > 0) sections.push({ kind: 'revisions', heading: 'Revision History', revisions: advisory.revisions });
  return { headline, title: advisory.title, facts: facts(advisory, config), notice: notice(advisory), sections, headingIds: ids };
}

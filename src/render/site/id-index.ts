/**
 * The indexes of other databases' ids that advisories name: every CVE
 * (`/cve/`) and every GitHub advisory id (`/ghsa/`), each with the
 * advisories that name it. One page, or past `idsPerPage` ids a page per
 * group (a CVE's year, a GitHub id's first character) and a directory of
 * the groups: at 10,000 advisories one page would be about 3 MB of HTML.
 */
import { ghsaUrl } from '../ghsa.ts';
import { aggregateKey } from '../aggregate-key.ts';
import type { KeyedFile, RenderContext } from '../types.ts';
import type { Facet } from './facets.ts';
import { renderPage } from './page.ts';
import { templates } from './templates.ts';
import { advisoryPath, fixedPaths, outputPathFor } from './urls.ts';
import { href, type NavSection } from './views.ts';

/** The most ids an index shows on one page. */
export const idsPerPage = 1000;

/** What tells one id index from the other: its place, its words, its ids' links and groups. */
export interface IdIndexKind {
  sitePath: string;
  section: NavSection;
  heading: string;
  /** The lead of the one page, which is also its description. */
  lead: string;
  /** "CVE", "CVEs": the counts of the split index. */
  noun: string;
  nouns: string;
  /** The lead of the split index's directory. */
  directoryLead(count: number): string;
  /** The description of the split index's directory. */
  directoryDescription: string;
  /** The label of the groups' list (`<nav aria-label>`). */
  groupsLabel: string;
  /** The group an id goes in when the index is split, its page, heading and lead. */
  groupOf(id: string): string;
  groupHeading(group: string): string;
  groupLead(group: string): string;
  /** The table's column heading and caption, and what a page says with no id to list. */
  column: string;
  caption: string;
  empty: string;
  /** The id's own page in its database. */
  externalUrl(id: string): string;
  /** The other index, linked from this one's pages. */
  other: { sitePath: string; label: string };
}

export const cveIndex: IdIndexKind = {
  sitePath: fixedPaths.cves,
  section: 'cves',
  heading: 'CVE index',
  lead: 'Every CVE named by an advisory, newest first, with the advisories that cover it.',
  noun: 'CVE',
  nouns: 'CVEs',
  directoryLead: (count) => `The ${count} CVEs named by an advisory, by the year in their id, newest first.`,
  directoryDescription: 'Every CVE named by an advisory, by the year in its id.',
  groupsLabel: 'CVE years',
  groupOf: (id) => id.split('-')[1]!,
  groupHeading: (year) => `CVEs of ${year}`,
  groupLead: (year) => `Every CVE of ${year} named by an advisory, newest first, with the advisories that cover it.`,
  column: 'CVE',
  caption: 'CVE ids and the advisories that name them',
  empty: 'No advisory names a CVE yet.',
  externalUrl: (id) => `https://www.cve.org/CVERecord?id=${encodeURIComponent(id)}`,
  other: { sitePath: fixedPaths.ghsas, label: 'GitHub advisory index' },
};

export const ghsaIndex: IdIndexKind = {
  sitePath: fixedPaths.ghsas,
  section: 'none',
  heading: 'GitHub advisory index',
  lead: 'Every GitHub Security Advisory id named by an advisory, with the advisories that cover it.',
  noun: 'id',
  nouns: 'ids',
  directoryLead: (count) => `The ${count} GitHub advisory ids named by an advisory, by the first character of their id.`,
  directoryDescription: 'Every GitHub Security Advisory id named by an advisory, by the first character of its id.',
  groupsLabel: 'GitHub advisory ids by first character',
  // `GHSA-` and GitHub's alphabet: the character after the dash (2-9, c, f, ...).
  groupOf: (id) => id.charAt(5),
  groupHeading: (character) => `GitHub advisories GHSA-${character}\u2026`,
  groupLead: (character) => `Every GitHub advisory id starting with GHSA-${character} named by an advisory, with the advisories that cover it.`,
  column: 'GitHub advisory',
  caption: 'GitHub advisory ids and the advisories that name them',
  empty: 'No advisory names a GitHub advisory yet.',
  externalUrl: ghsaUrl,
  other: { sitePath: fixedPaths.cves, label: 'CVE index' },
};

/** One page of a split id index: the ids of one group, in the index's order. */
export interface IdGroup {
  group: string;
  sitePath: string;
  ids: Facet[];
}

/** The index's groups, or null when it fits on one page. The ids are in the index's order, so each group's are together. */
export function idGroups(kind: IdIndexKind, ids: readonly Facet[], perPage = idsPerPage): IdGroup[] | null {
  if (ids.length <= perPage) return null;
  const groups = new Map<string, IdGroup>();
  for (const facet of ids) {
    const group = kind.groupOf(facet.slug);
    let each = groups.get(group);
    if (each === undefined) groups.set(group, (each = { group, sitePath: `${kind.sitePath}${group}/`, ids: [] }));
    each.ids.push(facet);
  }
  return [...groups.values()];
}

/** The index: one page keyed by the ids and the advisories under each, or the groups' directory and a page per group. */
export function* renderIdIndex(kind: IdIndexKind, ids: readonly Facet[], groups: readonly IdGroup[] | null, context: RenderContext): Iterable<KeyedFile> {
  if (groups === null) {
    yield idTable(kind, { sitePath: kind.sitePath, heading: kind.heading, lead: kind.lead, ids, groups: null }, context);
    return;
  }
  const count = (n: number) => `${n} ${n === 1 ? kind.noun : kind.nouns}`;
  const groupLinks = (current: string | null) =>
    groups.map((each) => ({ label: each.group, href: href(context, each.sitePath), count: count(each.ids.length), current: each.group === current }));
  yield {
    path: outputPathFor(kind.sitePath),
    key: aggregateKey(context, [kind.sitePath, 'groups', groups.map((each) => [each.group, each.ids.length])]),
    render: () => idPage(kind, kind.sitePath, { heading: kind.heading, lead: kind.directoryLead(ids.length), description: kind.directoryDescription, groups: groupLinks(null), directory: true }, context),
  };
  for (const each of groups) {
    const lead = kind.groupLead(each.group);
    yield idTable(kind, { sitePath: each.sitePath, heading: kind.groupHeading(each.group), lead, ids: each.ids, groups: () => groupLinks(each.group) }, context);
  }
}

interface IdTableSpec {
  sitePath: string;
  heading: string;
  /** The lead, which is also the page's description. */
  lead: string;
  ids: readonly Facet[];
  /** The other groups' links, when the index is split. */
  groups: (() => object[]) | null;
}

function idTable(kind: IdIndexKind, spec: IdTableSpec, context: RenderContext): KeyedFile {
  const key = aggregateKey(
    context,
    [spec.sitePath, spec.groups === null ? null : spec.groups(), spec.ids.map((facet) => [facet.slug, facet.advisories.length])],
    spec.ids.flatMap((facet) => facet.advisories),
  );
  const rows = () =>
    spec.ids.map((facet) => ({
      id: facet.slug,
      externalHref: kind.externalUrl(facet.slug),
      advisories: facet.advisories.map((advisory) => ({
        href: href(context, advisoryPath(advisory.slug)),
        id: advisory.id,
        showId: advisory.kind === 'note',
        title: advisory.title,
      })),
    }));
  return {
    path: outputPathFor(spec.sitePath),
    key,
    render: () => idPage(kind, spec.sitePath, { heading: spec.heading, lead: spec.lead, description: spec.lead, groups: spec.groups?.() ?? [], directory: false, ids: rows() }, context),
  };
}

interface IdPageView {
  heading: string;
  lead: string;
  description: string;
  groups: object[];
  directory: boolean;
  ids?: object[];
}

function idPage(kind: IdIndexKind, sitePath: string, view: IdPageView, context: RenderContext): string {
  const words = { groupsLabel: kind.groupsLabel, column: kind.column, caption: kind.caption, empty: kind.empty, other: { href: href(context, kind.other.sitePath), label: kind.other.label } };
  return renderPage(context, {
    title: view.heading,
    description: view.description,
    sitePath,
    section: kind.section,
    content: templates.idIndex({ ...view, ...words }),
  });
}

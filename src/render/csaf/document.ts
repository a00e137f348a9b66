/**
 * One advisory as a CSAF 2.0 document. A note with CVEs or GitHub advisory
 * ids is a `csaf_security_advisory` (vulnerabilities, product status,
 * remediations); one without is a `csaf_informational_advisory`, the profile
 * meant for configuration guidance, whose recommended actions become a
 * document note.
 */
import type { Config } from '../../config/schema.ts';
import { creditRole, type Advisory, type Credit } from '../../model/types.ts';
import { version as heraldVersion } from '../../version.ts';
import { bodyMarkdown, footnotesMarkdown, sectionMarkdown } from '../osv/markdown.ts';
import { advisoryUrl, previewMark } from '../osv/record.ts';
import { csafDocumentUrl } from './layout.ts';
import { buildProductTree } from './product-tree.ts';
import { remediationsOf } from './remediations.ts';
import { trackingOf } from './tracking.ts';
import { ghsaUrl } from '../ghsa.ts';
import type { CsafAcknowledgment, CsafDocument, CsafNote, CsafReference, CsafScore, CsafVulnerability, CsafVulnerabilityId } from './types.ts';

const tlpUrl = 'https://www.first.org/tlp/';

/** `document.tracking.generator.engine`. */
export const heraldGenerator = { name: 'herald', version: heraldVersion };

function notesOf(advisory: Advisory, preview: boolean, informational: boolean): CsafNote[] {
  const notes: CsafNote[] = [];
  if (preview) notes.push({ category: 'general', title: previewMark, text: `${previewMark}: not for publication.` });
  if (advisory.status === 'withdrawn') notes.push({ category: 'general', title: 'Withdrawn', text: advisory.withdrawnReason ?? 'This advisory was withdrawn.' });
  const footnotes = footnotesMarkdown(advisory);
  if (advisory.kind === 'post') {
    notes.push({ category: 'description', title: advisory.title, text: bodyMarkdown(advisory) || advisory.title });
    if (footnotes) notes.push({ category: 'other', title: 'Footnotes', text: footnotes });
    return notes;
  }
  const summary = sectionMarkdown(advisory, 'Summary');
  notes.push({ category: 'summary', title: 'Summary', text: summary ?? advisory.title });
  const affected = sectionMarkdown(advisory, 'Affected Services / Software');
  if (affected) notes.push({ category: 'details', title: 'Affected Services / Software', text: affected });
  const discussion = sectionMarkdown(advisory, 'Discussion');
  if (discussion) notes.push({ category: 'description', title: 'Discussion', text: discussion });
  const actions = sectionMarkdown(advisory, 'Recommended Actions');
  // A security advisory carries its actions as remediations; an informational one has nowhere else to put them.
  if (actions && informational) notes.push({ category: 'general', title: 'Recommended Actions', text: actions });
  if (footnotes) notes.push({ category: 'other', title: 'Footnotes', text: footnotes });
  if (advisory.cwe.length > 0) notes.push({ category: 'other', title: 'CWE', text: advisory.cwe.join(', ') });
  return notes;
}

function referencesOf(advisory: Advisory, config: Config): CsafReference[] {
  const references: CsafReference[] = [
    { category: 'self', summary: `CSAF document of ${advisory.id}`, url: csafDocumentUrl(advisory, config) },
    { category: 'external', summary: `${advisory.id} on ${config.site.title}`, url: advisoryUrl(advisory, config) },
  ];
  const seen = new Set(references.map((r) => r.url));
  const add = (summary: string, url: string) => {
    if (seen.has(url)) return;
    seen.add(url);
    references.push({ category: 'external', summary, url });
  };
  for (const reference of advisory.references) add(reference.title ?? `${reference.type}: ${reference.url}`, reference.url);
  for (const ghsa of advisory.ghsa) add(`GitHub Security Advisory ${ghsa}`, ghsaUrl(ghsa));
  return references;
}

function vulnerabilitiesOf(advisory: Advisory, tree: ReturnType<typeof buildProductTree>): CsafVulnerability[] {
  const summary = sectionMarkdown(advisory, 'Summary') ?? advisory.title;
  const remediations = remediationsOf(advisory.steps, tree.knownAffected, sectionMarkdown(advisory, 'Recommended Actions'));
  const scores = scoresOf(advisory, tree.knownAffected);
  const ghsaIds: CsafVulnerabilityId[] = advisory.ghsa.map((text) => ({ system_name: 'GitHub Security Advisory', text }));
  // Each CVE is a vulnerability; GitHub's ids go with the CVE when there is
  // one only (which of several CVEs a GHSA is cannot be told), and stand for
  // the vulnerabilities themselves when there is none.
  const identities: Pick<CsafVulnerability, 'cve' | 'ids'>[] =
    advisory.cve.length === 0
      ? ghsaIds.map((id) => ({ ids: [id] }))
      : advisory.cve.map((cve) => ({ cve, ...(advisory.cve.length === 1 && ghsaIds.length > 0 ? { ids: ghsaIds } : {}) }));
  return identities.map((identity) => ({
    ...identity,
    notes: [{ category: 'summary', title: 'Summary', text: summary }],
    product_status: {
      ...(tree.knownAffected.length > 0 ? { known_affected: tree.knownAffected } : {}),
      ...(tree.fixed.length > 0 ? { fixed: tree.fixed } : {}),
    },
    ...(remediations.length > 0 ? { remediations } : {}),
    ...(scores.length > 0 ? { scores } : {}),
  }));
}

/** The note's CVSS 3.x vector, for every affected product of each of its vulnerabilities. */
function scoresOf(advisory: Advisory, products: string[]): CsafScore[] {
  if (products.length === 0) return [];
  return (advisory.cvss ?? []).flatMap((cvss) =>
    cvss.version === '4.0' ? [] : [{ products, cvss_v3: { version: cvss.version, vectorString: cvss.vector, baseScore: cvss.score, baseSeverity: cvss.rating.toUpperCase() as CsafScore['cvss_v3']['baseSeverity'] } }],
  );
}

function acknowledgmentOf(credit: Credit): CsafAcknowledgment {
  const role = creditRole(credit.type);
  return { names: [credit.name], ...(credit.affiliation ? { organization: credit.affiliation } : {}), ...(role ? { summary: role } : {}) };
}

/** Builds the CSAF document of one advisory. */
export function toCsafDocument(advisory: Advisory, config: Config, preview: boolean): CsafDocument {
  const informational = advisory.cve.length === 0 && advisory.ghsa.length === 0;
  const tree = buildProductTree(advisory, !informational);
  return {
    document: {
      category: informational ? 'csaf_informational_advisory' : 'csaf_security_advisory',
      csaf_version: '2.0',
      lang: 'en',
      title: preview ? `${previewMark}: ${advisory.title}` : advisory.title,
      ...(advisory.severity ? { aggregate_severity: { text: advisory.severity } } : {}),
      ...(advisory.credits ? { acknowledgments: advisory.credits.map(acknowledgmentOf) } : {}),
      distribution: preview
        ? { text: `${previewMark}: not for publication.`, tlp: { label: 'AMBER', url: tlpUrl } }
        : { tlp: { label: 'WHITE', url: tlpUrl } },
      publisher: {
        category: config.csaf.publisher_category,
        name: config.csaf.publisher_name,
        namespace: config.csaf.publisher_namespace,
        ...(config.csaf.contact_details ? { contact_details: config.csaf.contact_details } : {}),
      },
      notes: notesOf(advisory, preview, informational),
      references: referencesOf(advisory, config),
      tracking: trackingOf(advisory, heraldGenerator),
    },
    ...(tree.branches.length > 0 ? { product_tree: { branches: tree.branches } } : {}),
    ...(informational ? {} : { vulnerabilities: vulnerabilitiesOf(advisory, tree) }),
  };
}

/**
 * The metadata table at the top of an advisory's page: identity, dates,
 * status, severity, CVE and CWE links, affected software, authors,
 * references and the page on the site.
 */
import type { Affected, Advisory } from '../../model/types.ts';
import { currentRevision, describeCredit, firstAffected, lastUpdated } from '../../model/types.ts';
import { describeScore } from '../../model/cvss.ts';
import { ghsaUrl } from '../ghsa.ts';
import { escapeText } from './escape.ts';
import { codeSpan } from './markup.ts';
import { externalLink } from './link-target.ts';
import { wikiTable } from './table.ts';

/** "OpenSSL (openssl): Debian:7; 1.0.1 through 1.0.1f; fixed in 1.0.1e-2+deb7u6", as plain text. */
export function affectedDescription(affected: Affected): string {
  const name = affected.package && affected.package !== affected.product ? `${affected.product} (${affected.package})` : affected.product;
  const first = firstAffected(affected);
  const details = [
    affected.releases.join(', '),
    affected.versions.join(', '),
    first ? `introduced in ${first}` : '',
    affected.fixed ? `fixed in ${affected.fixed}` : '',
  ].filter(Boolean);
  return details.length > 0 ? `${name}: ${details.join('; ')}` : name;
}

const statusLabel = { draft: 'Draft', published: 'Published', withdrawn: 'Withdrawn' } as const;
const severityLabel = { low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' } as const;

function cveLink(cve: string): string {
  return externalLink(`https://www.cve.org/CVERecord?id=${encodeURIComponent(cve)}`, escapeText(cve));
}

function ghsaLink(ghsa: string): string {
  return externalLink(ghsaUrl(ghsa), escapeText(ghsa));
}

function cweLink(cwe: string): string {
  const number = /^CWE-(\d+)$/.exec(cwe)?.[1];
  return number ? externalLink(`https://cwe.mitre.org/data/definitions/${number}.html`, escapeText(cwe)) : escapeText(cwe);
}

/** The table; `pageUrl` is the advisory's page on the site. */
export function metadataTable(advisory: Advisory, pageUrl: string): string {
  const rows: { head: string; cells: string[] }[] = [];
  const add = (head: string, value: string | undefined) => {
    if (value) rows.push({ head, cells: [value] });
  };
  add(advisory.kind === 'post' ? 'Post' : 'Identifier', escapeText(advisory.id));
  add('Published', escapeText(advisory.date));
  const revision = currentRevision(advisory);
  if (revision > 0) add('Last updated', `${escapeText(lastUpdated(advisory))} (UPDATE ${revision})`);
  add('Status', escapeText(statusLabel[advisory.status]));
  if (advisory.embargo) add('Embargoed until', escapeText(advisory.embargo));
  add('Severity', advisory.severity && severityLabel[advisory.severity]);
  add('CVSS', (advisory.cvss ?? []).map((cvss) => `${escapeText(describeScore(cvss))}: ${codeSpan(cvss.vector)}`).join('<br />'));
  add('CVE', advisory.cve.map(cveLink).join(', '));
  add('GitHub advisory', advisory.ghsa.map(ghsaLink).join(', '));
  add('CWE', advisory.cwe.map(cweLink).join(', '));
  add('Credits', (advisory.credits ?? []).map((credit) => escapeText(describeCredit(credit))).join(', '));
  add('Affects', advisory.affects.map((affected) => escapeText(affectedDescription(affected))).join('<br />'));
  add(
    'Authors',
    advisory.authors.map((author) => escapeText(author.affiliation ? `${author.name} (${author.affiliation})` : author.name)).join(', '),
  );
  add('References', advisory.references.map((reference) => externalLink(reference.url, escapeText(reference.title ?? reference.url))).join('<br />'));
  add('Tags', escapeText(advisory.tags.join(', ')));
  add('On the site', externalLink(pageUrl, escapeText(advisory.title)));
  return wikiTable({ className: 'wikitable herald-metadata', caption: escapeText(advisory.kind === 'post' ? advisory.title : `${advisory.id}: ${advisory.title}`), rows });
}

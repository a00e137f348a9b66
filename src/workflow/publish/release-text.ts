/**
 * The name and body of the GitHub release that marks an announcement done.
 * Pure. The release is a record for people browsing the repository: what
 * was announced, when, and where to read it.
 */
import type { Config } from '../../config/schema.ts';
import { absoluteUrl, advisoryPath } from '../../render/site/urls.ts';
import { inline } from '../markdown.ts';
import type { Announcement } from './plan.ts';

/** `OSSN-0007: title`, `OSSN-0007 UPDATE 1: title`, `OSSN-0007 WITHDRAWN: title`. */
export function releaseName(announcement: Announcement): string {
  const { advisory, revision, withdrawn } = announcement;
  const label = withdrawn ? ' WITHDRAWN' : revision > 0 ? ` UPDATE ${revision}` : '';
  return `${advisory.id}${label}: ${advisory.title}`;
}

export function releaseBody(announcement: Announcement, config: Config): string {
  const { advisory, revision, withdrawn } = announcement;
  const lines = [`**${inline(advisory.title)}**`, ''];
  if (withdrawn) {
    lines.push(`${advisory.id} is withdrawn${advisory.withdrawnReason ? `: ${inline(advisory.withdrawnReason)}` : '.'}`);
  } else if (revision > 0) {
    const update = advisory.revisions[revision - 1]!;
    lines.push(`UPDATE ${revision} (${update.date}): ${inline(update.summary)}`);
  } else {
    lines.push(`First published ${advisory.date}.`);
  }
  if (advisory.cve.length > 0) lines.push('', `CVE: ${advisory.cve.join(', ')}`);
  if (advisory.ghsa.length > 0) lines.push('', `GHSA: ${advisory.ghsa.join(', ')}`);
  lines.push('', `Read it at ${absoluteUrl(config, advisoryPath(advisory.slug))}`);
  lines.push('', `_This release is herald\u2019s record that the announcement went out on every channel (site, wiki, mail); deleting it makes the next \`herald publish\` finish the announcement again, skipping the channels whose ledgers show them done._`);
  return `${lines.join('\n')}\n`;
}

/** The push report for people: one line per page, then the totals. */
import type { PageAction, PushReport } from './push.ts';

const words: Record<PageAction, { done: string; dryRun: string }> = {
  created: { done: 'created', dryRun: 'would create' },
  updated: { done: 'updated', dryRun: 'would update' },
  unchanged: { done: 'unchanged', dryRun: 'unchanged' },
  conflict: { done: 'conflict', dryRun: 'conflict' },
  failed: { done: 'failed', dryRun: 'failed' },
};

export function formatPushReport(report: PushReport): string {
  const label = (action: PageAction) => (report.dryRun ? words[action].dryRun : words[action].done);
  const width = Math.max(...report.pages.map((page) => label(page.action).length), 0);
  const lines = report.pages.map((page) => {
    const revision = page.revisionId !== undefined ? `  revision ${page.revisionId}` : '';
    const next = page.merged ? '; --force writes herald\u2019s text alone' : '; page left as it is, --force overwrites it';
    const reason = page.reason ? `  (${page.ruleId ? `${page.ruleId}: ` : ''}${page.reason}${page.action === 'conflict' ? next : ''})` : '';
    return `${label(page.action).padEnd(width)}  ${page.page}${revision}${reason}`;
  });
  const counts = (Object.keys(words) as PageAction[])
    .map((action) => [action, report.pages.filter((page) => page.action === action).length] as const)
    .filter(([, count]) => count > 0)
    .map(([action, count]) => `${count} ${label(action)}`);
  lines.push(`${report.pages.length} page(s) on ${report.wiki}${counts.length > 0 ? `: ${counts.join(', ')}` : ''}${report.dryRun ? ' (dry run: nothing was changed)' : ''}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Located messages as a SARIF 2.1.0 log (`herald lint --format sarif`), the
 * format GitHub code scanning and other analysis dashboards take in: one
 * run, the catalog's entry of every rule it reports, and one result per
 * message, placed by its file, line and column. Paths relative to the
 * working directory stay relative (to `%SRCROOT%`), as code scanning wants.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ruleInfo, type RuleId } from './catalog.ts';
import { compareMessages, type HeraldMessage } from './message.ts';

export function formatSarif(messages: readonly HeraldMessage[], tool: { version: string }): string {
  const sorted = [...messages].sort(compareMessages);
  const ruleIds = [...new Set(sorted.map((m) => m.ruleId))].sort();
  const rules = ruleIds.map((id) => {
    const info = ruleInfo(id as RuleId);
    return { id, shortDescription: { text: info.title }, help: { text: info.hint }, defaultConfiguration: { level: info.severity } };
  });
  const results = sorted.map((m) => ({
    ruleId: m.ruleId,
    ruleIndex: ruleIds.indexOf(m.ruleId),
    level: m.severity,
    message: { text: m.hint && m.hint !== ruleInfo(m.ruleId as RuleId).hint ? `${m.message} (${m.hint})` : m.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(m.file),
          region: { startLine: m.line, startColumn: m.column, ...(m.endLine ? { endLine: m.endLine } : {}), ...(m.endColumn ? { endColumn: m.endColumn } : {}) },
        },
      },
    ],
  }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'herald', version: tool.version, rules } }, columnKind: 'utf16CodeUnits', results }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** A relative path as a URI reference under `%SRCROOT%`; an absolute one as a file: URI. */
function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  if (path.isAbsolute(file)) return { uri: pathToFileURL(file).href };
  return { uri: file.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

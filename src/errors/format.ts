/**
 * Formats located messages for people (text), machines (json) and GitHub
 * Actions (workflow commands that become annotations on the PR's lines).
 */
import { compareMessages, type HeraldMessage } from './message.ts';

/** `path:line:column  severity  rule-id  message`, then the hint indented. */
export function formatText(messages: readonly HeraldMessage[]): string {
  return [...messages]
    .sort(compareMessages)
    .map((m) => {
      const head = `${m.file}:${m.line}:${m.column}  ${m.severity}  ${m.ruleId}  ${m.message}`;
      return m.hint ? `${head}\n    hint: ${m.hint}\n` : `${head}\n`;
    })
    .join('');
}

/** Messages in the order every report gives them (file, line, column). */
export function sortedMessages(messages: readonly HeraldMessage[]): HeraldMessage[] {
  return [...messages].sort(compareMessages);
}

export function formatJson(messages: readonly HeraldMessage[]): string {
  return JSON.stringify(sortedMessages(messages), null, 2) + '\n';
}

/** GitHub shows at most 10 annotations of each kind per step. */
export const githubAnnotationLimit = 10;

function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * `::error file=…,line=…,col=…,title=rule-id::message` per message, at most
 * ten per severity (GitHub drops the rest silently), then a `::notice` that
 * summarizes what was left out so the author knows to run lint locally.
 */
export function formatGithub(messages: readonly HeraldMessage[]): string {
  const lines: string[] = [];
  const omitted = { error: 0, warning: 0 };
  const shown = { error: 0, warning: 0 };
  for (const m of [...messages].sort(compareMessages)) {
    if (shown[m.severity] >= githubAnnotationLimit) {
      omitted[m.severity] += 1;
      continue;
    }
    shown[m.severity] += 1;
    const props = [`file=${escapeProperty(m.file)}`, `line=${m.line}`, `col=${m.column}`];
    if (m.endLine) props.push(`endLine=${m.endLine}`);
    if (m.endColumn) props.push(`endColumn=${m.endColumn}`);
    props.push(`title=${escapeProperty(m.ruleId)}`);
    const text = m.hint ? `${m.message} (${m.hint})` : m.message;
    lines.push(`::${m.severity} ${props.join(',')}::${escapeData(text)}`);
  }
  if (omitted.error + omitted.warning > 0) {
    lines.push(
      `::notice title=herald lint::${omitted.error} more error(s) and ${omitted.warning} more warning(s) not shown as annotations; run \`herald lint\` locally for the full list`,
    );
  }
  return lines.map((l) => l + '\n').join('');
}

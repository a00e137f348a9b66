/**
 * A located message about a user's input: a note, the config, a checklist.
 * Every user-facing problem is one of these; none is ever a stack trace.
 */
import type { RuleId } from './catalog.ts';

export type SeverityLevel = 'error' | 'warning';

export interface HeraldMessage {
  /** Path of the file the message is about, as the user named it. */
  file: string;
  /** 1-based line and column; 1:1 when the problem is the whole file. */
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  severity: SeverityLevel;
  ruleId: RuleId;
  /** What is wrong, in one sentence. */
  message: string;
  /** How to fix it. */
  hint?: string;
}

/** Sort messages by file, then position, then rule, so output is stable. */
export function compareMessages(a: HeraldMessage, b: HeraldMessage): number {
  return (
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line ||
    a.column - b.column ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  );
}

/** An error that carries user-facing messages up to the CLI, which prints them and exits 1. */
export class HeraldError extends Error {
  readonly messages: HeraldMessage[];
  /** What the refusal means for the user's files, printed after the messages ("dist was left as it was"). */
  readonly outcome?: string;
  constructor(messages: HeraldMessage[], outcome?: string) {
    super(messages.map((m) => `${m.file}:${m.line}:${m.column} ${m.ruleId} ${m.message}`).join('\n'));
    this.name = 'HeraldError';
    this.messages = messages;
    if (outcome !== undefined) this.outcome = outcome;
  }
}

/** A problem with how a command was called: the CLI prints it and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * The shape of a lint rule: a pure function from one parsed note (plus the
 * config and clock) to messages. Rules never throw on valid models.
 */
import type { Config } from '../config/schema.ts';
import type { HeraldMessage } from '../errors/message.ts';
import type { RuleId } from '../errors/catalog.ts';
import type { Located } from '../model/frontmatter.ts';
import type { Advisory, Position } from '../model/types.ts';
import { message } from '../model/validate.ts';

export interface RuleContext {
  advisory: Advisory;
  config: Config;
  now: Date;
  /** Position of a front-matter field (or of `key` inside it). */
  field: (path: readonly PropertyKey[], key?: string) => Located;
  /** Ids of every `verify` entry as written, including any that failed validation. */
  declaredVerifyIds: ReadonlySet<string>;
  /** Position of a field of the `verify` entry with this id (entries are matched by id, not index). */
  verifyField: (id: string, ...rest: PropertyKey[]) => Located;
  report: (ruleId: RuleId, text: string, at: Position | Located, hint?: string) => void;
}

export type NoteRule = (context: RuleContext) => void;

export function createRuleContext(advisory: Advisory, config: Config, now: Date, field: RuleContext['field'], rawVerifyIds: readonly unknown[], sink: HeraldMessage[]): RuleContext {
  return {
    advisory,
    config,
    now,
    field,
    declaredVerifyIds: new Set(rawVerifyIds.filter((id): id is string => typeof id === 'string')),
    verifyField: (id, ...rest) => {
      const index = rawVerifyIds.indexOf(id);
      return field(index === -1 ? ['verify'] : ['verify', index, ...rest]);
    },
    report: (ruleId, text, at, hint) => sink.push(message(advisory.source.path, ruleId, text, at, hint)),
  };
}

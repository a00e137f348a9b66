/**
 * The shape of a lint rule: a pure function from one parsed note (plus the
 * config and clock) to messages. Rules never throw on valid models.
 */
import type { Config } from '../config/schema.ts';
import type { HeraldMessage } from '../errors/message.ts';
import type { RuleId } from '../errors/catalog.ts';
import type { Located } from '../model/frontmatter.ts';
import type { Advisory, Position, VerifyEntry } from '../model/types.ts';
import { message } from '../model/validate.ts';
import { collectBodyNodes, type BodyNodes } from './body-nodes.ts';

/**
 * A front-matter field to point at. It is located only when a message is
 * reported: locating builds the YAML document with node ranges, which costs
 * more than all the rules together, and a clean note reports nothing.
 */
export interface FieldRef {
  readonly fieldPath: readonly PropertyKey[];
  readonly key?: string;
}

export interface RuleContext {
  advisory: Advisory;
  config: Config;
  now: Date;
  /** A front-matter field (or the key `key` inside it), for `report`. */
  field: (path: readonly PropertyKey[], key?: string) => FieldRef;
  /** Ids of every `verify` entry as written, including any that failed validation. */
  declaredVerifyIds: ReadonlySet<string>;
  /**
   * A field of this `verify` entry, for `report`. Entries are matched by id,
   * not index (an entry in error is not in the advisory); of two that share
   * an id, the second is the second written.
   */
  verifyField: (entry: VerifyEntry, ...rest: PropertyKey[]) => FieldRef;
  report: (ruleId: RuleId, text: string, at: Position | FieldRef, hint?: string) => void;
  /** Where a field's value starts, located now: only for a message about to be reported, as locating costs. */
  place: (at: FieldRef) => Position;
  /** The body's links and code blocks, found on first use by one walk shared by every rule. */
  bodyNodes: () => BodyNodes;
  /** The front matter's YAML as written (its line n is the file's line n). */
  frontMatterText: string;
}

export type NoteRule = (context: RuleContext) => void;

type Locate = (path: readonly PropertyKey[], key?: string) => Located;

export function createRuleContext(advisory: Advisory, config: Config, now: Date, locate: Locate, rawVerifyIds: readonly unknown[], sink: HeraldMessage[], frontMatterText = ''): RuleContext {
  let body: BodyNodes | undefined;
  const field = (fieldPath: readonly PropertyKey[], key?: string): FieldRef => (key === undefined ? { fieldPath } : { fieldPath, key });
  return {
    advisory,
    config,
    now,
    field,
    declaredVerifyIds: new Set(rawVerifyIds.filter((id): id is string => typeof id === 'string')),
    verifyField: (entry, ...rest) => {
      const occurrence = advisory.verify.filter((other) => other.id === entry.id).indexOf(entry);
      const index = rawVerifyIds.flatMap((id, at) => (id === entry.id ? [at] : []))[Math.max(occurrence, 0)];
      return field(index === undefined ? ['verify'] : ['verify', index, ...rest]);
    },
    report: (ruleId, text, at, hint) => sink.push(message(advisory.source.path, ruleId, text, 'fieldPath' in at ? locate(at.fieldPath, at.key) : at, hint)),
    place: (at) => locate(at.fieldPath, at.key),
    bodyNodes: () => (body ??= collectBodyNodes(advisory.body, advisory.source.text)),
    frontMatterText,
  };
}

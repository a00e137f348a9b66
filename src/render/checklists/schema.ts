/**
 * The checklist format, `dist/checklists/<ID>.json`: one zod schema that
 * `herald check` validates a checklist file with and that the published
 * JSON Schema (`checklists/schema.json`, `schemas/checklist.schema.json`)
 * is generated from, so the two never disagree.
 */
import { z } from 'zod';
import { ecosystems, versionSchemes } from '../../model/types.ts';

/** Version 1 of the format; a change that breaks readers bumps it. */
export const checklistFormat = 'herald-checklist/1';

const identifier = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, dots, dashes or underscores');
const versionScheme = z.enum(versionSchemes);

const versionExpectation = z
  .strictObject({
    kind: z.literal('version'),
    operator: z.enum(['<', '<=', '=', '>=', '>', '!=']),
    version: z.string().min(1),
    scheme: versionScheme,
  })
  .describe('The command prints a version (surrounding whitespace trimmed) that compares to `version` with `operator` in `scheme`.');
const stdoutExpectation = z
  .strictObject({ kind: z.literal('stdout'), pattern: z.string() })
  .describe('At least one line of the command\u2019s output matches the regular expression.');
const exitExpectation = z
  .strictObject({ kind: z.literal('exit'), code: z.number().int().min(0).max(255) })
  .describe('The command exits with this status.');
const absentExpectation = z
  .strictObject({ kind: z.literal('absent'), pattern: z.string() })
  .describe('No line of the file matches the regular expression (a missing file has no matching line).');
const presentExpectation = z
  .strictObject({ kind: z.literal('present'), pattern: z.string() })
  .describe('At least one line of the file matches the regular expression.');

export const packageQuerySchema = z
  .strictObject({
    manager: z.enum(['dpkg', 'rpm']),
    name: z.string().min(1),
    not_installed: z
      .enum(['pass', 'fail'])
      .optional()
      .describe('What a host where the package is not installed counts as (dpkg-query prints no version; rpm says "package NAME is not installed"). Absent: an error, as for any command that prints no version.'),
  })
  .describe('Set when `run` is a plain package query (`dpkg-query -W -f=\'${Version}\\n\' NAME`, `rpm -q --qf \'%{EVR}\\n\' NAME`): fleet tools can ask their package inventory instead of running the command.');

const verifyIdentity = {
  id: identifier,
  title: z.string(),
  description: z.string().describe('The expectation in words, e.g. "version >= 1.0.1e-2+deb7u6 (deb)".'),
};

/** A check that runs a command; patterns are ECMAScript regular expressions matched one line at a time. */
export const commandVerifySchema = z.strictObject({
  ...verifyIdentity,
  run: z.string().min(1).describe('A shell command, run with `/bin/sh -c`; its standard output is the value tested.'),
  expect: z.discriminatedUnion('kind', [versionExpectation, stdoutExpectation, exitExpectation]),
  package: packageQuerySchema.optional(),
});

/** A check that reads a text file; patterns are ECMAScript regular expressions matched one line at a time. */
export const fileVerifySchema = z.strictObject({
  ...verifyIdentity,
  file: z.string().regex(/^\//, 'must be an absolute path').describe('Absolute path of a text file whose lines are matched.'),
  expect: z.discriminatedUnion('kind', [absentExpectation, presentExpectation]),
});

export const checklistVerifySchema = z.union([commandVerifySchema, fileVerifySchema]);

export const configEditSchema = z.strictObject({
  file: z.string().min(1),
  lang: z.string(),
  content: z.string().describe('The snippet as written in the note.'),
  directives: z.array(z.string()).describe('The snippet\u2019s lines that set something: not blank, not comments.'),
});

export const checklistStepSchema = z.strictObject({
  id: identifier,
  title: z.string(),
  kind: z.enum(['upgrade', 'configure', 'disable', 'restart', 'evacuate', 'workaround', 'manual']),
  role: z.string().optional().describe('Who applies the step, e.g. "compute nodes".'),
  text: z.string().describe('The step\u2019s prose, for people; a `manual` step is only this.'),
  commands: z.array(z.string()),
  configEdits: z.array(configEditSchema),
  restartRequired: z.boolean(),
  migrationRequired: z.boolean(),
  rollback: z.string().optional(),
  verify: z.array(identifier).describe('Ids of the entries of `verify` that prove this step done.'),
});

export const checklistTargetSchema = z.strictObject({
  product: z.string(),
  vendor: z.string().optional(),
  package: z.string().optional(),
  ecosystem: z.enum(ecosystems),
  releases: z.array(z.string()),
  affected: z.array(z.string()).describe('Affected versions as the advisory states them.'),
  introduced: z.string().optional(),
  fixed: z.string().optional(),
});

export const checklistSchema = z
  .strictObject({
    format: z.literal(checklistFormat),
    privatePreview: z.literal(true).optional().describe('Present only in a private preview build: not for publication.'),
    advisory: z.strictObject({
      id: z.string().min(1),
      title: z.string(),
      kind: z.enum(['note', 'post']),
      status: z.enum(['draft', 'published', 'withdrawn']),
      withdrawnReason: z.string().optional(),
      severity: z.enum(['low', 'medium', 'high', 'critical']).optional(),
      cve: z.array(z.string()),
      ghsa: z.array(z.string()).optional().describe('GitHub Security Advisory ids of the same flaw; absent when the advisory names none.'),
      date: z.string().describe('First published, YYYY-MM-DD.'),
      updated: z.string().describe('Date of the latest revision, YYYY-MM-DD.'),
      revision: z.number().int().min(0).describe('0 for the original publication, n after "UPDATE n".'),
    }),
    targets: z.array(checklistTargetSchema),
    steps: z.array(checklistStepSchema).describe('Remediation steps, in order.'),
    verify: z.array(checklistVerifySchema).describe('Checks that `herald check` runs on a host.'),
  })
  .describe('A herald remediation checklist: the steps of an advisory\u2019s "Recommended Actions" and the checks that prove them done.');

export type Checklist = z.infer<typeof checklistSchema>;
export type ChecklistVerify = Checklist['verify'][number];
export type ChecklistStep = Checklist['steps'][number];
export type ChecklistTarget = Checklist['targets'][number];
export type PackageQuery = z.infer<typeof packageQuerySchema>;
export type CommandVerify = z.infer<typeof commandVerifySchema>;
export type FileVerify = z.infer<typeof fileVerifySchema>;

/** The published JSON Schema (draft 2020-12) of a checklist file. */
export function checklistJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'herald remediation checklist',
    ...z.toJSONSchema(checklistSchema, { target: 'draft-2020-12', io: 'output' }),
  };
}

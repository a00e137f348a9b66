/**
 * Reads and validates `herald.config.yaml`. A missing file means defaults;
 * an invalid one is reported like a broken note (file:line:column, rule id).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { HeraldError, UsageError } from '../errors/message.ts';
import { LineCounter, parseDocument } from 'yaml';
import { decodeText } from '../model/decode.ts';
import { message, yamlErrorMessages, zodIssuesToMessages } from '../model/validate.ts';
import { configSchema, type Config } from './schema.ts';

export const configFileName = 'herald.config.yaml';

export function defaultConfig(): Config {
  return configSchema.parse({});
}

/** Parses config text; throws HeraldError with located messages when invalid. */
export function parseConfig(text: string, file: string): Config {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true, logLevel: 'error' });
  if (doc.errors.length > 0) throw new HeraldError(yamlErrorMessages(file, doc.errors, lineCounter, text, 'config-invalid'));
  const data: unknown = doc.toJS() ?? {};
  const front = { doc, lineCounter, data, body: '', bodyLine: 1, yamlText: text, unsupportedTags: [] };
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new HeraldError([message(file, 'config-invalid', 'The configuration must be a mapping of settings', { line: 1, column: 1 })]);
  }
  const parsed = configSchema.safeParse(data);
  if (!parsed.success) {
    throw new HeraldError(
      zodIssuesToMessages(parsed.error.issues, {
        file,
        front,
        knownKeysAt: (p) => knownConfigKeys(p),
        typeRule: 'config-invalid',
        requiredRule: 'config-invalid',
        unknownRule: 'config-invalid',
      }),
    );
  }
  return parsed.data;
}

/** Known keys at a config path, read off the schema's shapes. */
function knownConfigKeys(fieldPath: readonly PropertyKey[]): string[] {
  let schema: unknown = configSchema;
  for (const segment of fieldPath) {
    schema = unwrap(schema);
    const def = (schema as { def?: { type?: string; element?: unknown } }).def;
    if (def?.type === 'array') schema = def.element;
    else schema = (schema as { shape?: Record<string, unknown> }).shape?.[String(segment)];
    if (!schema) return [];
  }
  return Object.keys((unwrap(schema) as { shape?: object }).shape ?? {});
}

function unwrap(schema: unknown): unknown {
  let current = schema as { def?: { type?: string; innerType?: unknown } };
  while (current?.def && (current.def.type === 'default' || current.def.type === 'optional' || current.def.type === 'prefault')) {
    current = current.def.innerType as typeof current;
  }
  return current;
}

/**
 * Loads the config from `file` (relative to cwd) or `herald.config.yaml` in
 * cwd; defaults when the default file is absent.
 */
export async function loadConfig(cwd: string, file?: string): Promise<Config> {
  const target = path.resolve(cwd, file ?? configFileName);
  const shown = path.relative(cwd, target) || target;
  let bytes: Buffer;
  try {
    bytes = await readFile(target);
  } catch (error) {
    if (!file && (error as NodeJS.ErrnoException).code === 'ENOENT') return defaultConfig();
    // A file named with --config that is not there is a mistake in the command, not in a config.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`--config ${file}: no such file in ${cwd}`);
    throw new HeraldError([message(file ?? configFileName, 'config-invalid', `Cannot read the configuration: ${(error as Error).message}`, { line: 1, column: 1 })]);
  }
  // As strict as a note: UTF-16 or a byte that is not UTF-8 is named, never read as U+FFFD.
  const { text, error } = decodeText(shown, bytes, 'YAML');
  if (error) throw new HeraldError([error.ruleId === 'file-encoding' ? error : { ...error, hint: 'The configuration is YAML text in UTF-8, at most 256 KiB.' }]);
  return parseConfig(text!, shown);
}

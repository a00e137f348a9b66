/**
 * Golden checklists for every bundled note: the JSON and its three exports,
 * exactly as the build writes them, plus the published JSON Schema. Run with
 * `UPDATE_GOLDEN=1` to rewrite the expectations, then review the diff.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import { loadNotes } from '../../src/model/load.ts';
import type { Advisory } from '../../src/model/types.ts';
import { checklistSchemaText, renderer } from '../../src/render/checklists/index.ts';
import { checklistSchema } from '../../src/render/checklists/schema.ts';
import type { OutputFile, RenderContext } from '../../src/render/types.ts';
import { missingTools } from '../support/system.ts';
import { run, withFile } from '../export/support.ts';
import { aggregates } from '../support/render.ts';

const repository = path.resolve(import.meta.dirname, '../..');
const fixtures = path.join(import.meta.dirname, 'fixtures');
const updateGolden = process.env.UPDATE_GOLDEN === '1';
const now = new Date('2026-01-15T12:00:00Z');

/** Compares with the golden file, or writes it under UPDATE_GOLDEN=1 (or when new, outside CI). */
function expectGolden(file: string, actual: string): void {
  if (updateGolden || (!existsSync(file) && process.env.CI !== 'true')) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  expect(actual, `${path.relative(repository, file)} (run with UPDATE_GOLDEN=1 to accept the new output)`).toBe(readFileSync(file, 'utf8'));
}

const text = (file: OutputFile) => (typeof file.contents === 'string' ? file.contents : Buffer.from(file.contents).toString('utf8'));

let config: Config;
let advisories: Advisory[];
let context: RenderContext;

beforeAll(async () => {
  config = await loadConfig(repository);
  const loaded = await loadNotes([path.join(repository, 'notes')], { config, now, cwd: repository });
  advisories = loaded.advisories;
  context = { config, now, preview: false, all: advisories };
});

describe('bundled notes', () => {
  it('all load, so every one has a golden checklist', () => {
    expect(advisories.length).toBeGreaterThanOrEqual(7);
  });

  it('render the golden checklist and exports of each advisory', () => {
    for (const advisory of advisories) {
      for (const file of renderer.renderNote!(advisory, context)) expectGolden(path.join(fixtures, path.basename(file.path)), text(file));
    }
  });

  it('match the published JSON Schema, and the schema kept in the repository is current', () => {
    const [schemaFile] = aggregates(renderer, advisories, context);
    expect(schemaFile!.path).toBe('checklists/schema.json');
    expectGolden(path.join(repository, 'schemas/checklist.schema.json'), text(schemaFile!));
    const ajv = new Ajv2020.default({ strict: true, allErrors: true });
    const validate = ajv.compile(JSON.parse(checklistSchemaText()));
    for (const advisory of advisories) {
      const json = JSON.parse(text(renderer.renderNote!(advisory, context)[0]!));
      expect({ id: advisory.id, errors: validate(json) ? null : validate.errors }).toEqual({ id: advisory.id, errors: null });
      expect(checklistSchema.safeParse(json).success).toBe(true);
    }
  });

  it('mark every output of a private preview', () => {
    const preview = { ...context, preview: true };
    for (const file of renderer.renderNote!(advisories[0]!, preview)) {
      expect({ path: file.path, marked: /PRIVATE PREVIEW|"privatePreview": true/.test(text(file)) }).toEqual({ path: file.path, marked: true });
    }
  });

  it.skipIf(!!missingTools('oscap'))('export OVAL that oscap accepts', () => {
    for (const advisory of advisories) {
      const oval = renderer.renderNote!(advisory, context).find((f) => f.path.endsWith('.oval.xml'));
      if (!oval) continue;
      const result = withFile('checks.xml', text(oval), (file) => run('oscap', ['oval', 'validate', file]));
      expect({ id: advisory.id, code: result.code, output: result.stderr.trim() }).toEqual({ id: advisory.id, code: 0, output: '' });
    }
  });
});

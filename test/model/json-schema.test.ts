import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { jsonSchemas } from '../../src/model/json-schema.ts';

const repo = path.resolve(import.meta.dirname, '../..');

describe('published JSON Schemas', () => {
  it.each(Object.keys(jsonSchemas) as (keyof typeof jsonSchemas)[])('schemas/%s.schema.json is generated from the code (UPDATE_GOLDEN=1 rewrites it)', (name) => {
    const file = path.join(repo, 'schemas', `${name}.schema.json`);
    const text = JSON.stringify(jsonSchemas[name](), null, 2) + '\n';
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('the note schema accepts every bundled note front matter and the config schema the bundled config', () => {
    const ajv = new Ajv2020.default({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const validateNote = ajv.compile(jsonSchemas.note());
    const notes = ['OSSN-0001.md', 'OSSN-0002.md', 'OSSN-0004.md'];
    for (const note of notes) {
      const text = readFileSync(path.join(repo, 'notes', note), 'utf8');
      const front = parse(text.split(/^---$/m)[1]!, { schema: 'core' });
      expect(validateNote(front), `${note}: ${JSON.stringify(validateNote.errors)}`).toBe(true);
    }
    const validateConfig = ajv.compile(jsonSchemas.config());
    expect(validateConfig(parse(readFileSync(path.join(repo, 'herald.config.yaml'), 'utf8'))), JSON.stringify(validateConfig.errors)).toBe(true);
  });
});

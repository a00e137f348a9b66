import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { jsonSchemas } from '../../src/model/json-schema.ts';
import { noteFileExtension } from '../../src/io/note-file.ts';
import { defaultConfig } from '../../src/config/load.ts';
import { parseNote } from '../../src/model/load.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const options = { config: defaultConfig(), now: new Date('2026-01-15T12:00:00Z') };

function validator(name: keyof typeof jsonSchemas) {
  const ajv = new Ajv2020.default({ strict: false, allErrors: true });
  addFormats.default(ajv);
  return ajv.compile(jsonSchemas[name]());
}

function frontMatter(text: string): unknown {
  return parse(text.split(/^---$/m)[1]!, { schema: 'core' });
}

const post = (fields: string) => `---\nlayout: post\ntitle: "A post"\n${fields}---\nText.\n`;

describe('published JSON Schemas', () => {
  it.each(Object.keys(jsonSchemas) as (keyof typeof jsonSchemas)[])('schemas/%s.schema.json is generated from the code (UPDATE_GOLDEN=1 rewrites it)', (name) => {
    const file = path.join(repo, 'schemas', `${name}.schema.json`);
    const text = JSON.stringify(jsonSchemas[name](), null, 2) + '\n';
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('the note schema accepts every bundled note and blog post, and the config schema the bundled config', () => {
    const validateNote = validator('note');
    const files = readdirSync(path.join(repo, 'notes')).filter((name) => noteFileExtension.test(name));
    const text = (name: string) => readFileSync(path.join(repo, 'notes', name), 'utf8');
    // Both kinds are there, and herald itself reads each file as the kind the schema judges it by.
    expect(files.filter((name) => parseNote(name, text(name), options).advisory?.kind === 'post').length).toBeGreaterThan(0);
    expect(files.filter((name) => parseNote(name, text(name), options).advisory?.kind === 'note').length).toBeGreaterThan(0);
    for (const name of files) {
      expect(validateNote(frontMatter(text(name))), `${name}: ${JSON.stringify(validateNote.errors)}`).toBe(true);
    }
    const validateConfig = validator('config');
    expect(validateConfig(parse(readFileSync(path.join(repo, 'herald.config.yaml'), 'utf8'))), JSON.stringify(validateConfig.errors)).toBe(true);
  });

  it('the note schema tells a note from a post by its id, as herald does, and still refuses a broken one of each', () => {
    const validate = validator('note');
    const cases: [string, string, boolean][] = [
      ['a post as a blog engine wrote it, with keys of its own', post('comments: true\nexcerpt: Short.\ndate: 2014-04-10 09:00:00\n'), true],
      ['a post whose slug has capitals', post('slug: Heartbleed-VMs\n'), true],
      ['a post without its title', '---\nlayout: post\nslug: no-title\n---\n', false],
      ['a post whose slug is not a slug', post('slug: "not a slug!"\n'), false],
      ['a post with a bad note field', post('severity: dreadful\n'), false],
      ['a post with published not a boolean', post('published: sometimes\n'), false],
      ['a note with an unknown key', '---\nid: OSSN-0100\ntitle: T\ndate: 2024-01-02\nstatus: draft\nsevrity: high\n---\n', false],
      ['a note without its status', '---\nid: OSSN-0100\ntitle: T\ndate: 2024-01-02\n---\n', false],
      ['a note with layout (a note, since it has an id)', '---\nid: OSSN-0100\ntitle: T\ndate: 2024-01-02\nstatus: draft\nlayout: post\n---\n', false],
      ['a note whose package name has capitals', '---\nid: OSSN-0100\ntitle: T\ndate: 2024-01-02\nstatus: draft\naffects:\n  - { product: PyYAML, package: PyYAML, ecosystem: pypi, fixed: "5.4" }\n---\n', true],
    ];
    for (const [what, text, valid] of cases) {
      expect(validate(frontMatter(text)), `${what}: ${JSON.stringify(validate.errors)}`).toBe(valid);
      // What the editor says is what herald says of the front matter.
      const schemaMessages = parseNote('2014-04-10-a-post.md', text, options).messages.filter((m) => m.ruleId.startsWith('schema'));
      expect(schemaMessages.length === 0, `${what}: herald says ${JSON.stringify(schemaMessages)}`).toBe(valid);
    }
  });
});

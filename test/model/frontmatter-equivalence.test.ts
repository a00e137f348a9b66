/**
 * The front-matter fast path (js-yaml with a core-schema replica) must give
 * exactly the values the located `yaml` Document gives, or decline. Held
 * over every note the project knows (fixtures, the bundled notes, the OSSN
 * corpus, generated bench notes) and over scalars where YAML 1.1 and 1.2
 * part ways.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { generateCorpus } from '../../bench/generate.ts';
import { readPlainYaml, splitFrontMatter } from '../../src/model/frontmatter.ts';

const repo = path.resolve(import.meta.dirname, '../..');

function located(yamlText: string): { errors: number; data: unknown } {
  const doc = parseDocument(yamlText, { prettyErrors: false, uniqueKeys: true, strict: true, resolveKnownTags: false });
  return { errors: doc.errors.length, data: doc.errors.length === 0 ? doc.toJS({ maxAliasCount: 50 }) : undefined };
}

function markdownFiles(dir: string, all = false): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'node_modules' ? [] : markdownFiles(full, all);
    return all || name.endsWith('.md') ? [full] : [];
  });
}

/** Checks one note; returns which path answered (none: no front matter). */
function check(label: string, text: string): 'fast' | 'located' | 'none' {
  const split = splitFrontMatter(text);
  if (!split.ok) return 'none';
  const reference = located(split.value.yamlText);
  const fast = readPlainYaml(split.value.yamlText);
  if (reference.errors > 0) expect(fast.ok, `${label}: fast path accepted YAML the located parser rejects`).toBe(false);
  if (fast.ok) expect(fast.data, label).toStrictEqual(reference.data);
  // Whichever path answered, the note's data is the located parser's.
  expect(split.value.data, label).toStrictEqual(reference.data);
  return fast.ok ? 'fast' : 'located';
}

describe('front matter: fast path and located parse agree', () => {
  it('on every fixture, bundled note and corpus note', () => {
    const files = [...markdownFiles(path.join(repo, 'test')), ...markdownFiles(path.join(repo, 'notes')), ...markdownFiles(path.resolve(repo, '../shared/corpus/ossn'), true)];
    expect(files.length).toBeGreaterThan(40);
    const answers = files.map((file) => check(file, readFileSync(file, 'utf8')));
    const fast = answers.filter((a) => a === 'fast').length;
    expect(fast).toBeGreaterThan(answers.filter((a) => a !== 'none').length / 2);
  });

  it('on 2,000 generated bench notes', () => {
    let fast = 0;
    let count = 0;
    for (const note of generateCorpus(2000)) {
      count += 1;
      if (check(note.fileName, note.text) === 'fast') fast += 1;
    }
    expect(fast).toBeGreaterThan(count * 0.9);
  });

  const scalars = [
    '1.2.10', 'no', 'yes', 'on', 'off', 'y', 'n', 'NO', '012', '0o12', '0o19', '0x1F', '0xg', '0b101', '1_000', '1:30', '190:20:30', '-0', '+12', '-12', '007',
    '12345678901234567890', '1.', '.5', '-.5', '+.5', '1.50', '1e3', '1E-3', '1.5e+3', '.e3', '1e', '.inf', '-.Inf', '+.INF', '.NaN', '.nan', '.NAN', 'nan', 'inf',
    '~', 'null', 'Null', 'NULL', 'nUll', 'true', 'True', 'TRUE', 'tRue', 'false', 'False', 'FALSE', '2014-03-18', '2014-03-18T10:00:00Z', '2014-03-18 10:00',
    '"012"', "'true'", '"a\\tb\\u00e9\\x41\\N"', "'it''s'", 'a #not comment', 'a # comment', '- x', '[1, "2", three, 4.0]', '{a: 1, b: [no, 0x10]}', '""', "''",
    '>-\n  folded\n  text\n\n  para', '|\n  literal\n   kept\n', '|+\n  keep\n\n', 'plain\n  continued line', '"multi\n  line quoted"', 'é ünïcode', '@reserved', '`tick', '%percent',
  ];
  it('on scalars where YAML 1.1 and 1.2 differ, and on odd shapes', () => {
    for (const scalar of scalars) {
      check(`value ${scalar}`, `---\nkey: ${scalar}\n---\nbody\n`);
      check(`item ${scalar}`, `---\nlist:\n  - ${scalar}\n---\nbody\n`);
    }
    for (const key of ['1', '1.0', 'true', 'null', '~', '""', '0x10', 'a b', '"quoted key"', '012']) check(`key ${key}`, `---\n${key}: value\n---\nbody\n`);
    const shapes = ['', '# only a comment', 'just a scalar', '- a\n- b', 'a: 1\na: 2', 'a:\n\tb: 1', 'a: b: c', 'a: [1, 2', 'a: "unterminated', 'a: &x 1\nb: *x', 'a: !!str 012', 'a: !custom x', 'a: !!binary aGVsbG8=', 'a: !!set {x}', 'a: !!timestamp 2014-01-01', '? [a]\n: b', '<<: {a: 1}', '%YAML 1.2\n---\na: 1', 'a: 1\n---\nb: 2', '__proto__: {polluted: true}', 'a:\n  - b\n  c: d', 'a: |\n x\n  y', 'key with no value',
      'a: "multi\nline"', 'a:\n  - "multi\n  line"', 'a: plain\n  b: c', 'a: [1,\n  2]', 'a:\n  - x\n   - y', '- a\nb: c', 'a:\n    b: 1\n  c: 2', 'a: |\n  x\nb: 1', '  - a: |\n     x\n    b: y',
      'a: "x" y', "a: 'x' y", 'a: [b] c', 'a: {b: c', 'a: x # c', 'a: "\\q"',
      // A comment needs a space before its #: right after a quote or a bracket it is an error.
      "a: ''#x", "- ''#x", 'a: "b"#x', 'a: [1]#x', 'a: {b: 1}#x', "a: ['b'#x]", 'a: ["b"#x, c]', 'a: [[1]#x]', "a: 'b' #x", 'a: [1] #x', 'a: b#x',
      // A collection as a key, which js-yaml names otherwise ("y", "[object Object]"): the fast path declines it.
      'a: { p: 1, [y]: 2 }', 'a: [ [y]: 2 ]', 'a: [ a, [y] : 2 ]', 'a: { [y] }', '- { {k: 1}: 2 }', 'a: { p: [1, 2], q: {r: 1} }', 'a: [ {k: 1}, [2] ]', 'a: { p: 1, "[y]": 2 }'];
    for (const shape of shapes) check(`shape ${JSON.stringify(shape)}`, `---\n${shape}\n---\nbody\n`);
  });
});

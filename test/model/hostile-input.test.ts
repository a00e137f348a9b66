import { mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.ts';
import { loadNotes, parseNote } from '../../src/model/load.ts';

const now = new Date('2026-01-15T12:00:00Z');
const options = { config: defaultConfig(), now };
const work = mkdtempSync(path.join(tmpdir(), 'herald-hostile-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const valid = (body: string) => `---\nid: OSSN-0300\ntitle: Hostile\ndate: 2014-01-01\nstatus: published\n---\n${body}`;

describe('hostile input', () => {
  it('never executes ---js front matter: no file appears', async () => {
    const marker = path.join(work, 'pwned.txt');
    process.env.HERALD_PWNED_FILE = marker;
    const fixture = readFileSync(path.resolve(import.meta.dirname, '../fixtures/broken/js-frontmatter/OSSN-0202.md'));
    const variants = [fixture.toString(), fixture.toString().replace('---js', '---javascript'), fixture.toString().replace('---js', '--- js'), fixture.toString().replace('---js', '---coffee')];
    variants.forEach((text, i) => writeFileSync(path.join(work, `OSSN-09${i}0.md`), text));
    const { messages } = await loadNotes([work], { ...options, cwd: work });
    expect(messages.filter((m) => m.ruleId === 'frontmatter-engine')).toHaveLength(variants.length);
    expect(existsSync(marker)).toBe(false);
    expect(readdirSync(work).some((f) => f.includes('pwned'))).toBe(false);
    delete process.env.HERALD_PWNED_FILE;
  });

  it('reads ---yaml and ---yml as ---, and refuses every other declared language, JSON too', () => {
    const text = valid('## Summary\n\nText.\n');
    const plain = parseNote('notes/OSSN-0300.md', text, options);
    expect(plain.advisory?.title).toBe('Hostile');
    for (const opening of ['---yaml', '---yml', '---YML', '--- yml ']) {
      const note = parseNote('notes/OSSN-0300.md', text.replace(/^---/, opening), options);
      expect(note.messages, opening).toEqual(plain.messages);
      expect(note.advisory?.title, opening).toBe('Hostile');
    }
    for (const opening of ['---json', '---js', '---toml', '---ymlx', '---yaml.js']) {
      expect(parseNote('notes/OSSN-0300.md', text.replace(/^---/, opening), options).messages, opening).toMatchObject([{ ruleId: 'frontmatter-engine', line: 1, column: 4 }]);
    }
  });

  it('never constructs or runs a tagged value: each tag is an error, its value plain text', async () => {
    const marker = path.join(work, 'pwned.txt');
    process.env.HERALD_PWNED_FILE = marker;
    const dir = mkdtempSync(path.join(work, 'tags-'));
    writeFileSync(path.join(dir, 'OSSN-0207.md'), readFileSync(path.resolve(import.meta.dirname, '../fixtures/broken/yaml-tag/OSSN-0207.md')));
    const { messages, notes, advisories } = await loadNotes([dir], { ...options, cwd: dir });
    expect(advisories).toEqual([]);
    expect(messages.filter((m) => m.ruleId === 'yaml-tag-unsupported' && m.severity === 'error')).toHaveLength(3);
    expect(notes[0]!.advisory?.tags).toEqual(['bGliZm9v', expect.stringMatching(/^function \(\) \{ require\('fs'\)/)]);
    expect(existsSync(marker)).toBe(false);
    delete process.env.HERALD_PWNED_FILE;
  });

  it('rejects a binary file', () => {
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const { messages, advisory } = parseNote('notes/image.md', bytes, options);
    expect(advisory).toBeUndefined();
    expect(messages).toMatchObject([{ ruleId: 'file-binary', line: 1, column: 1 }]);
  });

  it('rejects a 5 MB file before parsing it', () => {
    const text = valid('A'.repeat(5 * 1024 * 1024));
    const started = Date.now();
    const { messages } = parseNote('notes/OSSN-0300.md', text, options);
    expect(messages).toMatchObject([{ ruleId: 'file-too-large', line: 1, column: 1 }]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('rejects 5,000 nested block quotes at the line where they start', () => {
    const text = valid(`## Summary\n\n${'>'.repeat(5000)} deep\n`);
    const { messages } = parseNote('notes/OSSN-0300.md', text, options);
    expect(messages).toMatchObject([{ ruleId: 'nesting-too-deep', line: 9, column: 1 }]);
  });

  it('rejects deeply nested lists', () => {
    const lines = Array.from({ length: 200 }, (_, depth) => `${'  '.repeat(depth)}- level ${depth}`);
    const { messages } = parseNote('notes/OSSN-0300.md', valid(`## Summary\n\n${lines.join('\n')}\n`), options);
    expect(messages.map((m) => m.ruleId)).toContain('nesting-too-deep');
  });

  it('rejects list markers nested on one line at that line, fast, before the Markdown parse', () => {
    const lines = ['1. '.repeat(3000) + 'x', '* '.repeat(2900) + 'x', '- '.repeat(3000) + 'x', '- + 1) '.repeat(1000) + 'x', '> 1. * '.repeat(1000) + 'x', '1. '.repeat(33) + 'x'];
    for (const line of lines) {
      const started = Date.now();
      const { messages } = parseNote('notes/OSSN-0300.md', valid(`## Summary\n\n${line}\n`), options);
      expect(messages).toMatchObject([{ ruleId: 'nesting-too-deep', line: 9, column: 1 }]);
      expect(Date.now() - started).toBeLessThan(2_000);
    }
  });

  it('accepts 32 list markers on one line, and thematic breaks of any length', () => {
    for (const line of ['1. '.repeat(32) + 'x', '> '.repeat(16) + '- '.repeat(16) + 'x', '- '.repeat(200), '* '.repeat(200), '1. ' + '* '.repeat(200), '> - ' + '- '.repeat(200), '_ '.repeat(200), '- '.repeat(40) + '--']) {
      const { messages } = parseNote('notes/OSSN-0300.md', valid(`## Summary\n\n${line}\n`), options);
      expect(messages.map((m) => m.ruleId)).not.toContain('nesting-too-deep');
    }
  });

  it('points at the first invalid UTF-8 byte', () => {
    const head = new TextEncoder().encode(valid('## Summary\n\nCaf'));
    const bytes = new Uint8Array([...head, 0xe9, 0x0a]);
    const { messages } = parseNote('notes/OSSN-0300.md', bytes, options);
    expect(messages).toMatchObject([{ ruleId: 'file-encoding', line: 9, column: 4 }]);
  });

  it.each([
    ['little-endian, with a byte order mark', 'utf-16le', [0xff, 0xfe]],
    ['big-endian, with a byte order mark', 'utf-16be', [0xfe, 0xff]],
    ['little-endian', 'utf-16le', []],
    ['big-endian', 'utf-16be', []],
  ] as const)('names a UTF-16 file (%s) as such, not as binary', (form, encoding, bom) => {
    const text = valid('## Summary\n\nSaved as "Unicode".\n');
    const units = Buffer.from(text, 'utf16le');
    if (encoding === 'utf-16be') units.swap16();
    const { messages, advisory } = parseNote('notes/OSSN-0300.md', new Uint8Array([...bom, ...units]), options);
    expect(advisory).toBeUndefined();
    expect(messages).toMatchObject([{ ruleId: 'file-encoding', line: 1, column: 1, message: `File is UTF-16 (${form}), not UTF-8` }]);
    expect(messages[0]!.hint).toContain('iconv -f UTF-16 -t UTF-8');
  });

  it('reports a missing front matter', () => {
    const { messages } = parseNote('notes/OSSN-0300.md', '# Just markdown\n', options);
    expect(messages).toMatchObject([{ ruleId: 'frontmatter-missing', line: 1, column: 1 }]);
  });

  it.each([
    ['---\nid: OSSN-0300\ntitle: T\ndate: 2024-01-01\nstatus: draft\n\n## Summary\n\nThe closing line was forgotten.\n'],
    ['---\n'],
    ['---'],
  ])('reports a front matter that is never closed, %j', (text) => {
    const { messages } = parseNote('notes/OSSN-0300.md', text, options);
    expect(messages).toMatchObject([{ ruleId: 'frontmatter-unclosed', line: 1, column: 1 }]);
  });

  // Each was frontmatter-engine, "declared as "title: x ---"", whose hint speaks of `---js`.
  it.each([
    ['--- title: x ---\n\nBody.\n', 5, 'title: x ---'],
    ['---title: x\n---\nBody.\n', 4, 'title: x'],
    ['--- {id: OSSN-0300, title: x} ---\r\nBody.\r\n', 5, '{id: OSSN-0300, title: x} ---'],
    ['---  # fields below\nid: OSSN-0300\n---\n', 6, '# fields below'],
  ])('says front matter written on its opening line is, at the text, %j', (text, column, shown) => {
    const { messages } = parseNote('notes/OSSN-0300.md', text, options);
    expect(messages).toMatchObject([{ ruleId: 'frontmatter-inline', line: 1, column, message: expect.stringContaining(`("${shown}")`) }]);
  });

  it.each([
    ['---\ntitle: x ---\nBody.\n', 2, 10],
    ['---\r\nid: OSSN-0300\r\nstatus: published  ---  \r\n\r\nBody.\r\n', 3, 20],
  ])('points at a closing --- written at the end of a field\'s line, %j', (text, line, column) => {
    const { messages } = parseNote('notes/OSSN-0300.md', text, options);
    expect(messages).toMatchObject([{ ruleId: 'frontmatter-unclosed', line, column, message: expect.stringContaining(`the \`---\` at the end of line ${line} closes nothing`) }]);
  });

  it('one broken note does not stop the others from being checked', async () => {
    const dir = mkdtempSync(path.join(work, 'mixed-'));
    writeFileSync(path.join(dir, 'OSSN-0001.md'), '---\nid: [\n---\n');
    writeFileSync(path.join(dir, 'OSSN-0002.md'), valid('## Summary\n\nsee http://example.org\n'));
    const { messages } = await loadNotes([dir], { ...options, cwd: dir });
    expect(messages.some((m) => m.file === 'OSSN-0001.md' && m.ruleId === 'yaml-syntax')).toBe(true);
    expect(messages.some((m) => m.file === 'OSSN-0002.md' && m.ruleId === 'section-missing')).toBe(true);
  });
});

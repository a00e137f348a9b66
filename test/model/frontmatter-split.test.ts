/**
 * herald splits front matter itself, as gray-matter 4 did, and refuses
 * every declared language but YAML before reading anything.
 */
import { describe, expect, it } from 'vitest';
import { readPlainYaml, splitFrontMatter } from '../../src/model/frontmatter.ts';

function split(text: string) {
  const result = splitFrontMatter(text);
  return result.ok ? { yamlText: result.value.yamlText, body: result.value.body, bodyLine: result.value.bodyLine, data: result.value.data } : result;
}

describe('front matter split', () => {
  it.each([
    ['---\na: 1\n---\nbody\n', { yamlText: '\na: 1', body: 'body\n', bodyLine: 4, data: { a: 1 } }],
    ['\ufeff---\na: 1\n---\nbody', { yamlText: '\na: 1', body: 'body', bodyLine: 4, data: { a: 1 } }],
    ['---yaml\na: 1\n---\n\nbody', { yamlText: '\na: 1', body: '\nbody', bodyLine: 4, data: { a: 1 } }],
    ['--- YAML \na: 1\n---\nbody', { yamlText: '\na: 1', body: 'body', bodyLine: 4, data: { a: 1 } }],
    // `yml` is YAML's other name, as in file names.
    ['---yml\na: 1\n---\nbody', { yamlText: '\na: 1', body: 'body', bodyLine: 4, data: { a: 1 } }],
    ['--- YML \r\na: 1\r\n---\r\nbody', { yamlText: '\r\na: 1', body: 'body', bodyLine: 4, data: { a: 1 } }],
    ['---yml\n---\nbody', { yamlText: '', body: 'body', bodyLine: 3, data: null }],
    ['---   \na: 1\n---\nbody', { yamlText: '   \na: 1', body: 'body', bodyLine: 4, data: { a: 1 } }],
    // The `\r` of the line before the closing `---` ends that line, not the last value.
    ['---\r\na: 1\r\n---\r\nbody\r\n', { yamlText: '\r\na: 1', body: 'body\r\n', bodyLine: 4, data: { a: 1 } }],
    ['---\r\nstatus: published\r\n---\r\n', { yamlText: '\r\nstatus: published', data: { status: 'published' } }],
    // The first line starting with `---` closes the front matter, whatever follows on it.
    ['---\na: 1\n----\nbody', { yamlText: '\na: 1', body: '-\nbody', bodyLine: 3, data: { a: 1 } }],
    ['---\na: 1\n--- trailing\nbody', { yamlText: '\na: 1', body: ' trailing\nbody', bodyLine: 3, data: { a: 1 } }],
    ['---\n---\n', { yamlText: '', body: '', bodyLine: 3, data: null }],
    // Never closed: refused, where gray-matter read the whole file as front matter (and the body as YAML).
    ['---\na: 1\nb: 2\n', { ok: false, reason: 'unclosed' }],
    ['---', { ok: false, reason: 'unclosed' }],
    ['---\na: 1\n\n## Summary\n\nText, then --- in a line.\n', { ok: false, reason: 'unclosed' }],
  ])('%j', (text, expected) => {
    expect(split(text)).toMatchObject(expected);
  });

  it('never throws on an opening line without a line ending', () => {
    for (const text of ['---yaml', '---YAML', '---yaml ', '\ufeff---yaml', '---yml', '---Yml ']) expect(splitFrontMatter(text)).toEqual({ ok: false, reason: 'unclosed' });
  });

  it.each(['---js\nmodule.exports = {}\n---\n', '---javascript\n1\n---\n', '--- js\n1\n---\n', '---coffee\n1\n---\n', '---json\n{}\n---\n', '---toml\n---\n', '----\n', '---ymll\na: 1\n---\n', '---yaml5\na: 1\n---\n', '---json5\n{}\n---\n'])('refuses %j', (text) => {
    expect(splitFrontMatter(text)).toMatchObject({ ok: false, reason: 'language', line: 1, column: 4 });
  });

  it('answers missing for a text that does not open with ---', () => {
    for (const text of ['', 'a: 1\n---\n', ' ---\n', '\ufeff\ufeff---\n', '--\n']) expect(splitFrontMatter(text)).toEqual({ ok: false, reason: 'missing' });
  });

  it('reads quoted `*`, `&`, `!` and `?` on the fast path, and declines them unquoted', () => {
    expect(readPlainYaml('title: "x is not set to *"\nlist: [\'&a\', "!b", \'?c\']\n')).toEqual({ ok: true, data: { title: 'x is not set to *', list: ['&a', '!b', '?c'] } });
    for (const yamlText of ['a: *x', 'a: &x 1', 'a: !!str 1', '? a\n: b', 'a: [x, *y]', "a: 'q' *x", 'a: it\'s *x']) expect(readPlainYaml(yamlText), yamlText).toEqual({ ok: false });
  });
});

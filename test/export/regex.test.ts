/**
 * Pattern translation, judged by the engines themselves: for generated
 * patterns of the portable subset and generated lines, `grep -E` on the
 * POSIX translation matches exactly the lines the ECMAScript pattern
 * matches, and `grep -Pz '(?m)…'` (PCRE over the whole text, as OVAL
 * applies it) matches exactly when some line does.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toLinePcre, toPosixEre } from '../../src/export/regex.ts';
import { assertBatches } from '../versions/batches.ts';
import { missingTools } from '../support/system.ts';
import { run, withFile } from './support.ts';

const literal = fc.constantFrom('a', 'b', ' ', '=', '#', '"', '-', '0', '9', '\\.', '\\*', '\\[', '\\]', '\\$', '\\/', '\\t', '{', '}', ']');
const shorthand = fc.constantFrom('\\s', '\\S', '\\d', '\\D', '\\w', '\\W', '.');
const classMember = fc.constantFrom('a', 'b', '#', '=', ' ', 'a-c', '0-9', '\\s', '\\d', '\\w', '\\]', '-', '^', '.', '[', '\\\\', '"');
const bracket = fc.tuple(fc.boolean(), fc.array(classMember, { minLength: 1, maxLength: 3 })).map(([negated, members]) => `[${negated ? '^' : ''}${members.join('')}]`);
const quantifier = fc.constantFrom('', '', '', '*', '+', '?', '{2}', '{1,2}', '{0,}', '*?', '+?');

const pattern: fc.Arbitrary<string> = fc.letrec<{ pattern: string; atom: string }>((tie) => ({
  atom: fc.oneof({ depthSize: 'small', withCrossShrink: true }, literal, shorthand, bracket, tie('pattern').map((p) => `(${p})`), tie('pattern').map((p) => `(?:${p})`)),
  pattern: fc
    .tuple(fc.array(fc.tuple(tie('atom'), quantifier).map(([a, q]) => a + q), { minLength: 1, maxLength: 4 }), fc.option(fc.array(fc.tuple(tie('atom'), quantifier).map(([a, q]) => a + q), { minLength: 1, maxLength: 3 }), { nil: undefined }))
    .map(([first, second]) => first.join('') + (second ? `|${second.join('')}` : '')),
})).pattern.map((p) => p).chain((p) => fc.tuple(fc.boolean(), fc.boolean()).map(([start, end]) => `${start ? '^' : ''}${p}${end ? '$' : ''}`));

const line = fc.string({ unit: fc.constantFrom('a', 'b', 'c', ' ', '\t', '=', '#', '"', '-', '0', '9', '.', '*', '[', ']', '$', '/', '\\', '{', '}', '^'), maxLength: 8 });
const testCase = fc.tuple(pattern, fc.array(line, { minLength: 1, maxLength: 12 }));

const jsMatches = (source: string, lines: string[]) => {
  const regex = new RegExp(source);
  return lines.map((l, i) => (regex.test(l) ? i + 1 : 0)).filter(Boolean);
};

const reason = missingTools('grep');
describe.skipIf(!!reason)('pattern translation', () => {
  it('translates the portable subset and refuses the rest', () => {
    expect(toPosixEre('^\\s*auth_tcp\\s*=\\s*"none"')).toBe('^[[:space:]]*auth_tcp[[:space:]]*=[[:space:]]*"none"');
    expect(toLinePcre('^\\s*auth_tcp\\s*=\\s*"none"')).toBe('^[^\\S\\n]*auth_tcp[^\\S\\n]*=[^\\S\\n]*"none"');
    expect(toLinePcre('[^#]*x')).toBe('[^#\\n]*x');
    // Found by the property below (seed 1322117881): a bracket of only `-` and `^` must not start with `^`.
    expect(toPosixEre('\\w\\/|[-^]$')).toBe('[[:alnum:]_]/|[-^]$');
    expect(toPosixEre('[^-^]')).toBe('[^^-]');
    // Found by test/export/differential.test.ts: grep in the C locale reads bytes, so é{2} repeated é's last byte, and [é] matched either byte alone.
    expect(toPosixEre('^é{2}$')).toBe('^(é){2}$');
    expect(toPosixEre('^[aé€]$')).toBe('^([a]|é|€)$');
    expect(toPosixEre('[é]')).toBe('(é)');
    for (const unsupported of ['[^é]', '[a-é]', '\u{1F600}', '😀{2}', '[😀]']) expect({ unsupported, ere: toPosixEre(unsupported) }).toEqual({ unsupported, ere: undefined });
    for (const unsupported of ['a(?=b)', '(?<!a)b', '\\bword', '(a)\\1', '\\u0041', 'a|', '()', '[^]', 'x\\n', '(?<name>a)']) {
      expect({ unsupported, ere: toPosixEre(unsupported), pcre: toLinePcre(unsupported) }).toEqual({ unsupported, ere: undefined, pcre: undefined });
    }
  });

  it('grep -E matches the same lines as the ECMAScript pattern (300 generated patterns)', async () => {
    await assertBatches(testCase, { size: 100, runs: 3 }, async (cases) =>
      cases.flatMap(([source, lines]) => {
        const ere = toPosixEre(source);
        if (ere === undefined) return [];
        const grep = withFile('lines', lines.join('\n') + '\n', (file) => run('grep', ['-E', '-n', '-e', ere, file], { LC_ALL: 'C' }));
        if (grep.code === 2) return [`/${source}/ → ${ere}: grep refused it: ${grep.stderr.trim()}`];
        const found = grep.stdout.split('\n').filter(Boolean).map((l) => Number(l.split(':')[0]));
        const expected = jsMatches(source, lines);
        return JSON.stringify(found) === JSON.stringify(expected) ? [] : [`/${source}/ → ${ere} on ${JSON.stringify(lines)}: grep ${JSON.stringify(found)}, ECMAScript ${JSON.stringify(expected)}`];
      }),
    );
  }, 120_000);

  it('PCRE over the whole text matches exactly when some line matches (300 generated patterns)', async () => {
    await assertBatches(testCase, { size: 100, runs: 3 }, async (cases) =>
      cases.flatMap(([source, lines]) => {
        const pcre = toLinePcre(source);
        if (pcre === undefined) return [];
        const grep = withFile('lines', lines.join('\n') + '\n', (file) => run('grep', ['-P', '-z', '-q', '-e', `(?m)${pcre}`, file], { LC_ALL: 'C' }));
        // A generated pattern with nested empty loops can exhaust PCRE's backtracking: no verdict, not a wrong one.
        if (grep.code === 2 && /backtracking limit/.test(grep.stderr)) return [];
        if (grep.code === 2) return [`/${source}/ → ${pcre}: grep -P refused it: ${grep.stderr.trim()}`];
        const expected = jsMatches(source, lines).length > 0;
        return (grep.code === 0) === expected ? [] : [`/${source}/ → ${pcre} on ${JSON.stringify(lines)}: PCRE ${grep.code === 0}, ECMAScript ${expected}`];
      }),
    );
  }, 120_000);
});

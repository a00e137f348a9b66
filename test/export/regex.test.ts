/**
 * Pattern translation, judged by the engines themselves: for generated
 * patterns of the portable subset and generated lines, `grep -E` on the
 * POSIX translation matches exactly the lines the ECMAScript pattern
 * matches, and `grep -Pz '(?m)…'` (PCRE over the whole text, as OVAL
 * applies it) matches exactly when some line does.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toLinePcre, toPosixPattern, unitsArgument, type PosixPattern } from '../../src/export/regex.ts';
import { shellChecks } from '../../src/export/sh.ts';
import { assertBatches } from '../versions/batches.ts';
import { missingTools } from '../support/system.ts';
import { run, withFile } from './support.ts';

const literal = fc.constantFrom('a', 'b', ' ', '=', '#', '"', '-', '0', '9', '\\.', '\\*', '\\[', '\\]', '\\$', '\\/', '\\t', '{', '}', ']', '%', 'é', '€', '\u00a0', '\u2028', '\ufffd');
const shorthand = fc.constantFrom('\\s', '\\S', '\\d', '\\D', '\\w', '\\W', '.');
const classMember = fc.constantFrom('a', 'b', '#', '=', ' ', 'a-c', '0-9', '\\s', '\\d', '\\w', '\\]', '-', '^', '.', '[', '\\\\', '"', 'é', '\u00a0', '%');
const bracket = fc.tuple(fc.boolean(), fc.array(classMember, { minLength: 1, maxLength: 3 })).map(([negated, members]) => `[${negated ? '^' : ''}${members.join('')}]`);
const quantifier = fc.constantFrom('', '', '', '*', '+', '?', '{2}', '{1,2}', '{0,}', '*?', '+?');

const pattern: fc.Arbitrary<string> = fc.letrec<{ pattern: string; atom: string }>((tie) => ({
  atom: fc.oneof({ depthSize: 'small', withCrossShrink: true }, literal, shorthand, bracket, tie('pattern').map((p) => `(${p})`), tie('pattern').map((p) => `(?:${p})`)),
  pattern: fc
    .tuple(fc.array(fc.tuple(tie('atom'), quantifier).map(([a, q]) => a + q), { minLength: 1, maxLength: 4 }), fc.option(fc.array(fc.tuple(tie('atom'), quantifier).map(([a, q]) => a + q), { minLength: 1, maxLength: 3 }), { nil: undefined }))
    .map(([first, second]) => first.join('') + (second ? `|${second.join('')}` : '')),
})).pattern.map((p) => p).chain((p) => fc.tuple(fc.boolean(), fc.boolean()).map(([start, end]) => `${start ? '^' : ''}${p}${end ? '$' : ''}`));

const line = fc.string({ unit: fc.constantFrom('a', 'b', 'c', ' ', '\t', '=', '#', '"', '-', '0', '9', '.', '*', '[', ']', '$', '/', '\\', '{', '}', '^', '\r', 'é', '€', '\u00a0', '\u2028', '\ufeff', '😀', '\ufffd'), maxLength: 8 });
const testCase = fc.tuple(pattern, fc.array(line, { minLength: 1, maxLength: 12 }));

/** grep -E as the shell export runs it: over lines rewritten by herald_units when the pattern needs them. */
function grepLines(file: string, posix: PosixPattern) {
  const program = `${shellChecks}\nif [ -n "$3" ]; then ere=$(printf "x$2"); ere=\${ere#x}; else ere=$2; fi\nherald_lines "$1" | { if [ -n "$3" ]; then herald_units "$3"; else cat; fi; } | grep -E -n -e "$ere"`;
  return run('sh', ['-c', program, 'sh', file, posix.ere, unitsArgument(posix)], { LC_ALL: 'C' });
}

const jsMatches = (source: string, lines: string[]) => {
  const regex = new RegExp(source);
  return lines.map((l, i) => (regex.test(l) ? i + 1 : 0)).filter(Boolean);
};

const reason = missingTools('grep');
describe.skipIf(!!reason)('pattern translation', () => {
  it('translates the portable subset and refuses the rest', () => {
    expect(toPosixPattern('^\\s*auth_tcp\\s*=\\s*"none"')).toEqual({ ere: '^[[:space:]\\201\\202]*auth_tcp[[:space:]\\201\\202]*=[[:space:]\\201\\202]*"none"', units: [] });
    // JavaScript's \s takes the Unicode spaces; OpenSCAP's PCRE (UTF-8, no UCP) only the ASCII ones.
    const space = '[ \\t\\x0b\\f\\r\\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}\\x{feff}]';
    expect(toLinePcre('^\\s*auth_tcp\\s*=\\s*"none"')).toBe(`^${space}*auth_tcp${space}*=${space}*"none"`);
    // `.` stops at a carriage return; a character beyond the BMP is one to PCRE, two units to JavaScript,
    // so what matches one (., \S, \W, \D, [^…]) stands under `*`, or under `+` between whole characters.
    expect(toLinePcre('^a.*$')).toBe('^a[^\\n\\r\\x{2028}\\x{2029}]*$');
    expect(toLinePcre('^\\s*-l\\s+\\S+')).toBe(`^${space}*-l${space}+[^ \\t\\x0b\\f\\r\\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}\\x{feff}\\n]+`);
    for (const counting of ['^.$', '^\\S+\\W+$', '^[^#]{2}', 'a?\\S+', '(?:.)*', 'a\\D', '[à-ÿ]']) expect({ counting, pcre: toLinePcre(counting) }).toEqual({ counting, pcre: undefined });
    expect(toLinePcre('[^#]*x')).toBe('[^#\\n]*x');
    // Found by the property below (seed 1322117881): a bracket of only `-` and `^` must not start with `^`.
    expect(toPosixPattern('\\w\\/|[-^]$')).toEqual({ ere: '[[:alnum:]_]/|[-^]$' });
    expect(toPosixPattern('[^-^]')?.ere).toBe('[^^-]');
    // grep in the C locale reads bytes: a pattern that names a character beyond ASCII, or could match
    // one (`.`, \S, [^…]), or a Unicode space (\s), reads lines of one byte per UTF-16 unit (herald_units),
    // its own characters as \203…, in a printf format.
    expect(toPosixPattern('^é{2}$')).toEqual({ ere: '^\\203{2}$', units: ['é'] });
    expect(toPosixPattern('^[aé€]$')).toEqual({ ere: '^[a\\203\\204]$', units: ['é', '€'] });
    expect(toPosixPattern('^[^é]%.$')).toEqual({ ere: '^[^\\203]%%[^\\015\\202]$', units: ['é'] });
    expect(toPosixPattern('\\S\\W\\D\\\\')).toEqual({ ere: '[^[:space:]\\201\\202][^[:alnum:]_][^0-9]\\\\\\\\', units: [] });
    for (const unsupported of ['[a-é]', '\u{1F600}', '😀{2}', '[😀]', 'a\u0000', 'a\u0001']) expect({ unsupported, ere: toPosixPattern(unsupported) }).toEqual({ unsupported, ere: undefined });
    for (const unsupported of ['a(?=b)', '(?<!a)b', '\\bword', '(a)\\1', '\\u0041', 'a|', '()', '[^]', 'x\\n', '(?<name>a)']) {
      expect({ unsupported, ere: toPosixPattern(unsupported), pcre: toLinePcre(unsupported) }).toEqual({ unsupported, ere: undefined, pcre: undefined });
    }
  });

  it('grep -E matches the same lines as the ECMAScript pattern (300 generated patterns)', async () => {
    await assertBatches(testCase, { size: 100, runs: 3 }, async (cases) =>
      cases.flatMap(([source, lines]) => {
        const posix = toPosixPattern(source);
        if (posix === undefined) return [];
        const ere = posix.ere;
        const grep = withFile('lines', lines.join('\n') + '\n', (file) => grepLines(file, posix));
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
        // OpenSCAP compiles with PCRE_UTF8, as grep -P does in a UTF-8 locale.
        const grep = withFile('lines', lines.join('\n') + '\n', (file) => run('grep', ['-P', '-z', '-q', '-e', `(?m)${pcre}`, file], { LC_ALL: 'C.UTF-8' }));
        // A generated pattern with nested empty loops can exhaust PCRE's backtracking: no verdict, not a wrong one.
        if (grep.code === 2 && /backtracking limit/.test(grep.stderr)) return [];
        if (grep.code === 2) return [`/${source}/ → ${pcre}: grep -P refused it: ${grep.stderr.trim()}`];
        const expected = jsMatches(source, lines).length > 0;
        return (grep.code === 0) === expected ? [] : [`/${source}/ → ${pcre} on ${JSON.stringify(lines)}: PCRE ${grep.code === 0}, ECMAScript ${expected}`];
      }),
    );
  }, 120_000);
});

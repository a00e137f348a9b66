/** Where a character of a one-line flow scalar's value is written: plain, single-quoted or double-quoted with escapes. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument, stringify } from 'yaml';
import { placeInFlowScalar } from '../../src/lint/flow-scalar.ts';
import { configSchema } from '../../src/config/schema.ts';
import { lintNote } from '../../src/lint/run.ts';
import { parseNote } from '../../src/model/load.ts';

/** The front matter `run: <written>` on line 2, and the value YAML reads from it. */
function written(source: string): { text: string; value: string } {
  const text = `id: x\nrun: ${source}\n`;
  return { text, value: String(parseDocument(text).get('run')) };
}

describe('placeInFlowScalar', () => {
  it('places a character past the escapes and doubled quotes written before it', () => {
    const at = { line: 2, column: 6 };
    const double = written('"echo \\"a\\" && [[ -f /x ]]"');
    expect(placeInFlowScalar(double.text, at, double.value, double.value.indexOf('[['))).toEqual({ line: 2, column: 21 });
    const single = written("'echo ''a'' && [[ -f /x ]]'");
    expect(placeInFlowScalar(single.text, at, single.value, single.value.indexOf('[['))).toEqual({ line: 2, column: 21 });
    const plain = written('echo a && [[ -f /x ]]');
    expect(placeInFlowScalar(plain.text, at, plain.value, plain.value.indexOf('[['))).toEqual({ line: 2, column: 16 });
    const unicode = written('"\\u00e9\\U0001F600 [["');
    expect(placeInFlowScalar(unicode.text, at, unicode.value, unicode.value.indexOf('[['))).toEqual({ line: 2, column: 24 });
  });

  it('places nothing it cannot read as the parser does: a value folded over lines, another value', () => {
    const folded = 'id: x\nrun: "echo a\n  && [[ -f /x ]]"\n';
    expect(placeInFlowScalar(folded, { line: 2, column: 6 }, 'echo a && [[ -f /x ]]', 10)).toBeUndefined();
    expect(placeInFlowScalar('run: "echo b"\n', { line: 1, column: 6 }, 'echo a', 0)).toBeUndefined();
  });

  it('places every character of any one-line value, whichever way YAML quotes it, where that character or its escape starts', () => {
    const types = ['PLAIN', 'QUOTE_SINGLE', 'QUOTE_DOUBLE'] as const;
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }), fc.constantFrom(...types), (value, type) => {
        const source = stringify(value, { defaultStringType: type, lineWidth: 0 }).replace(/\n$/, '');
        fc.pre(!source.includes('\n') && !/^[|>]/.test(source));
        const { text, value: read } = written(source);
        fc.pre(read === value);
        const line = text.split('\n')[1]!;
        for (let index = 0; index < value.length; index++) {
          const place = placeInFlowScalar(text, { line: 2, column: 6 }, value, index);
          expect(place, `${source} [${index}]`).toBeDefined();
          const at = line.slice(place!.column - 1);
          const char = value.codePointAt(index)!;
          // The character itself, an escape that writes it, or (in single quotes) the first of a doubled quote.
          expect(at.startsWith(String.fromCodePoint(char)) || at.startsWith('\\') || (value[index] !== undefined && at.startsWith(value[index]!)), `${source} [${index}]`).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('lets lint point into each of two entries that share a command, and into a double-quoted one with escapes', () => {
    const config = configSchema.parse({ mail: { from: 'Security <security@example.org>', lists: [{ name: 'announce', address: 'announce@lists.example.org' }] } });
    const now = new Date('2024-02-01T00:00:00Z');
    const text = [
      '---', 'id: OSSN-0001', 'title: An example', 'date: 2024-01-01', 'status: draft', 'lists: [announce]', 'verify:',
      '  - id: one', '    run: "[[ -f /etc/x ]] && echo ok"', '    expect: { stdout: ok }',
      '  - id: two', "    run: '[[ -f /etc/x ]] && echo ok'", '    expect: { stdout: ok }',
      '  - id: three', '    run: "echo \\"a\\" && [[ -f /etc/x ]]"', '    expect: { stdout: ok }',
      '---', '', '## Summary', '', 'Text.', '',
    ].join('\n');
    const found = lintNote(parseNote('notes/OSSN-0001.md', text, { config, now }), config, now).filter((m) => m.ruleId === 'verify-command-bashism');
    // Before, the first two (the same command twice) and the third (its escapes) were placed at their opening quote.
    expect(found.map((m) => `${m.line}:${m.column}`)).toEqual(['9:11', '12:11', '15:25']);
  });
});

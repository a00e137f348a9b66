/**
 * YAML tags: herald constructs nothing from a tag and runs nothing from a
 * note. A tag the YAML core schema does not resolve (`!!js/function`,
 * `!custom`, and the YAML 1.1 `!!binary`, `!!set`, `!!timestamp`) leaves its
 * value plain text, which is not what the author meant: an error at the tag.
 */
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.ts';
import { splitFrontMatter } from '../../src/model/frontmatter.ts';
import { parseNote } from '../../src/model/load.ts';

const options = { config: defaultConfig(), now: new Date('2026-01-15T12:00:00Z') };
const body = '## Summary\nS.\n## Affected Services / Software\nA.\n## Discussion\nD.\n## Recommended Actions\n1. **Do it.**\n## Contacts / References\nC.\n';

/** The note with this line after its required fields (line 6), parsed. */
function withLine(line: string) {
  return parseNote('notes/OSSN-0001.md', `---\nid: OSSN-0001\ntitle: Tags\ndate: 2014-01-01\nstatus: published\n${line}\n---\n${body}`, options);
}

describe('yaml-tag-unsupported', () => {
  it.each([
    ['tags: [!!js/function "function () { return 1 }"]', '!!js/function', 8, 'function () { return 1 }'],
    ['tags: [!!js/undefined x]', '!!js/undefined', 8, 'x'],
    ['tags: [!!js/regexp /a+/]', '!!js/regexp', 8, '/a+/'],
    ['tags: [!!python/object/apply:os.system x]', '!!python/object/apply:os.system', 8, 'x'],
    ['tags: [!<tag:yaml.org,2002:js/function> x]', '!<tag:yaml.org,2002:js/function>', 8, 'x'],
    ['tags: [!custom x]', '!custom', 8, 'x'],
    ['tags: [!!binary aGVsbG8=]', '!!binary', 8, 'aGVsbG8='],
    ['tags: [!!timestamp 2014-01-01]', '!!timestamp', 8, '2014-01-01'],
    ['tags:\n  - !!int abc', '!!int', 5, 'abc'],
  ])('%s: an error at the tag, the value read as plain text', (line, tag, column, value) => {
    const note = withLine(line);
    const found = note.messages.filter((m) => m.ruleId === 'yaml-tag-unsupported');
    const lineNumber = line.includes('\n') ? 7 : 6;
    expect(found).toEqual([expect.objectContaining({ severity: 'error', line: lineNumber, column, endLine: lineNumber, endColumn: column + tag.length, message: expect.stringContaining(`YAML tag "${tag}"`) })]);
    expect(found[0]!.hint).toContain('Remove the tag');
    expect(note.advisory?.tags).toEqual([value]);
  });

  it('says a core tag on a value not of its type does not fit it, and any other tag is not supported', () => {
    expect(withLine('tags:\n  - !!int abc').messages[0]!.message).toBe('YAML tag "!!int" does not fit the value after it, which was read as plain text');
    expect(withLine('severity: !custom high').messages[0]!.message).toBe(
      'YAML tag "!custom" is not supported: herald reads no tags but YAML\'s own, and runs nothing from a note, so the value after it was read as plain text',
    );
  });

  it('reads YAML\'s own tags on values of their type as YAML says, without a word', () => {
    const note = withLine('tags: [!!str 1.10, !!str true]\ncve: !!seq [CVE-2014-0160]');
    expect(note.messages).toEqual([]);
    expect(note.advisory?.tags).toEqual(['1.10', 'true']);
    expect(note.advisory?.cve).toEqual(['CVE-2014-0160']);
  });

  it('reports a tag on a mapping, and one on the whole front matter', () => {
    expect(withLine('affects:\n  - !thing { product: Foo, ecosystem: generic }').messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`)).toEqual(['7:5 yaml-tag-unsupported']);
    const split = splitFrontMatter('---\n!note\nid: OSSN-0001\n---\n');
    expect(split.ok && split.value.unsupportedTags).toEqual([{ tag: '!note', at: { line: 2, column: 1, endLine: 2, endColumn: 6 } }]);
  });
});

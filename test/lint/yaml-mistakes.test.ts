/** The YAML mistakes a newcomer makes, said once, at the line to change, with that line as it should be. */
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.ts';
import { parseNote } from '../../src/model/load.ts';
import { configMessages } from '../support/config-messages.ts';

const config = configSchema.parse({ mail: { from: 'Security <security@example.org>', lists: [{ name: 'announce', address: 'announce@lists.example.org' }] } });
const now = new Date('2024-02-01T00:00:00Z');

const head = ['id: OSSN-0001', 'title: An example', 'date: 2024-01-01', 'status: draft', 'lists: [announce]'];
const affects = ['affects:', '  - product: OpenStack Compute (Nova)', '    vendor: OpenStack', '    package: nova', '    ecosystem: pypi', '    fixed: "2014.2.3"'];
const verify = ['verify:', '  - id: origins-set', '    title: an origin allow-list is configured', '    file: /etc/nova/nova.conf', "    expect: { present: '^allowed_origins' }", '  - id: proxy-running', '    run: systemctl is-active nova-novncproxy', '    expect: { exit: 0 }'];

/** The front matter's messages, `line:column message` and the hint; `lines` are the front matter's, the file's lines from 2. */
function yamlFindings(lines: readonly string[]): { at: string; message: string; hint?: string }[] {
  const text = ['---', ...lines, '---', '', '## Summary', '', 'Text.', ''].join('\n');
  return parseNote('notes/OSSN-0001.md', text, { config, now })
    .messages.filter((m) => m.ruleId === 'yaml-syntax')
    .map(({ line, column, message, hint }) => ({ at: `${line}:${column}`, message, hint }));
}

const edit = (lines: readonly string[], from: string, to: string[]) => lines.flatMap((line) => (line === from ? to : [line]));

describe('a line indented off by a space or two', () => {
  const note = [...head, ...affects, ...verify];

  it('is said at that line alone, with the indentation of the fields beside it', () => {
    expect(yamlFindings(edit(note, '    package: nova', ['   package: nova']))).toEqual([
      { at: '10:4', message: 'YAML: "package" is indented 3 spaces, which lines it up with no field above it: the fields beside it are indented 4 spaces', hint: 'Indent "package" by 4 spaces, as "vendor" on line 9.' },
    ]);
    // YAML breaks down on the line above one indented too deep: the message is at the line itself.
    expect(yamlFindings(edit(note, '    package: nova', ['     package: nova']))).toEqual([
      { at: '10:6', message: 'YAML: "package" is indented 5 spaces, deeper than "vendor" above it (4 spaces), which has its value already', hint: 'Indent "package" by 4 spaces, as "vendor" on line 9.' },
    ]);
    expect(yamlFindings(edit(note, 'title: An example', [' title: An example']))).toEqual([
      { at: '3:2', message: 'YAML: "title" is indented 1 space, deeper than "id" above it (0 spaces), which has its value already', hint: 'Start "title" at the beginning of its line, as "id" on line 2.' },
    ]);
  });

  it('says a field in line with the items of a list is not one of them', () => {
    expect(yamlFindings(edit(note, '    run: systemctl is-active nova-novncproxy', ['  run: systemctl is-active nova-novncproxy']))).toEqual([
      { at: '19:3', message: 'YAML: "run" is in line with the "- " items of the list above it, but is not one', hint: 'Indent "run" by 4 spaces, as "id" on line 18, to make it a field of that item, or start it with "- " to make it an item of its own.' },
    ]);
  });

  it('takes block scalars, flow collections and a continued value above the mistake as YAML reads them', () => {
    const above = [...head, 'revisions:', '  - date: 2024-01-02', '    summary: >-', '      Folded', '        text.', 'tags: [one,', '  two]', 'aliases:', '- OSSN-0100', 'authors:', '  - name: Jane', '    affiliation: Example', '      Labs'];
    expect(yamlFindings([...above, ...edit(affects, '    package: nova', ['   package: nova'])])).toEqual([expect.objectContaining({ at: '23:4', hint: 'Indent "package" by 4 spaces, as "vendor" on line 22.' })]);
  });

  it('leaves a tab its own message, without what YAML makes of the rest of the line', () => {
    expect(yamlFindings(edit(note, '  - id: proxy-running', ['\t- id: proxy-running']))).toEqual([{ at: '18:1', message: 'YAML: Tabs are not allowed as indentation', hint: 'Indent with spaces: YAML does not allow tabs in indentation.' }]);
  });
});

describe('a value YAML does not read as meant', () => {
  it('says to quote a value that holds ": "', () => {
    expect(yamlFindings(edit(head, 'title: An example', ['title: Nova: console proxy accepts any Origin']))).toEqual([
      { at: '3:8', message: 'YAML: the value of "title" holds ": ", which YAML reads as the start of another field', hint: 'Quote the value: title: "Nova: console proxy accepts any Origin".' },
    ]);
  });

  it('says a key needs a space after its colon', () => {
    expect(yamlFindings([...head, 'severity:high'])).toEqual([{ at: '7:9', message: 'YAML: "severity:" has no space after its colon, so YAML does not read it as a field', hint: 'Put a space after the colon: severity: high.' }]);
  });

  it('shows a regular expression in double quotes as single quotes write it, and says every such value', () => {
    const found = yamlFindings([...head, 'verify:', '  - { id: a, run: ss -ltn, expect: { stdout: "^10\\.0\\." } }', '  - { id: b, file: /etc/x, expect: { absent: "it\'s \\d" } }']);
    expect(found.map(({ at, hint }) => ({ at, hint }))).toEqual([
      { at: '8:50', hint: "In double quotes a backslash starts an escape such as \\n. Write the value in single quotes ('^10\\.0\\.'), where a backslash is only a backslash, as regular expressions want it; or write each backslash twice." },
      { at: '8:53', hint: "In double quotes a backslash starts an escape such as \\n. Write the value in single quotes ('^10\\.0\\.'), where a backslash is only a backslash, as regular expressions want it; or write each backslash twice." },
      { at: '9:52', hint: "In double quotes a backslash starts an escape such as \\n. Write the value in single quotes ('it''s \\d'), where a backslash is only a backslash, as regular expressions want it; or write each backslash twice." },
    ]);
  });

  it('still says every key written twice', () => {
    expect(yamlFindings([...head, 'title: Again', 'lists: [again]']).map(({ at }) => at)).toEqual(['7:1', '8:1']);
  });
});

describe('the config', () => {
  it('gets the same words for the same mistakes', () => {
    const text = ['site:', '  title: Security Notes', '   base_url: https://security.example.org/', ''].join('\n');
    expect(configMessages(text).map(({ line, column, ruleId, hint }) => ({ at: `${line}:${column}`, ruleId, hint }))).toEqual([{ at: '3:4', ruleId: 'config-invalid', hint: 'Indent "base_url" by 2 spaces, as "title" on line 2.' }]);
  });
});

describe('a value that starts with a bracket', () => {
  const note = [...head, ...affects];

  it('says a bracket never closed at the bracket, with the value quoted as the hint', () => {
    expect(yamlFindings(edit(note, 'title: An example', ['title: [draft Heap overflow']))).toEqual([
      { at: '3:8', message: 'YAML: the "[" here opens a list that is never closed with "]", so YAML reads the lines after it as part of it', hint: 'Close it with "]" on the same line; if the bracket is part of the text, quote the value: title: "[draft Heap overflow".' },
    ]);
    expect(yamlFindings(edit(note, 'title: An example', ['title: {draft']))).toEqual([
      { at: '3:8', message: 'YAML: the "{" here opens a mapping that is never closed with "}", so YAML reads the lines after it as part of it', hint: 'Close it with "}" on the same line; if the bracket is part of the text, quote the value: title: "{draft".' },
    ]);
  });

  it('says text after a closed bracket has no place, and to quote the value', () => {
    expect(yamlFindings(edit(note, 'title: An example', ['title: [draft] Heap overflow in [nova']))).toEqual([
      { at: '3:8', message: 'YAML: the value of "title" starts with "[", so YAML reads a list there and has no place for the text after it', hint: 'Quote the value: title: "[draft] Heap overflow in [nova".' },
    ]);
  });
});

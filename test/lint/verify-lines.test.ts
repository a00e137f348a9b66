/**
 * A check no step names is a check of the whole advisory ("Further checks"):
 * nothing to say. A step that meant to name it on a line herald does not read
 * as its Verify: line is said, at that line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.ts';
import { lintNote } from '../../src/lint/run.ts';
import { parseNote } from '../../src/model/load.ts';

const config = configSchema.parse({ mail: { from: 'Security <security@example.org>', lists: [{ name: 'announce', address: 'announce@lists.example.org' }] } });
const now = new Date('2024-02-01T00:00:00Z');

const verify = ['verify:', ...['conf-fixed', 'port-closed', 'pkg-fixed'].flatMap((id) => [`  - id: ${id}`, '    file: /etc/x.conf', '    expect: { present: "^a" }'])];
const note = (steps: string[]) =>
  ['---', 'id: OSSN-0001', 'title: An example', 'date: 2024-01-01', 'status: draft', 'lists: [announce]', ...verify, '---', '', '## Recommended Actions', '', ...steps, ''].join('\n');
/** The steps start on line 21. */
const found = (steps: string[], ruleIds = ['verify-line-not-read']) =>
  lintNote(parseNote('notes/OSSN-0001.md', note(steps), { config, now }), config, now)
    .filter((m) => ruleIds.includes(m.ruleId))
    .map(({ ruleId, line, column, message, hint }) => ({ ruleId, at: `${line}:${column}`, message, hint }));

describe('a Verify: line herald does not read', () => {
  it('is said where a step wrote it in bold, without its colon, in a list or in a quote', () => {
    const steps = [
      '1. **Fix the setting.** Edit it.',
      '',
      '   **Verify:** `conf-fixed`',
      '2. Close the port.',
      '',
      '   - Verify: `port-closed`',
      '3. Upgrade.',
      '',
      '   > Verify `pkg-fixed`',
    ];
    const not = (why: string) => `but no step reads it as its Verify: line (${why}), so it proves no step: it is checked on its own, under "Further checks"`;
    const markup = 'a field line is the word Verify and a colon at the start of its line, without bold or other markup';
    expect(found(steps)).toEqual([
      { ruleId: 'verify-line-not-read', at: '23:4', message: `This line names the check "conf-fixed", ${not(markup)}`, hint: "Write it on a line of its own in the step's paragraph, after its text: Verify: `conf-fixed`." },
      { ruleId: 'verify-line-not-read', at: '26:6', message: `This line names the check "port-closed", ${not('it is inside a list or a quote, and a step reads its field lines only in its own paragraphs')}`, hint: expect.any(String) },
      { ruleId: 'verify-line-not-read', at: '29:6', message: `This line names the check "pkg-fixed", ${not(markup)}`, hint: expect.any(String) },
    ]);
  });

  it('names every check of the line once, in a heading-style step too', () => {
    expect(found(['### Fix it', '', 'Edit the file.', '__Verify__: `conf-fixed`, `port-closed`']).map(({ at, message }) => ({ at, message }))).toEqual([
      { at: '24:1', message: 'This line names the checks "conf-fixed" and "port-closed", but no step reads it as its Verify: line (a field line is the word Verify and a colon at the start of its line, without bold or other markup), so they prove no step: they are checked on their own, under "Further checks"' },
    ]);
  });

  it('is said where the word Verify is misspelt, with the word to write', () => {
    const steps = ['1. **Fix the setting.** Edit it.', '', '   Verfy: `conf-fixed`', '2. Close the port.', '', '   Role: network nodes', '   verifiy `port-closed`'];
    const typo = (word: string) => `but no step reads it as its Verify: line ("${word}" is not the field name Verify), so it proves no step: it is checked on its own, under "Further checks"`;
    expect(found(steps)).toEqual([
      { ruleId: 'verify-line-not-read', at: '23:4', message: `This line names the check "conf-fixed", ${typo('Verfy')}`, hint: 'Write Verify, not Verfy: Verify: `conf-fixed`.' },
      { ruleId: 'verify-line-not-read', at: '27:4', message: `This line names the check "port-closed", ${typo('verifiy')}`, hint: 'Write Verify, not verifiy: Verify: `port-closed`.' },
    ]);
  });

  it('says nothing of a check no step names on purpose, of prose, or of a line a step reads', () => {
    expect(found(['1. **Fix the setting.** Verify that `pkg-fixed` is installed first.', '', '   Verify: `conf-fixed`', '   Role: compute nodes'])).toEqual([]);
    expect(found(['### Fix it', '', 'Edit the file.', 'Verify: `conf-fixed` and `port-closed`'])).toEqual([]);
    // A field line of another name that names a check in its text.
    expect(found(['1. **Fix the setting.** Edit it.', '', '   Role: the host that runs `conf-fixed`'])).toEqual([]);
  });

  it('leaves a field line outside every step to step-outside-list', () => {
    const steps = ['1. Fix the setting.', '', 'Verify: `conf-fixed`'];
    expect(found(steps, ['verify-line-not-read', 'step-outside-list']).map(({ ruleId, at }) => `${ruleId} ${at}`)).toEqual(['step-outside-list 23:1']);
  });

  it('is said of none of the bundled notes', () => {
    const notes = path.resolve(import.meta.dirname, '../../notes');
    const said = readdirSync(notes)
      .filter((name) => name.endsWith('.md'))
      .flatMap((name) => lintNote(parseNote(`notes/${name}`, readFileSync(path.join(notes, name), 'utf8'), { config, now }), config, now))
      .filter((m) => m.ruleId === 'verify-line-not-read');
    expect(said).toEqual([]);
  });
});

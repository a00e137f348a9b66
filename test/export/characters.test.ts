/**
 * Characters beyond ASCII, and the OVAL instances: what the differential
 * test found, run through every form. grep in the C locale read bytes, so
 * `^.$` failed on `é` in the sh and Ansible exports where herald check
 * passed; `\s` knew no Unicode space; `.` matched a CRLF line's carriage
 * return (grep and OpenSCAP's PCRE alike). And oscap ran for more than 300 s
 * on a pattern matching at each of 9,000 places of one line (`\{*`): it
 * made an item of every match.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOval } from '../../src/export/oval.ts';
import type { ChecklistVerify } from '../../src/render/checklists/schema.ts';
import { missingTools } from '../support/system.ts';
import { bash, busybox, dash } from './support.ts';
import { ansiblePlaybook, checklistOf, fileEntry, heraldCheck, layOutFile, ovalVerdicts, shellScript } from './differential/forms.ts';
import type { FileCase, Piece } from './differential/generate.ts';

const file = (kind: 'absent' | 'present', pattern: string, ...lines: Piece[][]): FileCase => ({ kind, pattern, node: { kind: 'file', file: { lines, ending: '\n', finalNewline: true } } });

/** Each case, and herald check's verdict on it. */
const cases: [FileCase, 'pass' | 'fail'][] = [
  [file('present', '^.$', ['é']), 'pass'],
  [file('present', '^..$', ['😀']), 'pass'],
  [file('present', '^.$', [[0xff]]), 'pass'],
  [file('present', '^.$', [[0xe2, 0x80]]), 'pass'],
  [file('absent', '^[^é]$', ['€']), 'fail'],
  [file('present', '^a\\sb$', ['a\u00a0b']), 'pass'],
  [file('present', '^a\\s\\S$', ['a\ufeffx']), 'pass'],
  [file('absent', '^\\S+$', ['x\u2028y']), 'pass'],
  [file('absent', '^.+$', ['x\u2029y']), 'pass'],
  [file('present', '^é{2}\\W$', ['éé€']), 'pass'],
  [file('present', '^ab.*$', ['ab\r']), 'fail'],
  [file('present', '^\\D{3}$', ['a😀']), 'pass'],
  [file('present', '%\\S', ['%é']), 'pass'],
  [file('present', '-.', ['-é']), 'pass'],
  [file('present', '\\}{2}|\\{*', ['=' + 'x'.repeat(9000)]), 'pass'],
  [file('absent', '[^\\d]{1,3}|[b\\s]+$', ['=' + 'x'.repeat(9000)]), 'fail'],
];

const reason = missingTools('dash', 'bash', 'busybox', 'ansible-playbook', 'oscap');
describe.skipIf(!!reason)('characters beyond ASCII in every form', () => {
  let dir: string;
  let root: string;
  const verify: ChecklistVerify[] = cases.map(([c], i) => fileEntry(i, c));
  const checklist = checklistOf(verify);
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'herald-characters-'));
    root = path.join(dir, 'root');
    cases.forEach(([c], i) => layOutFile(root, i, c));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('herald check, dash, bash, BusyBox and Ansible give the same lines', async () => {
    const herald = await heraldCheck(dir, checklist, root);
    expect(Object.values(herald.lines).map((line) => line.slice(0, 5).trim().toLowerCase())).toEqual(cases.map(([, verdict]) => verdict));
    for (const shell of [dash, bash, busybox]) expect({ shell: shell.name, lines: shellScript(checklist, root, shell).lines }).toEqual({ shell: shell.name, lines: herald.lines });
    // Ansible reads files under herald_root through the same functions.
    expect((await ansiblePlaybook(dir, checklist, root, 'characters')).lines).toEqual(herald.lines);
  }, 300_000);

  it('OVAL agrees on what it holds, leaves out what counts characters, and keeps only the first match', () => {
    const xml = exportOval(checklist, { namespace: 'org.example' })!;
    expect(xml).not.toContain('greater than or equal">1</ind-def:instance>');
    const started = Date.now();
    const { verdicts } = ovalVerdicts(dir, checklist, root);
    expect(Date.now() - started).toBeLessThan(60_000);
    const held = Object.keys(verdicts).sort();
    expect(held).toEqual(['f10', 'f14', 'f5', 'f7', 'f8']);
    for (const id of held) {
      const index = Number(id.slice(1));
      expect({ id, verdict: verdicts[id] }).toEqual({ id, verdict: cases[index]![1] === 'pass' ? 'true' : 'false' });
    }
    // `.`, `[^é]`, `\S`, `\W`, `\D{3}` counted: PCRE reads 😀 as one, JavaScript as two units (`\S+`, `.+` between anchors stay).
    for (const id of ['f0', 'f1', 'f2', 'f3', 'f4', 'f6', 'f9', 'f11', 'f12', 'f13', 'f15']) expect(xml).toContain(`    ${id}: uses a pattern that counts characters`);
  }, 300_000);
});

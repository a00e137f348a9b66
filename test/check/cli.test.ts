/** `herald check` and `herald export` through the real CLI, in-process. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializeChecklist } from '../../src/render/checklists/model.ts';
import type { Checklist } from '../../src/render/checklists/schema.ts';
import { runCli } from '../support/cli.ts';
import { missingTools } from '../support/system.ts';
import { agreementChecklist, expectedStatuses, makeRoot } from './fixture.ts';

let workspace: string;
let fixture: ReturnType<typeof makeRoot>;
const full = agreementChecklist();
const passingUnderRoot: Checklist = { ...full, verify: full.verify.filter((v) => expectedStatuses(true)[v.id] === 'pass') };
const quick: Checklist = { ...full, verify: full.verify.filter((v) => v.id !== 'timeout') };

beforeAll(() => {
  workspace = mkdtempSync(path.join(tmpdir(), 'herald-cli-'));
  fixture = makeRoot();
  mkdirSync(path.join(workspace, 'dist/checklists'), { recursive: true });
  writeFileSync(path.join(workspace, 'dist/checklists/OSSN-0999.json'), serializeChecklist(quick));
  writeFileSync(path.join(workspace, 'dist/checklists/schema.json'), '{}');
  mkdirSync(path.join(workspace, 'dist-preview/checklists'), { recursive: true });
  writeFileSync(path.join(workspace, 'dist-preview/checklists/OSSN-0405.json'), serializeChecklist({ ...quick, advisory: { ...quick.advisory, id: 'OSSN-0405' } }));
  writeFileSync(path.join(workspace, 'dist-preview/checklists/OSSN-XXXX-tls.json'), serializeChecklist({ ...quick, advisory: { ...quick.advisory, id: 'OSSN-XXXX-tls' } }));
  writeFileSync(path.join(workspace, 'passing.json'), serializeChecklist(passingUnderRoot));
});
afterAll(() => {
  rmSync(workspace, { recursive: true, force: true });
  fixture.remove();
});

const reason = missingTools('dpkg-query');
describe.skipIf(!!reason)('herald check', () => {
  it('exits 0 when every check passes, with one line per check and a summary', async () => {
    const result = await runCli(['check', 'passing.json', '--root', fixture.root], { cwd: workspace });
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe('OSSN-0999 revision 1: Every kind of check');
    expect(lines.slice(1, -1).every((line) => line.startsWith('PASS   '))).toBe(true);
    expect(lines.at(-1)).toBe(`${passingUnderRoot.verify.length} checks: ${passingUnderRoot.verify.length} pass, 0 fail, 0 error, 0 skipped`);
  });

  it('finds a checklist by id under --dist and exits 1 when a check does not pass', async () => {
    const result = await runCli(['check', 'OSSN-0999'], { cwd: workspace });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAIL   exit-fail  exit status 3, expected 0$/m);
    expect(result.stdout).toMatch(/^ERROR  deb-not-installed  /m);
  });

  it('prints exactly advisory, results and summary with --json', async () => {
    const result = await runCli(['check', 'OSSN-0999', '--json', '--root', fixture.root], { cwd: workspace });
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout);
    expect(Object.keys(json)).toEqual(['advisory', 'results', 'summary']);
    expect(json.advisory).toBe('OSSN-0999');
    expect(json.results.every((r: object) => Object.keys(r).join() === 'id,status,detail')).toBe(true);
    const expected = expectedStatuses(true);
    expect(Object.fromEntries(json.results.map((r: { id: string; status: string }) => [r.id, r.status]))).toEqual(
      Object.fromEntries(quick.verify.map((v) => [v.id, expected[v.id]])),
    );
    expect(json.summary).toEqual({
      total: quick.verify.length,
      pass: json.results.filter((r: { status: string }) => r.status === 'pass').length,
      fail: json.results.filter((r: { status: string }) => r.status === 'fail').length,
      error: 0,
      skipped: quick.verify.filter((v) => 'run' in v).length,
    });
  });

  it('says with --json, as the text does, that the advisory is withdrawn or a private preview', async () => {
    const withdrawn: Checklist = { ...passingUnderRoot, advisory: { ...passingUnderRoot.advisory, status: 'withdrawn', withdrawnReason: 'Superseded by OSSN-1000.' } };
    writeFileSync(path.join(workspace, 'withdrawn.json'), serializeChecklist(withdrawn));
    writeFileSync(path.join(workspace, 'preview.json'), serializeChecklist({ ...passingUnderRoot, privatePreview: true }));
    const text = await runCli(['check', 'withdrawn.json', '--root', fixture.root], { cwd: workspace });
    expect(text.stdout.split('\n')[1]).toBe('WITHDRAWN: Superseded by OSSN-1000.');
    const json = JSON.parse((await runCli(['check', 'withdrawn.json', '--json', '--root', fixture.root], { cwd: workspace })).stdout);
    expect(Object.keys(json)).toEqual(['advisory', 'withdrawn', 'results', 'summary']);
    expect(json.withdrawn).toEqual({ reason: 'Superseded by OSSN-1000.' });
    const preview = JSON.parse((await runCli(['check', 'preview.json', '--json', '--root', fixture.root], { cwd: workspace })).stdout);
    expect(Object.keys(preview)).toEqual(['advisory', 'privatePreview', 'results', 'summary']);
    expect(preview.privatePreview).toBe(true);
  });

  it.each([
    [['check', 'OSSN-0404'], /no advisory OSSN-0404 among the 1 checklist in dist\/checklists \(a draft/],
    [['check', 'ossn-0999'], /no advisory ossn-0999 among the 1 checklist in dist\/checklists; did you mean OSSN-0999\?/],
    [['export', 'oval', 'OSSN-0405'], /no advisory OSSN-0405 among the 1 checklist in dist\/checklists; the preview build has it \(a draft, a note under embargo or without its id\): add --dist dist-preview$/m],
    [['check', 'OSSN-XXXX'], /the preview build has OSSN-XXXX-tls \(a draft, a note under embargo or without its id\): add --dist dist-preview$/m],
    [['check', 'OSSN-XXXX', '--dist', 'dist-preview'], /among the 2 checklists in dist-preview\/checklists; a note without its id goes by its file name: OSSN-XXXX-tls$/m],
    [['check', 'OSSN-0999', '--dist', 'elsewhere'], /no checklists in elsewhere\/checklists: run `herald build` first/],
    [['export', 'sh', 'OSSN-0998'], /did you mean OSSN-0999\?/],
    [['check', 'gone.json'], /no checklist at gone\.json/],
    [['check', 'OSSN 7'], /neither an advisory id/],
    [['check', 'OSSN-0999', '--timeout', '0'], /--timeout must be a number of seconds above 0/],
    [['export', 'sh', 'OSSN-0999', '--timeout', '1.5'], /--timeout of an export must be a whole number of seconds, as the script's own --timeout and the playbook's herald_timeout are \(got "1\.5"\)/],
    [['export', 'ansible', 'OSSN-0999', '--timeout', '0.5'], /--timeout of an export must be a whole number of seconds/],
    [['check', 'OSSN-0999', '--root', 'no/such/dir'], /--root no\/such\/dir is not a directory/],
    [['check'], /missing required argument/],
  ])('exits 2 on a usage error: %j', async (args, message) => {
    const result = await runCli(args, { cwd: workspace });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('points at the line and column of what is wrong in a checklist file', async () => {
    const broken = serializeChecklist(quick).replace('"kind": "absent"', '"kind": "missing"');
    writeFileSync(path.join(workspace, 'broken.json'), broken);
    const line = broken.split('\n').findIndex((l) => l.includes('"kind": "missing"')) + 1;
    const result = await runCli(['check', 'broken.json'], { cwd: workspace });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^broken\\.json:${line}:\\d+  error  checklist-invalid  verify\\[0\\]\\.expect\\.kind: `, 'm'));

    writeFileSync(path.join(workspace, 'syntax.json'), '{\n  "format": "herald-checklist/1",\n  "advisory": {,\n}\n');
    const syntax = await runCli(['check', 'syntax.json'], { cwd: workspace });
    expect(syntax.code).toBe(1);
    expect(syntax.stderr).toMatch(/^syntax\.json:3:\d+  error  checklist-invalid  not valid JSON/m);
  });

  it.each([
    ['not-json.json', 'not json', 1, 1, 'not valid JSON: '],
    ['array.json', '[1]\n', 1, 1, 'not a herald checklist: the file holds a JSON array; a herald checklist is a JSON object with "format": "herald-checklist/1"'],
    // Was six messages, one for each field a checklist has and this lacks.
    ['osv.json', '{\n  "schema_version": "1.6.0",\n  "id": "OSSN-0007"\n}\n', 1, 1, 'not a herald checklist: the object has no "format" field; '],
    ['later.json', '{\n  "format": "herald-checklist/2"\n}\n', 2, 13, 'not a herald checklist: "format" is "herald-checklist/2"; '],
  ])('says what is wrong with a file that is no checklist once, as JSON on stdout alone with --json, exit 1 (%s)', async (name, text, line, column, message) => {
    writeFileSync(path.join(workspace, name), text);
    const result = await runCli(['check', name, '--json'], { cwd: workspace });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({ ok: false, messages: [expect.objectContaining({ file: name, line, column, severity: 'error', ruleId: 'checklist-invalid', message: expect.stringContaining(message) })] });
  });

  it('reads a note as the build does: its checklist made from it, or its errors at their lines', async () => {
    const repo = path.resolve(import.meta.dirname, '../..');
    const note = path.join(repo, 'notes/OSSN-0007.md');
    const empty = mkdtempSync(path.join(tmpdir(), 'herald-root-'));
    try {
      const result = await runCli(['check', note, '--json', '--root', empty], { cwd: workspace });
      const json = JSON.parse(result.stdout);
      expect(json.advisory).toBe('OSSN-0007');
      expect(json.results.map((r: { id: string }) => r.id)).toEqual(['qemu-kvm-fixed-debian7', 'qemu-fixed-debian8', 'qemu-kvm-fixed-el7', 'no-stale-qemu']);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    const exported = await runCli(['export', 'sh', note], { cwd: workspace });
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain('# OSSN-0007 revision');

    writeFileSync(path.join(workspace, 'OSSN-0123.md'), readFileSync(note, 'utf8').replace(/^severity: \w+$/m, 'severity: hihg'));
    const broken = await runCli(['check', 'OSSN-0123.md'], { cwd: workspace });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^OSSN-0123\.md:\d+:\d+  error  schema-type  "severity" must be one of .*did you mean "high"\?$/m);
    expect(broken.stdout).toBe('');
    const missing = await runCli(['check', 'OSSN-0124.md'], { cwd: workspace });
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('no note at OSSN-0124.md')]);
  });

  it('has help', async () => {
    const result = await runCli(['check', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Run the verify entries/);
    expect(result.stdout).toMatch(/--root <dir>/);
    expect(result.stdout).toMatch(/Exit status: 0 when every check passes/);
  });
});

describe('herald export', () => {
  it.each(['ansible', 'oval', 'sh'])('%s writes to stdout by default', async (format) => {
    const result = await runCli(['export', format, 'OSSN-0999'], { cwd: workspace });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch({ ansible: /^---\n# OSSN-0999 revision 1/, oval: /^<\?xml/, sh: /^#!\/bin\/sh\n/ }[format]!);
  });

  it('writes an executable script with --out (sh, also named shell)', async () => {
    const result = await runCli(['export', 'shell', 'OSSN-0999', '--out', 'checks.sh'], { cwd: workspace });
    expect(result.code).toBe(0);
    expect(readFileSync(path.join(workspace, 'checks.sh'), 'utf8')).toMatch(/^#!\/bin\/sh/);
    expect(statSync(path.join(workspace, 'checks.sh')).mode & 0o111).not.toBe(0);
  });

  it('exits 1 and says why when OVAL can express none of the checks', async () => {
    writeFileSync(path.join(workspace, 'commands.json'), serializeChecklist({ ...full, verify: full.verify.filter((v) => 'run' in v && !v.package) }));
    const result = await runCli(['export', 'oval', 'commands.json'], { cwd: workspace });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/OVAL can express none of the checks of OSSN-0999; nothing exported:\n {2}deb-tilde-pass: runs a command/);
  });

  it('has help for every format and exits 2 without one', async () => {
    for (const format of ['ansible', 'oval', 'sh']) {
      const help = await runCli(['export', format, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/--out <file>/);
    }
    const none = await runCli(['export'], { cwd: workspace });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/ansible/);
  });
});

/**
 * Differential test of the five ways an operator verifies a fix: for
 * generated verify entries and host states (files with CRLF, NUL bytes,
 * invalid UTF-8, long lines, symbolic links, folders; command output and
 * exit statuses; package versions), `herald check`, the shell export under
 * dash, bash and BusyBox (its sh, awk and grep, as on Alpine), the Ansible export and the OVAL export give the same
 * verdict per check, the shell and Ansible exports the same line, and all
 * the same exit status. All cases of a run go into one checklist, so each
 * tool starts once (Ansible takes seconds to start).
 *
 * HERALD_DIFF_SIZE (cases of each kind), HERALD_DIFF_RUNS and
 * HERALD_DIFF_SEED make a longer hunt by hand (HERALD_DIFF_ANSIBLE=0 leaves
 * Ansible out, HERALD_DIFF_OUT=FILE writes what was found there).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toLinePcre, toPosixPattern } from '../../src/export/regex.ts';
import type { Checklist, ChecklistVerify, FileVerify } from '../../src/render/checklists/schema.ts';
import { evaluateFile } from '../../src/check/evaluate.ts';
import { missingTools } from '../support/system.ts';
import { bash, busybox, dash } from './support.ts';
import { commandCase, fileBytes, fileCase, type FileCase } from './differential/generate.ts';
import { ansiblePlaybook, checklistOf, commandEntry, fileEntry, heraldCheck, layOutFile, ovalVerdicts, shellScript, type FormRun } from './differential/forms.ts';

const size = Number(process.env.HERALD_DIFF_SIZE ?? 10);
const withAnsible = process.env.HERALD_DIFF_ANSIBLE !== '0';
const runs = Number(process.env.HERALD_DIFF_RUNS ?? 1);
const firstSeed = Number(process.env.HERALD_DIFF_SEED ?? 20260115);

/** A few installed packages and their versions, for dpkg-query checks (and OVAL dpkginfo). */
function installedPackages(): { name: string; version: string }[] {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Package}\t${Version}\n', 'dpkg', 'bash', 'coreutils', 'grep'], { encoding: 'utf8' });
  return result.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [name, version] = line.split('\t');
      return { name: name!, version: version! };
    });
}

const status = (line: string | undefined) => (line === undefined ? 'missing' : line.startsWith('PASS ') ? 'pass' : line.startsWith('FAIL ') ? 'fail' : line.startsWith('ERROR') ? 'error' : line.startsWith('SKIP ') ? 'skipped' : `?${line}`);

const describeCase = (entry: ChecklistVerify, extra: unknown) => JSON.stringify({ entry: 'file' in entry ? { file: entry.file, expect: entry.expect } : { run: entry.run, expect: entry.expect }, case: extra });

/** Where the exports may rightly differ from herald check, by the documented rules. */
function exportMayRefuse(entry: ChecklistVerify): boolean {
  return 'pattern' in entry.expect && toPosixPattern(entry.expect.pattern) === undefined;
}

/**
 * What OVAL is known to say where OpenSCAP reads a file otherwise than
 * herald check (docs/checks.md, the OVAL header), or undefined where it
 * reads it the same: `skip` where the answer is OpenSCAP's own (it follows
 * an absolute link out of OSCAP_PROBE_ROOT; its PCRE stops with an error
 * on bytes that are not UTF-8; a folder has no line, where herald check
 * says error). A symbolic link loop is no file to it: absent is true,
 * present false, where herald check says error. A NUL byte ends what it
 * reads: its verdict is herald check's on the file cut at the first NUL.
 */
function ovalKnownVerdict(c: FileCase, entry: ChecklistVerify, underRoot: boolean): 'skip' | 'true' | 'false' | undefined {
  const { node } = c;
  if (underRoot && ((node.kind === 'link' && node.absolute) || node.kind === 'dangling-link')) return 'skip';
  // On this host, an absolute link points out of the generated root, at nothing: both see no file.
  if (node.kind === 'link' && node.absolute) return undefined;
  if (node.kind === 'directory') return 'skip';
  if (node.kind === 'link-loop') return c.kind === 'absent' ? 'true' : 'false';
  if (node.kind === 'file' || node.kind === 'link') {
    const bytes = fileBytes(node.file);
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return 'skip';
    }
    const nul = bytes.indexOf(0);
    if (nul >= 0) return evaluateFile(entry as FileVerify, bytes.subarray(0, nul).toString('utf8')).status === 'pass' ? 'true' : 'false';
  }
  return undefined;
}

function ovalKnown(files: readonly FileCase[], underRoot: boolean): Map<string, 'skip' | 'true' | 'false'> {
  const known = new Map<string, 'skip' | 'true' | 'false'>();
  files.forEach((c, i) => {
    const verdict = ovalKnownVerdict(c, fileEntry(i, c), underRoot);
    if (verdict) known.set(`f${i}`, verdict);
  });
  return known;
}

interface Judged {
  checklist: Checklist;
  root: string;
  cases: Record<string, unknown>;
  oval: boolean;
  /**
   * Ansible takes about a second a check, so it runs the checks on this
   * host only: under a root its tasks run the shell export's own code.
   */
  ansible: boolean;
  /** What OVAL is known to say of entries it reads otherwise (ovalKnownVerdict). */
  ovalKnown: Map<string, 'skip' | 'true' | 'false'>;
}

async function disagreements(dir: string, judged: Judged): Promise<string[]> {
  const { checklist, root, cases } = judged;
  const t0 = Date.now();
  const timed = <T>(name: string, p: Promise<T>) => p.then((v) => (process.env.HERALD_DIFF_TIME && console.log(name, root, Date.now() - t0), v));
  const [herald, ansible] = await Promise.all([
    timed('herald', heraldCheck(dir, checklist, root)),
    judged.ansible && withAnsible ? timed('ansible', ansiblePlaybook(dir, checklist, root, `play-${path.basename(root)}`)) : undefined,
  ]);
  const forms: [string, FormRun][] = [
    ...shells.map((shell): [string, FormRun] => [shell.name, shellScript(checklist, root, shell)]),
    ...(ansible ? [['ansible', ansible] as [string, FormRun]] : []),
  ];
  const t1 = Date.now();
  const oval = judged.oval ? ovalVerdicts(dir, checklist, root) : { verdicts: {}, raw: '' };
  if (process.env.HERALD_DIFF_TIME) console.log('sh', t1 - t0, 'oval', Date.now() - t1);
  const found: string[] = [];
  for (const entry of checklist.verify) {
    const expected = herald.lines[entry.id];
    const slow = expected?.includes('backtracks without end');
    for (const [name, form] of forms) {
      const line = form.lines[entry.id];
      if (exportMayRefuse(entry) && status(line) === 'error') continue;
      // grep may run past the time limit where JavaScript answers at once (docs/checks.md): the export then says so.
      if (slow || line?.includes('backtracks without end')) continue;
      if (status(line) !== status(expected)) found.push(`${name} says ${status(line)}, herald check ${status(expected)}: ${describeCase(entry, cases[entry.id])}\n  herald: ${expected}\n  ${name}: ${line}`);
      else if (line !== expected) found.push(`${name}'s line differs: ${describeCase(entry, cases[entry.id])}\n  herald: ${expected}\n  ${name}: ${line}`);
    }
    const ovalSays = oval.verdicts[entry.id];
    const known = judged.ovalKnown.get(entry.id);
    if (judged.oval && known !== 'skip' && !slow) {
      const inOval = 'run' in entry ? entry.package !== undefined : toLinePcre(entry.expect.pattern) !== undefined;
      const want = known ?? (status(expected) === 'pass' ? 'true' : 'false');
      if (inOval && ovalSays !== want) found.push(`oval says ${ovalSays}, herald check ${status(expected)}: ${describeCase(entry, cases[entry.id])}\n  herald: ${expected}`);
    }
  }
  const allPass = checklist.verify.every((entry) => status(herald.lines[entry.id]) === 'pass');
  if (herald.code !== (allPass ? 0 : 1)) found.push(`herald check exits ${herald.code}, all pass: ${allPass}`);
  for (const [name, form] of forms) {
    const formPass = checklist.verify.every((entry) => status(form.lines[entry.id]) === 'pass');
    const want = formPass ? 0 : name === 'ansible' ? 2 : 1;
    if (form.code !== want) found.push(`${name} exits ${form.code}, every line passes: ${formPass}\n${form.raw.slice(-2000)}`);
  }
  return found;
}

const reason = missingTools('dash', 'bash', 'busybox', 'ansible-playbook', 'oscap', 'dpkg-query', 'rpm');
const shells = [dash, bash, busybox];
describe.skipIf(!!reason)('every form of a checklist gives the same verdicts (differential)', () => {
  it(`agrees on ${size} generated file checks and ${size} command checks per run, ${runs} run(s)`, async () => {
    const installed = installedPackages();
    const problems: string[] = [];
    for (let n = 0; n < runs; n += 1) {
      const seed = firstSeed + n;
      const files = fc.sample(fileCase, { numRuns: size, seed });
      const commands = fc.sample(commandCase(installed), { numRuns: size, seed: seed + 7919 });
      const dir = mkdtempSync(path.join(tmpdir(), 'herald-diff-'));
      try {
        const root = path.join(dir, 'root');
        files.forEach((c, i) => layOutFile(root, i, c));
        const fileCases = Object.fromEntries(files.map((c, i) => [`f${i}`, c]));
        const commandVerify = commands.map((c, i) => commandEntry(dir, i, c));
        const underRoot: Judged = {
          checklist: checklistOf(files.map((c, i) => fileEntry(i, c))),
          root,
          cases: fileCases,
          oval: true,
          ansible: false,
          ovalKnown: ovalKnown(files, true),
        };
        const onHost: Judged = {
          checklist: checklistOf([...files.map((c, i) => fileEntry(i, c, root)), ...commandVerify]),
          root: '/',
          cases: { ...fileCases, ...Object.fromEntries(commands.map((c, i) => [`k${i}`, c])) },
          oval: true,
          ansible: true,
          ovalKnown: ovalKnown(files, false),
        };
        const [a, b] = await Promise.all([disagreements(dir, underRoot), disagreements(dir, onHost)]);
        problems.push(...[...a.map((p) => `[seed ${seed}, --root] ${p}`), ...b.map((p) => `[seed ${seed}, /] ${p}`)]);
      } finally {
        if (!process.env.HERALD_DIFF_KEEP) rmSync(dir, { recursive: true, force: true });
      }
    }
    if (process.env.HERALD_DIFF_OUT) writeFileSync(process.env.HERALD_DIFF_OUT, problems.join('\n\n') + '\n');
    expect(problems.join('\n\n')).toBe('');
  }, 600_000);
});

/**
 * Lays generated cases out on disk and runs one checklist through every form
 * an operator may use: `herald check` (the CLI, in-process), the shell
 * export under dash, bash and BusyBox, the Ansible export on localhost, and the OVAL
 * export under oscap; each returns its line per check and its exit status.
 */
import { mkdirSync, rmdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describeExpectation } from '../../../src/render/checklists/model.ts';
import { recognizePackageQuery } from '../../../src/model/package-query.ts';
import { serializeChecklist } from '../../../src/render/checklists/model.ts';
import type { Checklist, ChecklistVerify } from '../../../src/render/checklists/schema.ts';
import { exportAnsiblePlaybook } from '../../../src/export/ansible.ts';
import { exportOval } from '../../../src/export/oval.ts';
import { exportShellScript } from '../../../src/export/sh.ts';
import { shellQuote } from '../../../src/export/quote.ts';
import { runCli } from '../../support/cli.ts';
import { run, runAsync, runScript, type Shell } from '../support.ts';
import { fileBytes, type CommandCase, type FileCase } from './generate.ts';

/** The path every file case checks, in its own folder. */
export const checkedPath = (index: number) => `/c${index}/etc/app.conf`;

/** Writes what file case `index` finds at its path, under `root`. */
export function layOutFile(root: string, index: number, fileCase: FileCase): void {
  const dir = path.join(root, `c${index}`);
  const target = path.join(root, checkedPath(index));
  mkdirSync(path.join(dir, 'etc'), { recursive: true });
  const { node } = fileCase;
  switch (node.kind) {
    case 'file':
      writeFileSync(target, fileBytes(node.file));
      break;
    case 'missing':
      break;
    case 'directory':
      mkdirSync(target);
      break;
    case 'link':
      mkdirSync(path.join(dir, 'data'));
      writeFileSync(path.join(dir, 'data/target.conf'), fileBytes(node.file));
      symlinkSync(node.absolute ? `/c${index}/data/target.conf` : '../data/target.conf', target);
      break;
    case 'dangling-link':
      symlinkSync(`/c${index}/nowhere`, target);
      break;
    case 'link-loop':
      symlinkSync('app.conf', target);
      break;
    case 'through-file':
      // etc is a file, so etc/app.conf cannot exist (ENOTDIR).
      rmdirSync(path.join(dir, 'etc'));
      writeFileSync(path.join(dir, 'etc'), 'not a folder\n');
      break;
  }
}

function entry(base: Omit<ChecklistVerify, 'title' | 'description'>): ChecklistVerify {
  const query = 'run' in base && base.expect.kind === 'version' ? recognizePackageQuery(base.run as string) : undefined;
  return { ...base, title: base.id, description: describeExpectation(base.expect), ...(query ? { package: query } : {}) } as ChecklistVerify;
}

export function fileEntry(index: number, fileCase: FileCase, prefix = ''): ChecklistVerify {
  return entry({ id: `f${index}`, file: prefix + checkedPath(index), expect: { kind: fileCase.kind, pattern: fileCase.pattern } } as ChecklistVerify);
}

/** Writes what command case `index` prints under `dir`, and returns its entry. */
export function commandEntry(dir: string, index: number, commandCase: CommandCase): ChecklistVerify {
  const id = `k${index}`;
  const output = path.join(dir, `out${index}`);
  switch (commandCase.kind) {
    case 'stdout':
      writeFileSync(output, fileBytes(commandCase.output));
      return entry({ id, run: `cat ${shellQuote(output)}; exit ${commandCase.exit}`, expect: { kind: 'stdout', pattern: commandCase.pattern } } as ChecklistVerify);
    case 'exit':
      writeFileSync(output, fileBytes(commandCase.output));
      return entry({ id, run: `cat ${shellQuote(output)}; exit ${commandCase.exit}`, expect: { kind: 'exit', code: commandCase.code } } as ChecklistVerify);
    case 'version':
      writeFileSync(output, commandCase.printed);
      return entry({ id, run: `cat ${shellQuote(output)}; exit ${commandCase.exit}`, expect: { kind: 'version', scheme: commandCase.scheme, operator: commandCase.operator, version: commandCase.version } } as ChecklistVerify);
    case 'package':
      return entry({ id, run: `dpkg-query -W -f='\${Version}\\n' ${commandCase.name}`, expect: { kind: 'version', scheme: 'deb', operator: commandCase.operator, version: commandCase.version } } as ChecklistVerify);
  }
}

export function checklistOf(verify: ChecklistVerify[]): Checklist {
  return {
    format: 'herald-checklist/1',
    advisory: { id: 'OSSN-0998', title: 'Generated checks', kind: 'note', status: 'published', cve: [], date: '2014-03-18', updated: '2014-04-11', revision: 1 },
    targets: [],
    steps: [],
    verify,
  };
}

/** One form's answer: a line per check id (`PASS   id  detail`), and its exit status. */
export interface FormRun {
  lines: Record<string, string>;
  code: number | null;
  raw: string;
}

export function linesById(text: string): Record<string, string> {
  const lines: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^(?:PASS |FAIL |ERROR|SKIP )  (\S+)  /.exec(line);
    if (match) lines[match[1]!] = line;
  }
  return lines;
}

export const timeoutSeconds = 5;

export async function heraldCheck(dir: string, checklist: Checklist, root: string): Promise<FormRun> {
  const file = path.join(dir, `${checklist.advisory.id}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, serializeChecklist(checklist));
  const result = await runCli(['check', file, '--root', root, '--timeout', String(timeoutSeconds)], { cwd: dir });
  return { lines: linesById(result.stdout), code: result.code, raw: result.stdout + result.stderr };
}

export function shellScript(checklist: Checklist, root: string, shell: Shell): FormRun {
  const result = runScript(shell, exportShellScript(checklist, { timeoutSeconds }), ['--root', root]);
  return { lines: linesById(result.stdout), code: result.code, raw: result.stdout + result.stderr };
}

export async function ansiblePlaybook(dir: string, checklist: Checklist, root: string, name: string): Promise<FormRun> {
  const file = path.join(dir, `${name}.yml`);
  writeFileSync(file, exportAnsiblePlaybook(checklist, { timeoutSeconds }));
  const result = await runAsync('ansible-playbook', ['-c', 'local', '-i', 'localhost,', '-e', `herald_root=${root}`, file], {
    ANSIBLE_PYTHON_INTERPRETER: 'auto_silent',
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_LOCAL_TEMP: path.join(dir, `${name}-tmp`),
    ANSIBLE_REMOTE_TEMP: path.join(dir, `${name}-tmp`),
    ANSIBLE_RETRY_FILES_ENABLED: '0',
    ANSIBLE_FORKS: '1',
  });
  const report = /TASK \[Report the results\][^\n]*\nok: \[localhost\] => (\{[\s\S]*?\n\})/.exec(result.stdout);
  if (!report) return { lines: {}, code: result.code, raw: result.stdout + result.stderr };
  const values = (JSON.parse(report[1]!) as { herald_results: Record<string, string> }).herald_results;
  return { lines: values, code: result.code, raw: result.stdout + result.stderr };
}

/** `true`/`false`/`error`… per check id, for the checks the OVAL export holds. */
export function ovalVerdicts(dir: string, checklist: Checklist, root: string): { verdicts: Record<string, string>; raw: string } {
  const xml = exportOval(checklist, { namespace: 'org.example' });
  if (xml === undefined) return { verdicts: {}, raw: '' };
  const file = path.join(dir, 'checks.oval.xml');
  writeFileSync(file, xml);
  const result = run('oscap', ['oval', 'eval', file], root === '/' ? {} : { OSCAP_PROBE_ROOT: root });
  const verdicts: Record<string, string> = {};
  for (const match of result.stdout.matchAll(/^Definition oval:[^:]+:def:(\d+): (\S+(?: \S+)?)$/gm)) {
    verdicts[checklist.verify[Number(match[1]) - 1]!.id] = match[2]!;
  }
  return { verdicts, raw: result.stdout + result.stderr };
}

/**
 * Small valid notes for the workflow tests, written into temporary
 * checkouts. Each loads without a lint finding under the default config.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect } from 'vitest';

export interface NoteSpec {
  id: string;
  title?: string;
  date?: string;
  status?: 'draft' | 'published' | 'withdrawn';
  revisions?: { date: string; summary: string }[];
  embargo?: string;
  /** A comment or extra field, to prove the rewrite keeps the rest intact. */
  extraFrontMatter?: string;
  lists?: string[];
}

/** A complete note in herald's format. */
export function noteText(spec: NoteSpec): string {
  const lines = [
    '---',
    `id: ${spec.id}   # assigned by herald assign-ids`,
    `title: ${spec.title ?? `Example note ${spec.id}`}`,
    `date: ${spec.date ?? '2014-03-18'}`,
    `status: ${spec.status ?? 'published'}`,
    ...(spec.status === 'withdrawn' ? ['withdrawn_reason: The issue was a false alarm.'] : []),
    'severity: high',
    "cve: ['CVE-2014-0160']",
    'authors:',
    '  - { name: Nathan Kinder, affiliation: Red Hat }',
    'references:',
    '  - { url: "https://bugs.launchpad.net/ossn/+bug/1261134", type: bug }',
    'affects:',
    '  - { product: OpenSSL, package: openssl, ecosystem: deb, releases: ["Debian:7"], fixed: 1.0.1e-2+deb7u6 }',
    'verify:',
    '  - id: openssl-fixed',
    '    title: openssl is at a fixed version',
    "    run: dpkg-query -W -f='${Version}\\n' openssl",
    '    expect: { version: ">= 1.0.1e-2+deb7u6", scheme: deb }',
    ...(spec.revisions && spec.revisions.length > 0 ? ['revisions:', ...spec.revisions.map((r) => `  - { date: ${r.date}, summary: "${r.summary}" }`)] : []),
    ...(spec.lists ? [`lists: [${spec.lists.join(', ')}]`] : []),
    ...(spec.embargo ? [`embargo: ${spec.embargo}`] : []),
    ...(spec.extraFrontMatter ? [spec.extraFrontMatter] : []),
    '---',
    '',
    '## Summary',
    '',
    'OpenSSL leaks memory contents through the heartbeat extension.',
    '',
    '## Affected Services / Software',
    '',
    'OpenSSL 1.0.1 through 1.0.1f.',
    '',
    '## Discussion',
    '',
    'A remote peer can read up to 64 KiB of memory per heartbeat.',
    '',
    '## Recommended Actions',
    '',
    '1. **Upgrade openssl.** Install the fixed package on every host.',
    '',
    '   ```sh',
    '   apt-get install --only-upgrade openssl',
    '   ```',
    '',
    '   Verify: `openssl-fixed`',
    '2. **Restart services that link OpenSSL.**',
    '',
    '   ```sh',
    '   systemctl restart apache2',
    '   ```',
    '',
    '## Contacts / References',
    '',
    'Author: Nathan Kinder, Red Hat',
    '',
  ];
  return lines.join('\n');
}

const checkouts: string[] = [];
// Registered by every test file that imports this module: its checkouts go when it ends.
afterAll(async () => {
  await Promise.all(checkouts.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A temporary folder with `notes/` holding `files` (name → text), removed after the test file. */
export async function checkout(files: Record<string, string>, prefix = 'herald-wf-'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  checkouts.push(dir);
  await mkdir(path.join(dir, 'notes'), { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return dir;
}

/** Runs git in `cwd` with a fixed identity; returns status and output. */
export function git(cwd: string, ...args: string[]): { status: number | null; out: string } {
  const result = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

/** `git add -A && git commit`, failing loudly. */
export function commitAll(cwd: string, message: string): void {
  for (const args of [['add', '-A'], ['commit', '-q', '-m', message]]) {
    const result = git(cwd, ...args);
    if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.out}`);
  }
}

/** Compares with a golden file; `UPDATE_GOLDEN=1` rewrites it (a missing one is an error under CI). */
export function expectGolden(file: string, actual: string): void {
  if (process.env.UPDATE_GOLDEN === '1' || (!existsSync(file) && process.env.CI !== 'true')) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  expect(actual, `${file} (UPDATE_GOLDEN=1 rewrites it)`).toBe(readFileSync(file, 'utf8'));
}

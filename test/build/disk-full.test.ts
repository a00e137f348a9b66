/**
 * `herald build` on a disk that fills up: one located error
 * (`build-write-failed`), exit 1, no stack trace, nothing half-written left
 * behind, the previous output as it was. The full disk is real: a small
 * tmpfs mounted in a user and mount namespace of the test's own.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeCorpus } from '../../bench/corpus.ts';
import { missingTools } from '../support/system.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const work = mkdtempSync(path.join(tmpdir(), 'herald-disk-full-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Why a tmpfs cannot be mounted here, or undefined (under CI=true, a failure). */
function missingMounts(): string | undefined {
  const tools = missingTools('unshare');
  if (tools) return tools;
  const probe = spawnSync('unshare', ['-Urm', 'sh', '-c', `mount -t tmpfs -o size=1m tmpfs ${JSON.stringify(work)}`], { encoding: 'utf8' });
  if (probe.status === 0) return undefined;
  const reason = `needs user and mount namespaces to mount a small tmpfs (unshare -Urm: ${probe.stderr.trim() || probe.status})`;
  if (process.env.CI === 'true') throw new Error(`CI=true but the test ${reason}`);
  return reason;
}

const skip = missingMounts();

async function project(): Promise<string> {
  const dir = mkdtempSync(path.join(work, 'project-'));
  await writeCorpus(path.join(dir, 'notes'), 40);
  cpSync(path.join(repo, 'herald.config.yaml'), path.join(dir, 'herald.config.yaml'));
  return dir;
}

/**
 * Runs `script` (sh) in `dir` with a tmpfs of `sizeMb` mounted at `disk/`
 * (in namespaces of its own, gone when it ends); `$herald` runs the CLI.
 */
function onSmallDisk(dir: string, sizeMb: number, script: string): { status: number | null; stdout: string; stderr: string } {
  const herald = `${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(repo, 'bin/herald.js'))}`;
  const full = `set -u; mkdir -p disk && mount -t tmpfs -o size=${sizeMb}m tmpfs disk || exit 99; herald="${herald.replaceAll('"', '\\"')}"; ${script}`;
  const run = spawnSync('unshare', ['-Urm', 'sh', '-c', full], { cwd: dir, encoding: 'utf8', timeout: 150_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const located = /^disk\/dist:1:1 {2}error {2}build-write-failed {2}The build could not write its files: no space is left on the device \(ENOSPC\)/m;

describe.skipIf(skip)(`herald build on a full disk${skip ? ` (skipped: ${skip})` : ''}`, { timeout: 180_000 }, () => {
  for (const workers of ['2', '0']) {
    it(`fails a first build with one located error and leaves nothing behind (--workers ${workers})`, async () => {
      const dir = await project();
      const run = onSmallDisk(dir, 2, `eval "$herald build --out disk/dist --cache disk/cache --workers ${workers} --render-timeout 30000"; echo "exit $?"; ls -A disk`);
      expect(run.stdout.split('\n')[0], run.stderr).toBe('exit 1');
      expect(run.stderr).toMatch(located);
      expect(run.stderr).not.toMatch(/internal error|\n\s+at |render-failed/);
      // The cache keeps the notes it stored; no output, staging folder or lock.
      expect(run.stdout.split('\n').slice(1).filter(Boolean)).toEqual(['cache']);
    });
  }

  it('fails a rebuild on a disk that filled up since, and leaves the output as the last build made it', async () => {
    const dir = await project();
    const run = onSmallDisk(
      dir,
      48,
      [
        `eval "$herald build --out disk/dist --cache disk/cache --render-timeout 30000" 2>/dev/null; echo "first $?"`,
        'cp disk/dist/.herald-manifest.json manifest.before',
        // Fill what is left of the disk.
        'dd if=/dev/zero of=disk/fill bs=64k 2>/dev/null; true',
        `for f in notes/*.md; do sed -i 's/^## Summary$/## Summary\\n\\nEdited on a full disk./' "$f"; done`,
        `eval "$herald build --out disk/dist --cache disk/cache --render-timeout 30000"; echo "second $?"`,
        'cmp -s manifest.before disk/dist/.herald-manifest.json && echo "manifest unchanged"',
        'echo "pending $(find disk/dist -name "*.herald-pending" | wc -l)"',
        'ls -A disk',
      ].join('; '),
    );
    const lines = run.stdout.split('\n').filter(Boolean);
    expect(lines.slice(0, 4), run.stderr).toEqual(['first 0', 'second 1', 'manifest unchanged', 'pending 0']);
    expect(lines.slice(4).sort()).toEqual(['cache', 'dist', 'fill']);
    expect(run.stderr).toMatch(located);
    expect(run.stderr).not.toMatch(/internal error|\n\s+at |render-failed/);
  });
});

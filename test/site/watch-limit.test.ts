/**
 * `herald serve --watch` on a system that will not watch every note: a
 * located error with the fix, exit 1, no stack trace; and `--poll`, which
 * needs no file watches, still rebuilds on an edit. The low limit is real:
 * the command runs in a user namespace of its own whose inotify watch
 * limit (`/proc/sys/user/max_inotify_watches`) is set to 3.
 */
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCollected, type SpawnedRun } from '../support/cli.ts';
import { missingTools } from '../support/system.ts';
import { fixturesDir, repoRoot, testNow } from './support.ts';

/** Why user namespaces cannot be used here, or undefined (under CI=true, a failure). */
function missingNamespaces(): string | undefined {
  const tools = missingTools('unshare');
  if (tools) return tools;
  const probe = spawnSync('unshare', ['-Ur', 'sh', '-c', 'echo 3 > /proc/sys/user/max_inotify_watches'], { encoding: 'utf8' });
  if (probe.status === 0) return undefined;
  const reason = `needs user namespaces with their own inotify limits (unshare -Ur: ${probe.stderr.trim() || probe.status})`;
  if (process.env.CI === 'true') throw new Error(`CI=true but the test ${reason}`);
  return reason;
}

const skip = missingNamespaces();
const bin = path.join(repoRoot, 'bin', 'herald.js');

/** Runs herald with at most `watches` inotify watches for this process tree. */
function runLimited(args: string[], cwd: string, watches: number): SpawnedRun {
  const script = `echo ${watches} > /proc/sys/user/max_inotify_watches && exec "$@"`;
  return spawnCollected('unshare', ['-Ur', 'sh', '-c', script, 'sh', process.execPath, bin, ...args], { cwd, env: { ...process.env, HERALD_NOW: testNow.toISOString() } });
}

describe.skipIf(skip)(`serve --watch under a low watch limit${skip ? ` (skipped: ${skip})` : ''}`, { timeout: 120_000 }, () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'herald-watch-limit-'));
    await cp(path.join(fixturesDir, 'notes'), path.join(dir, 'notes'), { recursive: true });
    await cp(path.join(fixturesDir, 'herald.config.yaml'), path.join(dir, 'herald.config.yaml'));
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('stops with a located error that says how to fix it, and no stack trace', async () => {
    const serve = runLimited(['serve', '--watch', '--port', '0'], dir, 3);
    const exit = await Promise.race([serve.exit, new Promise<string>((resolve) => setTimeout(() => resolve('still running after 60 s'), 60_000))]);
    serve.child.kill('SIGKILL');
    expect(exit).toBe(1);
    expect(serve.stdout()).not.toContain('Serving');
    const stderr = serve.stderr();
    expect(stderr).toMatch(/^notes:1:1 {2}error {2}serve-watch-limit {2}Cannot watch every note in notes: the system's limit on file watches \(fs\.inotify\.max_user_watches\) was reached \(ENOSPC\)$/m);
    expect(stderr).toContain('sysctl fs.inotify.max_user_watches=');
    expect(stderr).toContain('--poll');
    expect(stderr).not.toMatch(/internal error|\n\s+at /);
  });

  it('with --poll, serves and rebuilds after an edit', async () => {
    const serve = runLimited(['serve', '--watch', '--port', '0', '--poll', '100'], dir, 3);
    try {
      await expect.poll(() => serve.stdout(), { timeout: 60_000 }).toMatch(/^Serving http:\/\/127\.0\.0\.1:\d+\/\n/);
      const url = serve.stdout().slice('Serving '.length).trim();
      const note = path.join(dir, 'notes', 'OSSN-0101.md');
      const text = await readFile(note, 'utf8');
      await writeFile(note, text.replace('\n## Summary\n', '\n## Summary\n\nSeen by polling.\n'));
      await expect.poll(() => serve.stderr().match(/build succeeded/g)?.length ?? 0, { timeout: 30_000 }).toBe(2);
      const page = await fetch(new URL('advisories/OSSN-0101/', url));
      expect(await page.text()).toContain('Seen by polling.');
      serve.child.kill('SIGTERM');
      expect(await serve.exit).toBe(0);
      expect(serve.stderr()).not.toContain('serve-watch-limit');
    } finally {
      serve.child.kill('SIGKILL');
    }
  });
});

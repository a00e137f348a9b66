/**
 * The known-releases file (`state/github-releases.json`) is saved through
 * writeFileAtomically, which makes its folder one level at a time: a
 * folder that cannot be made is an error, never Node's recursive mkdir
 * spinning forever (as under /proc).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnCollected } from '../support/cli.ts';

const repo = path.resolve(import.meta.dirname, '../..');

describe.skipIf(!existsSync('/proc/self'))('knownReleasesStore', () => {
  it('throws where the state folder cannot be made (under /proc) instead of hanging', async () => {
    const script = [
      "import { knownReleasesStore } from './src/workflow/publish/known-releases.ts';",
      "knownReleasesStore('/proc/self/herald-no-such/state/github-releases.json', { readOnly: false }).save({ repository: 'acme/notes', releases: [] });",
    ].join('\n');
    // Killed after a minute: a hang must fail the test, not hold up the suite.
    const run = spawnCollected('timeout', ['-s', 'KILL', '60', process.execPath, '--import', 'tsx', '--input-type=module', '-e', script], { cwd: repo });
    expect(await run.exit).toBe(1);
    expect(run.stderr()).toContain("ENOENT: no such file or directory, mkdir '/proc/self/herald-no-such'");
  }, 90_000);
});

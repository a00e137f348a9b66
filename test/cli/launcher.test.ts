/**
 * The `herald` command as a user's shell or npm runs it: `bin/herald.js`
 * through its `#!` line, with the Node flags on it. The bench reads the
 * same line, so it measures what that command does.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { launcher } from '../../bench/tools/herald.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const bin = path.join(repo, 'bin/herald.js');

describe('the herald command', () => {
  it('runs through its #! line, whose environment and Node flags the bench uses too', () => {
    const version = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')).version as string;
    expect(execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim()).toBe(version);
    const { env, flags } = launcher(bin);
    expect(env).toEqual({ MALLOC_ARENA_MAX: '2' });
    expect(flags).toEqual(['--max-semi-space-size=4']);
    // Node takes the flags as they are written there.
    expect(execFileSync(process.execPath, [...flags, '-p', 'process.execArgv[0]'], { encoding: 'utf8' }).trim()).toBe('--max-semi-space-size=4');
    // The command itself runs with both, as `env -S` reads the line.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'herald-launch-'));
    const preload = path.join(dir, 'print-launch.cjs');
    writeFileSync(preload, 'console.log(`launch ${process.env.MALLOC_ARENA_MAX} ${process.execArgv.join(" ")}`);\n');
    const { MALLOC_ARENA_MAX: _ignored, ...outside } = process.env;
    let seen: string;
    try {
      seen = execFileSync(bin, ['--version'], { encoding: 'utf8', env: { ...outside, NODE_OPTIONS: `--require ${preload}` } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(seen.split('\n')[0]).toBe('launch 2 --max-semi-space-size=4');
  });
});

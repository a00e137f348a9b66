/**
 * The `herald` command as a user's shell or npm runs it: `bin/herald.js`
 * through its `#!` line, with the Node flags on it. The bench reads the
 * same line, so it measures what that command does.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { launcherFlags } from '../../bench/tools/herald.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const bin = path.join(repo, 'bin/herald.js');

describe('the herald command', () => {
  it('runs through its #! line, whose Node flags the bench uses too', () => {
    const version = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')).version as string;
    expect(execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim()).toBe(version);
    expect(launcherFlags(bin)).toEqual(['--max-semi-space-size=4']);
    // Node takes the flags as they are written there.
    expect(execFileSync(process.execPath, [...launcherFlags(bin), '-p', 'process.execArgv[0]'], { encoding: 'utf8' }).trim()).toBe('--max-semi-space-size=4');
  });
});

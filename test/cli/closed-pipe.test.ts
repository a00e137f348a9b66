import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = path.resolve('bin/herald.js');

/** Runs herald with its stdout a pipe whose reader has already gone, as `herald … | head` after head exits. */
async function runIntoClosedPipe(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr };
}

describe('output into a pipe nobody reads any more', () => {
  for (const args of [['--version'], ['list', '--help'], ['schema', 'note']]) {
    it(`herald ${args.join(' ')} ends with its own exit code and no stack trace`, async () => {
      const { code, stderr } = await runIntoClosedPipe(args);
      expect(stderr).not.toMatch(/EPIPE|Unhandled|    at /);
      expect(code).toBe(0);
    });
  }
});

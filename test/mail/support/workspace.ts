/**
 * A throw-away herald project for end-to-end runs: notes copied from the
 * fixtures, a herald.config.yaml, a subscribers CSV; and ways to run
 * `herald` in it, in-process or as a child process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { stringify } from 'yaml';
import { main } from '../../../src/cli/main.ts';
import { notesDir, temporaryDir } from './notes.ts';

export const repoRoot = path.resolve(import.meta.dirname, '../../..');

export interface Workspace {
  dir: string;
  remove(): Promise<void>;
  /** Writes (replaces) the config. */
  writeConfig(config: object): void;
  /** Reads the ledger's records. */
  ledger(): Record<string, unknown>[];
}

export async function makeWorkspace(options: { notes: string[]; config: object; subscribers?: string[] }): Promise<Workspace> {
  const temp = await temporaryDir('herald-send-');
  mkdirSync(path.join(temp.dir, 'notes'));
  for (const note of options.notes) copyFileSync(path.join(notesDir, note), path.join(temp.dir, 'notes', note));
  if (options.subscribers) writeFileSync(path.join(temp.dir, 'subscribers.csv'), ['email,products', ...options.subscribers].join('\n') + '\n');
  const workspace: Workspace = {
    dir: temp.dir,
    remove: temp.remove,
    writeConfig: (config) => writeFileSync(path.join(temp.dir, 'herald.config.yaml'), stringify(config)),
    ledger: () =>
      readFileSync(path.join(temp.dir, 'state', 'mail-ledger.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
  workspace.writeConfig(options.config);
  return workspace;
}

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `herald <args>` in-process with an injected context. */
export async function runHerald(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; now?: Date }): Promise<RunResult> {
  const stdout = new Collect();
  const stderr = new Collect();
  const now = options.now ?? new Date('2024-02-01T12:00:00Z');
  const code = await main(['node', 'herald', ...args], {
    cwd: options.cwd,
    stdout,
    stderr,
    env: options.env ?? {},
    now: () => new Date(now),
    interactive: false,
    exitCode: 0,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Starts `node bin/herald.js <args>` as a child process in `cwd`. */
export function spawnHerald(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): ChildProcess & { output: () => RunResult; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'herald.js'), ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return Object.assign(child, { output: () => ({ code: child.exitCode ?? -1, stdout, stderr }), exited });
}

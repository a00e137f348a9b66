/**
 * The one place herald asks git something: which files changed since a
 * base. git runs with an argument array (no shell), and the base is checked
 * so it can never be read as an option.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { UsageError } from '../errors/message.ts';
import { parseNameStatus, type ChangedFile } from './changes.ts';

const run = promisify(execFile);

/**
 * Files changed between the merge base of `base` and HEAD, and HEAD
 * (`git diff base...HEAD`), under `paths`, relative to `cwd`. Renames are
 * not detected: two notes alike enough to look renamed are still two notes.
 */
export async function changedFilesSince(base: string, cwd: string, paths: readonly string[]): Promise<ChangedFile[]> {
  if (base === '' || base.startsWith('-') || /[\s\0]/.test(base)) throw new UsageError(`"${base}" is not a git revision.`);
  try {
    const { stdout } = await run('git', ['diff', '--name-status', '-z', '--no-renames', '--relative', `${base}...HEAD`, '--', ...paths], {
      cwd,
      maxBuffer: 64 * 1024 * 1024,
      encoding: 'utf8',
    });
    return parseNameStatus(stdout);
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    if (failure.code === 'ENOENT') throw new UsageError('git is not installed or not on PATH; `herald preview` needs it to find the changed notes.');
    const said = (failure.stderr ?? failure.message).trim().split('\n')[0];
    throw new UsageError(
      `cannot compare with "${base}": git says "${said}". Name a branch or commit that exists (in a workflow, check out with \`fetch-depth: 0\` so the base branch is there).`,
    );
  }
}

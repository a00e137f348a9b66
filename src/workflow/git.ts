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
 * Files changed since the merge base of `base` and HEAD, under `paths`,
 * relative to `cwd`: what the commits since changed and what the working
 * tree changes on top (`git diff --merge-base base`), and files not yet
 * added to git (a note `herald new` just wrote). In a workflow's checkout
 * that is `base...HEAD`; on an author's machine it is also the edit not
 * committed yet. Renames are not detected: two notes alike enough to look
 * renamed are still two notes.
 */
export async function changedFilesSince(base: string, cwd: string, paths: readonly string[]): Promise<ChangedFile[]> {
  if (base === '' || base.startsWith('-') || /[\s\0]/.test(base)) throw new UsageError(`"${base}" is not a git revision.`);
  const git = async (args: string[]) => (await run('git', args, { cwd, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' })).stdout;
  try {
    const head = await headState(cwd);
    if (head === 'outside') throw new UsageError(`${cwd} is not in a git repository; \`herald preview\` finds the changed notes with git: run it in a clone of the notes repository.`);
    // A repository without a commit yet (git init, then the first notes): every note is new.
    if (head === 'unborn') return (await git(['ls-files', '--cached', '--others', '--exclude-standard', '-z', '--', ...paths])).split('\0').filter((file) => file !== '').map((file): ChangedFile => ({ path: file, status: 'added' }));
    const changed = parseNameStatus(await git(['diff', '--name-status', '-z', '--no-renames', '--relative', '--merge-base', base, '--', ...paths]));
    const untracked = (await git(['ls-files', '--others', '--exclude-standard', '-z', '--', ...paths])).split('\0').filter((file) => file !== '');
    const known = new Set(changed.map((file) => file.path));
    return [...changed, ...untracked.filter((file) => !known.has(file)).map((file): ChangedFile => ({ path: file, status: 'added' }))];
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    if (failure.code === 'ENOENT') throw new UsageError('git is not installed or not on PATH; `herald preview` needs it to find the changed notes.');
    const said = (failure.stderr ?? failure.message).trim().split('\n')[0];
    throw new UsageError(
      `cannot compare with "${base}": git says "${said}". Name a branch or commit that exists (in a workflow, check out with \`fetch-depth: 0\` so the base branch is there).`,
    );
  }
}

/** Where `cwd`'s HEAD stands: a commit, no commit yet (`git init` and nothing committed), or no git repository at all. */
async function headState(cwd: string): Promise<'commit' | 'unborn' | 'outside'> {
  try {
    await run('git', ['rev-parse', '--verify', '--quiet', 'HEAD'], { cwd, encoding: 'utf8' });
    return 'commit';
  } catch (error) {
    const failure = error as { code?: unknown; stderr?: string };
    if (failure.code === 'ENOENT') throw error;
    // `--quiet` exits 1 without a word when HEAD names no commit; outside a repository git says so and exits 128.
    return failure.code === 1 && (failure.stderr ?? '').trim() === '' ? 'unborn' : 'outside';
  }
}

/**
 * The branch to compare with when none is named outside a pull request:
 * `main`, else `master`, else the branch the remote's HEAD names
 * (`origin/trunk`); `main` when there is none, so git says what is missing.
 */
export async function defaultBase(cwd: string): Promise<string> {
  const exists = async (ref: string) => {
    try {
      await run('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd, encoding: 'utf8' });
      return true;
    } catch {
      return false;
    }
  };
  for (const branch of ['main', 'master']) if (await exists(branch)) return branch;
  try {
    const remoteHead = (await run('git', ['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD'], { cwd, encoding: 'utf8' })).stdout.trim();
    if (remoteHead !== '') return remoteHead;
  } catch {
    // No remote, or it names no HEAD.
  }
  return 'main';
}

/** git's `user.name` and `user.email` where `cwd` is (repository, then global settings); nothing when git or the setting is missing. */
export async function gitUser(cwd: string): Promise<{ name?: string; email?: string }> {
  const setting = async (key: string) => {
    try {
      const value = (await run('git', ['config', '--get', key], { cwd, encoding: 'utf8' })).stdout.trim();
      return value === '' ? undefined : value;
    } catch {
      return undefined;
    }
  };
  const [name, email] = await Promise.all([setting('user.name'), setting('user.email')]);
  return { ...(name ? { name } : {}), ...(email ? { email } : {}) };
}

/**
 * The GitHub repository (`owner/name`) the `origin` remote of the
 * repository at `cwd` points to, over https or ssh; undefined when there
 * is no git, no such remote, or it is not on github.com.
 */
export async function githubOrigin(cwd: string): Promise<string | undefined> {
  try {
    const url = (await run('git', ['remote', 'get-url', 'origin'], { cwd, encoding: 'utf8' })).stdout.trim();
    return /^(?:https:\/\/(?:[^@/]+@)?github\.com\/|(?:ssh:\/\/)?git@github\.com[:/])([\w.-]+\/[\w.-]+?)(?:\.git)?\/?$/.exec(url)?.[1];
  } catch {
    return undefined;
  }
}

/**
 * A reader of files as they were at the merge base of `base` and HEAD
 * (what a pull request started from): a file's text, or undefined where it
 * did not exist then. Undefined altogether when git cannot name that
 * commit (no git, no such base): callers then do without.
 */
export async function mergeBaseReader(base: string, cwd: string): Promise<((file: string) => Promise<string | undefined>) | undefined> {
  if (base === '' || base.startsWith('-') || /[\s\0]/.test(base)) return undefined;
  let commit: string;
  try {
    commit = (await run('git', ['merge-base', base, 'HEAD'], { cwd, encoding: 'utf8' })).stdout.trim();
  } catch {
    return undefined;
  }
  if (!/^[0-9a-f]{40,64}$/.test(commit)) return undefined;
  return async (file) => {
    try {
      return (await run('git', ['show', `${commit}:./${file}`], { cwd, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' })).stdout;
    } catch {
      return undefined;
    }
  };
}

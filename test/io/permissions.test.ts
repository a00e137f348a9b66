/**
 * Folders the system will not let herald read or write: each refusal names
 * the folder and what herald was doing, with a hint, and never a stack
 * trace. Root ignores file permissions, so under root (as in CI's
 * container) herald runs as `nobody` (util-linux's setpriv), in a project
 * that nobody owns.
 */
import { chmod, chown, copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HeraldError } from '../../src/errors/message.ts';
import { permissionDeniedError } from '../../src/io/permission.ts';
import { runCli, spawnCollected, type CliRun } from '../support/cli.ts';
import { missingTools } from '../support/system.ts';
import { temporaryFolders } from '../support/temp-dirs.ts';

const temporary = temporaryFolders();
const repo = path.resolve(import.meta.dirname, '../..');
const asRoot = process.getuid?.() === 0;
const reason = asRoot ? missingTools('setpriv') : undefined;
/** The user herald runs as under root: `nobody`. */
const nobody = 65534;

/** herald in `cwd`: in-process, or under root as `nobody` in a child process (root is stopped by no permission). */
async function herald(args: string[], { cwd }: { cwd: string }): Promise<CliRun> {
  if (!asRoot) return runCli(args, { cwd });
  const run = spawnCollected('setpriv', [`--reuid=${nobody}`, `--regid=${nobody}`, '--clear-groups', '--', process.execPath, path.join(repo, 'bin/herald.js'), ...args], { cwd, env: { PATH: process.env.PATH, HOME: cwd, LANG: 'C.UTF-8' } });
  const code = await run.exit;
  return { code: code ?? 1, stdout: run.stdout(), stderr: run.stderr() };
}

/** Under root, `folder` and all in it become nobody's, so that only the locks stop herald. */
async function ownedByHerald(folder: string): Promise<void> {
  if (!asRoot) return;
  await chmod(folder, 0o755);
  await chown(folder, nobody, nobody);
  for (const entry of await readdir(folder, { recursive: true })) await chown(path.join(folder, entry), nobody, nobody);
}

// Permissions taken away are given back after each test, or the temporary folders could not be removed.
const locked: string[] = [];
async function lock(folder: string, mode: number): Promise<void> {
  locked.push(folder);
  await chmod(folder, mode);
}
afterEach(async () => {
  for (const folder of locked.splice(0).reverse()) await chmod(folder, 0o755);
});

/** A repository with the bundled config and two bundled notes, one in a sub-folder. */
async function project(): Promise<string> {
  const root = await temporary('herald-permissions-');
  await mkdir(path.join(root, 'notes/2014'), { recursive: true });
  await copyFile(path.join(repo, 'herald.config.yaml'), path.join(root, 'herald.config.yaml'));
  await copyFile(path.join(repo, 'notes/OSSN-0001.md'), path.join(root, 'notes/OSSN-0001.md'));
  await copyFile(path.join(repo, 'notes/OSSN-0002.md'), path.join(root, 'notes/2014/OSSN-0002.md'));
  await ownedByHerald(root);
  return root;
}

function expectNoStackTrace(run: { stdout: string; stderr: string }, what: string): void {
  expect(run.stdout + run.stderr, what).not.toMatch(/internal error|\n\s+at /);
}

describe.skipIf(!!reason)(`a folder herald may not read or write${reason ? ` (${reason})` : ''}`, () => {
  it('a notes folder that cannot be listed fails lint and refuses the build, naming it (not "0 notes", not "no such folder")', async () => {
    const root = await project();
    await lock(path.join(root, 'notes'), 0o000);
    const said = 'notes:1:1  error  notes-folder-unreadable  Cannot list the folder notes: permission was denied (EACCES)';
    for (const command of [['lint'], ['lint', '--no-cache'], ['build'], ['list']]) {
      const run = await herald(command, { cwd: root });
      expect([run.code, run.stderr], command.join(' ')).toEqual([1, expect.stringContaining(said)]);
      expect(run.stderr, command.join(' ')).toContain('hint: Let the user herald runs as list and enter the folder');
      expectNoStackTrace(run, command.join(' '));
    }
    expect(existsSync(path.join(root, 'dist'))).toBe(false);
    const json = await herald(['lint', '--json'], { cwd: root });
    expect(JSON.parse(json.stdout)).toMatchObject([{ file: 'notes', ruleId: 'notes-folder-unreadable' }]);
  });

  it('every sub-folder that cannot be listed is named in one run; a folder on the way that may not be entered is named as such', async () => {
    const root = await project();
    await mkdir(path.join(root, 'notes/2015'));
    await lock(path.join(root, 'notes/2014'), 0o000);
    // Entered but not listed.
    await lock(path.join(root, 'notes/2015'), 0o311);
    const run = await herald(['lint'], { cwd: root });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('notes/2014:1:1  error  notes-folder-unreadable  Cannot list the folder notes/2014: permission was denied (EACCES)');
    expect(run.stderr).toContain('notes/2015:1:1  error  notes-folder-unreadable  Cannot list the folder notes/2015: permission was denied (EACCES)');
    expectNoStackTrace(run, 'lint');

    await mkdir(path.join(root, 'archive/notes'), { recursive: true });
    await lock(path.join(root, 'archive'), 0o000);
    for (const command of [['lint', 'archive/notes'], ['build', '--notes', 'archive/notes']]) {
      const behind = await herald(command, { cwd: root });
      expect([behind.code, behind.stderr], command.join(' ')).toEqual([1, expect.stringContaining('archive/notes:1:1  error  notes-folder-unreadable  Cannot reach archive/notes: permission was denied (EACCES); archive, on its way, may not be entered')]);
    }
  });

  it('an output folder that cannot be written stops the build naming the file, the operation and the folder to fix; the previous output stays', async () => {
    const root = await project();
    const first = await herald(['build'], { cwd: root });
    expect(first.code, first.stderr).toBe(0);
    const page = path.join(root, 'dist/site/advisories/OSSN-0001/index.html');
    const before = await readFile(page, 'utf8');
    const note = path.join(root, 'notes/OSSN-0001.md');
    await writeFile(note, (await readFile(note, 'utf8')) + '\nOne more line.\n');
    await lock(path.join(root, 'dist/site'), 0o000);
    // Rendered on workers, whose errors cross to the build as text: the path and the operation come along.
    for (const workers of ['0', '1']) {
      const run = await herald(['build', '--workers', workers], { cwd: root });
      expect(run.code, `--workers ${workers}`).toBe(1);
      expect(run.stderr, `--workers ${workers}`).toMatch(/^dist:1:1 {2}error {2}build-write-failed {2}The build could not write its files: permission was denied \(EACCES\) \((making the folder|writing) dist\/site\/\S+\)$/m);
      expect(run.stderr, `--workers ${workers}`).toContain('hint: Give the user herald runs as permission to enter and write dist/site (');
      expectNoStackTrace(run, `--workers ${workers}`);
    }
    await chmod(path.join(root, 'dist/site'), 0o755);
    expect(await readFile(page, 'utf8')).toBe(before);

    await lock(path.join(root, 'dist'), 0o555);
    const run = await herald(['build'], { cwd: root });
    expect([run.code, run.stderr]).toEqual([1, expect.stringContaining('dist:1:1  error  output-unwritable  The output folder cannot be written: dist (EACCES)')]);
  });

  it('herald new into a notes folder that cannot be written names the folder, not a stack trace', async () => {
    const root = await project();
    await lock(path.join(root, 'notes'), 0o555);
    const run = await herald(['new', 'A note'], { cwd: root });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('notes/OSSN-XXXX-a-note.md:1:1  error  permission-denied  Cannot create notes/OSSN-XXXX-a-note.md: permission was denied (EACCES); the folder notes may not be written');
    expectNoStackTrace(run, 'new');
  });

  it('herald init into a folder that cannot be written or entered is permission-denied (exit 1, not a usage error), saying what was written', async () => {
    const root = await temporary('herald-permissions-init-');
    await mkdir(path.join(root, 'locked'));
    await mkdir(path.join(root, 'shut'));
    await ownedByHerald(root);
    await lock(path.join(root, 'locked'), 0o555);
    await lock(path.join(root, 'shut'), 0o000);
    const refused = [
      ['locked/acme', 'locked/acme:1:1  error  permission-denied  Cannot make the folder locked/acme: permission was denied (EACCES)', 'no file was written'],
      ['locked', 'locked/.github:1:1  error  permission-denied  Cannot make the folder locked/.github: permission was denied (EACCES)', 'no file was written'],
      ['shut/acme', 'shut/acme:1:1  error  permission-denied  Cannot reach shut/acme: permission was denied (EACCES); shut, on its way, may not be entered', 'nothing was written'],
    ];
    for (const [target, said, left] of refused) {
      const run = await herald(['init', target!], { cwd: root });
      expect([run.code, run.stderr], target).toEqual([1, expect.stringContaining(`${said}\n`)]);
      expect(run.stderr, target).toContain(`\nherald: ${left}\n`);
      expectNoStackTrace(run, target!);
    }
    await chmod(path.join(root, 'shut'), 0o755);
    expect([await readdir(path.join(root, 'locked')), await readdir(path.join(root, 'shut'))]).toEqual([[], []]);
  });
});

describe('permissionDeniedError', () => {
  it('names the path, the operation and the system\'s reason, relative to the working folder', () => {
    const cwd = path.resolve(repo, 'notes');
    const refusal = (fields: object) => permissionDeniedError(Object.assign(new Error('EACCES'), { code: 'EACCES', ...fields }) as NodeJS.ErrnoException & { path: string }, cwd);
    const made = refusal({ syscall: 'mkdir', path: path.join(cwd, 'new-folder') });
    expect(made).toBeInstanceOf(HeraldError);
    expect(made.messages).toEqual([expect.objectContaining({ file: 'new-folder', line: 1, column: 1, ruleId: 'permission-denied', message: 'Cannot make the folder new-folder: permission was denied (EACCES)' })]);
    expect(refusal({ syscall: 'rename', code: 'EPERM', path: path.join(cwd, 'OSSN-XXXX.md'), dest: path.join(cwd, 'OSSN-0008.md') }).messages[0]!.message).toBe('Cannot rename OSSN-XXXX.md to OSSN-0008.md: the operation was not permitted (EPERM)');
    expect(refusal({ syscall: 'open', path: path.join(cwd, 'not-there-yet.md') }).messages[0]!.message).toBe('Cannot create not-there-yet.md: permission was denied (EACCES); the folder . may not be written');
    expect(refusal({ syscall: 'open', path: '/elsewhere/file' }).messages[0]).toMatchObject({ file: '/elsewhere/file', message: expect.stringMatching(/^Cannot create \/elsewhere\/file: /) });
  });
});

/**
 * The compiled code in dist-js/ (scripts/compile.ts, chosen by
 * bin/compiled.js): it runs only while src/ and templates/ are as they were compiled, and it
 * behaves as the sources do. Works on a copy of the package, so the
 * repository's own dist-js/ is left alone.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProgram } from '../../src/cli/main.ts';
import { processContext } from '../../src/cli/context.ts';
import { runCli } from '../support/cli.ts';
import { filesUnder } from '../support/files-under.ts';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '../..');
const copy = mkdtempSync(path.join(tmpdir(), 'herald-compiled-'));
const description = 'Print the JSON Schema of note and blog-post front matter';
const marker = 'COMPILED-CODE-RAN';

async function herald(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const { stdout } = await run(process.execPath, [path.join(copy, 'bin/herald.js'), ...args], { cwd: copy, env: { ...process.env, HERALD_FROM_SOURCE: '', ...env } });
  return stdout;
}

beforeAll(async () => {
  for (const entry of ['bin', 'scripts', 'src', 'templates', 'site', 'package.json', 'tsconfig.json']) {
    cpSync(path.join(repo, entry), path.join(copy, entry), { recursive: true, preserveTimestamps: true });
  }
  symlinkSync(path.join(repo, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
  await run(process.execPath, ['bin/run-ts.js', 'scripts/compile.ts'], { cwd: copy });
}, 120_000);
afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe('compiled code', () => {
  it('carries the digest of the sources it was compiled from', () => {
    const stamp = JSON.parse(readFileSync(path.join(copy, 'dist-js/stamp.json'), 'utf8')) as { digest: string };
    const code = readdirSync(path.join(copy, 'dist-js')).filter((f) => f.endsWith('.js')).map((f) => readFileSync(path.join(copy, 'dist-js', f), 'utf8'));
    expect(stamp.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(code.some((text) => text.includes(JSON.stringify(stamp.digest)))).toBe(true);
  });

  it('prints the same --help as the sources, for the program and every command', async () => {
    const paths: string[][] = [[]];
    const walk = (command: ReturnType<typeof createProgram>, prefix: string[]) => {
      for (const sub of command.commands) {
        paths.push([...prefix, sub.name()]);
        walk(sub, [...prefix, sub.name()]);
      }
    };
    walk(createProgram(processContext()), []);
    for (const command of paths) {
      const expected = await runCli([...command, '--help']);
      expect(await herald([...command, '--help']), command.join(' ')).toBe(expected.stdout);
    }
    expect((await herald(['--version'])).trim()).toBe(JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')).version);
  });

  it('starts the build’s workers on the compiled code too, and they build what the sources build', { timeout: 120_000 }, async () => {
    const worker = path.join(copy, 'dist-js/note-worker.js');
    const original = readFileSync(worker, 'utf8');
    const marks = path.join(copy, 'worker-marks.txt');
    writeFileSync(worker, `import { appendFileSync as markRun } from 'node:fs';\nmarkRun(${JSON.stringify(marks)}, 'compiled worker\\n');\n${original}`);
    const project = mkdtempSync(path.join(tmpdir(), 'herald-compiled-build-'));
    try {
      cpSync(path.join(repo, 'notes'), path.join(project, 'notes'), { recursive: true });
      cpSync(path.join(repo, 'herald.config.yaml'), path.join(project, 'herald.config.yaml'));
      const env = { ...process.env, HERALD_FROM_SOURCE: '', HERALD_NOW: '2026-01-15T12:00:00Z' };
      await run(process.execPath, [path.join(copy, 'bin/herald.js'), 'build', '--workers', '2', '--out', 'compiled', '--no-cache'], { cwd: project, env });
      expect(readFileSync(marks, 'utf8').trim().split('\n')).toEqual(['compiled worker', 'compiled worker']);
      await run(process.execPath, [path.join(copy, 'bin/herald.js'), 'build', '--workers', '2', '--out', 'sources', '--no-cache'], { cwd: project, env: { ...env, HERALD_FROM_SOURCE: '1' } });
      expect(readFileSync(marks, 'utf8').trim().split('\n')).toHaveLength(2);
      const tree = (out: string) => filesUnder(path.join(project, out)).filter((file) => !file.startsWith('.herald-manifest')).sort();
      expect(tree('compiled')).toEqual(tree('sources'));
      for (const file of tree('compiled')) expect(readFileSync(path.join(project, 'compiled', file)).equals(readFileSync(path.join(project, 'sources', file))), file).toBe(true);
    } finally {
      writeFileSync(worker, original);
      rmSync(marks, { force: true });
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('starts `herald build`’s first worker before the CLI loads, and the build takes it; a command that does not take it exits as before', { timeout: 180_000 }, async () => {
    const marks = path.join(copy, 'early-marks.txt');
    const patched = ['early-worker.js', 'note-worker.js'].map((name) => {
      const file = path.join(copy, 'dist-js', name);
      const original = readFileSync(file, 'utf8');
      writeFileSync(file, `import { appendFileSync as markRun } from 'node:fs';\nmarkRun(${JSON.stringify(marks)}, '${name}\\n');\n${original}`);
      return { file, original };
    });
    const project = mkdtempSync(path.join(tmpdir(), 'herald-compiled-early-'));
    const herald = async (args: string[]) => {
      rmSync(marks, { force: true });
      const done = await run(process.execPath, [path.join(copy, 'bin/herald.js'), ...args], { cwd: project, env: { ...process.env, HERALD_FROM_SOURCE: '', HERALD_NOW: '2026-01-15T12:00:00Z' } }).then(
        () => 0,
        (error: { code?: number }) => error.code ?? -1,
      );
      let lines: string[] = [];
      try {
        lines = readFileSync(marks, 'utf8').trim().split('\n');
      } catch {}
      return { code: done, marks: lines.sort() };
    };
    try {
      cpSync(path.join(repo, 'notes'), path.join(project, 'notes'), { recursive: true });
      cpSync(path.join(repo, 'herald.config.yaml'), path.join(project, 'herald.config.yaml'));
      // One worker, the early one: the pool starts none of its own.
      expect(await herald(['build', '--workers', '1'])).toEqual({ code: 0, marks: ['early-worker.js', 'note-worker.js'] });
      expect(await herald(['build', '--workers', '1'])).toMatchObject({ code: 0 });
      expect(await herald(['build', '--workers', '0', '--out', 'in-process'])).toEqual({ code: 0, marks: [] });
      expect(await herald(['build', '--help'])).toEqual({ code: 0, marks: [] });
      // A usage error exits 2 at once, the early worker unreferenced: whether that worker got as far as
      // loading note-worker.js before the exit is a matter of timing, so only its start is asserted.
      const usage = await herald(['build', '--no-such-option']);
      expect(usage.code).toBe(2);
      expect(usage.marks).toContain('early-worker.js');
      const note = path.join(project, 'notes/OSSN-0001.md');
      writeFileSync(note, readFileSync(note, 'utf8').replace(/^date: .*$/m, 'date: not-a-date'));
      expect(await herald(['build'])).toMatchObject({ code: 1, marks: ['early-worker.js', 'note-worker.js'] });
    } finally {
      for (const { file, original } of patched) writeFileSync(file, original);
      rmSync(marks, { force: true });
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('runs only while src/ and templates/ are unchanged, so an edit always runs', async () => {
    // Mark the compiled code, to see which one runs.
    const compiled = path.join(copy, 'dist-js');
    const holder = readdirSync(compiled).find((f) => f.endsWith('.js') && readFileSync(path.join(compiled, f), 'utf8').includes(description));
    expect(holder).toBeDefined();
    const file = path.join(compiled, holder!);
    writeFileSync(file, readFileSync(file, 'utf8').replace(description, marker));
    expect(await herald(['--help'])).toContain(marker);
    expect(await herald(['--help'], { HERALD_FROM_SOURCE: '1' })).not.toContain(marker);

    // A file added under src/ makes it stale; removing it again makes it fresh.
    const added = path.join(copy, 'src/added.ts');
    writeFileSync(added, 'export {};\n');
    expect(await herald(['--help'])).not.toContain(marker);
    unlinkSync(added);
    expect(await herald(['--help'])).toContain(marker);

    // So does one under templates/: the compiled code carries herald's templates precompiled.
    const partial = path.join(copy, 'templates/site/partials/added.hbs');
    writeFileSync(partial, 'added\n');
    expect(await herald(['--help'])).not.toContain(marker);
    unlinkSync(partial);
    expect(await herald(['--help'])).toContain(marker);

    // An edited source runs at once.
    const source = path.join(copy, 'src/cli/commands/schema.ts');
    writeFileSync(source, readFileSync(source, 'utf8').replace(description, 'EDITED-SOURCE-RAN'));
    const help = await herald(['--help']);
    expect(help).toContain('EDITED-SOURCE-RAN');
    expect(help).not.toContain(marker);
  });
});

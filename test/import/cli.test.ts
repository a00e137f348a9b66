import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

const wikiNote = path.join(import.meta.dirname, 'fixtures', 'OSSN-0994.wiki');

describe('herald import ossn', () => {
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'herald-import-cli-'));
  });

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('has help for the command and the subcommand', async () => {
    const command = await runCli(['import', '--help'], { cwd: work });
    expect(command.code).toBe(0);
    expect(command.stdout).toContain('ossn [options] <paths...>');
    const sub = await runCli(['import', 'ossn', '--help'], { cwd: work });
    expect(sub.code).toBe(0);
    expect(sub.stdout).toContain('--out <dir>');
  });

  it('says a folder it cannot write in (a file on its way, or under /proc) once, with its reason, and stops', async () => {
    await writeFile(path.join(work, 'blocker'), 'a file\n');
    for (const out of ['blocker/notes', '/proc/herald-no-such/notes']) {
      const run = await runCli(['import', 'ossn', wikiNote, '--out', out], { cwd: work });
      expect(run.code, out).toBe(1);
      expect(run.stdout + run.stderr, out).toMatch(new RegExp(`^${out}:1:1  error  import-out-unwritable  ${out}/OSSN-0994\\.md cannot be written: .* \\((ENOTDIR|ENOENT)\\); the notes after it were not imported$`, 'm'));
      expect(run.stdout + run.stderr, out).toContain('0 note(s) written');
      expect(run.stdout + run.stderr, out).not.toMatch(/\n\s+at /);
    }
  });

  it('imports, prints a JSON report, refuses to overwrite without --force', async () => {
    const first = await runCli(['import', 'ossn', wikiNote, '--out', 'notes', '--json'], { cwd: work });
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout) as { imported: { id: string; path: string; written: boolean }[]; messages: { ruleId: string; severity: string }[] };
    expect(report.imported).toEqual([expect.objectContaining({ id: 'OSSN-0994', path: path.join('notes', 'OSSN-0994.md'), written: true })]);
    expect(report.messages.map((m) => m.ruleId)).toContain('import-date-unknown');
    expect(report.messages.every((m) => m.severity === 'warning')).toBe(true);
    expect(first.stderr).toContain('herald: importing 1 file(s) into notes');

    const again = await runCli(['import', 'ossn', wikiNote, '--out', 'notes', '--json'], { cwd: work });
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout).messages).toContainEqual(expect.objectContaining({ ruleId: 'import-target-exists', severity: 'error' }));

    const forced = await runCli(['import', 'ossn', wikiNote, '--out', 'notes', '--force', '--date', '2015-06-01'], { cwd: work });
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain(`imported OSSN-0994  ${wikiNote} -> ${path.join('notes', 'OSSN-0994.md')}`);
    expect(forced.stdout).not.toContain('import-date-unknown');
    expect(await readFile(path.join(work, 'notes', 'OSSN-0994.md'), 'utf8')).toContain('\ndate: 2015-06-01\n');
    // Announced long ago, without a release: publish would announce them again but for publish.announce_from.
    expect(forced.stderr).toContain('set publish.announce_from in the config to a day after their date (2015-06-01), for example 2015-06-02');
    await writeFile(path.join(work, 'adopted.yaml'), 'publish:\n  announce_from: 2015-06-02\n');
    const adopted = await runCli(['import', 'ossn', wikiNote, '--out', 'notes', '--force', '--date', '2015-06-01', '--config', 'adopted.yaml'], { cwd: work });
    expect(adopted.code).toBe(0);
    expect(adopted.stderr).not.toContain('announce_from');
  });

  it('lints what it imported: the notes pass herald lint', async () => {
    await runCli(['import', 'ossn', wikiNote, '--out', 'linted', '--date', '2015-06-01'], { cwd: work });
    const lint = await runCli(['lint', 'linted'], { cwd: work });
    expect(lint.stdout).not.toContain('error');
    expect(lint.code).toBe(0);
  });

  it('reports a file that is not a legacy note, and a missing path, with exit code 1', async () => {
    await writeFile(path.join(work, 'letter.txt'), 'Dear team,\n\nnothing to see here.\n');
    const result = await runCli(['import', 'ossn', 'letter.txt', 'missing-folder', '--out', 'notes2'], { cwd: work });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('letter.txt:1:1  error  import-unrecognized');
    expect(result.stdout).toContain('missing-folder:1:1  error  file-unreadable');
  });

  it('skips the OSSN template named among the notes (DIR/*) as its folder skips it, and refuses it named alone', async () => {
    const folder = path.join(work, 'security-notes');
    await mkdir(folder);
    await writeFile(path.join(folder, 'template.txt'), 'Title (single sentence)\n---\n\n### Summary ###\nA few sentences describing the issue at a high level.\n');
    await copyFile(wikiNote, path.join(folder, 'OSSN-0994.wiki'));
    const imported = async (out: string, ...paths: string[]) => {
      const result = await runCli(['import', 'ossn', ...paths, '--out', out, '--date', '2015-06-01', '--json'], { cwd: work });
      const report = JSON.parse(result.stdout) as { imported: { id: string; path: string }[]; messages: { file: string; ruleId: string; severity: string; message: string }[] };
      return { code: result.code, imported: report.imported.map(({ id, path }) => `${id} ${path}`), template: report.messages.filter((m) => m.file.endsWith('template.txt')), written: await readdir(path.join(work, out)).catch(() => []) };
    };
    const fromFolder = await imported('from-folder', 'security-notes');
    expect(fromFolder).toEqual({ code: 0, imported: [`OSSN-0994 ${path.join('from-folder', 'OSSN-0994.md')}`], template: [], written: ['OSSN-0994.md'] });

    const fromFiles = await imported('from-files', path.join('security-notes', 'OSSN-0994.wiki'), path.join('security-notes', 'template.txt'));
    expect(fromFiles).toEqual({
      code: 0,
      imported: [`OSSN-0994 ${path.join('from-files', 'OSSN-0994.md')}`],
      template: [{ file: path.join('security-notes', 'template.txt'), line: 1, column: 1, severity: 'warning', ruleId: 'import-template-skipped', message: `${path.join('security-notes', 'template.txt')} is the OSSN template (its title is "Title (single sentence)"), not a note: skipped, as it is when its folder is named`, hint: expect.stringContaining('herald import ossn DIR') }],
      written: ['OSSN-0994.md'],
    });

    const alone = await imported('from-template', path.join('security-notes', 'template.txt'));
    expect(alone).toMatchObject({ code: 1, imported: [], template: [{ severity: 'error', ruleId: 'import-template-only', message: expect.stringContaining('not a note: nothing was imported') }], written: [] });
  });

  it("skips a file beside the notes that is plainly none (the folder's README.md, as DIR/* names it), and refuses it when no file was a note", async () => {
    const folder = path.join(work, 'with-readme');
    await mkdir(folder);
    await writeFile(path.join(folder, 'README.md'), '# Security notes\n\nOne file per note, named by its id.\n');
    await writeFile(path.join(folder, 'OSSN-0995.txt'), 'Dear team,\n\nnot a note, but named like one.\n');
    await copyFile(wikiNote, path.join(folder, 'OSSN-0994.wiki'));
    const run = async (out: string, ...names: string[]) => {
      const result = await runCli(['import', 'ossn', ...names.map((name) => path.join('with-readme', name)), '--out', out, '--date', '2015-06-01', '--json'], { cwd: work });
      const report = JSON.parse(result.stdout) as { imported: { id: string }[]; messages: { file: string; ruleId: string; severity: string; message: string }[] };
      const about = report.messages.filter((m) => /(README\.md|OSSN-0995\.txt)$/.test(m.file)).map(({ file, severity, ruleId, message }) => ({ file: path.basename(file), severity, ruleId, message }));
      return { code: result.code, imported: report.imported.map(({ id }) => id), about };
    };
    const readme = path.join('with-readme', 'README.md');

    expect(await run('glob', 'OSSN-0994.wiki', 'README.md')).toEqual({
      code: 0,
      imported: ['OSSN-0994'],
      about: [{ file: 'README.md', severity: 'warning', ruleId: 'import-not-a-note-skipped', message: `${readme} is neither written nor named like a legacy note: skipped, as it is when its folder is named` }],
    });
    // Named like a note, a file is a broken note, never skipped.
    expect(await run('named', 'OSSN-0994.wiki', 'OSSN-0995.txt', 'README.md')).toMatchObject({
      code: 1,
      about: [{ file: 'OSSN-0995.txt', severity: 'error', ruleId: 'import-unrecognized' }, { file: 'README.md', severity: 'warning', ruleId: 'import-not-a-note-skipped' }],
    });
    // Nothing but files that are not notes: nothing to skip them for.
    expect(await run('alone', 'README.md')).toMatchObject({ code: 1, imported: [], about: [{ file: 'README.md', severity: 'error', ruleId: 'import-unrecognized' }] });
  });

  it('refuses binary and oversized files before reading them as notes', async () => {
    await writeFile(path.join(work, 'OSSN-0001'), Buffer.from([0x23, 0x00, 0x01]));
    await writeFile(path.join(work, 'OSSN-0002'), `Title\n---\n\n### Summary ###\n${'x'.repeat(300 * 1024)}\n`);
    const result = await runCli(['import', 'ossn', 'OSSN-0001', 'OSSN-0002', '--out', 'notes3'], { cwd: work });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('OSSN-0001:1:1  error  file-binary');
    expect(result.stdout).toContain('OSSN-0002:1:1  error  file-too-large');
  });

  it('names the mailing lists given with --list, so updates of the imported notes are mailed', async () => {
    await writeFile(path.join(work, 'lists.yaml'), ['mail:', '  from: Team <security@example.org>', '  domain: example.org', '  lists:', '    - { name: announce, address: a@lists.example.org }', '    - { name: discuss, address: d@lists.example.org }', ''].join('\n'));
    const without = await runCli(['import', 'ossn', wikiNote, '--out', 'listed', '--date', '2015-06-01', '-c', 'lists.yaml'], { cwd: work });
    expect(without.code).toBe(0);
    expect(without.stdout).toContain('list-none');
    expect(without.stderr).toContain('import again with --force --list announce');

    const listed = await runCli(['import', 'ossn', wikiNote, '--out', 'listed', '--date', '2015-06-01', '-c', 'lists.yaml', '--force', '--list', 'discuss', '--list', 'announce', '--list', 'discuss'], { cwd: work });
    expect(listed.code).toBe(0);
    expect(listed.stdout).not.toContain('list-none');
    expect(listed.stderr).not.toContain('--list');
    expect(await readFile(path.join(work, 'listed', 'OSSN-0994.md'), 'utf8')).toContain('\nlists: [discuss, announce]\n---\n');

    const unknown = await runCli(['import', 'ossn', wikiNote, '--out', 'listed', '-c', 'lists.yaml', '--force', '--list', 'annouce'], { cwd: work });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--list annouce: not configured under mail.lists (configured: announce, discuss)');
  });

  it('rejects a malformed --date as a usage error', async () => {
    const result = await runCli(['import', 'ossn', wikiNote, '--date', '2015-13-01'], { cwd: work });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--date must be a calendar date written YYYY-MM-DD');
  });
});

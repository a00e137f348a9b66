/**
 * Text written as a link that CommonMark reads as text (a space or a line
 * break in its destination): lint warns at its `[`, with the destination
 * written as %20 or in angle brackets. Bracketed text that is no link, and
 * code, are never flagged.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintWithCache } from '../../src/build/cached-lint.ts';
import { defaultConfig } from '../../src/config/load.ts';
import { lintNote } from '../../src/lint/run.ts';
import { parseNote } from '../../src/model/load.ts';
import { runCli } from '../support/cli.ts';
import { temporaryFolders } from '../support/temp-dirs.ts';

const now = new Date('2024-02-01T00:00:00Z');
const temporary = temporaryFolders();

const note = (body: string) => `---\nid: OSSN-0001\ntitle: An example\ndate: 2024-01-01\nstatus: draft\n---\n\n## Summary\n\n${body}\n`;

function unparsed(body: string) {
  const config = defaultConfig();
  return lintNote(parseNote('notes/OSSN-0001.md', note(body), { config, now }), config, now)
    .filter((m) => m.ruleId === 'link-not-parsed')
    .map(({ line, column, severity, message, hint }) => ({ line, column, severity, message, hint }));
}

describe('link-not-parsed', () => {
  it('points at the [ of a link whose destination holds a space, with the two ways to write it', () => {
    expect(unparsed('See the [rfc](https://example.org/a b) first.')).toEqual([
      {
        line: 10,
        column: 9,
        severity: 'warning',
        message: '"[rfc](https://example.org/a b)" is not read as a link: its destination holds a space, so the page shows it as text, brackets and all',
        hint: 'Write the space as %20, [rfc](https://example.org/a%20b), or put the destination in angle brackets, [rfc](<https://example.org/a b>).',
      },
    ]);
  });

  it('finds it with a line break, after emphasis, in lists, tables and headings, and to another note', () => {
    const body = [
      'The [spec](https://example.org/x',
      'y) and *the* [**other**](OSSN-0002.md#a b).',
      '',
      '- [x] done, see [it](www.example.org/a b)',
      '',
      '| a | b |',
      '|---|---|',
      '| [c](https://example.org/c d) | x |',
      '',
      '### The [d](#a b) heading',
    ].join('\n');
    expect(unparsed(body).map((m) => `${m.line}:${m.column} ${m.message.replace(/ is not read.*/, '')}`)).toEqual([
      '10:5 "[spec](https://example.org/x y)"',
      '11:14 "[**other**](OSSN-0002.md#a b)"',
      '13:17 "[it](www.example.org/a b)"',
      '17:3 "[c](https://example.org/c d)"',
      '19:9 "[d](#a b)"',
    ]);
    expect(unparsed('The [spec](https://example.org/x\ny).')[0]!.hint).toBe(
      'Write the destination on one line, a space as %20, [spec](https://example.org/x%20y), or put the destination in angle brackets, [spec](<https://example.org/x y>).',
    );
  });

  it('says nothing of bracketed text that is no link, of escaped brackets, of links CommonMark reads, and of code', () => {
    const body = [
      'As [1] says, [x] task, run [ -f a ] (or [[ -f a ]]) in prose; [see] (the manual) and [the note](about the bug).',
      '`[rfc](https://example.org/a b)` and \\[esc\\](https://example.org/a b) and ![logo](https://example.org/a b.png).',
      '[ok](<https://example.org/a b>), [ok](https://example.org/a%20b), [ok](https://example.org/a "Title"), [ok](https://example.org/a ).',
      '',
      '```',
      '[rfc](https://example.org/a b)',
      '```',
      '',
      '    [rfc](https://example.org/a b)',
      '',
      '<p>[rfc](https://example.org/a b)</p>',
    ].join('\n');
    expect(unparsed(body)).toEqual([]);
  });

  it('is said the same in-process, on workers, from the build cache and for one file', async () => {
    const dir = await temporary('herald-link-not-parsed-');
    await mkdir(path.join(dir, 'notes'));
    await writeFile(path.join(dir, 'notes/OSSN-0001.md'), note('See `[rfc](https://example.org/a b)`, then [rfc](https://example.org/a b).'));
    const expected = ['notes/OSSN-0001.md:10:44  warning  link-not-parsed  "[rfc](https://example.org/a b)" is not read as a link: its destination holds a space, so the page shows it as text, brackets and all'];
    const lines = (stdout: string) => stdout.split('\n').filter((line) => line.includes('link-not-parsed'));
    const fresh = await runCli(['lint', '--no-cache'], { cwd: dir, now: now.toISOString() });
    expect(lines(fresh.stdout)).toEqual(expected);
    expect(lines((await runCli(['lint', 'notes/OSSN-0001.md', '--no-cache'], { cwd: dir, now: now.toISOString() })).stdout)).toEqual(expected);
    const pooled = await lintWithCache(['notes'], { config: defaultConfig(), now, cwd: dir, cacheDir: null, workers: 1, poolFrom: 1 });
    expect(pooled.messages.filter((m) => m.ruleId === 'link-not-parsed').map((m) => `${m.file}:${m.line}:${m.column}`)).toEqual(['notes/OSSN-0001.md:10:44']);
    await runCli(['build'], { cwd: dir, now: now.toISOString() });
    expect(lines((await runCli(['lint'], { cwd: dir, now: now.toISOString() })).stdout)).toEqual(expected);
  });
});

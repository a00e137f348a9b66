/**
 * A one-off build after an edit to a note's text reads the heavy records
 * of the notes the files it makes again show, by offset, and no other
 * (`src/build/light-patch.ts`): a damaged record of a note those files do
 * not show goes unnoticed by it, and the output is still a cold build's. A
 * build that must make the aggregates whole reads every record, finds the
 * damage and renders that note again. `serve --watch` (`resident`) always
 * reads every record. A build refused for an error reads none either: it
 * appends the records of the notes it rendered, and leaves the others
 * where they are.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetAggregateMemo } from '../../src/build/aggregate-memo.ts';
import { build } from '../../src/build/build.ts';
import { HeraldError } from '../../src/errors/message.ts';
import type { Config } from '../../src/config/schema.ts';
import { asciiJson } from '../../src/io/ascii-json.ts';
import { generatedProject } from '../support/generated-project.ts';
import { filesUnder } from '../support/files-under.ts';
import { expectSameOutput } from '../support/output-tree.ts';

const count = 60;

describe('one-note rebuild from the light index', { timeout: 300_000 }, () => {
  let dir: string;
  let config: Config;
  const now = new Date('2026-01-15T12:00:00Z');
  const run = (out: string, options: { cache?: false; resident?: boolean } = {}) => build({ notes: ['notes'], out, config, now, cwd: dir, workers: 0, ...options });
  const note = (id: string) => path.join(dir, 'notes', `${id}.md`);
  const edit = (id: string, change: (text: string) => string) => writeFileSync(note(id), change(readFileSync(note(id), 'utf8')));
  const addSentence = (id: string, step: number) => edit(id, (text) => text.replace('## Summary\n', `## Summary\n\nA sentence added at step ${step}.\n`));
  const cache = (file: string) => path.join(dir, '.herald-cache', file);
  const expectSameAsCold = async () => {
    await run('cold', { cache: false });
    expectSameOutput(path.join(dir, 'dist'), path.join(dir, 'cold'));
    rmSync(path.join(dir, 'cold'), { recursive: true, force: true });
  };
  /** The aggregate memo's entry lines (`[name, entry]`; an entry a tuple, or a spliced file's changed pieces), in order. */
  const memoLines = () =>
    readFileSync(cache('aggregates.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('['))
      .map((line) => JSON.parse(line) as [string, [string, string, { lengths: number[] } | null, unknown?, { members: string[] }?] | { pieces: unknown[] }]);
  /** The slugs the aggregate memo's recipes show beside `slug`'s: the records a patch for an edit of it reads. */
  const shownBeside = (slug: string) => {
    const members = new Set<string>();
    for (const [, entry] of memoLines()) if (Array.isArray(entry) && entry[4]?.members.includes(slug)) for (const member of entry[4].members) members.add(member);
    return members;
  };
  /** Gives a note's heavy record (its last line in records.jsonl) another key of the same length, in place: a record that is not its note's. */
  const damageRecord = (notePath: string) => {
    const file = cache('records.jsonl');
    const text = readFileSync(file, 'latin1');
    const start = text.lastIndexOf(`\n[${JSON.stringify(notePath)},`) + 1;
    const keyAt = text.indexOf('"key":"', start) + '"key":"'.length;
    const damaged = text.slice(0, keyAt) + (text[keyAt] === '0' ? '1' : '0') + text.slice(keyAt + 1);
    writeFileSync(file, damaged, 'latin1');
  };

  beforeAll(async () => {
    ({ dir, config } = await generatedProject('herald-light-', count));
    await run('dist');
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads only the records of the notes the files it makes again show; a build of every aggregate reads them all', async () => {
    const ids = filesUnder(path.join(dir, 'notes')).map((name) => name.replace(/\.md$/, '')).sort();
    const edited = ids[0]!;
    const beside = shownBeside(edited);
    const unseen = ids.find((id) => !beside.has(id));
    expect(unseen, 'a note no file that shows the edited one shows').toBeDefined();

    addSentence(edited, 1);
    damageRecord(`notes/${unseen}.md`);
    const light = await run('dist');
    expect(light).toMatchObject({ rendered: 1, aggregates: { patched: true } });
    await expectSameAsCold();

    // A title shows in the listings: every aggregate is made, from every record, and the damaged one (left as it was) is found.
    edit(edited, (text) => text.replace(/^title: .*$/m, 'title: A title changed by the light rebuild test'));
    const whole = await run('dist');
    expect(whole).toMatchObject({ rendered: 2, aggregates: { patched: false } });
    await expectSameAsCold();

    // The light build appended to the records it did not rewrite: the next one reads them back by offset.
    addSentence(ids[1]!, 2);
    expect(await run('dist')).toMatchObject({ rendered: 1, aggregates: { patched: true } });
    addSentence(ids[2]!, 3);
    expect(await run('dist')).toMatchObject({ rendered: 1, aggregates: { patched: true } });
    await expectSameAsCold();
  });

  it('in serve --watch (resident), reads every record, as the next build of the process needs them', async () => {
    const ids = filesUnder(path.join(dir, 'notes')).map((name) => name.replace(/\.md$/, '')).sort();
    const edited = ids[3]!;
    const unseen = ids.find((id) => !shownBeside(edited).has(id))!;
    addSentence(edited, 4);
    damageRecord(`notes/${unseen}.md`);
    // Its damaged record found, that note is rendered again (and, its record unknown, the aggregates made whole).
    expect(await run('dist', { resident: true })).toMatchObject({ rendered: 2 });
    await expectSameAsCold();
  });

  it('refused for an error, appends the records of the notes it rendered and reads no other', async () => {
    const ids = filesUnder(path.join(dir, 'notes')).map((name) => name.replace(/\.md$/, '')).sort();
    const [broken, edited] = [ids[5]!, ids[6]!];
    const unseen = ids.find((id) => !shownBeside(broken).has(id) && !shownBeside(edited).has(id) && id !== broken && id !== edited)!;
    const lightLineOf = (id: string) => readFileSync(cache('index.jsonl'), 'utf8').split('\n').find((line) => line.startsWith(`[${JSON.stringify(`notes/${id}.md`)},`));
    damageRecord(`notes/${unseen}.md`);
    const unseenBefore = lightLineOf(unseen);
    const recordsBefore = readFileSync(cache('records.jsonl'));
    const original = readFileSync(note(broken), 'utf8');
    edit(broken, (text) => text.replace(/^date: .*$/m, 'date: 2027-01-01'));
    addSentence(edited, 5);

    await expect(run('dist')).rejects.toThrow(HeraldError);
    // Not rewritten: the two rendered notes' records appended; the damaged one unread, so still named.
    const records = readFileSync(cache('records.jsonl'));
    expect(records.subarray(0, recordsBefore.byteLength).equals(recordsBefore)).toBe(true);
    expect(records.byteLength).toBeGreaterThan(recordsBefore.byteLength);
    expect(lightLineOf(unseen)).toBe(unseenBefore);

    // Fixed (its date changed back: the aggregates made whole, from every record): the fixed note
    // and the damaged one rendered, the edited one taken from the refused build's record.
    writeFileSync(note(broken), original.replace('## Summary\n', '## Summary\n\nA sentence added after the fix.\n'));
    expect(await run('dist')).toMatchObject({ rendered: 2, aggregates: { patched: false } });
    await expectSameAsCold();
  });

  it('appends each edit to the light index, rewrites it once its lines outnumber the notes by a quarter, and reads a torn tail as the last whole save', async () => {
    const ids = filesUnder(path.join(dir, 'notes')).map((name) => name.replace(/\.md$/, '')).sort();
    const lightLines = () => readFileSync(cache('index.jsonl'), 'utf8').split('\n').filter((line) => line.startsWith('[')).length;
    const sizes: number[] = [];
    // 60 notes: 75 lines at most, so the appends of 20 edits in a row make it rewrite the file at least once.
    for (let step = 0; step < 20; step += 1) {
      addSentence(ids[10 + (step % 5)]!, 100 + step);
      expect(await run('dist')).toMatchObject({ rendered: 1, aggregates: { patched: true } });
      sizes.push(lightLines());
    }
    expect(Math.max(...sizes)).toBeLessThanOrEqual(count * 1.25);
    expect(sizes.some((lines, step) => step > 0 && lines < sizes[step - 1]!)).toBe(true);
    await expectSameAsCold();

    // A build killed while it appended: bytes past the last commit are dropped, and the next build cuts them off.
    addSentence(ids[16]!, 200);
    const whole = readFileSync(cache('index.jsonl'));
    writeFileSync(cache('index.jsonl'), Buffer.concat([whole, Buffer.from(`[${JSON.stringify(`notes/${ids[16]}.md`)},{"size":1,"key":"torn`)]));
    expect(await run('dist')).toMatchObject({ rendered: 1, aggregates: { patched: true } });
    await expectSameAsCold();
    // Cut inside its last commit: the save before it holds, and the note edited since is rendered again.
    const saved = readFileSync(cache('index.jsonl'));
    addSentence(ids[17]!, 201);
    writeFileSync(cache('index.jsonl'), saved.subarray(0, saved.byteLength - 20));
    expect(await run('dist')).toMatchObject({ aggregates: { patched: false } });
    await expectSameAsCold();
    addSentence(ids[18]!, 202);
    expect(await run('dist')).toMatchObject({ rendered: 1, aggregates: { patched: true } });
    await expectSameAsCold();
  });

  it('appends each edit to the aggregate memo, a spliced file by its changed pieces, rewrites it once it grows by a quarter, and reads a torn tail as the last whole save', async () => {
    const ids = filesUnder(path.join(dir, 'notes')).map((name) => name.replace(/\.md$/, '')).sort();
    const memoSize = () => readFileSync(cache('aggregates.jsonl')).byteLength;
    const sizes: number[] = [];
    const pieceLines: number[] = [];
    for (let step = 0; step < 30; step += 1) {
      addSentence(ids[20 + (step % 7)]!, 400 + step);
      // Every other build reads the memo back from the disk, as a new process does.
      if (step % 2 === 1) forgetAggregateMemo();
      expect(await run('dist')).toMatchObject({ rendered: 1, aggregates: { patched: true } });
      sizes.push(memoSize());
      // Appended: the spliced files by their changed pieces, not their columns.
      pieceLines.push(memoLines().filter(([, entry]) => !Array.isArray(entry)).length);
      if (step % 10 === 9) await expectSameAsCold();
    }
    expect(sizes.some((size, step) => step > 0 && size > sizes[step - 1]!)).toBe(true);
    expect(sizes.some((size, step) => step > 0 && size < sizes[step - 1]!)).toBe(true);
    expect(Math.max(...pieceLines)).toBeGreaterThanOrEqual(4);

    // A build killed while it appended: the bytes past the last commit are dropped, and cut off by the next save.
    addSentence(ids[27]!, 500);
    const saved = readFileSync(cache('aggregates.jsonl'));
    writeFileSync(cache('aggregates.jsonl'), Buffer.concat([saved, Buffer.from('["osv/all.json",{"key":"torn","sha256":"x","pieces":[[0,"k",1')]));
    expect(await run('dist')).toMatchObject({ rendered: 1, aggregates: { patched: true } });
    await expectSameAsCold();
    // Cut inside its last commit: the save before it holds, whose basis is not the last build: the whole way.
    const appended = readFileSync(cache('aggregates.jsonl'));
    addSentence(ids[28]!, 501);
    writeFileSync(cache('aggregates.jsonl'), appended.subarray(0, appended.byteLength - 10));
    expect(await run('dist')).toMatchObject({ rendered: 1, aggregates: { patched: false } });
    await expectSameAsCold();
    // A changed piece that no table holds, before the last commit: the memo is not used.
    addSentence(ids[29]!, 502);
    expect(await run('dist')).toMatchObject({ rendered: 1, aggregates: { patched: true } });
    const text = readFileSync(cache('aggregates.jsonl'), 'latin1');
    writeFileSync(cache('aggregates.jsonl'), text.replace(/("pieces":\[\[)\d+/, '$19999999'), 'latin1');
    addSentence(ids[30]!, 503);
    expect(await run('dist')).toMatchObject({ rendered: 1, aggregates: { patched: false } });
    await expectSameAsCold();
    addSentence(ids[31]!, 504);
    expect(await run('dist')).toMatchObject({ rendered: 1, aggregates: { patched: true } });
    await expectSameAsCold();
  });

  it('takes the memo an earlier herald left (aggregates.json) for none: the aggregates made whole, the old file removed', async () => {
    const ids = filesUnder(path.join(dir, 'notes')).map((name) => name.replace(/\.md$/, '')).sort();
    rmSync(cache('aggregates.jsonl'));
    writeFileSync(cache('aggregates.json'), JSON.stringify({ format: 2, globalKey: 'an earlier herald', files: {} }));
    forgetAggregateMemo();
    addSentence(ids[40]!, 600);
    expect(await run('dist')).toMatchObject({ rendered: 1, aggregates: { patched: false } });
    await expectSameAsCold();
    expect(existsSync(cache('aggregates.json'))).toBe(false);
    addSentence(ids[41]!, 601);
    expect(await run('dist')).toMatchObject({ rendered: 1, aggregates: { patched: true } });
    await expectSameAsCold();
  });

  it('makes the aggregates whole, the same bytes as a cold build, when the memo is truncated or a spliced file\u2019s table damaged', async () => {
    const ids = filesUnder(path.join(dir, 'notes')).map((name) => name.replace(/\.md$/, '')).sort();
    const damageTable = (change: (lengths: number[]) => void) => {
      const lines = readFileSync(cache('aggregates.jsonl'), 'utf8').split('\n');
      let spliced = 0;
      const damaged = lines.map((line) => {
        const entry = line.startsWith('[') ? (JSON.parse(line) as [string, unknown[] | object]) : undefined;
        const table = entry && Array.isArray(entry[1]) ? (entry[1][2] as { lengths: number[] } | null | undefined) : undefined;
        if (!table) return line;
        spliced += 1;
        change(table.lengths);
        return asciiJson(entry);
      });
      expect(spliced).toBeGreaterThan(0);
      writeFileSync(cache('aggregates.jsonl'), damaged.join('\n'));
    };
    // Cut inside its first lines: no commit left, so no memo.
    const memo = readFileSync(cache('aggregates.jsonl'));
    addSentence(ids[30]!, 300);
    writeFileSync(cache('aggregates.jsonl'), memo.subarray(0, memo.indexOf('\n') + 100));
    expect(await run('dist')).toMatchObject({ rendered: 1, aggregates: { patched: false } });
    await expectSameAsCold();

    // Columns that do not agree (a length missing): the memo is not used.
    addSentence(ids[31]!, 301);
    damageTable((lengths) => lengths.pop());
    expect(await run('dist')).toMatchObject({ rendered: 1, aggregates: { patched: false } });
    await expectSameAsCold();

    // A length a byte off: the previous file is not as long as the table says, so nothing is copied from it.
    addSentence(ids[32]!, 302);
    damageTable((lengths) => (lengths[0]! += 1));
    expect(await run('dist')).toMatchObject({ rendered: 1, aggregates: { patched: false } });
    await expectSameAsCold();

    // The memo the whole build saved patches the next edit again.
    addSentence(ids[33]!, 303);
    expect(await run('dist')).toMatchObject({ rendered: 1, aggregates: { patched: true } });
    await expectSameAsCold();
  });
});

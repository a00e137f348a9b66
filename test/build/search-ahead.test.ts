/**
 * A one-off build after an edit to a note's text sends the search part
 * that holds the edited page to its worker as soon as the note is rendered
 * (`makePartsAhead`), before the checks across notes, the aggregate memo
 * and the patch's plan, and the search stage takes the part from there.
 * The output is a cold build's, byte for byte, whether the aggregates are
 * patched or made whole; a build refused after the part was sent closes
 * its worker all the same.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build/build.ts';
import { WorkerPool, type JobRequest, type JobResult, type RunOptions } from '../../src/build/worker-pool.ts';
import { makePartsAhead, writeSiteSearch } from '../../src/build/search-stage.ts';
import { OutputWriter } from '../../src/build/output-writer.ts';
import { openManifest } from '../../src/build/manifest.ts';
import { forgetSavedRecords, globalKey, loadIndex } from '../../src/build/cache.ts';
import { HeraldError } from '../../src/errors/message.ts';
import type { Config } from '../../src/config/schema.ts';
import { generatedProject } from '../support/generated-project.ts';
import { expectSameOutput } from '../support/output-tree.ts';

/** A real pool that notes, beside the build's progress lines, when each of its runs starts and of what. */
class NotingPool extends WorkerPool {
  constructor(private readonly events: string[]) {
    super({ size: 1 });
  }

  override runJobs<R extends JobResult>(jobs: readonly JobRequest[], options: RunOptions, onResult: (result: R | import('../../src/build/note-job.ts').NoteJobResult) => void): Promise<void> {
    if (jobs.length > 0) this.events.push(`run: ${jobs.length} ${'searchPart' in jobs[0]! ? 'search part' : 'note'}(s)`);
    return super.runJobs(jobs, options, onResult);
  }
}

describe('the search part sent ahead', { timeout: 300_000 }, () => {
  let dir: string;
  let config: Config;
  const now = new Date('2026-01-15T12:00:00Z');
  const note = (id: string) => path.join(dir, 'notes', `${id}.md`);
  const edit = (id: string, change: (text: string) => string) => writeFileSync(note(id), change(readFileSync(note(id), 'utf8')));
  const addSentence = (id: string, step: number) => edit(id, (text) => text.replace('## Summary\n', `## Summary\n\nA sentence added at step ${step}.\n`));
  /** A build on a pool of one worker started first, as the CLI starts it; its runs and progress lines in order. */
  const run = async () => {
    const events: string[] = [];
    const pool = new NotingPool(events);
    pool.prestart(1);
    const result = await build({ notes: ['notes'], out: 'dist', config, now, cwd: dir, timeoutMs: 30_000, startedPool: pool, log: (line) => events.push(line) });
    return { result, events, pool };
  };
  const expectSameAsCold = async () => {
    await build({ notes: ['notes'], out: 'cold', config, now, cwd: dir, workers: 0, cache: false });
    expectSameOutput(path.join(dir, 'dist'), path.join(dir, 'cold'));
    rmSync(path.join(dir, 'cold'), { recursive: true, force: true });
  };
  /** The index of the first event matching `pattern`. */
  const at = (events: readonly string[], pattern: RegExp) => events.findIndex((event) => pattern.test(event));

  beforeAll(async () => {
    ({ dir, config } = await generatedProject('herald-ahead-', 40));
    await build({ notes: ['notes'], out: 'dist', config, now, cwd: dir, workers: 0 });
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is sent before the checks and the aggregates, and taken by the search stage; the output is a cold build’s', async () => {
    addSentence('OSSN-0007', 1);
    const { result, events } = await run();
    expect(result).toMatchObject({ rendered: 1, aggregates: { patched: true } });
    expect(events.filter((event) => event.startsWith('run: '))).toEqual(['run: 1 note(s)', 'run: 1 search part(s)']);
    expect(at(events, /search part/)).toBeLessThan(at(events, /notes read, \d+ to publish/));
    expect(events[at(events, /^herald: search: /)]).toMatch(/^herald: search: 1 of 1 part\(s\) written, (\d+) of \1 advisory pages indexed$/);
    await expectSameAsCold();
  });

  it('serves a build whose aggregates are made whole (a title changed): the plan is the same, the part is not made twice', async () => {
    edit('OSSN-0007', (text) => text.replace(/^title: .*$/m, 'title: A title changed by the search-ahead test'));
    const { result, events } = await run();
    expect(result).toMatchObject({ rendered: 1, aggregates: { patched: false } });
    expect(events.filter((event) => event.startsWith('run: '))).toEqual(['run: 1 note(s)', 'run: 1 search part(s)']);
    await expectSameAsCold();
  });

  it('lets a note whose cache record is lost render again after it, on the same worker', async () => {
    // A title changed: every record is read, and one made another note's is found wanting.
    const records = path.join(dir, '.herald-cache', 'records.jsonl');
    const text = readFileSync(records, 'latin1');
    const start = text.lastIndexOf(`\n[${JSON.stringify('notes/OSSN-0011.md')},`) + 1;
    const keyAt = text.indexOf('"key":"', start) + '"key":"'.length;
    writeFileSync(records, text.slice(0, keyAt) + (text[keyAt] === '0' ? '1' : '0') + text.slice(keyAt + 1), 'latin1');
    forgetSavedRecords();
    edit('OSSN-0007', (text) => text.replace(/^title: .*$/m, 'title: Another title, by the search-ahead test'));
    const { result, events } = await run();
    expect(result).toMatchObject({ rendered: 2, aggregates: { patched: false } });
    expect(events.filter((event) => event.startsWith('run: '))).toEqual(['run: 1 note(s)', 'run: 1 search part(s)', 'run: 1 note(s)']);
    await expectSameAsCold();
  });

  it('closes the worker of a build refused after the part was sent', async () => {
    // A second note with an edited note's id: found by the checks across notes, after the render.
    writeFileSync(note('OSSN-9999'), readFileSync(note('OSSN-0007'), 'utf8').replace('## Summary\n', '## Summary\n\nA copy.\n'));
    addSentence('OSSN-0007', 3);
    const events: string[] = [];
    const pool = new NotingPool(events);
    pool.prestart(1);
    await expect(build({ notes: ['notes'], out: 'dist', config, now, cwd: dir, timeoutMs: 30_000, startedPool: pool })).rejects.toThrow(HeraldError);
    expect(events).toEqual(['run: 2 note(s)', 'run: 1 search part(s)']);
    await expect(pool.runJobs([{ id: 0, path: 'a.md', bytes: new ArrayBuffer(8), hash: '' }], { settings: { config, now: now.toISOString(), preview: false }, cacheDir: null, timeoutMs: 5000 }, () => {})).rejects.toThrow(/closed/);
    rmSync(note('OSSN-9999'));
    await build({ notes: ['notes'], out: 'dist', config, now, cwd: dir, workers: 0 });
    await expectSameAsCold();
  });

  it('leaves to the search stage a part the plan no longer has, and makes the one it needs after the run ahead ends', async () => {
    const cacheDir = path.join(dir, '.herald-cache');
    const index = loadIndex(cacheDir, globalKey(config, false));
    const notes = Object.entries(index.notes).map(([, record]) => ({ slug: record.card!.slug, key: record.key, page: record.stored![4] }));
    const pool = new WorkerPool({ size: 1 });
    const settings = { config, now: now.toISOString(), preview: false };
    const out = path.join(dir, 'dist');
    try {
      // Ahead: a plan whose first page's sha256 is another (an edit not made after all); the stage's plan is the output's own.
      const writer = OutputWriter.open(out, openManifest(out));
      const other = notes.map((each, i) => (i === 0 ? { ...each, page: '0'.repeat(64) } : each));
      const ahead = makePartsAhead({ writer, buildKey: 'another key', notes: other, fresh: new Map(), cacheDir: null, copyParts: false, workers: { pool, settings } });
      expect(ahead.folders.size).toBe(1);
      const lines: string[] = [];
      await writeSiteSearch({ writer, buildKey: 'another key', notes, fresh: new Map(), cacheDir: null, copyParts: false, log: (line) => lines.push(line), ahead, workers: { pool, settings, always: true } });
      expect(ahead.made.size).toBe(1);
      expect(lines).toEqual([`herald: search: 1 of 1 part(s) written, ${notes.length} of ${notes.length} advisory pages indexed`]);
      await writer.abort(false);
    } finally {
      await pool.close();
    }
  });
});

import { readFileSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig, parseConfig } from '../../src/config/load.ts';
import { runNoteJob, type NoteJobResult } from '../../src/build/note-job.ts';
import { runSearchPartJob, type SearchPartResult } from '../../src/build/search-part-job.ts';
import { runOnPool, WorkerPool, type JobResult, type NoteJobRequest, type SearchPartRequest } from '../../src/build/worker-pool.ts';
import { planParts } from '../../src/render/site/search.ts';
import { temporaryFolders } from '../support/temp-dirs.ts';

const temporary = temporaryFolders();
const entry = path.resolve(import.meta.dirname, 'fixtures/test-worker.mjs');
const settings = { config: defaultConfig(), now: '2026-01-15T12:00:00Z', preview: false };
const job = (id: number, name: string): NoteJobRequest => ({ id, path: name, bytes: new ArrayBuffer(8), hash: String(id) });

describe('worker pool', () => {
  it('stops a note that stalls, reports it with its path, and finishes the others', async () => {
    const results: NoteJobResult[] = [];
    const jobs = [job(0, 'a.md'), job(1, 'stall.md'), job(2, 'b.md'), job(3, 'c.md'), job(4, 'd.md')];
    const started = Date.now();
    await runOnPool(jobs, { size: 2, settings, cacheDir: null, timeoutMs: 500, entry }, (r) => results.push(r as NoteJobResult));
    expect(results.map((r) => r.path).sort()).toEqual(['a.md', 'b.md', 'c.md', 'd.md', 'stall.md']);
    const stalled = results.find((r) => r.path === 'stall.md')!;
    expect(stalled.messages).toMatchObject([{ ruleId: 'render-timeout', file: 'stall.md', severity: 'error' }]);
    expect(results.filter((r) => r.outputs.length === 1)).toHaveLength(4);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('gives a note that missed its deadline once its second try first on the fresh worker, and takes its answer', async () => {
    const dir = await temporary('herald-pool-');
    const once = path.join(dir, 'stalls-once.md');
    const results: NoteJobResult[] = [];
    await runOnPool([job(0, once), job(1, 'a.md'), job(2, 'b.md')], { size: 1, settings, cacheDir: null, timeoutMs: 500, entry }, (r) => results.push(r as NoteJobResult));
    expect(results.map((r) => [r.path, r.messages])).toEqual([[once, []], ['a.md', []], ['b.md', []]]);
    // All three on the worker that replaced the one stopped.
    expect(new Set(results.map((r) => r.outputs[0]!.contents)).size).toBe(1);
  });

  it('puts back the notes sent behind one that stalls or crashes its worker, and renders each of them once', async () => {
    const results: NoteJobResult[] = [];
    // a.md is sent behind the stall, b.md behind the crash. The crash is an uncaught error, not running out of
    // memory: under load that takes seconds, past this test's short deadline, and was reported as a timeout.
    const jobs = [job(0, 'stall.md'), job(1, 'a.md'), job(2, 'crash.md'), job(3, 'b.md')];
    await runOnPool(jobs, { size: 1, settings, cacheDir: null, timeoutMs: 500, entry }, (r) => results.push(r as NoteJobResult));
    expect(results.map((r) => r.path).sort()).toEqual(['a.md', 'b.md', 'crash.md', 'stall.md']);
    expect(results.find((r) => r.path === 'stall.md')!.messages).toMatchObject([{ ruleId: 'render-timeout' }]);
    expect(results.find((r) => r.path === 'crash.md')!.messages).toMatchObject([{ ruleId: 'render-failed', message: expect.stringContaining('crashed on crash.md') }]);
    expect(results.filter((r) => r.outputs.length === 1).map((r) => r.path).sort()).toEqual(['a.md', 'b.md']);
  });

  it('takes the reply a worker sent before it failed, and blames the failure on no note that had its reply', async () => {
    // Node tells of a worker's uncaught error ahead of the replies the worker sent before it.
    for (let run = 0; run < 5; run++) {
      const results: NoteJobResult[] = [];
      await runOnPool([job(0, 'a.md'), job(1, 'crash.md'), job(2, 'answers-then-throws.md')], { size: 1, settings, cacheDir: null, timeoutMs: 20_000, entry }, (r) => results.push(r as NoteJobResult));
      expect(results.map((r) => [r.path, r.messages.map((m) => m.message)]).sort()).toEqual([
        ['a.md', []],
        ['answers-then-throws.md', []],
        // Its first failure could have been one a note before it left behind: it is blamed once it fails the worker it was sent to again.
        ['crash.md', ['The worker rendering this note failed: crashed on crash.md (the second worker to fail with this note)']],
      ]);
    }
  });

  it('sends the note that was sent behind a failure left by the note before it to another worker, and blames it for nothing', async () => {
    // The real worker catches whatever a job throws: only a callback a job left behind fails its worker, after
    // that job's reply, while the next note (sent ahead) has not begun or is running. The deadline is long: a note
    // that got through only by a second try after running out of time would make the test time out first.
    for (const left of ['leaves-a-throw.md', 'leaves-a-throw-in-a-timer.md', 'leaves-a-throw.md', 'leaves-a-throw-in-a-timer.md']) {
      const results: NoteJobResult[] = [];
      const jobs = [job(0, 'a.md'), job(1, left), job(2, 'b.md'), job(3, 'c.md')];
      await runOnPool(jobs, { size: 1, settings, cacheDir: null, timeoutMs: 600_000, entry }, (r) => results.push(r as NoteJobResult));
      expect(results.map((r) => [r.path, r.messages, r.outputs.length]).sort()).toEqual([
        ['a.md', [], 1],
        ['b.md', [], 1],
        ['c.md', [], 1],
        [left, [], 1],
      ]);
    }
  }, 60_000);

  it('renders every note, and ends, when each note leaves behind a failure of its worker', async () => {
    const results: NoteJobResult[] = [];
    const jobs = Array.from({ length: 6 }, (_, id) => job(id, `leaves-a-throw-${id}.md`));
    await runOnPool(jobs, { size: 2, settings, cacheDir: null, timeoutMs: 600_000, entry }, (r) => results.push(r as NoteJobResult));
    expect(results.map((r) => [r.path, r.messages, r.outputs.length]).sort()).toEqual(jobs.map((j) => [j.path, [], 1]));
  }, 60_000);

  it('replaces a worker that failed while idle, after its last reply, and runs the next run on the new one', async () => {
    const pool = new WorkerPool({ size: 1, entry });
    const results: NoteJobResult[] = [];
    try {
      await pool.runJobs([job(0, 'warm.md')], { settings, cacheDir: null, timeoutMs: 20_000 }, () => undefined);
      // The pool's own listeners come first: by the time this one hears the exit, the pool has dealt with it.
      const worker = (pool as unknown as { slots: { worker: Worker }[] }).slots[0]!.worker;
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      await pool.runJobs([job(1, 'answers-then-throws.md')], { settings, cacheDir: null, timeoutMs: 20_000 }, (r) => results.push(r as NoteJobResult));
      await exited;
      // Sent to the dead worker, the note would wait out this deadline (then be tried again): the test would time out first.
      await pool.runJobs([job(2, 'b.md')], { settings, cacheDir: null, timeoutMs: 600_000 }, (r) => results.push(r as NoteJobResult));
    } finally {
      await pool.close();
    }
    expect(results.map((r) => [r.path, r.messages.length, r.outputs.length])).toEqual([
      ['answers-then-throws.md', 0, 1],
      ['b.md', 0, 1],
    ]);
  }, 60_000);

  it('reports a note that exhausts the worker heap, and carries on', async () => {
    const results: NoteJobResult[] = [];
    await runOnPool([job(0, 'oom.md'), job(1, 'fine.md')], { size: 1, settings, cacheDir: null, timeoutMs: 20_000, heapMb: 32, entry }, (r) => results.push(r as NoteJobResult));
    expect(results.find((r) => r.path === 'oom.md')!.messages[0]).toMatchObject({ ruleId: 'render-failed', file: 'oom.md' });
    expect(results.find((r) => r.path === 'fine.md')!.outputs).toHaveLength(1);
  });

  it('runs a note that outgrows a lean worker again on a worker with the whole heap limit', async () => {
    const results: NoteJobResult[] = [];
    const jobs = [job(0, 'a.md'), job(1, 'big.md'), job(2, 'b.md'), job(3, 'oom.md')];
    await runOnPool(jobs, { size: 2, settings, cacheDir: null, timeoutMs: 20_000, leanHeapMb: 16, heapMb: 96, entry }, (r) => results.push(r as NoteJobResult));
    expect(results.map((r) => r.path).sort()).toEqual(['a.md', 'b.md', 'big.md', 'oom.md']);
    expect(results.find((r) => r.path === 'big.md')).toMatchObject({ messages: [], outputs: [{ path: 'out/big.md.txt' }] });
    // One that outgrows the whole limit too is reported, once.
    expect(results.find((r) => r.path === 'oom.md')!.messages).toMatchObject([{ ruleId: 'render-failed', file: 'oom.md' }]);
  });

  it('keeps its workers warm across runs', async () => {
    const pool = new WorkerPool({ size: 1, entry });
    const threads: string[] = [];
    try {
      for (let run = 0; run < 3; run++) {
        await pool.runJobs([job(run, `run-${run}.md`)], { settings, cacheDir: null, timeoutMs: 5000 }, (r) => threads.push(String((r as NoteJobResult).outputs[0]!.contents)));
      }
    } finally {
      await pool.close();
    }
    expect(new Set(threads).size).toBe(1);
  });

  it('starts fresh workers on restart, and runs the next jobs on them', async () => {
    const pool = new WorkerPool({ size: 1, entry });
    const threads: string[] = [];
    const run = (id: number) => pool.runJobs([job(id, `run-${id}.md`)], { settings, cacheDir: null, timeoutMs: 5000 }, (r) => threads.push(String((r as NoteJobResult).outputs[0]!.contents)));
    try {
      await run(0);
      await pool.restart();
      await run(1);
      await run(2);
    } finally {
      await pool.close();
    }
    expect(threads[1]).not.toBe(threads[0]);
    expect(threads[2]).toBe(threads[1]);
  });

  it('restarts for search parts on workers started for them alone, and gives a note that comes after all a whole worker', async () => {
    const pool = new WorkerPool({ size: 1, entry });
    const answers: string[] = [];
    const collect = (r: JobResult) => answers.push(String((r as NoteJobResult).outputs[0]!.contents));
    const part: SearchPartRequest = { id: 1, path: 'part', searchPart: { part: { folder: 'p', members: [] }, sources: [], cacheDir: null } };
    try {
      await pool.runJobs([job(0, 'a.md')], { settings, cacheDir: null, timeoutMs: 5000 }, collect);
      await pool.restart({ searchOnly: true });
      await pool.runJobs([part, job(2, 'b.md'), job(3, 'c.md')], { settings, cacheDir: null, timeoutMs: 5000 }, collect);
    } finally {
      await pool.close();
    }
    expect(answers[1]).toMatch(/search-only$/);
    expect(answers[2]).not.toMatch(/search-only/);
    expect(new Set(answers).size).toBe(3);
    expect(answers[3]).toBe(answers[2]);
  });

  it('makes a search part on a real worker started for search parts only as in this process, and renders a note after it', async () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const bytes = readFileSync(path.join(root, 'notes/OSSN-0001.md'));
    const config = parseConfig(readFileSync(path.join(root, 'herald.config.yaml'), 'utf8'), 'herald.config.yaml');
    const settings = { config, now: '2026-01-15T12:00:00Z', preview: false };
    const rendered = runNoteJob('OSSN-0001.md', new Uint8Array(bytes), 'h', settings);
    expect(rendered.messages.filter((m) => m.severity === 'error')).toEqual([]);
    const page = rendered.search!;
    const [searchPart] = planParts([{ slug: rendered.summary!.slug, sha256: 'x' }], 'key');
    const partJob: SearchPartRequest = { id: 0, path: 'part', searchPart: { part: searchPart!, sources: [{ slug: rendered.summary!.slug, record: page }], cacheDir: null } };
    const noteJob: NoteJobRequest = { id: 1, path: 'OSSN-0001.md', bytes: new Uint8Array(bytes).buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length), hash: 'h' };
    const pool = new WorkerPool({ size: 1 });
    const results: JobResult[] = [];
    try {
      await pool.restart({ searchOnly: true });
      await pool.runJobs([partJob, noteJob], { settings, cacheDir: null, timeoutMs: 60_000 }, (r) => results.push(r));
    } finally {
      await pool.close();
    }
    const made = results.find((r) => 'folder' in r) as SearchPartResult;
    expect(made).toEqual(runSearchPartJob(partJob.searchPart));
    const again = results.find((r) => 'path' in r && r.path === 'OSSN-0001.md') as NoteJobResult;
    expect(again.messages).toEqual(rendered.messages);
    expect(again.outputs.map((file) => file.sha256)).toEqual(rendered.outputs.map((file) => file.sha256));
  });

  it('fails the run, instead of starting workers forever, when a worker cannot start', async () => {
    const broken = path.resolve(import.meta.dirname, 'fixtures/broken-worker.mjs');
    await expect(runOnPool([job(0, 'a.md')], { size: 2, settings, cacheDir: null, timeoutMs: 5000, entry: broken }, () => {})).rejects.toThrow(/could not start: cannot load the renderers/);
  });
});

/**
 * The benchmark corpus generator: the same notes every time, every note
 * valid under the bundled herald.config.yaml, and the variety the
 * benchmark claims to exercise.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editedNoteIndex, editNote, writeCorpus } from '../../bench/corpus.ts';
import { defaultSeed, generateCorpus, generateNote, noteId } from '../../bench/generate.ts';
import { runCli } from '../support/cli.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const count = 20;

describe('benchmark corpus', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'herald-bench-test-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is deterministic, and note i does not depend on the notes before it', () => {
    const first = [...generateCorpus(count)];
    const second = [...generateCorpus(count, defaultSeed)];
    expect(second).toEqual(first);
    expect(generateNote(13, count)).toEqual(first[12]);
    expect(first.map((n) => n.id)).toEqual(Array.from({ length: count }, (_, i) => noteId(i + 1)));
    expect(generateNote(13, count, defaultSeed + 1).text).not.toEqual(first[12]!.text);
  });

  it(`lints with no error and no warning under the bundled config (N=${count})`, async () => {
    const notes = path.join(dir, 'notes');
    await writeCorpus(notes, count);
    expect((await readdir(notes)).sort()).toEqual(Array.from({ length: count }, (_, i) => `${noteId(i + 1)}.md`));
    const run = await runCli(['lint', notes, '--format', 'json', '--config', path.join(repoRoot, 'herald.config.yaml')], { cwd: repoRoot });
    const messages = JSON.parse(run.stdout) as { file: string; line: number; ruleId: string; message: string }[];
    expect(messages.map((m) => `${m.file}:${m.line} ${m.ruleId} ${m.message}`)).toEqual([]);
    expect(run.code).toBe(0);
  });

  it('stays valid after the one-note edit the benchmark makes', async () => {
    const notes = path.join(dir, 'edited');
    await writeCorpus(notes, count);
    const file = path.join(notes, `${noteId(editedNoteIndex(count))}.md`);
    await editNote(file, 'edit-1');
    await editNote(file, 'edit-2');
    const text = await readFile(file, 'utf8');
    expect(text.match(/Edited for the benchmark/g)).toHaveLength(1);
    expect(text).toContain('## Summary\n\nEdited for the benchmark: edit-2.\n');
    const run = await runCli(['lint', file, '--format', 'json', '--config', path.join(repoRoot, 'herald.config.yaml')], { cwd: repoRoot });
    expect(JSON.parse(run.stdout)).toEqual([]);
  });

  it('has the variety the benchmark claims, at the size of a real note', () => {
    const texts = [...generateCorpus(200)].map((n) => n.text);
    const all = texts.join('\n');
    const claims: Record<string, RegExp> = {
      'deb version check': /scheme: deb \}/,
      'rpm version check': /scheme: rpm \}/,
      'semver version check': /scheme: semver \}/,
      'file present check': /expect: \{ present: /,
      'file absent check': /expect: \{ absent: /,
      'stdout check': /expect: \{ stdout: /,
      'exit check': /expect: \{ exit: 0 \}/,
      'deb affects': /ecosystem: deb\n/,
      'rpm affects': /ecosystem: rpm\n/,
      'semver affects': /ecosystem: semver\n/,
      'release affects': /ecosystem: release\n/,
      'generic affects': /ecosystem: generic\n/,
      'withdrawn note with reason': /status: withdrawn\nwithdrawn_reason: /,
      revisions: /\nrevisions:\n {2}- \{ date: /,
      'ordered-list steps': /\n1\. \*\*/,
      'heading steps': /\n### /,
      'sh block': /```sh\n/,
      'console block': /```console\n\$ /,
      'config snippet': /```(ini|conf|python) file=\//,
      'Role line': /\n {0,3}Role: /,
      'Verify line': /\n {0,3}Verify: `/,
      'Rollback line': /\n {0,3}Rollback: /,
      'Kind line': /\n {0,3}Kind: /,
      table: /\n\| --- \| --- \|/,
      'https link': /\]\(https:\/\//,
      'bare URL': / https:\/\/[^\s>)]+/,
      'blockquote': /\n> /,
    };
    const missing = Object.entries(claims)
      .filter(([, pattern]) => !pattern.test(all))
      .map(([claim]) => claim);
    expect(missing).toEqual([]);
    for (const section of ['## Summary', '## Affected Services / Software', '## Discussion', '## Recommended Actions', '## Contacts / References']) {
      expect(texts.every((text) => text.includes(`\n${section}\n`))).toBe(true);
    }
    const averageBytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0) / texts.length;
    expect(averageBytes).toBeGreaterThan(6400);
    expect(averageBytes).toBeLessThan(7400);
  });

  it('keeps dates within 2011–2025 and revisions after publication', () => {
    for (const note of generateCorpus(300)) {
      const date = /\ndate: (\d{4}-\d{2}-\d{2})\n/.exec(note.text)![1]!;
      expect(date >= '2011-01-01' && date <= '2025-12-31').toBe(true);
      for (const [, revision] of note.text.matchAll(/\{ date: (\d{4}-\d{2}-\d{2}), summary/g)) {
        expect(revision! >= date && revision! <= '2025-12-31').toBe(true);
      }
    }
  });
});

/**
 * Aggregates patched after an edit to the text of a few notes
 * (`src/build/aggregate-patch.ts`): a sequence of random edits, some that
 * keep every note where the listings, feeds and exports show it (text),
 * some that do not (a title, a severity, a date, a note added or
 * removed). After each, the warm build says whether it patched, and its
 * whole output is the same tree, byte for byte, as a cold build's.
 */
import { readdirSync, readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateNote } from '../../bench/generate.ts';
import { Random } from '../../bench/random.ts';
import { build } from '../../src/build/build.ts';
import type { Config } from '../../src/config/schema.ts';
import { generatedProject } from '../support/generated-project.ts';
import { expectSameOutput } from '../support/output-tree.ts';

/** Three pages in the home listing. */
const count = 110;

type Edit = { kind: string; patched: boolean; apply: (text: string, step: number) => string };

const sentence = (step: number) => `A sentence added at step ${step} of the patched test.`;
const textEdits: Edit[] = [
  { kind: 'summary', patched: true, apply: (text, step) => text.replace('## Summary\n', `## Summary\n\n${sentence(step)}\n`) },
  { kind: 'discussion', patched: true, apply: (text, step) => text.replace('## Discussion\n', `## Discussion\n\n${sentence(step)}\n`) },
];
const shownEdits: Edit[] = [
  { kind: 'title', patched: false, apply: (text, step) => text.replace(/^title: .*$/m, `title: A title changed at step ${step}`) },
  { kind: 'severity', patched: false, apply: (text) => text.replace(/^severity: (\w+)$/m, (_, severity: string) => `severity: ${severity === 'low' ? 'high' : 'low'}`) },
  { kind: 'date', patched: false, apply: (text) => text.replace(/^date: .*$/m, 'date: 2011-01-02') },
];

describe('patched aggregates', { timeout: 600_000 }, () => {
  let dir: string;
  let config: Config;
  const now = new Date('2026-01-15T12:00:00Z');
  const run = (out: string, cache?: false) => build({ notes: ['notes'], out, config, now, cwd: dir, cache, workers: 0 });
  const note = (id: string) => path.join(dir, 'notes', `${id}.md`);
  const ids = () => readdirSync(path.join(dir, 'notes')).map((name) => name.replace(/\.md$/, '')).sort();
  const edit = (id: string, change: (text: string) => string) => {
    const before = readFileSync(note(id), 'utf8');
    const after = change(before);
    expect(after, `edit of ${id}`).not.toBe(before);
    writeFileSync(note(id), after);
  };
  const sameAsCold = async (step: string) => {
    const cold = `cold-${step}`;
    await run(cold, false);
    expectSameOutput(path.join(dir, 'dist'), path.join(dir, cold), step);
    rmSync(path.join(dir, cold), { recursive: true, force: true });
  };

  beforeAll(async () => {
    ({ dir, config } = await generatedProject('herald-patched-', count));
    await run('dist');
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('after each of a sequence of random edits, patches only for text, and ends where a cold build does', async () => {
    const random = new Random(20261207);
    const pick = <T>(list: readonly T[]): T => list[random.int(0, list.length - 1)]!;
    let added = count;
    const steps: { kind: string; patched: boolean; change: () => void }[] = [];
    // The newest note is on the first page of every listing it is in, and in the feeds' entries.
    const newest = (await run('dist')).advisories[0]!.id;
    steps.push({ kind: 'summary of the newest note', patched: true, change: () => edit(newest, (text) => textEdits[0]!.apply(text, 0)) });
    for (let step = 1; step <= 8; step += 1) {
      const roll = random.int(0, 9);
      if (roll < 5) {
        const edits = [pick(textEdits), pick(textEdits)];
        const notes = [pick(ids()), pick(ids())];
        steps.push({ kind: `text (${edits.map((e) => e.kind).join(', ')})`, patched: true, change: () => notes.forEach((id, index) => edit(id, (text) => edits[index]!.apply(text, step))) });
      } else if (roll < 8) {
        const shown = pick(shownEdits);
        const id = pick(ids());
        steps.push({ kind: shown.kind, patched: false, change: () => edit(id, (text) => shown.apply(text, step)) });
      } else if (roll === 8) {
        steps.push({
          kind: 'added',
          patched: false,
          change: () => {
            const generated = generateNote(++added, added);
            writeFileSync(note(generated.id), generated.text);
          },
        });
      } else {
        const id = pick(ids());
        steps.push({ kind: 'removed', patched: false, change: () => unlinkSync(note(id)) });
      }
    }
    // Both kinds at least once, whatever the seed gives.
    steps.push({ kind: 'title', patched: false, change: () => edit(pick(ids()), (text) => shownEdits[0]!.apply(text, 9)) });
    steps.push({ kind: 'text after a whole build', patched: true, change: () => edit(pick(ids()), (text) => textEdits[1]!.apply(text, 10)) });
    // A spliced file cut short since (its manifest entry still as it was): its pieces cannot be copied, so the whole way.
    steps.push({
      kind: 'text, all.json cut short',
      patched: false,
      change: () => {
        edit(pick(ids()), (text) => textEdits[0]!.apply(text, 11));
        const all = path.join(dir, 'dist/osv/all.json');
        writeFileSync(all, readFileSync(all).subarray(0, 1000));
      },
    });

    for (const [index, step] of steps.entries()) {
      step.change();
      // Every other build reads the aggregate memo back from the disk (as a new process does), not from this process's memory.
      if (index % 2 === 1) utimesSync(path.join(dir, '.herald-cache/aggregates.jsonl'), now, new Date(Date.now() + index * 1000));
      const warm = await run('dist');
      const name = `${index}-${step.kind}`;
      expect(warm.aggregates?.patched, name).toBe(step.patched);
      // Each edited note is on a page of five or six listings and in a few feeds, and has a piece of two spliced files.
      const { made, kept } = warm.aggregates!;
      if (step.patched) expect(made, name).toBeLessThan((made + kept) / 5);
      await sameAsCold(name.replace(/\W+/g, '-'));
    }
  });
});

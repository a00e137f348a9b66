/**
 * A keyed group (`KeyedGroup`: whole-set files whose number and names are
 * known only once made, such as the wiki's index split by year): kept
 * while its key is the same and the output holds its files, made again
 * with its files added or removed when the key changes.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeAggregates } from '../../src/build/aggregates-stage.ts';
import type { AggregateMemo } from '../../src/build/aggregate-memo.ts';
import { openManifest } from '../../src/build/manifest.ts';
import { OutputWriter } from '../../src/build/output-writer.ts';
import { defaultConfig } from '../../src/config/load.ts';
import type { Advisory } from '../../src/model/types.ts';
import type { Renderer } from '../../src/render/types.ts';

describe('a keyed group of aggregate files', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'herald-group-'));
  const out = path.join(dir, 'dist');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  let renders = 0;
  const grouped: Renderer = {
    name: 'grouped',
    renderAll: (advisories) => {
      const titles = advisories.map((a) => a.title).join('\n');
      return [
        {
          group: 'titles',
          key: titles,
          render: () => {
            renders += 1;
            const files = [{ path: 'grouped/titles.txt', contents: `${titles}\n` }];
            if (advisories.some((a) => a.title.startsWith('Split'))) files.push({ path: 'grouped/more.txt', contents: 'more\n' });
            return files;
          },
        },
      ];
    },
  };
  let memo: AggregateMemo = new Map();
  const run = async (titles: string[]): Promise<{ made: number; kept: number }> => {
    const advisories = titles.map((title) => ({ title }) as Advisory);
    const writer = OutputWriter.open(out, openManifest(out));
    const result = writeAggregates({ renderers: [grouped], advisories, context: { config: defaultConfig(), now: new Date('2026-01-15T12:00:00Z'), preview: false, all: advisories }, digestsOf: () => new Map(), writer, memo });
    await writer.commit();
    memo = result.memo;
    return { made: result.made, kept: result.kept };
  };

  it('is made once, kept while its key is the same, made again with a file more or less when the key changes', async () => {
    expect(await run(['A', 'B'])).toEqual({ made: 1, kept: 0 });
    expect(await run(['A', 'B'])).toEqual({ made: 0, kept: 1 });
    expect(renders).toBe(1);
    expect(await run(['Split A', 'B'])).toEqual({ made: 1, kept: 0 });
    expect(readFileSync(path.join(out, 'grouped/more.txt'), 'utf8')).toBe('more\n');
    expect(memo.get('group:titles')?.files?.map(([file]) => file)).toEqual(['grouped/titles.txt', 'grouped/more.txt']);
    expect(await run(['A', 'B'])).toEqual({ made: 1, kept: 0 });
    expect(existsSync(path.join(out, 'grouped/more.txt'))).toBe(false);
    expect(readFileSync(path.join(out, 'grouped/titles.txt'), 'utf8')).toBe('A\nB\n');
    expect(renders).toBe(3);
  });

  it('is made again when the output no longer holds the bytes it made, though the key is the same', async () => {
    const entry = memo.get('group:titles')!;
    memo.set('group:titles', { ...entry, files: entry.files!.map(([file]) => [file, '0'.repeat(64)]) });
    expect(await run(['A', 'B'])).toEqual({ made: 1, kept: 0 });
    expect(renders).toBe(4);
    expect(await run(['A', 'B'])).toEqual({ made: 0, kept: 1 });
  });
});

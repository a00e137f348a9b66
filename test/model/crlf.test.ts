/**
 * Notes with CRLF line endings (a Windows checkout with core.autocrlf) are
 * read as their LF originals: every output is the same, byte for byte, and
 * every finding is at the same line and column (lone CRs too).
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { loadNotes } from '../../src/model/load.ts';
import { bundledNotes, renderFiles, repoRoot, testNow } from '../site/support.ts';
import { temporaryFolders } from '../support/temp-dirs.ts';

async function rendered(dir: string) {
  const config = await loadConfig(repoRoot, 'herald.config.yaml');
  const loaded = await loadNotes([dir], { config, now: testNow, cwd: path.dirname(dir) });
  const files = renderFiles(loaded.advisories, { config });
  return { messages: loaded.messages.map((m) => `${path.basename(m.file)}:${m.line}:${m.column} ${m.ruleId} ${m.message}`), files: new Map(files.map((f) => [f.path, Buffer.from(f.contents).toString('base64')])) };
}

const temporary = temporaryFolders();

/** A copy of the notes in `dir` with every line ending `ending`. */
async function converted(dir: string, ending: string): Promise<string> {
  const parent = await temporary('herald-crlf-');
  const copy = path.join(parent, path.basename(dir));
  await mkdir(copy);
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.md'))) {
    await writeFile(path.join(copy, name), (await readFile(path.join(dir, name), 'utf8')).replaceAll('\n', ending));
  }
  return copy;
}

describe('CRLF line endings', () => {
  it('give the same outputs as LF', async () => {
    const crlf = await converted(bundledNotes, '\r\n');
    const lf = await rendered(bundledNotes);
    const windows = await rendered(crlf);
    expect(windows.messages).toEqual(lf.messages);
    expect([...windows.files.keys()]).toEqual([...lf.files.keys()]);
    for (const [file, contents] of lf.files) expect(windows.files.get(file), file).toBe(contents);
  });

  it.each(['lint-findings', 'plain-wording', 'dates-wrong', 'template-text', 'bad-yaml', 'wrong-types', 'yaml-tag'])('give the same findings at the same lines and columns as LF (broken fixture %s)', async (name) => {
    const dir = path.join(repoRoot, 'test/fixtures/broken', name);
    const findings = async (notes: string, ending: string) => {
      const loaded = await loadNotes([await converted(notes, ending)], { config: await loadConfig(repoRoot, 'herald.config.yaml'), now: testNow, cwd: repoRoot });
      return loaded.messages.map((m) => `${path.basename(m.file)}:${m.line}:${m.column} ${m.ruleId} ${m.message}`);
    };
    const lf = await findings(dir, '\n');
    expect(lf.length).toBeGreaterThan(0);
    expect(await findings(dir, '\r\n')).toEqual(lf);
    expect(await findings(dir, '\r')).toEqual(lf);
  });
});

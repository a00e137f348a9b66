/**
 * GFM footnotes in the exports whose text is CommonMark (OSV `details`,
 * CSAF notes): CommonMark has no footnotes, and a section's text would
 * carry a `[^name]` whose definition, written at the end of the note, is
 * in no exported section. They become endnotes, as in the mail.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import type { Advisory } from '../../src/model/types.ts';
import { toCsafDocument } from '../../src/render/csaf/document.ts';
import { toOsvRecord } from '../../src/render/osv/record.ts';
import { loadAdvisories, repoRoot } from './notes.ts';
import { expectValidCsaf } from '../csaf/validate.ts';

describe('footnotes in the OSV and CSAF exports', () => {
  let dir: string;
  let config: Config;
  let advisory: Advisory;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'herald-footnotes-'));
    config = await loadConfig(repoRoot);
    const bundled = await readFile(path.join(repoRoot, 'notes/OSSN-0005.md'), 'utf8');
    const text = bundled
      .replace('## Summary\n\n', '## Summary\n\nRabbitMQ ships a default account[^guest] that many deployments keep [1]. ')
      .replace(/\n*$/, '\n\n[^guest]: The account is named `guest`, with the password `guest`; see [the docs](https://www.rabbitmq.com/access-control.html).\n');
    await writeFile(path.join(dir, 'OSSN-0005.md'), text);
    advisory = (await loadAdvisories([dir], config))[0]!;
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads [n] in the OSV details, and lists the footnotes once at the end', () => {
    const { details } = toOsvRecord(advisory, config, false);
    // A bracketed number the author wrote stays as written: no link definition makes it a link.
    expect(details).toMatch(/^RabbitMQ ships a default account\[1\] that many deployments keep \[1\]\. /);
    expect(details).not.toContain('[^');
    expect(details.endsWith('## Footnotes\n\n1. The account is named `guest`, with the password `guest`; see [the docs](https://www.rabbitmq.com/access-control.html).')).toBe(true);
  });

  it('gives CSAF a Footnotes note, and stays a valid CSAF document', { timeout: 60_000 }, async () => {
    const document = toCsafDocument(advisory, config, false);
    const notes = document.document.notes ?? [];
    expect(notes.find((note) => note.title === 'Summary')?.text).toMatch(/^RabbitMQ ships a default account\[1\] /);
    expect(notes.find((note) => note.title === 'Footnotes')).toEqual({ category: 'other', title: 'Footnotes', text: '1. The account is named `guest`, with the password `guest`; see [the docs](https://www.rabbitmq.com/access-control.html).' });
    expect(JSON.stringify(document)).not.toContain('[^');
    await expectValidCsaf([advisory], config);
  });

  it('keeps a mark escaped where the note has a link definition of that number, so that it never becomes a link', async () => {
    const other = await mkdtemp(path.join(os.tmpdir(), 'herald-footnotes-'));
    try {
      const text = (await readFile(path.join(dir, 'OSSN-0005.md'), 'utf8')).replace('many deployments keep [1]. ', 'many deployments keep, as [the guide][1] says. ') + '\n[1]: https://www.rabbitmq.com/access-control.html\n';
      await writeFile(path.join(other, 'OSSN-0005.md'), text);
      const [linked] = await loadAdvisories([other], config);
      const { details } = toOsvRecord(linked!, config, false);
      expect(details).toMatch(/^RabbitMQ ships a default account\\\[1\] that many deployments keep, as \[the guide\]\[1\] says\. /);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});

/**
 * The pure parts of `herald wiki push`: the decision per page, edit
 * summaries, the report, the ledger file, the wiki section of the config,
 * and whether a lost edit was saved.
 */
import { appendFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.ts';
import { HeraldError } from '../../src/errors/message.ts';
import type { Advisory } from '../../src/model/types.ts';
import type { WikiPage } from '../../src/publish/wiki/client.ts';
import { WikiLedger, type LedgerEntry } from '../../src/publish/wiki/ledger.ts';
import { isLostEditSaved, type LatestRevision } from '../../src/publish/wiki/lost-edit.ts';
import { decide, isHeraldRevision, reasonAfterOwnRevision, sameWikiText, wikiTextHash } from '../../src/publish/wiki/plan.ts';
import { formatPushReport } from '../../src/publish/wiki/report.ts';
import { advisorySummary, indexSummary } from '../../src/publish/wiki/summary.ts';
import { advisoryPageName } from '../../src/render/wiki/page-name.ts';

const page = (id: number, text: string, user = 'Admin'): WikiPage => ({ title: 'OSSN/OSSN-0001', exists: true, revision: { id, timestamp: '2024-01-01T00:00:00Z', user, comment: '', text } });
const missing: WikiPage = { title: 'OSSN/OSSN-0001', exists: false };
const entry = (revision_id: number): LedgerEntry => ({ revision_id, sha256: '0'.repeat(64), written_at: '2024-01-01T00:00:00.000Z' });

describe('isLostEditSaved', () => {
  const summary = 'herald: OSSN-0001 as first published (2024-01-01)';
  const latest = (changes: Partial<LatestRevision> = {}): LatestRevision => ({ id: 9, parentId: 0, timestamp: '2024-01-01T00:00:00Z', user: 'Admin', comment: summary, text: 'text\n', ...changes });
  it('takes the latest revision for the lost edit when herald\u2019s account saved herald\u2019s text and summary over the revision it read', () => {
    expect(isLostEditSaved(latest(), { text: 'text', summary }, 'Admin@herald')).toBe(true);
    expect(isLostEditSaved(latest({ parentId: 4 }), { text: 'text', summary, baseId: 4 }, 'Admin@herald')).toBe(true);
  });
  it('does not when anything differs: the text, the summary, the account, or the revision it replaced', () => {
    expect(isLostEditSaved(latest({ text: 'text and more' }), { text: 'text', summary }, 'Admin@herald')).toBe(false);
    expect(isLostEditSaved(latest({ comment: 'herald: OSSN-0001 UPDATE 1' }), { text: 'text', summary }, 'Admin@herald')).toBe(false);
    expect(isLostEditSaved(latest({ user: 'Alice' }), { text: 'text', summary }, 'Admin@herald')).toBe(false);
    expect(isLostEditSaved(latest({ parentId: 5 }), { text: 'text', summary, baseId: 4 }, 'Admin@herald')).toBe(false);
    expect(isLostEditSaved(latest({ parentId: 4 }), { text: 'text', summary }, 'Admin@herald')).toBe(false);
  });
});

describe('decide', () => {
  it('creates a missing page', () => {
    expect(decide('text', missing, undefined, false)).toEqual({ action: 'create' });
  });
  it('reports a page deleted after herald wrote it, unless forced', () => {
    expect(decide('text', missing, entry(3), false)).toMatchObject({ action: 'conflict', reason: expect.stringContaining('deleted') });
    expect(decide('text', missing, entry(3), true)).toEqual({ action: 'create' });
  });
  it('leaves a page with the same text alone, whoever wrote it', () => {
    expect(decide('text\n', page(5, 'text'), undefined, false)).toEqual({ action: 'unchanged' });
    expect(decide('text', page(5, 'text', 'Alice'), entry(4), false)).toEqual({ action: 'unchanged' });
  });
  it('updates a page whose latest revision is herald\u2019s', () => {
    expect(decide('new', page(5, 'old'), entry(5), false)).toEqual({ action: 'update', overwrite: false });
  });
  it('updates a page whose latest revision has herald\u2019s text (a protection or a move adds such a revision)', () => {
    expect(decide('new', page(9, 'old', 'Sysop'), { ...entry(5), sha256: wikiTextHash('old\n') }, false)).toEqual({ action: 'update', overwrite: false });
  });

  it('reports a hand edit or an unknown page as a conflict, and overwrites it when forced', () => {
    expect(decide('new', page(6, 'hand', 'Alice'), entry(5), false)).toEqual({
      action: 'conflict',
      reason: 'edited on the wiki by Alice at 2024-01-01T00:00:00Z (revision 6) after herald wrote revision 5',
    });
    expect(decide('new', page(6, 'hand', 'Alice'), undefined, false)).toMatchObject({ action: 'conflict', reason: expect.stringContaining('no record') });
    expect(decide('new', page(6, 'hand', 'Alice'), entry(5), true)).toEqual({ action: 'update', overwrite: true });
  });
  it('compares text as the wiki stores it: NFC, no trailing whitespace, no CR', () => {
    expect(sameWikiText('Cafe\u0301\r\nx  \n\n', 'Café\nx')).toBe(true);
    expect(sameWikiText('a', 'b')).toBe(false);
  });
});

describe('a conflict after herald\u2019s own merged revision', () => {
  const revision = (id: number, user: string, comment: string) => ({ id, timestamp: '2024-01-02T00:00:00Z', user, comment });
  it('tells herald\u2019s edits by their summary and the bot password\u2019s account', () => {
    expect(isHeraldRevision(revision(7, 'Security bot', 'herald: OSSN-0001 UPDATE 1'), 'Security_bot@herald')).toBe(true);
    expect(isHeraldRevision(revision(7, 'Security bot', 'fixed a typo'), 'Security_bot@herald')).toBe(false);
    expect(isHeraldRevision(revision(7, 'Alice', 'herald: OSSN-0001 UPDATE 1'), 'Security_bot@herald')).toBe(false);
    expect(isHeraldRevision(revision(7, 'Alice', 'herald: OSSN-0001 UPDATE 1'), undefined)).toBe(true);
  });
  it('names the person who edited, never herald, or says it cannot', () => {
    const latest = revision(8, 'Admin', 'herald: OSSN-0001 UPDATE 1');
    expect(reasonAfterOwnRevision(latest, entry(5), revision(6, 'Alice', 'hand edit'))).toBe(
      "edited on the wiki by Alice at 2024-01-02T00:00:00Z (revision 6) after herald wrote revision 5; the latest revision, 8, is herald's edit merged with it",
    );
    expect(reasonAfterOwnRevision(latest, entry(5), revision(6, '', ''))).toContain('by someone whose name is hidden at');
    expect(reasonAfterOwnRevision(latest, entry(5), undefined)).toMatch(/^changed on the wiki after herald wrote revision 5, by someone herald cannot name: .*check that history$/);
    expect(reasonAfterOwnRevision(latest, entry(5), undefined)).not.toContain('Admin');
  });
});

describe('edit summaries', () => {
  const advisory = { id: 'OSSN-0002', date: '2013-11-12', revisions: [] } as unknown as Advisory;
  it('names the revision the page shows', () => {
    expect(advisorySummary(advisory, false)).toBe('herald: OSSN-0002 as first published (2013-11-12)');
    const updated = { ...advisory, revisions: [{ number: 1, date: '2013-12-03', summary: 'Added a [[step]]\nabout dpkg.' }] } as Advisory;
    expect(advisorySummary(updated, false)).toBe('herald: OSSN-0002 UPDATE 1 (2013-12-03): Added a step about dpkg.');
    expect(advisorySummary(updated, true)).toMatch(/\[--force: replaces edits made on the wiki\]$/);
    expect(indexSummary(1, false)).toBe('herald: index of 1 advisory');
  });
  it('stays one short line', () => {
    const long = { ...advisory, revisions: [{ number: 1, date: '2013-12-03', summary: 'x'.repeat(1000) }] } as Advisory;
    expect(advisorySummary(long, false).length).toBeLessThanOrEqual(250);
  });
});

describe('the report', () => {
  it('prints one line per page and the totals, in dry-run words when nothing changed', () => {
    const report = {
      wiki: 'https://wiki.example.org/w/api.php',
      dryRun: true,
      force: false,
      pages: [
        { page: 'OSSN/OSSN-0001', advisory: 'OSSN-0001', action: 'created' as const },
        { page: 'OSSN/OSSN-0002', advisory: 'OSSN-0002', action: 'conflict' as const, revisionId: 7, reason: 'edited on the wiki by Alice' },
      ],
    };
    expect(formatPushReport(report)).toBe(
      'would create  OSSN/OSSN-0001\n' +
        'conflict      OSSN/OSSN-0002  revision 7  (edited on the wiki by Alice; page left as it is, --force overwrites it)\n' +
        '2 page(s) on https://wiki.example.org/w/api.php: 1 would create, 1 conflict (dry run: nothing was changed)\n',
    );
  });
});

describe('the ledger', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'herald-wiki-ledger-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('starts empty, and writes sorted JSON that reads back', async () => {
    const file = path.join(dir, 'state', 'wiki-ledger.json');
    const ledger = await WikiLedger.open(file);
    expect(ledger.get('https://w/api.php', 'B')).toBeUndefined();
    ledger.set('https://w/api.php', 'B', entry(2));
    ledger.set('https://w/api.php', 'A', { ...entry(1), advisory: 'OSSN-0001' });
    await ledger.save();
    const json = JSON.parse(await readFile(file, 'utf8')) as { wikis: Record<string, Record<string, unknown>> };
    expect(Object.keys(json.wikis['https://w/api.php']!)).toEqual(['A', 'B']);
    expect((await WikiLedger.open(file)).get('https://w/api.php', 'A')).toMatchObject({ revision_id: 1, advisory: 'OSSN-0001' });
  });

  it('refuses an unreadable ledger instead of starting over', async () => {
    const file = path.join(dir, 'broken.json');
    await writeFile(file, '{"version": 1, "wikis": ');
    await expect(WikiLedger.open(file)).rejects.toBeInstanceOf(HeraldError);
    await writeFile(file, '{"version": 2, "wikis": {}}');
    await expect(WikiLedger.open(file)).rejects.toThrow(/wiki-ledger-invalid/);
  });

  it('keeps every entry set in a journal until saved, so a killed push loses none', async () => {
    const file = path.join(dir, 'journal', 'wiki-ledger.json');
    const first = await WikiLedger.open(file);
    first.set('https://w/api.php', 'B', entry(2));
    await first.save();
    // A push that is killed before its save: the entries are in the journal only.
    const killed = await WikiLedger.open(file);
    killed.set('https://w/api.php', 'C', entry(3));
    killed.set('https://w/api.php', 'B', entry(4));
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ wikis: { 'https://w/api.php': { B: { revision_id: 2 } } } });
    // Cut short in the middle of a line, as a kill can leave it.
    await appendFile(`${file}.journal`, '["https://w/api.php","D",{"revision_id":');
    const next = await WikiLedger.open(file);
    expect(next.get('https://w/api.php', 'C')).toMatchObject({ revision_id: 3 });
    expect(next.get('https://w/api.php', 'B')).toMatchObject({ revision_id: 4 });
    expect(next.get('https://w/api.php', 'D')).toBeUndefined();
    await next.save();
    await expect(stat(`${file}.journal`)).rejects.toMatchObject({ code: 'ENOENT' });
    const json = JSON.parse(await readFile(file, 'utf8')) as { wikis: Record<string, Record<string, { revision_id: number }>> };
    expect(Object.entries(json.wikis['https://w/api.php']!).map(([title, { revision_id }]) => [title, revision_id])).toEqual([
      ['B', 4],
      ['C', 3],
    ]);
  });

  it('refuses a journal with a damaged line before its last', async () => {
    const file = path.join(dir, 'damaged', 'wiki-ledger.json');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(`${file}.journal`, `not json\n${JSON.stringify(['https://w/api.php', 'A', entry(1)])}\n`);
    await expect(WikiLedger.open(file)).rejects.toThrow(/Line 1 of the wiki ledger's journal/);
  });
});

describe('the wiki section of the config', () => {
  const wiki = (section: Record<string, unknown>) => configSchema.safeParse({ wiki: section });

  it('has defaults that name pages OSSN/<ID>', () => {
    const config = configSchema.parse({});
    expect(advisoryPageName({ id: 'OSSN-0007', slug: 'OSSN-0007', date: '2015-05-14' } as Advisory, config)).toBe('OSSN/OSSN-0007');
    expect(config.wiki).toMatchObject({ index_page: 'Security_Notes', code: 'syntaxhighlight', password_env: 'HERALD_WIKI_PASSWORD' });
  });

  it('fills the page name placeholders', () => {
    const config = configSchema.parse({ wiki: { page_name: 'Security/{{year}}/{{slug}}' } });
    expect(advisoryPageName({ id: 'x', slug: 'venom', date: '2015-05-14' } as Advisory, config)).toBe('Security/2015/venom');
  });

  it.each([
    [{ api_url: 'http://wiki.example.org/api.php' }, 'must be an https:// URL'],
    [{ page_name: 'OSSN/{{id}}|x' }, 'must be a wiki page name'],
    [{ page_name: 'Security notes' }, 'must contain {{id}} or {{slug}}'],
    [{ user: 'JustAUser' }, 'User@appid'],
    [{ password_env: 'my password' }, 'environment variable name'],
  ])('refuses %o', (section, text) => {
    const result = wiki(section);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.message).join('\n')).toContain(text);
  });

  it('accepts plain http on loopback only', () => {
    expect(wiki({ api_url: 'http://127.0.0.1:8080/api.php' }).success).toBe(true);
    expect(wiki({ api_url: 'https://wiki.openstack.org/w/api.php', user: 'Bot@herald' }).success).toBe(true);
  });
});

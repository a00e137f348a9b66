import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.ts';
import { loadNotes } from '../../src/model/load.ts';
import { mailChannel } from '../../src/workflow/publish/channels.ts';
import { formatPublishReport, publish, type PublishResult } from '../../src/workflow/publish/command.ts';
import type { Advisory } from '../../src/model/types.ts';
import { planAnnouncements, planNote, type Announcement, type PlannedAnnouncement } from '../../src/workflow/publish/plan.ts';
import { runPublish, type DoneMark, type PublishChannel } from '../../src/workflow/publish/run.ts';
import { editCachedRecord } from '../support/cache-index.ts';
import { runCli } from '../support/cli.ts';
import { missingTools } from '../support/system.ts';
import { mediawikiDir, startMediaWiki, type TestWiki } from '../wiki/support/mediawiki.ts';
import { GithubEmulator } from './emulator.ts';
import { checkout, noteText } from './notes.ts';

const now = new Date('2024-06-01T12:00:00Z');
const config = configSchema.parse({
  mail: { lists: [{ name: 'announce', address: 'announce@lists.example.org' }], outbox: 'outbox' },
});

/** The mail section of a config file on the file transport, for the command-line runs. */
const mailConfigText = 'mail:\n  lists: [{ name: announce, address: announce@lists.example.org }]\n  outbox: outbox\n';

async function advisoriesOf(files: Record<string, string>) {
  const dir = await checkout(files);
  const loaded = await loadNotes(['notes'], { config, now, cwd: dir });
  expect(loaded.messages.filter((m) => m.severity === 'error')).toEqual([]);
  return { dir, advisories: loaded.advisories };
}

describe('planAnnouncements', () => {
  it('announces the current revision of public notes, and says why the others wait', async () => {
    const { advisories } = await advisoriesOf({
      'notes/OSSN-0001.md': noteText({ id: 'OSSN-0001' }),
      'notes/OSSN-0002.md': noteText({ id: 'OSSN-0002', revisions: [{ date: '2014-04-01', summary: 'one' }, { date: '2014-04-02', summary: 'two' }] }),
      'notes/OSSN-0003.md': noteText({ id: 'OSSN-0003', status: 'draft' }),
      'notes/OSSN-0004.md': noteText({ id: 'OSSN-0004', embargo: '2024-06-02T15:00:00Z' }),
      'notes/OSSN-0005.md': noteText({ id: 'OSSN-0005', status: 'withdrawn' }),
      'notes/OSSN-0006.md': noteText({ id: 'OSSN-0006', embargo: '2024-06-01T11:00:00Z' }),
      'notes/new.md': noteText({ id: 'OSSN-XXXX' }),
      'notes/new-draft.md': noteText({ id: 'OSSN-XXXX', status: 'draft' }),
    });
    const plan = planAnnouncements(advisories.map(planNote), now);
    expect(plan.announcements.map((a) => a.tag)).toEqual(['OSSN-0001-r0', 'OSSN-0002-r2', 'OSSN-0005-withdrawn', 'OSSN-0006-r0']);
    expect(plan.notYet.map((n) => `${n.id} ${n.reason}`)).toEqual([
      'OSSN-0003 is a draft',
      'OSSN-0004 is under embargo until 2024-06-02T15:00:00Z',
      // A draft is a draft first, whatever its id.
      'OSSN-XXXX is a draft',
      'OSSN-XXXX has no id yet: `herald assign-ids` assigns one after merge',
    ]);
  });

  it('counts as announced before herald what is dated before publish.announce_from, unless an embargo kept it private until then', async () => {
    const { advisories } = await advisoriesOf({
      'notes/OSSN-0001.md': noteText({ id: 'OSSN-0001' }),
      // An update made after the day: announced, though first published long before.
      'notes/OSSN-0002.md': noteText({ id: 'OSSN-0002', revisions: [{ date: '2024-05-01', summary: 'one' }] }),
      'notes/OSSN-0003.md': noteText({ id: 'OSSN-0003', revisions: [{ date: '2024-04-30', summary: 'one' }] }),
      'notes/OSSN-0004.md': noteText({ id: 'OSSN-0004', date: '2024-05-01' }),
      // Dated before the day, but private until after it began (UTC): nobody announced it.
      'notes/OSSN-0005.md': noteText({ id: 'OSSN-0005', date: '2024-04-20', embargo: '2024-04-30T20:00:00-05:00' }),
      'notes/OSSN-0006.md': noteText({ id: 'OSSN-0006', date: '2024-04-20', embargo: '2024-04-30T23:59:00Z' }),
      'notes/OSSN-0007.md': noteText({ id: 'OSSN-0007', status: 'withdrawn' }),
      'notes/OSSN-0008.md': noteText({ id: 'OSSN-0008', status: 'draft' }),
    });
    const plan = planAnnouncements(advisories.map(planNote), now, { announceFrom: '2024-05-01' });
    expect(plan.announcements.map((a) => a.tag)).toEqual(['OSSN-0002-r1', 'OSSN-0004-r0', 'OSSN-0005-r0']);
    expect(plan.announcedBeforeHerald.map((n) => `${n.id} ${n.reason}`)).toEqual([
      'OSSN-0001 is dated 2014-03-18, before publish.announce_from (2024-05-01)',
      'OSSN-0003 is dated 2024-04-30, before publish.announce_from (2024-05-01)',
      'OSSN-0006 is dated 2024-04-20, before publish.announce_from (2024-05-01)',
      'OSSN-0007 is dated 2014-03-18, before publish.announce_from (2024-05-01)',
    ]);
    expect(plan.notYet.map((n) => n.id)).toEqual(['OSSN-0008']);
    // Unset, every one of them is due.
    expect(planAnnouncements(advisories.map(planNote), now).announcedBeforeHerald).toEqual([]);
  });
});

/** A channel with an in-memory ledger that can be told to fail. */
function fakeChannel(name: string, calls: string[]) {
  const done = new Set<string>();
  const channel: PublishChannel & { failing: boolean; done: Set<string> } = {
    name,
    failing: false,
    done,
    isDone: async (a: Announcement) => done.has(a.tag),
    publish: async (a: Announcement) => {
      calls.push(`${name} ${a.tag}`);
      if (channel.failing) throw new Error(`${name} is down`);
      done.add(a.tag);
    },
  };
  return channel;
}

function fakeMark(calls: string[], answer: 'created' | 'already-exists' = 'created'): DoneMark & { tags: Set<string> } {
  const tags = new Set<string>();
  return {
    tags,
    isDone: async (a) => tags.has(a.tag),
    mark: async (a) => {
      calls.push(`release ${a.tag}`);
      tags.add(a.tag);
      return answer;
    },
  };
}

/** The runs' `load`: each announcement's advisory from those already read. */
function loader(advisories: readonly Advisory[]) {
  return (planned: PlannedAnnouncement): Announcement => ({ ...planned, advisory: advisories.find((a) => a.source.path === planned.path)! });
}

describe('runPublish', () => {
  it('retries a failed channel on the next run without repeating the ones that succeeded', async () => {
    const { advisories } = await advisoriesOf({ 'notes/OSSN-0001.md': noteText({ id: 'OSSN-0001' }), 'notes/OSSN-0002.md': noteText({ id: 'OSSN-0002' }) });
    const { announcements } = planAnnouncements(advisories.map(planNote), now);
    const calls: string[] = [];
    const wiki = fakeChannel('wiki', calls);
    const mail = fakeChannel('mail', calls);
    const mark = fakeMark(calls);
    let builds = 0;
    const run = { announcements, load: loader(advisories), channels: [wiki, mail], mark, dryRun: false, log: () => {}, build: async () => void builds++ };

    mail.failing = true;
    const { reports: first } = await runPublish(run);
    expect(first.map((r) => [r.tag, r.result, r.channels.map((c) => c.result)])).toEqual([
      ['OSSN-0001-r0', 'failed', ['done', 'failed']],
      ['OSSN-0002-r0', 'failed', ['done', 'failed']],
    ]);
    expect(first[0]?.channels[1]?.error).toBe('mail is down');
    expect(mark.tags.size).toBe(0);

    mail.failing = false;
    calls.length = 0;
    const { reports: second } = await runPublish(run);
    expect(second.map((r) => [r.result, r.channels.map((c) => c.result)])).toEqual([
      ['announced', ['done-before', 'done']],
      ['announced', ['done-before', 'done']],
    ]);
    expect(calls).toEqual(['mail OSSN-0001-r0', 'release OSSN-0001-r0', 'mail OSSN-0002-r0', 'release OSSN-0002-r0']);

    calls.length = 0;
    const { reports: third } = await runPublish(run);
    expect(third.map((r) => r.result)).toEqual(['announced-before', 'announced-before']);
    expect(calls).toEqual([]);
    expect(builds).toBe(2);
  });

  it('stops an announcement at the first failing channel, and a dry run changes nothing', async () => {
    const { advisories } = await advisoriesOf({ 'notes/OSSN-0001.md': noteText({ id: 'OSSN-0001' }) });
    const { announcements } = planAnnouncements(advisories.map(planNote), now);
    const calls: string[] = [];
    const wiki = fakeChannel('wiki', calls);
    const mail = fakeChannel('mail', calls);
    let builds = 0;
    const base = { announcements, load: loader(advisories), channels: [wiki, mail], mark: fakeMark(calls), log: () => {}, build: async () => void builds++ };

    const { reports: dry } = await runPublish({ ...base, dryRun: true });
    expect(dry).toMatchObject([{ tag: 'OSSN-0001-r0', result: 'would-announce', channels: [{ name: 'wiki', result: 'would-run' }, { name: 'mail', result: 'would-run' }] }]);
    expect(calls).toEqual([]);
    expect(builds).toBe(0);

    wiki.failing = true;
    const { reports: failed } = await runPublish({ ...base, dryRun: false });
    expect(failed[0]?.channels.map((c) => c.result)).toEqual(['failed', 'not-reached']);
    expect(calls).toEqual(['wiki OSSN-0001-r0']);
  });
  it('makes no announcement at all when more are due than one run may make; a dry run says a real one would stop', async () => {
    const { advisories } = await advisoriesOf({
      'notes/OSSN-0001.md': noteText({ id: 'OSSN-0001' }),
      'notes/OSSN-0002.md': noteText({ id: 'OSSN-0002' }),
      'notes/OSSN-0003.md': noteText({ id: 'OSSN-0003' }),
    });
    const { announcements } = planAnnouncements(advisories.map(planNote), now);
    const calls: string[] = [];
    const mark = fakeMark(calls);
    let builds = 0;
    const limit = { max: 2, tooMany: (due: number) => new Error(`${due} due`) };
    const run = { announcements, load: loader(advisories), channels: [fakeChannel('mail', calls)], mark, log: () => {}, build: async () => void builds++, limit };
    await expect(runPublish({ ...run, dryRun: false })).rejects.toThrow('3 due');
    expect([calls, builds]).toEqual([[], 0]);
    const dry = await runPublish({ ...run, dryRun: true });
    expect(dry.overLimit).toEqual({ due: 3, max: 2 });
    expect(dry.reports.map((r) => [r.result, r.channels])).toEqual([['would-announce', []], ['would-announce', []], ['would-announce', []]]);
    expect(calls).toEqual([]);
    // Those already marked done do not count.
    mark.tags.add('OSSN-0001-r0');
    const real = await runPublish({ ...run, dryRun: false });
    expect(real.overLimit).toBeUndefined();
    expect(real.reports.map((r) => r.result)).toEqual(['announced-before', 'announced', 'announced']);
  });

  it('on an interruption, lets the running channel finish, starts nothing more, and marks nothing done; the next run goes on', async () => {
    const { advisories } = await advisoriesOf({ 'notes/OSSN-0001.md': noteText({ id: 'OSSN-0001' }), 'notes/OSSN-0002.md': noteText({ id: 'OSSN-0002' }) });
    const { announcements } = planAnnouncements(advisories.map(planNote), now);
    const calls: string[] = [];
    const stop = new AbortController();
    const wiki = fakeChannel('wiki', calls);
    // Ctrl-C while the wiki pushes the first announcement: the push finishes.
    const interruptedWiki: PublishChannel = { ...wiki, publish: async (a) => (stop.abort('SIGINT'), wiki.publish(a)) };
    const mail = fakeChannel('mail', calls);
    const mark = fakeMark(calls);
    const base = { announcements, load: loader(advisories), mark, dryRun: false, log: () => {}, build: async () => {} };
    const { reports } = await runPublish({ ...base, channels: [interruptedWiki, mail], signal: stop.signal });
    expect(reports.map((r) => [r.tag, r.result, r.channels.map((c) => `${c.name} ${c.result}`)])).toEqual([
      ['OSSN-0001-r0', 'interrupted', ['wiki done', 'mail not-reached']],
      ['OSSN-0002-r0', 'interrupted', []],
    ]);
    expect(calls).toEqual(['wiki OSSN-0001-r0']);
    const { reports: next } = await runPublish({ ...base, channels: [wiki, mail] });
    expect(next.map((r) => [r.result, r.channels.map((c) => c.result)])).toEqual([
      ['announced', ['done-before', 'done']],
      ['announced', ['done', 'done']],
    ]);
  });
});

describe('herald publish against the GitHub emulator, mail through the file transport', () => {
  let github: GithubEmulator;
  beforeEach(async () => {
    github = await new GithubEmulator('example/advisories').start();
  });
  afterEach(async () => {
    await github.stop();
  });

  it('sends, then marks done with a release; a re-run repeats nothing; a 422 on an existing release is done', async () => {
    const dir = await checkout({
      'notes/OSSN-0001.md': noteText({ id: 'OSSN-0001', lists: ['announce'] }),
      'notes/OSSN-0002.md': noteText({ id: 'OSSN-0002', lists: ['announce'], revisions: [{ date: '2014-04-11', summary: 'The upgrade command changed.' }] }),
      'notes/OSSN-0003.md': noteText({ id: 'OSSN-0003', status: 'draft', lists: ['announce'] }),
    });
    const env = { GITHUB_TOKEN: 'test-token', GITHUB_REPOSITORY: 'example/advisories', GITHUB_API_URL: github.url, GITHUB_SHA: 'd'.repeat(40) };
    const log: string[] = [];
    // The build is herald build's business (tested there, and by the CLI test below); here it is counted.
    let builds = 0;
    const build = async () => void builds++;
    const options = { cwd: dir, notesDir: 'notes', out: 'dist', config, env, now, dryRun: false, build, log: (line: string) => log.push(line) };
    const channels = () => [mailChannel({ config, cwd: dir, env, now, log: options.log })];

    const dry = await publish({ ...options, dryRun: true, channels: channels() });
    expect(dry.announcements.map((a) => [a.tag, a.result])).toEqual([['OSSN-0001-r0', 'would-announce'], ['OSSN-0002-r1', 'would-announce']]);
    await expect(readdir(path.join(dir, 'outbox'))).rejects.toThrow();
    // A dry run keeps no list of releases either.
    await expect(readFile(path.join(dir, 'state/github-releases.json'))).rejects.toThrow();
    expect(github.calls().filter((call) => !call.startsWith('GET ') && call !== 'POST /graphql')).toEqual([]);

    // Another publisher creates OSSN-0002's release between our lookup and our create: GitHub answers 422.
    github.afterRequest = (request) => {
      if (request.path === '/graphql') github.addRelease('OSSN-0002-r1', 'made elsewhere');
    };
    const first = await publish({ ...options, channels: channels() });
    github.afterRequest = undefined;
    expect(first.announcements.map((a) => [a.tag, a.result, a.channels.map((c) => `${c.name}:${c.result}`)])).toEqual([
      ['OSSN-0001-r0', 'announced', ['mail:done']],
      ['OSSN-0002-r1', 'announced', ['mail:done']],
    ]);
    expect(first.notYet.map((n) => n.id)).toEqual(['OSSN-0003']);
    expect((await readdir(path.join(dir, 'outbox'))).sort()).toEqual(['OSSN-0001.r0', 'OSSN-0002.r1']);
    expect(builds).toBe(1);
    const posts = github.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/releases'));
    expect(posts.map((r) => (r.body as { tag_name: string }).tag_name)).toEqual(['OSSN-0001-r0', 'OSSN-0002-r1']);
    expect(github.releases.map((r) => [r.tag_name, r.target_commitish]).sort()).toEqual([
      ['OSSN-0001-r0', 'd'.repeat(40)],
      ['OSSN-0002-r1', 'main'],
    ]);
    const release = github.releases.find((r) => r.tag_name === 'OSSN-0001-r0');
    expect(release?.name).toBe('OSSN-0001: Example note OSSN-0001');
    expect(release?.body).toContain('https://security.example.org/advisories/OSSN-0001/');

    // The releases found are kept for the next run, which reads one page of them.
    expect(JSON.parse(await readFile(path.join(dir, 'state/github-releases.json'), 'utf8'))).toMatchObject({ repository: 'example/advisories' });
    const mailBefore = await readFile(path.join(dir, 'outbox/OSSN-0001.r0/announce@lists.example.org.eml'), 'utf8');
    github.requests.length = 0;
    const again = await publish({ ...options, channels: channels() });
    expect(again.announcements.map((a) => a.result)).toEqual(['announced-before', 'announced-before']);
    // One request for every release's tag, whatever the number of advisories.
    expect(github.calls()).toEqual(['POST /graphql']);
    expect(await readFile(path.join(dir, 'outbox/OSSN-0001.r0/announce@lists.example.org.eml'), 'utf8')).toBe(mailBefore);
  });

  it('says a note that names no mailing list has nothing to mail, in a dry run and a real one, rather than that it was mailed before', async () => {
    const dir = await checkout({ 'notes/OSSN-0001.md': noteText({ id: 'OSSN-0001' }) });
    const env = { GITHUB_TOKEN: 'test-token', GITHUB_REPOSITORY: 'example/advisories', GITHUB_API_URL: github.url };
    const log = (): void => undefined;
    const options = { cwd: dir, notesDir: 'notes', out: 'dist', config, env, now, build: async () => undefined, log };
    const dry = await publish({ ...options, dryRun: true, channels: [mailChannel({ config, cwd: dir, env, now, log })] });
    expect(dry.announcements[0]).toMatchObject({ result: 'would-announce', channels: [{ name: 'mail', result: 'nothing-to-do' }] });
    expect(formatPublishReport(dry)).toContain('OSSN-0001-r0  would announce  [mail: nothing to do]; would create release OSSN-0001-r0\n');
    const real = await publish({ ...options, dryRun: false, channels: [mailChannel({ config, cwd: dir, env, now, log })] });
    expect(real.announcements[0]).toMatchObject({ result: 'announced', channels: [{ name: 'mail', result: 'nothing-to-do' }] });
    expect(formatPublishReport(real)).toBe('OSSN-0001-r0  announced  [mail: nothing to do]\n');
    await expect(readdir(path.join(dir, 'outbox'))).rejects.toThrow();
  });

  it('dry-runs without a token, saying the releases were not checked', async () => {
    const dir = await checkout({ 'notes/OSSN-0001.md': noteText({ id: 'OSSN-0001' }) });
    const log: string[] = [];
    const result = await publish({ cwd: dir, notesDir: 'notes', out: 'dist', config, env: {}, now, dryRun: true, channels: [], log: (line) => log.push(line) });
    expect(result).toMatchObject({ releasesChecked: false, announcements: [{ tag: 'OSSN-0001-r0', result: 'would-announce' }] });
    expect(log.join('\n')).toContain('GITHUB_TOKEN is not set');
    expect(formatPublishReport(result)).toBe('OSSN-0001-r0  would announce; would create release OSSN-0001-r0\nDry run without GITHUB_TOKEN: releases were not checked; nothing was changed.\n');
  });

  it('plans from the cards of the build cache, and reads in full only the notes it announces', async () => {
    const dir = await checkout({ 'herald.config.yaml': 'site:\n  title: Notes\n', 'notes/OSSN-0001.md': noteText({ id: 'OSSN-0001' }), 'notes/OSSN-0002.md': noteText({ id: 'OSSN-0002' }) });
    // publish never runs on the defaults: without a config file it is a usage error.
    await rm(path.join(dir, 'herald.config.yaml'));
    const bare = await runCli(['publish', '--dry-run'], { cwd: dir, env: {}, now: now.toISOString() });
    expect([bare.code, bare.stderr]).toEqual([2, expect.stringContaining('herald publish needs herald.config.yaml in')]);
    await writeFile(path.join(dir, 'herald.config.yaml'), 'site:\n  title: Notes\n');
    expect((await runCli(['build'], { cwd: dir, env: {} })).code).toBe(0);
    // A revision only the cache gives a note: the plan is made from the cards.
    await editCachedRecord(path.join(dir, '.herald-cache'), 'notes/OSSN-0002.md', (record) => {
      record.card!.revision = 5;
    });
    const tags = async (...args: string[]) => {
      const run = await runCli(['publish', '--dry-run', '--json', ...args], { cwd: dir, env: {}, now: now.toISOString() });
      return (JSON.parse(run.stdout) as PublishResult).announcements.map((a) => a.tag);
    };
    expect(await tags()).toEqual(['OSSN-0001-r0', 'OSSN-0002-r5']);
    expect(await tags('--no-cache')).toEqual(['OSSN-0001-r0', 'OSSN-0002-r0']);
  });

  it('adopts an archive announced by hand: publish.announce_from in the config, only what is newer is mailed', async () => {
    const dir = await checkout({
      'herald.config.yaml': `${mailConfigText}publish:\n  announce_from: 2024-05-01\n`,
      'notes/OSSN-0001.md': noteText({ id: 'OSSN-0001', lists: ['announce'] }),
      'notes/OSSN-0002.md': noteText({ id: 'OSSN-0002', lists: ['announce'] }),
      'notes/OSSN-0003.md': noteText({ id: 'OSSN-0003', lists: ['announce'], revisions: [{ date: '2024-05-20', summary: 'Fixed packages are out.' }] }),
    });
    const env = { GITHUB_TOKEN: 'test-token', GITHUB_REPOSITORY: 'example/advisories', GITHUB_API_URL: github.url, GITHUB_SHA: 'e'.repeat(40) };
    const run = await runCli(['publish'], { cwd: dir, env, now: now.toISOString() });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(
      'OSSN-0003-r1  announced  [mail: done]\nannounced before herald: 2 advisories dated before publish.announce_from (2024-05-01), not announced again (--json lists them)\n',
    );
    expect(await readdir(path.join(dir, 'outbox'))).toEqual(['OSSN-0003.r1']);
    expect(github.releases.map((r) => r.tag_name)).toEqual(['OSSN-0003-r1']);
    const json = JSON.parse((await runCli(['publish', '--dry-run', '--json'], { cwd: dir, env, now: now.toISOString() })).stdout) as PublishResult;
    expect(json).toMatchObject({ announceFrom: '2024-05-01', announcements: [{ tag: 'OSSN-0003-r1', result: 'announced-before' }] });
    expect(json.announcedBeforeHerald.map((n) => n.id)).toEqual(['OSSN-0001', 'OSSN-0002']);

    // A day more than a day ahead is a mistyped year: nothing would be announced until then.
    await writeFile(path.join(dir, 'herald.config.yaml'), `${mailConfigText}publish:\n  announce_from: 2042-06-03\n`);
    const ahead = await runCli(['publish', '--dry-run'], { cwd: dir, env, now: now.toISOString() });
    expect(ahead.code).toBe(1);
    const settingLine = `${mailConfigText}publish:\n`.split('\n').length;
    expect(ahead.stderr).toContain(`herald.config.yaml:${settingLine}:3  error  config-invalid  publish.announce_from (2042-06-03) is after tomorrow (2024-06-02)`);
    await writeFile(path.join(dir, 'herald.config.yaml'), `${mailConfigText}publish:\n  announce_from: 2024-06-02\n`);
    expect((await runCli(['publish', '--dry-run'], { cwd: dir, env, now: now.toISOString() })).code).toBe(0);

    // A day that is not one is the config's mistake, with its line.
    await writeFile(path.join(dir, 'herald.config.yaml'), 'publish:\n  announce_from: 2024-02-30\n');
    const bad = await runCli(['publish', '--dry-run'], { cwd: dir, env, now: now.toISOString() });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('herald.config.yaml:2:18');
    expect(bad.stderr).toContain('is not a real calendar date');
    expect(bad.stderr).not.toMatch(/\bat \S+:\d+/);
  });

  it('refuses a run with more announcements due than publish.max_announcements, mailing no one; --max-announcements allows the batch', async () => {
    const dir = await checkout({
      'herald.config.yaml': `${mailConfigText}publish:\n  max_announcements: 2\n`,
      'notes/OSSN-0001.md': noteText({ id: 'OSSN-0001', lists: ['announce'] }),
      'notes/OSSN-0002.md': noteText({ id: 'OSSN-0002', lists: ['announce'] }),
      'notes/OSSN-0003.md': noteText({ id: 'OSSN-0003', lists: ['announce'] }),
    });
    const env = { GITHUB_TOKEN: 'test-token', GITHUB_REPOSITORY: 'example/advisories', GITHUB_API_URL: github.url, GITHUB_SHA: 'f'.repeat(40) };
    const refused = await runCli(['publish'], { cwd: dir, env, now: now.toISOString() });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('herald.config.yaml:1:1  error  publish-too-many  3 announcements are due, more than one run may make (publish.max_announcements: 2): nothing was announced');
    expect(refused.stderr).toContain('publish.announce_from');
    await expect(readdir(path.join(dir, 'outbox'))).rejects.toThrow();
    expect(github.releases).toEqual([]);
    const dry = await runCli(['publish', '--dry-run'], { cwd: dir, env, now: now.toISOString() });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('A real run would stop: 3 announcements are due, more than one run may make (2); see publish.max_announcements.');
    const batch = await runCli(['publish', '--max-announcements', '3'], { cwd: dir, env, now: now.toISOString() });
    expect(batch.code, batch.stderr).toBe(0);
    expect((await readdir(path.join(dir, 'outbox'))).sort()).toEqual(['OSSN-0001.r0', 'OSSN-0002.r0', 'OSSN-0003.r0']);
  });

  it('finishes an announcement whose release was deleted without mailing again', async () => {
    const dir = await checkout({ 'notes/OSSN-0001.md': noteText({ id: 'OSSN-0001', lists: ['announce'] }) });
    const env = { GITHUB_TOKEN: 'test-token', GITHUB_REPOSITORY: 'example/advisories', GITHUB_API_URL: github.url };
    const options = { cwd: dir, notesDir: 'notes', out: 'dist', config, env, now, dryRun: false, build: async () => {}, log: () => {} };
    const channels = () => [mailChannel({ config, cwd: dir, env, now, log: () => {} })];
    await publish({ ...options, channels: channels() });
    github.releases.length = 0;
    const ledgerBefore = await readFile(path.join(dir, 'state/mail-ledger.jsonl'), 'utf8');
    const rerun = await publish({ ...options, channels: channels() });
    expect(rerun.announcements[0]).toMatchObject({ result: 'announced', channels: [{ name: 'mail', result: 'done-before' }] });
    expect(await readFile(path.join(dir, 'state/mail-ledger.jsonl'), 'utf8')).toBe(ledgerBefore);
    expect(github.releases.map((r) => r.tag_name)).toEqual(['OSSN-0001-r0']);
  });
});

const noWiki = missingTools('php', path.join(mediawikiDir, 'maintenance/install.php'));
describe.skipIf(!!noWiki)(`herald publish (CLI): a real MediaWiki, file mail, the GitHub emulator${noWiki ? ` (${noWiki})` : ''}`, () => {
  let wiki: TestWiki;
  let github: GithubEmulator;
  beforeAll(async () => {
    [wiki, github] = await Promise.all([startMediaWiki(), new GithubEmulator('example/advisories').start()]);
  });
  afterAll(async () => {
    await Promise.all([wiki?.stop(), github?.stop()]);
  });

  it('pushes the wiki page, mails the list, then creates the release; a second run does nothing', async () => {
    const dir = await checkout({
      'herald.config.yaml': [
        'mail:',
        '  lists: [{ name: announce, address: announce@lists.example.org }]',
        'wiki:',
        `  api_url: ${wiki.apiUrl}`,
        `  user: ${wiki.bot.user}`,
        '  code: pre',
        '',
      ].join('\n'),
      'notes/OSSN-0007.md': noteText({ id: 'OSSN-0007', title: 'Libvirt accepts unauthenticated TCP', lists: ['announce'] }),
    });
    const env = { GITHUB_TOKEN: 'test-token', GITHUB_REPOSITORY: 'example/advisories', GITHUB_API_URL: github.url, HERALD_WIKI_PASSWORD: wiki.bot.password };

    const dry = await runCli(['publish', '--dry-run'], { cwd: dir, env, now: now.toISOString() });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toBe('OSSN-0007-r0  would announce  [wiki: would-run, mail: would-run]; would create release OSSN-0007-r0\nDry run: nothing was changed.\n');

    const first = await runCli(['publish'], { cwd: dir, env, now: now.toISOString() });
    expect(first.stderr).not.toContain(wiki.bot.password);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('OSSN-0007-r0  announced  [wiki: done, mail: done]\n');
    expect(await readdir(path.join(dir, 'dist/site/advisories'))).toEqual(['OSSN-0007']);
    const page = await fetch(`${wiki.apiUrl}?action=query&prop=revisions&titles=OSSN/OSSN-0007&rvprop=content&rvslots=main&format=json&formatversion=2`).then((r) => r.json());
    expect(JSON.stringify(page)).toContain('Libvirt accepts unauthenticated TCP');
    // The index page is the one the build wrote (publish reads it rather than every note in full).
    const index = (await fetch(`${wiki.apiUrl}?action=query&prop=revisions&titles=${encodeURIComponent(configSchema.parse({}).wiki.index_page)}&rvprop=content&rvslots=main&format=json&formatversion=2`).then((r) => r.json())) as {
      query: { pages: { revisions: { slots: { main: { content: string } } }[] }[] };
    };
    expect(index.query.pages[0]!.revisions[0]!.slots.main.content.trim()).toBe((await readFile(path.join(dir, 'dist/wiki/index.wiki'), 'utf8')).trim());
    expect(await readdir(path.join(dir, 'outbox/OSSN-0007.r0'))).toEqual(['announce@lists.example.org.eml']);
    expect(github.releases.map((r) => r.tag_name)).toEqual(['OSSN-0007-r0']);

    const second = await runCli(['publish', '--json'], { cwd: dir, env, now: now.toISOString() });
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout).announcements).toEqual([{ id: 'OSSN-0007', tag: 'OSSN-0007-r0', revision: 0, withdrawn: false, result: 'announced-before', channels: [] }]);

    const noToken = await runCli(['publish'], { cwd: dir, env: { HERALD_WIKI_PASSWORD: wiki.bot.password }, now: now.toISOString() });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('GITHUB_TOKEN is not set');
  });
});

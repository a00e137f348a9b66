import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeraldMessage } from '../../src/errors/message.ts';
import { commentMarker } from '../../src/workflow/comment.ts';
import { editCachedRecord } from '../support/cache-index.ts';
import { runCli } from '../support/cli.ts';
import { missingTools } from '../support/system.ts';
import { GithubEmulator } from './emulator.ts';
import { checkout, commitAll, expectGolden, git, noteText } from './notes.ts';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const configText = [
  'mail:',
  '  from: Example Security <security@example.org>',
  '  lists:',
  '    - { name: announce, address: announce@lists.example.org }',
  '',
].join('\n');

/**
 * A repository on branch `topic`, forked from `main`: one note updated, one
 * added with a placeholder id, one deleted, one broken, and a file that is
 * not a note.
 */
async function pullRequestCheckout(): Promise<string> {
  const dir = await checkout({
    'herald.config.yaml': configText,
    'notes/OSSN-0001.md': noteText({ id: 'OSSN-0001', title: 'OpenSSL heartbeat leaks memory', lists: ['announce'] }),
    'notes/OSSN-0002.md': noteText({ id: 'OSSN-0002', title: 'Old note', lists: ['announce'] }),
    'README.md': 'advisories\n',
  });
  git(dir, 'init', '-q');
  commitAll(dir, 'base');
  git(dir, 'checkout', '-q', '-b', 'topic');
  await writeFile(
    path.join(dir, 'notes/OSSN-0001.md'),
    noteText({ id: 'OSSN-0001', title: 'OpenSSL heartbeat leaks memory', lists: ['announce'], revisions: [{ date: '2014-04-11', summary: 'Restart every service that links OpenSSL' }] }),
  );
  await writeFile(path.join(dir, 'notes/memcached.md'), noteText({ id: 'OSSN-XXXX', title: 'Memcached reachable by @everyone <b>unauthenticated</b>', date: '2016-02-15', lists: ['announce'], embargo: '2026-02-01T15:00:00Z' }));
  await writeFile(path.join(dir, 'notes/broken.md'), '---\nid: OSSN-XXXX\ntitle: [unclosed\n---\n\n## Summary\n');
  await rm(path.join(dir, 'notes/OSSN-0002.md'));
  await writeFile(path.join(dir, 'README.md'), 'advisories, updated\n');
  commitAll(dir, 'topic');
  return dir;
}

const noGit = missingTools('git');

describe.skipIf(!!noGit)('herald preview', () => {
  it('prints the email, checklist and lint findings of each note changed since --base (golden)', async () => {
    const dir = await pullRequestCheckout();
    const run = await runCli(['preview', '--base', 'main'], { cwd: dir, env: {} });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expectGolden(path.join(fixtures, 'preview.md'), run.stdout);
  });

  it('uses origin/$GITHUB_BASE_REF in a pull request, and refuses a base that does not exist', async () => {
    const dir = await pullRequestCheckout();
    const missing = await runCli(['preview'], { cwd: dir, env: { GITHUB_BASE_REF: 'main' } });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot compare with "origin/main"');
    expect(missing.stderr).toContain('fetch-depth: 0');
    const option = await runCli(['preview', '--base', '--upload-pack=evil'], { cwd: dir, env: {} });
    expect(option.code).toBe(2);
  });

  it('counts every note as added in a repository without a commit yet, and says so outside a repository', async () => {
    const dir = await checkout({ 'herald.config.yaml': configText, 'notes/OSSN-0001.md': noteText({ id: 'OSSN-0001', title: 'OpenSSL heartbeat leaks memory', lists: ['announce'] }) });
    const outside = await runCli(['preview'], { cwd: dir, env: {} });
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain(`${dir} is not in a git repository`);
    git(dir, 'init', '-q');
    const first = await runCli(['preview'], { cwd: dir, env: {} });
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('`notes/OSSN-0001.md` · added');
  });

  it('compares with main, else master, when no base is named outside a pull request', async () => {
    const dir = await pullRequestCheckout();
    const named = await runCli(['preview', '--base', 'main'], { cwd: dir, env: {} });
    expect((await runCli(['preview'], { cwd: dir, env: {} })).stdout).toBe(named.stdout);
    git(dir, 'branch', '-q', '-m', 'main', 'master');
    expect((await runCli(['preview'], { cwd: dir, env: {} })).stdout).toBe(named.stdout);
  });

  it('lints through the build cache --cache names, or none with --no-cache', async () => {
    const dir = await pullRequestCheckout();
    // The broken note stops the build, which still records every note's messages in its cache.
    expect((await runCli(['build', '--cache', 'ci-cache'], { cwd: dir, env: {} })).code).toBe(1);
    // A message only this cache holds, on a note the change touches and the cache knows unchanged.
    await editCachedRecord(path.join(dir, 'ci-cache'), 'notes/OSSN-0001.md', (record) => {
      record.messages.push({ file: 'notes/OSSN-0001.md', line: 1, column: 1, severity: 'warning', ruleId: 'from-the-cache' as HeraldMessage['ruleId'], message: 'Said by the cache.' });
    });
    const cached = await runCli(['preview', '--base', 'main', '--cache', 'ci-cache'], { cwd: dir, env: {} });
    expect(cached.stdout).toContain('Said by the cache.');
    const fresh = await runCli(['preview', '--base', 'main', '--no-cache'], { cwd: dir, env: {} });
    expect(fresh.stdout).not.toContain('Said by the cache.');
    expectGolden(path.join(fixtures, 'preview.md'), fresh.stdout);
  });

  it('says when publish.announce_from makes publish count a changed note as announced before herald', async () => {
    const dir = await checkout({
      'herald.config.yaml': `${configText}publish:\n  announce_from: 2014-04-01\n`,
      'notes/OSSN-0001.md': noteText({ id: 'OSSN-0001', lists: ['announce'] }),
      'notes/OSSN-0002.md': noteText({ id: 'OSSN-0002', lists: ['announce'] }),
    });
    git(dir, 'init', '-q');
    commitAll(dir, 'base');
    git(dir, 'checkout', '-q', '-b', 'topic');
    // A wording fix without a revision, and an update with one.
    await writeFile(path.join(dir, 'notes/OSSN-0001.md'), noteText({ id: 'OSSN-0001', title: 'Example note, reworded', lists: ['announce'] }));
    await writeFile(path.join(dir, 'notes/OSSN-0002.md'), noteText({ id: 'OSSN-0002', lists: ['announce'], revisions: [{ date: '2014-04-11', summary: 'Fixed packages are out.' }] }));
    commitAll(dir, 'topic');
    const run = await runCli(['preview', '--base', 'main'], { cwd: dir, env: {} });
    expect(run.code, run.stderr).toBe(0);
    const [first, second] = run.stdout.split('\n### `').slice(1);
    expect(first).toContain(
      '> [!NOTE]\n> `herald publish` will not announce this: its latest date, `2014-03-18`, is before `publish.announce_from` (`2014-04-01`), so it counts as announced before herald. To announce a change, add a revision dated on or after that day.',
    );
    expect(first).toMatch(/^OSSN-0001`/);
    expect(second).toMatch(/^OSSN-0002`/);
    expect(second).not.toContain('announce_from');
  });

  it('says when a change edits a published note without an update: publish neither mails it nor edits its wiki page', async () => {
    const dir = await checkout({
      'herald.config.yaml': configText,
      'notes/OSSN-0001.md': noteText({ id: 'OSSN-0001', lists: ['announce'] }),
      'notes/OSSN-0002.md': noteText({ id: 'OSSN-0002', lists: ['announce'] }),
      'notes/OSSN-0003.md': noteText({ id: 'OSSN-0003', lists: ['announce'], status: 'draft' }),
    });
    git(dir, 'init', '-q');
    commitAll(dir, 'base');
    git(dir, 'checkout', '-q', '-b', 'topic');
    // A wording fix without an update, an update, and a draft published.
    await writeFile(path.join(dir, 'notes/OSSN-0001.md'), noteText({ id: 'OSSN-0001', title: 'Example note, reworded', lists: ['announce'] }));
    await writeFile(path.join(dir, 'notes/OSSN-0002.md'), noteText({ id: 'OSSN-0002', title: 'Example note, updated', lists: ['announce'], revisions: [{ date: '2014-04-11', summary: 'Fixed packages are out.' }] }));
    await writeFile(path.join(dir, 'notes/OSSN-0003.md'), noteText({ id: 'OSSN-0003', lists: ['announce'] }));
    commitAll(dir, 'topic');
    const run = await runCli(['preview', '--base', 'main'], { cwd: dir, env: {} });
    expect(run.code, run.stderr).toBe(0);
    const [first, second, third] = run.stdout.split('\n### `').slice(1);
    expect(first).toContain(
      '> [!NOTE]\n> This change edits a published note and adds no update: once merged, the site shows the edit, but `herald publish` neither mails it nor edits the wiki page (it publishes updates). To announce it, add one: `herald revise OSSN-0001 "What changed"`. For a fix not worth an announcement, `herald wiki push OSSN-0001` updates the wiki page alone.',
    );
    for (const other of [second, third]) expect(other).not.toContain('adds no update');
  });

  it('says so when no note changed', async () => {
    const dir = await pullRequestCheckout();
    const run = await runCli(['preview', '--base', 'HEAD'], { cwd: dir, env: {} });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('## herald preview\n\nThis change touches no note.\n');
  });

  it('includes what the working tree changes on top of the commits: an edit not committed, a note not added to git', async () => {
    const dir = await pullRequestCheckout();
    await writeFile(path.join(dir, 'notes/OSSN-0001.md'), noteText({ id: 'OSSN-0001', title: 'OpenSSL heartbeat leaks memory, edited', lists: ['announce'] }));
    await writeFile(path.join(dir, 'notes/OSSN-XXXX-new.md'), noteText({ id: 'OSSN-XXXX', title: 'Written a minute ago', lists: ['announce'] }));
    const run = await runCli(['preview', '--base', 'HEAD'], { cwd: dir, env: {} });
    const headings = run.stdout.split('\n').filter((line) => line.startsWith('### `'));
    expect(headings).toEqual([expect.stringContaining('OSSN-0001'), expect.stringContaining('OSSN-XXXX')]);
    expect(run.stdout).toContain('OpenSSL heartbeat leaks memory, edited');
    expect(run.stdout).toContain('Written a minute ago');
  });
});

describe.skipIf(!!noGit)('herald pr-comment against the GitHub emulator', () => {
  let github: GithubEmulator;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    github = await new GithubEmulator('example/advisories').start();
    dir = await pullRequestCheckout();
    env = { GITHUB_TOKEN: 'test-token', GITHUB_REPOSITORY: 'example/advisories', GITHUB_API_URL: github.url };
  });
  afterAll(async () => {
    await github.stop();
  });

  const prFiles = [
    { filename: 'README.md', status: 'modified' },
    { filename: 'notes/OSSN-0001.md', status: 'modified' },
    { filename: 'notes/OSSN-0002.md', status: 'removed' },
    { filename: 'notes/broken.md', status: 'added' },
    { filename: 'notes/memcached.md', status: 'added' },
  ];

  it('updates its one marked comment in place on a pull request with 150 comments', async () => {
    github.addPull(42, prFiles);
    for (let i = 0; i < 150; i++) {
      github.addComment(42, i === 130 ? `${commentMarker}\n## herald preview\n\nstale` : `review comment ${i}`, i === 130 ? "github-actions[bot]" : "reviewer");
    }
    const sticky = github.comments.get(42)![130]!;
    github.requests.length = 0;

    const run = await runCli(['pr-comment', '--pr', '42', '--json'], { cwd: dir, env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ action: 'updated', id: sticky.id, pr: 42 });
    expect(github.comments.get(42)).toHaveLength(150);
    expect(github.calls()).toEqual([
      'GET /repos/example/advisories/pulls/42/files',
      'GET /repos/example/advisories/issues/42/comments',
      'GET /repos/example/advisories/issues/42/comments',
      `PATCH /repos/example/advisories/issues/comments/${sticky.id}`,
    ]);
    const body = sticky.body;
    expect(body.startsWith(`${commentMarker}\n## herald preview`)).toBe(true);
    const preview = (await runCli(['preview', '--base', 'main'], { cwd: dir, env: {} })).stdout;
    expect(body).toBe(`${commentMarker}\n${preview.trimEnd()}`);

    const again = await runCli(['pr-comment', '--pr', '42'], { cwd: dir, env });
    expect(again.stdout).toContain('unchanged the preview comment on #42');
    expect(github.requests.filter((r) => r.method !== 'GET')).toHaveLength(1);
  });

  it('reads the pull request number from the event payload, and posts nothing for a pull request without notes', async () => {
    github.addPull(43, [{ filename: 'README.md', status: 'modified' }]);
    const event = path.join(dir, 'event.json');
    await writeFile(event, JSON.stringify({ action: 'synchronize', number: 43, pull_request: { number: 43, head: { sha: 'a'.repeat(40) } } }));
    const run = await runCli(['pr-comment'], { cwd: dir, env: { ...env, GITHUB_EVENT_PATH: event } });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('#43 changes no note: no comment posted');
    const made = await runCli(['pr-comment', '--output', 'empty.md'], { cwd: dir, env: { ...env, GITHUB_EVENT_PATH: event } });
    expect(made.code).toBe(0);
    const posted = await runCli(['pr-comment', '--pr', '43', '--body-file', 'empty.md', '--head-sha', 'a'.repeat(40)], { cwd: dir, env });
    expect(posted.stdout).toContain('#43 changes no note: no comment posted');
    expect(github.comments.get(43) ?? []).toEqual([]);

    // Once a preview exists, an empty one replaces it, so it cannot mislead.
    github.addComment(43, `${commentMarker}\nold preview`, 'github-actions[bot]');
    await runCli(['pr-comment', '--pr', '43', '--body-file', 'empty.md'], { cwd: dir, env });
    expect(github.comments.get(43)?.[0]?.body).toContain('This change touches no note.');
  });

  it('says an edit adds no update when its job has the base branch ($GITHUB_BASE_REF), and nothing without it', async () => {
    const edited = await checkout({ 'herald.config.yaml': configText, 'notes/OSSN-0001.md': noteText({ id: 'OSSN-0001', lists: ['announce'] }) });
    git(edited, 'init', '-q');
    commitAll(edited, 'base');
    git(edited, 'update-ref', 'refs/remotes/origin/main', 'HEAD');
    git(edited, 'checkout', '-q', '-b', 'topic');
    await writeFile(path.join(edited, 'notes/OSSN-0001.md'), noteText({ id: 'OSSN-0001', title: 'Example note, reworded', lists: ['announce'] }));
    commitAll(edited, 'topic');
    github.addPull(46, [{ filename: 'notes/OSSN-0001.md', status: 'modified' }]);
    const withBase = await runCli(['pr-comment', '--pr', '46', '--output', 'comment.md'], { cwd: edited, env: { ...env, GITHUB_BASE_REF: 'main' } });
    expect(withBase.code, withBase.stderr).toBe(0);
    expect(await readFile(path.join(edited, 'comment.md'), 'utf8')).toContain('This change edits a published note and adds no update');
    const without = await runCli(['pr-comment', '--pr', '46', '--output', 'comment.md'], { cwd: edited, env });
    expect(without.code, without.stderr).toBe(0);
    expect(await readFile(path.join(edited, 'comment.md'), 'utf8')).not.toContain('adds no update');
  });

  it('splits making the body (read-only job) from posting it (trusted job), checking the head commit', async () => {
    github.addPull(44, [...prFiles, { filename: 'notes/ghost.md', status: 'added' }], 'e'.repeat(40));
    const made = await runCli(['pr-comment', '--pr', '44', '--output', 'comment.md'], { cwd: dir, env });
    expect(made.code).toBe(0);
    expect(github.comments.get(44) ?? []).toEqual([]);
    const body = await readFile(path.join(dir, 'comment.md'), 'utf8');
    expect(body.startsWith(commentMarker)).toBe(true);
    expect(body).toContain('### `notes/ghost.md`\n\n`notes/ghost.md` · added\n\nThe note is not in the working tree herald ran in');

    const stale = await runCli(['pr-comment', '--pr', '44', '--body-file', 'comment.md', '--head-sha', 'f'.repeat(40)], { cwd: dir, env });
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('github-head-mismatch');
    expect(github.comments.get(44) ?? []).toEqual([]);

    const posted = await runCli(['pr-comment', '--pr', '44', '--body-file', 'comment.md', '--head-sha', 'e'.repeat(40)], { cwd: dir, env });
    expect(posted.code).toBe(0);
    expect(github.comments.get(44)?.map((c) => c.body)).toEqual([body]);
  });

  it('posts a body the pull request could rewrite so that it pings no one, and refuses a body file it cannot read', async () => {
    github.addPull(47, prFiles, 'd'.repeat(40));
    const forged = `${commentMarker}\nAll clear, @octocat and @example/security-team: merge it.\n\n\`@keep\` [npm](https://www.npmjs.com/package/@scope/name) a@b.org\n\n\`\`\`\n@reboot root run\n\`\`\`\n`;
    await writeFile(path.join(dir, 'forged.md'), forged);
    const posted = await runCli(['pr-comment', '--pr', '47', '--body-file', 'forged.md', '--head-sha', 'd'.repeat(40)], { cwd: dir, env });
    expect(posted.code, posted.stderr).toBe(0);
    expect(github.comments.get(47)?.map((c) => c.body)).toEqual([
      forged.replace('@octocat', '@&#8203;octocat').replace('@example/', '@&#8203;example/'),
    ]);
    for (const [file, why] of [['absent.md', 'no such file'], ['.', 'not a regular file']] as const) {
      const failed = await runCli(['pr-comment', '--pr', '47', '--body-file', file], { cwd: dir, env });
      expect(failed.code, failed.stderr).toBe(2);
      expect(failed.stderr).toContain(`--body-file ${file}`);
      expect(failed.stderr).toContain(why);
      expect(failed.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('explains usage mistakes and GitHub refusals without a stack trace', async () => {
    const both = await runCli(['pr-comment', '--pr', '42', '--output', 'a', '--body-file', 'b'], { cwd: dir, env });
    expect(both.code).toBe(2);
    const noToken = await runCli(['pr-comment', '--pr', '42'], { cwd: dir, env: { GITHUB_REPOSITORY: 'example/advisories' } });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('GITHUB_TOKEN is not set');
    const badNumber = await runCli(['pr-comment', '--pr', 'x1'], { cwd: dir, env });
    expect(badNumber.code).toBe(2);
    const missing = await runCli(['pr-comment', '--pr', '999'], { cwd: dir, env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('github-not-found  Could not list the files of pull request #999: GitHub answered 404 Not Found.');
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });
});

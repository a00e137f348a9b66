/**
 * Reading pull requests: the files one changes (as GitHub lists them, all
 * pages) and its head commit.
 */
import { z } from 'zod';
import { ruleInfo } from '../../errors/catalog.ts';
import { HeraldError } from '../../errors/message.ts';
import type { GithubClient } from './client.ts';
import type { GithubSettings } from './environment.ts';
import { answerOf, pullRequestAnswer, pullRequestFileAnswer } from './answers.ts';
import { withGithubErrors } from './errors.ts';
import { eachPageOnce } from './pages.ts';

/** One file of a pull request, as `GET /repos/{repo}/pulls/{n}/files` lists it. */
export interface PullRequestFile {
  filename: string;
  /** added | removed | modified | renamed | copied | changed | unchanged */
  status: string;
  previousFilename?: string;
}

/** Every file pull request `number` changes, across all pages (GitHub lists at most 3,000). */
export async function listPullRequestFiles(client: GithubClient, settings: GithubSettings, number: number): Promise<PullRequestFile[]> {
  return withGithubErrors(`list the files of pull request #${number}`, async () => {
    const iterator = client.paginate.iterator(client.rest.pulls.listFiles, {
      owner: settings.owner,
      repo: settings.repo,
      pull_number: number,
      per_page: 100,
    });
    const files: z.infer<typeof pullRequestFileAnswer>[] = [];
    for await (const page of eachPageOnce(iterator)) files.push(...answerOf(z.array(pullRequestFileAnswer), page.data, page.url.replace(/\?.*$/, '')));
    return files.map((f) => ({
      filename: f.filename,
      status: f.status,
      ...(f.previous_filename ? { previousFilename: f.previous_filename } : {}),
    }));
  });
}

/** The sha of the commit pull request `number` currently points at. */
export async function pullRequestHeadSha(client: GithubClient, settings: GithubSettings, number: number): Promise<string> {
  return withGithubErrors(`read pull request #${number}`, async () => {
    const { data, url } = await client.rest.pulls.get({ owner: settings.owner, repo: settings.repo, pull_number: number });
    return answerOf(pullRequestAnswer, data, url).head.sha;
  });
}

/**
 * Throws `github-head-mismatch` unless pull request `number` points at
 * `sha`: a body made from one commit is never posted on a pull request
 * that moved on, nor on another pull request named by untrusted input.
 */
export async function assertPullRequestHead(client: GithubClient, settings: GithubSettings, number: number, sha: string): Promise<void> {
  const head = await pullRequestHeadSha(client, settings, number);
  if (head.toLowerCase() === sha.toLowerCase()) return;
  throw new HeraldError([
    {
      file: `pull request #${number}`,
      line: 1,
      column: 1,
      severity: 'error',
      ruleId: 'github-head-mismatch',
      message: `The pull request points at ${head.slice(0, 12)}, not ${sha.slice(0, 12)}; the preview was not posted.`,
      hint: ruleInfo('github-head-mismatch').hint,
    },
  ]);
}

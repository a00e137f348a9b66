/**
 * What GitHub Actions tells a job about where it runs: the token, the
 * repository, the API root (GitHub Enterprise Server has its own) and the
 * event payload. Read once here so every command agrees on precedence.
 */
import { readFile } from 'node:fs/promises';
import type { Config } from '../../config/schema.ts';
import { UsageError } from '../../errors/message.ts';

/** Where and as whom herald talks to GitHub. */
export interface GithubSettings {
  /** The token, kept out of every message and log line. */
  token: string;
  owner: string;
  repo: string;
  /** API root without a trailing slash, e.g. `https://api.github.com`. */
  apiUrl: string;
}

const defaultApiUrl = 'https://api.github.com';
const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Settings from the config (`github.repository`, `github.api_url`), then the
 * Actions variables (`GITHUB_REPOSITORY`, `GITHUB_API_URL`), then github.com.
 * The token only ever comes from `GITHUB_TOKEN`: a secret never sits in a
 * config file or on a command line.
 */
export function githubSettings(config: Config, env: NodeJS.ProcessEnv): GithubSettings {
  const token = env.GITHUB_TOKEN?.trim();
  if (!token) {
    throw new UsageError(
      'GITHUB_TOKEN is not set: this command calls the GitHub API. In a workflow pass `env: GITHUB_TOKEN: ${{ github.token }}`; locally export a token with the permissions the command needs.',
    );
  }
  const repository = config.github.repository ?? env.GITHUB_REPOSITORY;
  if (!repository) {
    throw new UsageError('the repository is unknown: set `github.repository: owner/name` in herald.config.yaml or GITHUB_REPOSITORY.');
  }
  const match = /^([\w.-]+)\/([\w.-]+)$/.exec(repository);
  if (!match) throw new UsageError(`GITHUB_REPOSITORY must be owner/name, not "${repository}".`);
  return { token, owner: match[1]!, repo: match[2]!, apiUrl: checkedApiUrl(config.github.api_url ?? env.GITHUB_API_URL ?? defaultApiUrl) };
}

/** The token travels in a header: refuse to send it in clear text except to this machine. */
function checkedApiUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`the GitHub API URL "${value}" is not a URL.`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopbackHosts.has(url.hostname))) {
    throw new UsageError(`the GitHub API URL must use https:// (plain http is allowed for 127.0.0.1 only), not "${value}".`);
  }
  return url.href.replace(/\/+$/, '');
}

/** The parts of an event payload herald reads. */
export interface GithubEvent {
  pullRequest?: { number: number; headSha?: string };
}

/**
 * The event that started the workflow run, from `GITHUB_EVENT_PATH`; an empty
 * event outside Actions. The payload is GitHub's, but read defensively: a
 * missing or odd field means "not known", never a crash.
 */
export async function readGithubEvent(env: NodeJS.ProcessEnv): Promise<GithubEvent> {
  const file = env.GITHUB_EVENT_PATH;
  if (!file) return {};
  let payload: unknown;
  try {
    payload = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`GITHUB_EVENT_PATH names ${file}, which is not a readable JSON file (${(error as Error).message}).`);
  }
  const pr = field(payload, 'pull_request');
  const number = field(pr, 'number');
  if (typeof number !== 'number') return {};
  const sha = field(field(pr, 'head'), 'sha');
  return { pullRequest: { number, headSha: typeof sha === 'string' ? sha : undefined } };
}

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

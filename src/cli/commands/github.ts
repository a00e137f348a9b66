/**
 * The pull-request workflow: `preview` and `pr-comment` give authors
 * feedback, `assign-ids` and `publish` run after merge, `init` scaffolds a
 * new advisory repository with the workflows that call them. Each action
 * only wires options to `src/workflow/` and `src/publish/github/`.
 */
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { UsageError } from '../../errors/message.ts';
import type { CliContext } from '../context.ts';
import { println } from '../context.ts';
import { interruptible } from '../interrupt.ts';
import { configFor, readCacheDir, withConfigOption, withReadCacheOption, type CommonOptions, type ReadCacheOptions } from '../options.ts';

interface NotesOptions extends CommonOptions {
  notes: string;
  json?: boolean;
}

/** Parses a pull request number, for commander. */
function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`expected a pull request number, got "${value}"`);
  return n;
}

export function register(program: Command, context: CliContext): void {
  registerPreview(program, context);
  registerPrComment(program, context);
  registerAssignIds(program, context);
  registerPublish(program, context);
  registerInit(program, context);
}

function registerPreview(program: Command, context: CliContext): void {
  withConfigOption(
    withReadCacheOption(
      program
        .command('preview')
        .description('Print, as Markdown, the email, checklist and lint findings of every note changed since a git revision (for $GITHUB_STEP_SUMMARY)')
        .option('--base <ref>', 'compare with this branch or commit (default: origin/$GITHUB_BASE_REF in a pull request, else main, master or the remote\'s default branch)')
        .option('--notes <dir>', 'notes folder', 'notes'),
    ),
  ).action(async (options: NotesOptions & ReadCacheOptions & { base?: string }) => {
    const config = await configFor(context, options);
    const { changedFilesSince, defaultBase, mergeBaseReader } = await import('../../workflow/git.ts');
    const { changedNotes, relativeNotesDir } = await import('../../workflow/changes.ts');
    const { collectPreviews } = await import('../../workflow/collect-preview.ts');
    const { renderPreview, stepSummaryLimit, utf8Length } = await import('../../workflow/preview.ts');
    const base = options.base ?? (context.env.GITHUB_BASE_REF ? `origin/${context.env.GITHUB_BASE_REF}` : await defaultBase(context.cwd));
    const notesDir = relativeNotesDir(context.cwd, options.notes);
    const changed = changedNotes(await changedFilesSince(base, context.cwd, [notesDir]), notesDir);
    const now = context.now();
    const before = await mergeBaseReader(base, context.cwd);
    const previews = await collectPreviews(changed, { cwd: context.cwd, notesDir, config, now, cacheDir: readCacheDir(context, options), ...(before ? { before } : {}) });
    const fullPreviewHint = 'run `herald preview` locally for the full text';
    context.stdout.write(`${renderPreview(previews, { now, limit: stepSummaryLimit, measure: utf8Length, fullPreviewHint })}\n`);
    if (previews.some((p) => p.messages.some((m) => m.severity === 'error'))) context.exitCode = 1;
  });
}

interface PrCommentOptions extends NotesOptions, ReadCacheOptions {
  pr?: number;
  output?: string;
  bodyFile?: string;
  headSha?: string;
}

function registerPrComment(program: Command, context: CliContext): void {
  withConfigOption(
    withReadCacheOption(
      program
        .command('pr-comment')
        .description('Post the preview of the notes a pull request changes as one comment, updated in place on every run')
        .option('--pr <number>', 'pull request number (default: from the GitHub event payload)', positiveInteger)
        .option('--notes <dir>', 'notes folder', 'notes')
        .option('--output <file>', 'write the comment body to a file instead of posting it (a read-only token suffices)')
        .option('--body-file <file>', 'post this body (made with --output by a read-only job) instead of computing it')
        .option('--head-sha <sha>', 'post only if the pull request still points at this commit')
        .option('--json', 'print the outcome as JSON'),
    ),
  ).action(async (options: PrCommentOptions) => {
    if (options.output && options.bodyFile) throw new UsageError('--output and --body-file exclude each other: one job makes the body, another posts it.');
    if (options.headSha !== undefined && !/^[0-9a-f]{40}$/i.test(options.headSha)) throw new UsageError(`--head-sha must be a 40-digit commit sha, not "${options.headSha}".`);
    const config = await configFor(context, options);
    const { githubSettings, readGithubEvent } = await import('../../publish/github/environment.ts');
    const { createGithubClient } = await import('../../publish/github/client.ts');
    const { assertPullRequestHead, listPullRequestFiles } = await import('../../publish/github/pull-requests.ts');
    const { upsertMarkedComment } = await import('../../publish/github/comments.ts');
    const { commentMarker, isEmptyPreview, previewCommentBody, untrustedCommentBody } = await import('../../workflow/comment.ts');

    const settings = githubSettings(config, context.env);
    const number = options.pr ?? (await readGithubEvent(context.env)).pullRequest?.number;
    if (number === undefined) throw new UsageError('no pull request given: pass --pr N (outside a pull_request workflow, the event payload names none).');
    const client = createGithubClient(settings, { log: (line) => println(context.stderr, line) });

    let body: string;
    if (options.bodyFile) {
      const { commentLimit } = await import('../../workflow/preview.ts');
      const { readInputText } = await import('../../io/read-input.ts');
      // A character takes at most 4 bytes: past that the body is cut anyway.
      body = untrustedCommentBody(await readInputText(path.resolve(context.cwd, options.bodyFile), options.bodyFile, '--body-file', 4 * commentLimit));
    } else {
      const { changedNotes, fromGithubStatus, relativeNotesDir } = await import('../../workflow/changes.ts');
      const { collectPreviews } = await import('../../workflow/collect-preview.ts');
      const notesDir = relativeNotesDir(context.cwd, options.notes);
      const { mergeBaseReader } = await import('../../workflow/git.ts');
      const changed = changedNotes((await listPullRequestFiles(client, settings, number)).map(fromGithubStatus), notesDir);
      const now = context.now();
      // In the pull request's own job (a checkout with its history), the notes as the pull request found them.
      const before = context.env.GITHUB_BASE_REF ? await mergeBaseReader(`origin/${context.env.GITHUB_BASE_REF}`, context.cwd) : undefined;
      body = previewCommentBody(await collectPreviews(changed, { cwd: context.cwd, notesDir, config, now, cacheDir: readCacheDir(context, options), ...(before ? { before } : {}) }), now);
    }
    if (options.output) {
      await writeFile(path.resolve(context.cwd, options.output), body);
      report(context, options.json, { action: 'written', file: options.output, pr: number }, `wrote the preview of #${number} to ${options.output}`);
      return;
    }
    if (options.headSha) await assertPullRequestHead(client, settings, number, options.headSha);
    // A pull request that never touched a note gets no comment; one that no
    // longer does gets its old preview replaced, so it cannot mislead.
    const result = await upsertMarkedComment(client, settings, number, commentMarker, body, { createIfMissing: !isEmptyPreview(body) });
    if (!result) {
      report(context, options.json, { action: 'none', pr: number }, `#${number} changes no note: no comment posted`);
      return;
    }
    report(context, options.json, { ...result, pr: number }, `${result.action} the preview comment on #${number}: ${result.url}`);
  });
}

interface AssignIdsOptions extends NotesOptions, ReadCacheOptions {
  dryRun?: boolean;
}

function registerAssignIds(program: Command, context: CliContext): void {
  withConfigOption(
    withReadCacheOption(
      program
        .command('assign-ids')
        .description('Replace placeholder ids (<PREFIX>-XXXX) with the next free numbers, rename the files, and update the notes/.last-id guard')
        .option('--notes <dir>', 'notes folder', 'notes')
        .option('--dry-run', 'print the plan, change nothing')
        .option('--json', 'print the assignments as JSON'),
    ),
  ).action(async (options: AssignIdsOptions) => {
    const config = await configFor(context, options);
    const { assignIds } = await import('../../workflow/assign-ids/apply.ts');
    const { relativeNotesDir } = await import('../../workflow/changes.ts');
    const plan = await assignIds({
      cwd: context.cwd,
      notesDir: relativeNotesDir(context.cwd, options.notes),
      config,
      now: context.now(),
      dryRun: options.dryRun ?? false,
      cacheDir: readCacheDir(context, options),
      workers: availableParallelism(),
    });
    if (options.json) {
      println(context.stdout, JSON.stringify({ dryRun: options.dryRun ?? false, assignments: plan.assignments.map(({ from, to, id }) => ({ from, to, id })) }, null, 2));
      return;
    }
    if (plan.assignments.length === 0) {
      println(context.stdout, 'No placeholder ids: nothing to assign.');
      return;
    }
    for (const a of plan.assignments) println(context.stdout, `${options.dryRun ? 'would assign' : 'assigned'} ${a.id}: ${a.from} -> ${a.to}`);
  });
}

interface PublishOptions extends NotesOptions, ReadCacheOptions {
  out: string;
  dryRun?: boolean;
  maxAnnouncements?: number;
}

function registerPublish(program: Command, context: CliContext): void {
  withConfigOption(
    withReadCacheOption(
      program
        .command('publish')
        .description('Announce every published revision not yet announced and past its embargo: build, push the wiki, send the mail, then create the GitHub release <ID>-r<rev> that marks it done')
        .option('--notes <dir>', 'notes folder', 'notes')
        .option('--out <dir>', 'output folder of the build', 'dist')
        .option('--dry-run', 'say what would be done, change nothing')
        .option('--max-announcements <n>', 'make up to this many announcements in this run (default: publish.max_announcements, 25); more due stops the run before anything is sent', positiveInteger)
        .option('--json', 'print the report as JSON'),
    ),
  ).action(async (options: PublishOptions) => {
    const config = await configFor(context, options, 'herald publish');
    const { publish, formatPublishReport } = await import('../../workflow/publish/command.ts');
    // Ctrl-C (or SIGTERM): the channel running finishes cleanly (the mail
    // starts no new message), nothing more is started; the next run goes on.
    const stop = interruptible(context, 'herald publish: stopping: the step running finishes cleanly, nothing more is started (again to quit at once)');
    const result = await publish({
      cwd: context.cwd,
      notesDir: options.notes,
      out: options.out,
      config,
      ...(options.config ? { configFile: options.config } : {}),
      env: context.env,
      now: context.now(),
      dryRun: options.dryRun ?? false,
      cacheDir: readCacheDir(context, options),
      workers: availableParallelism(),
      ...(options.maxAnnouncements !== undefined ? { maxAnnouncements: options.maxAnnouncements } : {}),
      log: (line) => println(context.stderr, line),
      signal: stop.signal,
      quit: stop.quit,
    })
      .catch((error: unknown) => {
        // Interrupted in the build, before any channel ran.
        if (!stop.signal.aborted) throw error;
        println(context.stderr, 'herald publish: stopped before anything was announced');
        return undefined;
      })
      .finally(stop.dispose);
    if (!result) {
      context.exitCode = stop.exitCode();
      return;
    }
    context.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : formatPublishReport(result));
    if (result.announcements.some((a) => a.result === 'failed')) context.exitCode = 1;
    if (stop.signal.aborted) context.exitCode = stop.exitCode();
  });
}

interface InitOptions {
  prefix: string;
  title: string;
  baseUrl: string;
  repository?: string;
  herald?: string;
}

function registerInit(program: Command, context: CliContext): void {
  program
    .command('init')
    .description('Scaffold a new advisory repository: notes/, herald.config.yaml, a note template and the GitHub workflows')
    .argument('<dir>', 'folder to create, or an existing one that holds none of the files init writes (a fresh clone of an empty repository)')
    .option('--prefix <prefix>', 'advisory id prefix, e.g. OSSN', 'OSSN')
    .option('--title <title>', 'site title', 'Security Notes')
    .option('--base-url <url>', 'https URL the site will be served from', 'https://security.example.org/')
    .option('--repository <owner/name>', "the GitHub repository the notes will live in (default: a clone's origin remote on github.com)")
    .option('--herald <spec>', 'npm install spec of herald for the workflows (a version, or a git or tarball URL)')
    .action(async (dir: string, options: InitOptions) => {
      const { scaffold } = await import('../../workflow/init.ts');
      const { githubOrigin } = await import('../../workflow/git.ts');
      const target = path.resolve(context.cwd, dir);
      // A clone, or after `git init`. Only the folder's own remote counts: a folder inside another checkout must not take that one's.
      const inGit = existsSync(path.join(target, '.git'));
      const origin = options.repository || !inGit ? undefined : await githubOrigin(target);
      const repository = options.repository ?? origin;
      const result = await scaffold(target, {
        prefix: options.prefix,
        title: options.title,
        baseUrl: options.baseUrl,
        ...(repository ? { repository } : {}),
        ...(options.herald ? { heraldSpec: options.herald } : {}),
        cwd: context.cwd,
      });
      for (const file of result.files) println(context.stdout, `created ${path.join(dir, file)}`);
      if (origin) println(context.stderr, `herald: github.repository is ${origin}, from the origin remote (--repository sets another).`);
      if (!options.herald) {
        println(context.stderr, `herald: package.json installs herald from ${result.heraldSpec}, which only this machine can reach; for GitHub Actions run init with --herald <git or tarball URL>, or edit package.json.`);
      }
      const publish = inGit ? 'commit, and push' : 'git init, and push to GitHub';
      println(context.stderr, `herald: next, in ${dir}: npm install (commit package-lock.json), ${publish}; its README lists the repository settings the workflows need.`);
    });
}

function report(context: CliContext, json: boolean | undefined, value: object, text: string): void {
  println(context.stdout, json ? JSON.stringify(value, null, 2) : text);
}

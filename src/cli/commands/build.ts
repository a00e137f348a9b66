import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import type { WorkerPool } from '../../build/worker-pool.ts';
import { defaultCacheDir } from '../../build/cache-dir.ts';
import { ruleInfo } from '../../errors/catalog.ts';
import { formatText, sortedMessages } from '../../errors/format.ts';
import type { CliContext } from '../context.ts';
import { interruptible } from '../interrupt.ts';
import { configFor, nonNegativeInteger, noticeDefaults, outFor, previewOut, withConfigOption, type CommonOptions } from '../options.ts';

interface BuildOptions extends CommonOptions {
  notes: string;
  out?: string;
  preview?: boolean;
  json?: boolean;
  cache: string | false;
  workers?: number;
  clean?: boolean;
  renderTimeout?: number;
}

export function register(program: Command, context: CliContext): void {
  withConfigOption(
    program
      .command('build')
      .description('Validate every note and build all outputs (site, wiki, mail, checklists, OSV, CSAF) into the output folder, atomically')
      .option('--notes <dir>', 'notes folder', 'notes')
      .option('--out <dir>', `output folder (default: dist; with --preview, ${previewOut}, so a preview never lands where the public build is published from)`)
      .option('--preview', 'private preview: include drafts and embargoed notes, every output marked PRIVATE PREVIEW')
      .option('--json', 'print a JSON summary on stdout: {ok, out, files, written, removed, rendered, aggregates, cache, advisories, warnings, messages}, or {ok: false, messages} when the build is refused')
      .option('--cache <dir>', 'build cache folder (safe to delete; restore it in CI to speed builds up)', defaultCacheDir)
      .option('--no-cache', 'do not read or write the build cache')
      .option('--workers <n>', 'worker threads for rendering (0 renders in-process; default: one per core)', nonNegativeInteger)
      .option('--clean', 'rebuild every note and rewrite every output file')
      .option('--render-timeout <ms>', 'stop and report a note that takes longer than this to render (default: 2000)', nonNegativeInteger),
  ).action(async (given: BuildOptions) => {
    // A render worker starts first: its start-up (about a second of
    // loading the parser and the renderers on a busy machine) overlaps
    // the config's loading and the build's reading of its cache and the
    // notes. The build closes it, also when it has nothing to render.
    const pool = given.workers === 0 ? undefined : await startWorker(given.workers);
    try {
      await buildCommand(context, given, pool);
    } finally {
      // Not awaited (see build.ts): its threads end with the process.
      void pool?.close();
    }
  });
}

/** A pool of `workers` (default one per core) with one worker starting now. */
async function startWorker(workers: number | undefined): Promise<WorkerPool> {
  const { WorkerPool } = await import('../../build/worker-pool.ts');
  const pool = new WorkerPool({ size: workers ?? availableParallelism() });
  pool.prestart(1);
  return pool;
}

async function buildCommand(context: CliContext, given: BuildOptions, pool: WorkerPool | undefined): Promise<void> {
  const options = { ...given, out: outFor(given) };
  await noticeDefaults(context, options);
  const config = await configFor(context, options);
  // Loaded on use, so `herald --help` and other commands start fast.
  const { build } = await import('../../build/build.ts');
  const { configFileName } = await import('../../config/load.ts');
  const now = context.now();
  // CSAF documents are signed when a key is configured; previews never are. OpenPGP loads only then.
  const signing = !options.preview && (config.csaf.signing_key_env !== undefined || config.csaf.signing_key_file !== undefined) ? await import('../../publish/csaf/sign.ts') : undefined;
  const signingKey = signing ? await signing.loadCsafSigningKey(config, { cwd: context.cwd, env: context.env, configFile: options.config ?? configFileName }) : undefined;
  // Ctrl-C (or SIGTERM) stops the build cleanly: what it wrote is
  // removed, the output stays as it was. A second one quits at once.
  const stop = interruptible(context, 'herald: stopping the build (again to quit at once)');
  const result = await build({
    signal: stop.signal,
    postBuild: signing && signingKey ? [signing.csafSigningStep(signingKey, { config, date: now })] : [],
    notes: [options.notes],
    out: options.out,
    config,
    now,
    preview: options.preview ?? false,
    cwd: context.cwd,
    cache: options.cache,
    ...(options.workers !== undefined ? { workers: options.workers } : {}),
    clean: options.clean ?? false,
    ...(options.renderTimeout !== undefined ? { timeoutMs: options.renderTimeout } : {}),
    ...(pool ? { startedPool: pool } : {}),
    log: (line) => context.stderr.write(line + '\n'),
  })
    .catch((error: unknown) => {
      if (!stop.signal.aborted) throw error;
      context.stderr.write(`herald: build stopped; ${options.out} is as it was before it\n`);
      context.exitCode = stop.exitCode();
      return undefined;
    })
    .finally(stop.dispose);
  if (!result) return;
  // The config's own warnings, at the setting (security.txt's Expires has passed, or is too far ahead).
  const { securityTxtExpiryProblem } = await import('../../render/site/security-txt.ts');
  const expiry = securityTxtExpiryProblem({ config, now });
  if (expiry) {
    const { settingPosition } = await import('../../config/setting-position.ts');
    const file = options.config ?? configFileName;
    result.messages.push({ file, ...settingPosition(context.cwd, file, ['site', 'security_txt', 'expires']), severity: 'warning', ruleId: 'security-txt-expires', message: expiry, hint: ruleInfo('security-txt-expires').hint });
  }
  // With --json the warnings are in the summary's messages, said there only.
  if (result.messages.length > 0 && !options.json) context.stderr.write(formatText(result.messages));
  if (options.json) {
    const summary = {
      ok: true,
      out: options.out,
      files: result.files,
      written: result.written,
      removed: result.removed,
      rendered: result.rendered,
      ...(result.aggregates ? { aggregates: result.aggregates } : {}),
      ...(result.cache ? { cache: result.cache } : {}),
      advisories: result.advisories.map((a) => a.id),
      warnings: result.messages.length,
      messages: sortedMessages(result.messages),
    };
    context.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  }
}

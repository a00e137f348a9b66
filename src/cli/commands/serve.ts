/**
 * `herald serve`: the built site on loopback, and with `--watch` the
 * authoring loop (rebuild on change, reload the browser, show lint errors
 * in the page and the terminal without stopping).
 */
import { InvalidArgumentError, type Command } from 'commander';
import { UsageError } from '../../errors/message.ts';
import type { CliContext } from '../context.ts';
import { println } from '../context.ts';
import { noticeDefaults, outFor, withConfigOption, type CommonOptions } from '../options.ts';

interface ServeCommandOptions extends CommonOptions {
  port: string;
  host: string;
  watch?: boolean;
  notes: string;
  out?: string;
  preview?: boolean;
  poll?: number;
}

const loopback = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/i;

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new UsageError(`--port must be a port number from 0 to 65535, not "${value}"`);
  return port;
}

function parsePoll(value: string): number {
  const ms = Number(value);
  if (!/^\d+$/.test(value) || ms < 50 || ms > 60_000) throw new InvalidArgumentError(`expected milliseconds from 50 to 60000, got "${value}"`);
  return ms;
}

/** Resolves on SIGINT or SIGTERM: the server runs until the author stops it. */
function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export function register(program: Command, context: CliContext): void {
  withConfigOption(
    program
      .command('serve')
      .description('Serve the built site (<out>/site) on loopback; with --watch, rebuild on every change and reload the browser')
      .option('-p, --port <port>', 'port to listen on (0 picks a free one)', '4173')
      .option('--host <address>', 'address to listen on', '127.0.0.1')
      .option('-w, --watch', 'build first, then rebuild when a note or the config changes; errors show in the page and here')
      .option('--notes <dir>', 'notes folder (with --watch)', 'notes')
      .option('--out <dir>', 'output folder; the site is <out>/site (default: dist; with --preview, dist-preview)')
      .option('--preview', 'with --watch: build a private preview (drafts and embargoed notes, every page marked)')
      .option('--poll <ms>', "with --watch: look at every note's status this often instead of relying on the system's file events (for network or container file systems, or a low watch limit; more CPU with many notes)", parsePoll),
  ).action(async (given: ServeCommandOptions) => {
    const options = { ...given, out: outFor(given) };
    const port = parsePort(options.port);
    if (options.preview && !options.watch) throw new UsageError('--preview needs --watch (without it, serve shows what `herald build` wrote)');
    if (options.poll !== undefined && !options.watch) throw new UsageError('--poll needs --watch');
    if (!loopback.test(options.host)) {
      println(context.stderr, `herald: warning: listening on ${options.host}, not loopback: other machines can read the site${options.preview ? ', drafts and embargoed notes included' : ''}`);
    }
    if (options.watch) await noticeDefaults(context, options);
    const { serveSite } = await import('../../serve/serve.ts');
    const server = await serveSite({
      cwd: context.cwd,
      notes: options.notes,
      out: options.out,
      ...(options.config ? { configFile: options.config } : {}),
      preview: options.preview ?? false,
      now: () => context.now(),
      log: (line) => println(context.stderr, line),
      host: options.host,
      port,
      watch: options.watch ?? false,
      ...(options.poll !== undefined ? { pollMs: options.poll } : {}),
    });
    println(context.stdout, `Serving ${server.url}`);
    println(context.stderr, `herald: serving ${options.out}/site${options.watch ? ', watching for changes' : ''}; press Ctrl+C to stop`);
    // Until Ctrl+C; watching that stops working is reported as the author's
    // to fix (the system's limit), a server that stops by itself as a bug.
    const failed = server.failure.then((error) => {
      throw error;
    });
    try {
      await Promise.race([untilStopped(), failed]);
    } finally {
      await server.close();
    }
  });
}

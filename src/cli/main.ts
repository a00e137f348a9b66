/**
 * The `herald` program: argument parsing and exit codes. The only place
 * that decides an exit code (0 success, 1 findings or failure, 2 usage).
 */
import { Command, CommanderError } from 'commander';
import { HeraldError, UsageError } from '../errors/message.ts';
import { formatGithub, formatJson, formatText, sortedMessages } from '../errors/format.ts';
import { formatSarif } from '../errors/sarif.ts';
import { commandModules } from './commands/index.ts';
import { processContext, println, type CliContext } from './context.ts';
import { version } from '../version.ts';
import { isPermissionDenied, permissionDeniedError } from '../io/permission.ts';

export function createProgram(context: CliContext): Command {
  const program = new Command('herald')
    .description('Publish security advisories from Markdown notes: site, wiki, mail, checklists, OSV and CSAF.')
    .version(version, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
    });
  for (const module of commandModules) module.register(program, context);
  for (const command of program.commands) {
    command.exitOverride().showHelpAfterError('(run with --help for usage)');
  }
  return program;
}

/** Runs herald with `argv` (as `process.argv`) and returns the exit code. */
export async function main(argv: string[], context: CliContext = processContext()): Promise<number> {
  const program = createProgram(context);
  try {
    await program.parseAsync(argv);
    return context.exitCode;
  } catch (thrown) {
    // A permission the system refused is the environment's, never a bug: said with its path, not a stack trace.
    const error = isPermissionDenied(thrown) ? permissionDeniedError(thrown, context.cwd) : thrown;
    if (error instanceof HeraldError) return reportRefusal(error, argv, context);
    return exitCodeFor(error, context);
  }
}

/**
 * Findings that stopped a command, said once: as text on stderr, or, to a
 * command asked for a machine format, on stdout alone, in that format
 * (stderr keeps only what the format does not carry, the outcome line):
 * `{ok: false, messages}` for `--json`, the bare list of messages for
 * `--format json` (and `herald lint --json`), a SARIF log for `--format
 * sarif` and workflow commands for `--format github`, as `herald lint`
 * prints them: a broken config is annotated too. Exit code 1.
 */
function reportRefusal(error: HeraldError, argv: readonly string[], context: CliContext): number {
  const machine = machineRefusal(error, argv.slice(2));
  if (machine !== undefined) context.stdout.write(machine);
  else context.stderr.write(formatText(error.messages));
  if (error.outcome) println(context.stderr, `herald: ${error.outcome}`);
  return 1;
}

/** The refusal in the machine format the command line asks for, if it asks for one. */
function machineRefusal(error: HeraldError, args: readonly string[]): string | undefined {
  // `herald lint --json` is `--format json`: the same bare list whether the notes or the config are wrong.
  const format = args[0] === 'lint' && args.includes('--json') ? 'json' : formatArgument(args);
  if (format === 'json') return formatJson(error.messages);
  if (args.includes('--json')) return `${JSON.stringify({ ok: false, messages: sortedMessages(error.messages) }, null, 2)}\n`;
  if (format === 'sarif') return formatSarif(error.messages, { version });
  if (format === 'github') return formatGithub(error.messages);
  return undefined;
}

/** The value of `--format`/`-f` on the command line, if any. */
function formatArgument(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('--format=')) return arg.slice('--format='.length);
    if (arg === '--format' || arg === '-f') return args[i + 1];
  }
  return undefined;
}

function exitCodeFor(error: unknown, context: CliContext): number {
  if (error instanceof CommanderError) {
    // --help and --version end through here with exit code 0.
    return error.exitCode === 0 ? 0 : 2;
  }
  if (error instanceof UsageError) {
    println(context.stderr, `herald: ${error.message}`);
    println(context.stderr, '(run with --help for usage)');
    return 2;
  }
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  println(context.stderr, `herald: internal error (a bug in herald; please report it):\n${text}`);
  return 1;
}

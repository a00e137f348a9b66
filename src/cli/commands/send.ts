/**
 * `herald send <ID...>`: mail each advisory's current edition to its lists
 * and subscribers, signed, recorded in the ledger so that no recipient is
 * ever skipped or mailed twice by a re-run.
 */
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { ruleInfo } from '../../errors/catalog.ts';
import { HeraldError, UsageError, type HeraldMessage } from '../../errors/message.ts';
import { hasPlaceholderId, type Advisory, type Position } from '../../model/types.ts';
import { meantId } from '../../model/suggest.ts';
import type { EditionSummary, SendSummary } from '../../publish/mail/send.ts';
import type { CliContext } from '../context.ts';
import { interruptible } from '../interrupt.ts';
import { collect, configFor, readCacheDir, withConfigOption, withReadCacheOption, type CommonOptions, type ReadCacheOptions } from '../options.ts';
import { formatText } from '../../errors/format.ts';
import { noteStem } from '../../io/note-file.ts';
import { settingPosition } from '../../config/setting-position.ts';

interface SendCommandOptions extends CommonOptions, ReadCacheOptions {
  notes: string;
  list: string[];
  dryRun?: boolean;
  resume?: boolean;
  resendUncertain?: boolean;
  json?: boolean;
}

/** Adds `herald send` to the program. */
export function register(program: Command, context: CliContext): void {
  withConfigOption(
    withReadCacheOption(
      program
        .command('send')
        .description('Mail the announcement of each advisory (its latest update) to its lists and subscribers, signed; the ledger makes re-runs safe')
        .argument('<ids...>', 'advisory ids, e.g. OSSN-0007')
        .option('--notes <dir>', 'notes folder', 'notes')
        .option('--list <name>', 'only this list (repeatable); the subscribers name selects the direct subscribers', collect, [])
        .option('--dry-run', 'show who would get which message; send nothing and write nothing')
        .option('--resume', 'continue an earlier run of the same edition that stopped before the end')
        .option('--resend-uncertain', 'also resend the messages an interrupted run may have delivered (same Message-ID, so receivers can drop duplicates)')
        .option('--json', 'print the summary as JSON on stdout'),
    ),
  ).action(async (ids: string[], options: SendCommandOptions) => {
    const config = await configFor(context, options, 'herald send');
    const { configFileName } = await import('../../config/load.ts');
    const known = [...config.mail.lists.map((l) => l.name), ...(config.mail.subscribers ? [config.mail.subscribers.name] : [])];
    for (const name of options.list) {
      if (!known.includes(name)) throw new UsageError(`--list ${name}: no such list in the config (known: ${known.join(', ') || 'none'})`);
    }
    const now = context.now();
    const advisories = await selectAdvisories(ids, options.notes, config, now, context, readCacheDir(context, options), options.dryRun ?? false);
    await refuseUnaddressed(advisories, config, options.list);
    const { sendAnnouncements, sendFailed } = await import('../../publish/mail/send.ts');
    // Ctrl-C (or SIGTERM) stops the run cleanly: no new message is started,
    // those on the wire get their replies, the rest stays pending for
    // --resume. A second one quits at once: a message whose final dot had
    // left is then uncertain, any other on the wire pending.
    const stop = interruptible(
      context,
      'herald send: stopping: no new message is started, the ones on the wire get their replies (again to quit at once: a message whose final dot has left is then uncertain)',
    );
    const summary = await sendAnnouncements({
      advisories,
      config,
      configFile: options.config ?? configFileName,
      cwd: context.cwd,
      env: context.env,
      clock: () => context.now(),
      lists: options.list,
      dryRun: options.dryRun ?? false,
      resume: options.resume ?? false,
      resendUncertain: options.resendUncertain ?? false,
      stderr: context.stderr,
      interactive: context.interactive,
      signal: stop.signal,
      quit: stop.quit,
    })
      .catch((error: unknown) => {
        if (!stop.signal.aborted || error !== stop.signal.reason) throw error;
        context.stderr.write('herald send: stopped before any message was sent; nothing to resume\n');
        return undefined;
      })
      .finally(stop.dispose);
    if (!summary) {
      context.exitCode = stop.exitCode();
      return;
    }
    const failed = !summary.dryRun && sendFailed(summary);
    const failures = failed ? await failureMessages(summary, options.config ?? configFileName, context.cwd, advisories) : [];
    // With --json the failures are in the summary's messages, said there only.
    if (options.json) context.stdout.write(JSON.stringify({ ok: !failed, ...summary, messages: failures }, null, 2) + '\n');
    else context.stdout.write(formatSummary(summary));
    if (failed) {
      if (!options.json) context.stderr.write(formatText(failures));
      context.exitCode = 1;
    }
    if (summary.interrupted !== undefined) context.exitCode = stop.exitCode();
  });
}

/** An advisory named on the command line that would reach no one (no list of its own, or none of those --list names) is a mistake to say, not an empty send. */
async function refuseUnaddressed(advisories: readonly Advisory[], config: Awaited<ReturnType<typeof configFor>>, only: readonly string[]): Promise<void> {
  const { audiencesOf, narrowedTo } = await import('../../render/mail/audience.ts');
  const problems = advisories.flatMap((advisory): HeraldMessage[] => {
    const audiences = audiencesOf(advisory, config);
    if (narrowedTo(audiences, only).length > 0) return [];
    const names = audiences.map((audience) => audience.name);
    const text =
      names.length === 0
        ? `${advisory.id} names no mailing list (\`lists:\`) and herald mails no subscribers: there is no one to send it to`
        : `${advisory.id} is not announced on ${only.join(', ')}: it goes to ${names.join(', ')}`;
    return [{ file: advisory.source.path, line: 1, column: 1, severity: 'error', ruleId: 'mail-not-sendable', message: text, hint: 'Add `lists:` to the note with a list from mail.lists in herald.config.yaml, or name one of its lists with --list.' }];
  });
  if (problems.length > 0) throw new HeraldError(problems);
}

/**
 * The advisories named, each checked: valid, public, with an assigned id.
 * Every note is linted (with the build cache); only these are read in full.
 * A dry run refuses what the send would refuse (a script asking whether a
 * note can go out must hear no), and says where to read the message instead.
 */
async function selectAdvisories(ids: readonly string[], notes: string, config: Awaited<ReturnType<typeof configFor>>, now: Date, context: CliContext, cacheDir: string | null, dryRun: boolean): Promise<Advisory[]> {
  const { checkNotes } = await import('../../build/named-notes.ts');
  const { isPublic } = await import('../../build/select.ts');
  const checked = await checkNotes([notes], { config, now, cwd: context.cwd, cacheDir, workers: availableParallelism(), notesFolder: notes });
  const problems: HeraldMessage[] = [];
  const selected: Advisory[] = [];
  for (const id of new Set(ids)) {
    const brokenFile = checked.errors.find((m) => noteStem(m.file) === id)?.file;
    const file = checked.fileOf(id) ?? brokenFile;
    const errors = checked.errors.filter((m) => m.file === file);
    if (errors.length > 0) {
      // A note with errors is never mailed: what is wrong in it would go to every reader.
      problems.push(...errors);
      continue;
    }
    const card = file === undefined ? undefined : checked.cards.get(file);
    if (file === undefined || !card) {
      const meant = meantId(id, [...checked.cards.values()].map((each) => each.id));
      throw new UsageError(`no advisory ${id} in ${notes}/${meant ? `; did you mean ${meant}?` : ''}`);
    }
    const placeholder = hasPlaceholderId(card);
    const refuse = async (text: string, key: string) => {
      const { source } = checked.advisory(file);
      const preview = `dist-preview/mail/${placeholder ? noteStem(file) : card.id}.eml`;
      problems.push({
        file,
        ...(await frontMatterPlace(source.text, key)),
        severity: 'error',
        ruleId: 'mail-not-sendable',
        message: dryRun ? `${text}: herald send refuses it, and so does its dry run` : text,
        hint: `${ruleInfo('mail-not-sendable').hint}${dryRun ? ` To read the message it will send: herald build --preview writes it to ${preview}, marked PRIVATE PREVIEW (herald preview shows it for the notes a pull request changes).` : ''}`,
      });
    };
    if (placeholder) await refuse(`${card.id} has no assigned id yet`, 'id');
    else if (!isPublic(card, now)) await (card.status === 'draft' ? refuse(`${card.id} is a draft`, 'status') : refuse(`${card.id} is under embargo until ${card.embargo}`, 'embargo'));
    else selected.push(checked.advisory(file));
  }
  if (problems.length > 0) throw new HeraldError(problems);
  return selected;
}

/** Where the top-level front-matter field `key` is written (its value), as lint places it; else the file's start. */
async function frontMatterPlace(text: string, key: string): Promise<{ line: number; column: number }> {
  const { locate, splitFrontMatter } = await import('../../model/frontmatter.ts');
  const split = splitFrontMatter(text);
  if (!split.ok) return { line: 1, column: 1 };
  const { line, column } = locate(split.value, [key]);
  return { line, column };
}

function formatEdition(edition: EditionSummary, dryRun: boolean): string {
  const lines = [`${edition.edition}  ${edition.messageId}`, `  Subject: ${edition.subject}`];
  if (dryRun) {
    const counts = new Map<string, number>();
    for (const r of edition.plan ?? []) counts.set(`${r.audience}: ${r.status}`, (counts.get(`${r.audience}: ${r.status}`) ?? 0) + 1);
    lines.push(`  ${edition.recipients} recipient(s); would send ${edition.recipients - edition.alreadySent - edition.uncertain.length}`);
    for (const [key, count] of [...counts].sort()) lines.push(`    ${key} ${count}`);
    return lines.join('\n') + '\n';
  }
  lines.push(`  ${edition.recipients} recipient(s): ${edition.sent} sent now, ${edition.alreadySent} sent before, ${edition.failed.length} failed, ${edition.uncertain.length} uncertain`);
  if (edition.resentUncertain > 0) lines.push(`  resent ${edition.resentUncertain} uncertain message(s) (same Message-ID)`);
  if (edition.notAttempted > 0) lines.push(`  ${edition.notAttempted} not attempted: run again with --resume`);
  for (const failure of edition.failed) lines.push(`  failed: ${failure.recipient} after ${failure.attempts} attempt(s): ${failure.reply}`);
  for (const unknown of edition.uncertain) {
    lines.push(`  uncertain (it may have been delivered; --resume leaves it, --resend-uncertain resends it): ${unknown.recipient} after ${unknown.attempts} attempt(s): ${unknown.reply}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * The run's failures as located messages, after the summary, so they stand
 * out in a CI log. What stopped the run is said at the setting to fix: the
 * smtp section, or the outbox of the file transport. An edition not
 * delivered to all is said at its note's `lists:`, the audiences it was
 * sent to (as mail-not-sendable is said at the note's field).
 */
async function failureMessages(summary: SendSummary, configFile: string, cwd: string, advisories: readonly Advisory[]): Promise<HeraldMessage[]> {
  const { currentEdition, editionLabel } = await import('../../render/mail/identity.ts');
  const messages: HeraldMessage[] = [];
  const message = (ruleId: 'mail-smtp-refused' | 'mail-outbox-unwritable' | 'mail-delivery-failed', text: string, file: string, place: Position, hint = ruleInfo(ruleId).hint): HeraldMessage => ({
    file, ...place, severity: 'error', ruleId, message: text, hint,
  });
  if (summary.stopped !== undefined) {
    const [ruleId, setting] = summary.transport === 'file' ? (['mail-outbox-unwritable', 'outbox'] as const) : (['mail-smtp-refused', 'smtp'] as const);
    messages.push(message(ruleId, `Sending stopped: ${summary.stopped}`, configFile, settingPosition(cwd, configFile, ['mail', setting])));
  }
  for (const e of summary.editions) {
    const undelivered = e.failed.length + e.uncertain.length + e.notAttempted;
    if (undelivered === 0) continue;
    const advisory = advisories.find((a) => editionLabel(currentEdition(a)) === e.edition);
    const text = `${e.edition}: ${undelivered} of ${e.recipients} message(s) not confirmed delivered (${e.failed.length} failed, ${e.uncertain.length} uncertain, ${e.notAttempted} not attempted)`;
    const at = advisory ? { file: advisory.source.path, place: await frontMatterPlace(advisory.source.text, 'lists') } : { file: configFile, place: { line: 1, column: 1 } };
    messages.push(message('mail-delivery-failed', text, at.file, at.place, deliveryHint(e)));
  }
  return messages;
}

/** What to do about an edition not delivered to all, by what happened to its messages. */
function deliveryHint(edition: SendSummary['editions'][number]): string | undefined {
  if (edition.failed.length > 0) return undefined;
  if (edition.uncertain.length > 0) {
    return 'The server took no clear answer for the uncertain messages: they may have been delivered. Run again with --resume to send what was not attempted; add --resend-uncertain to send those again too (same Message-ID, so receivers can drop a duplicate).';
  }
  return 'None of these messages was refused: the run stopped before them (see why above). Fix that, then run again with --resume: only what was not sent goes out.';
}

/** The summary for people: one block per edition, then why the run stopped. */
export function formatSummary(summary: SendSummary): string {
  const head = `${summary.dryRun ? 'Dry run: nothing sent. ' : ''}Transport: ${summary.transport} to ${summary.target}\n`;
  const stopped = summary.stopped !== undefined ? `Stopped: ${summary.stopped}\n` : summary.interrupted !== undefined ? `Interrupted (${summary.interrupted}): every message not attempted is pending; run again with --resume\n` : '';
  return head + summary.editions.map((e) => formatEdition(e, summary.dryRun)).join('') + stopped;
}

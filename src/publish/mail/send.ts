/**
 * `herald send`, minus the command line: plan who gets which edition,
 * check it against the ledger, prepare (compose and sign) each message
 * once per audience, and run the deliveries.
 */
import path from 'node:path';
import type { Writable } from 'node:stream';
import type { Config } from '../../config/schema.ts';
import { ruleInfo, type RuleId } from '../../errors/catalog.ts';
import { HeraldError, type HeraldMessage } from '../../errors/message.ts';
import type { Advisory } from '../../model/types.ts';
import { audiencesOf, narrowedTo, type Audience } from '../../render/mail/audience.ts';
import { addressOf } from '../../render/mail/headers.ts';
import { currentEdition, editionLabel, type Edition } from '../../render/mail/identity.ts';
import { loadDkimSigner } from './dkim.ts';
import { Ledger, LedgerUnwritable, type DeliveryStatus } from './ledger.ts';
import { ledgerUnwritableHint } from './ledger-hint.ts';
import { loadPgpSigner } from './pgp.ts';
import { prepareMessage, type PreparedMessage, type Signers } from './prepare.ts';
import { createProgress } from './progress.ts';
import { runDeliveries, type Delivery, type FailedDelivery } from './run.ts';
import { readSecret, type SecretContext } from './secrets.ts';
import { interestNames, readSubscribers, wantsAdvisory, type Subscriber } from './subscribers.ts';
import { fileTransport } from './transport-file.ts';
import { smtpTransport } from './transport-smtp.ts';
import type { Transport } from './transport.ts';
import { readCaFile } from '../ca-file.ts';

/** What `herald send` hands over after parsing its arguments. */
export interface SendOptions {
  advisories: readonly Advisory[];
  config: Config;
  /** The config file as the user named it, for messages. */
  configFile: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  clock: () => Date;
  /** Only these audiences (list names, or the subscribers' name); all when empty. */
  lists: readonly string[];
  dryRun: boolean;
  resume: boolean;
  resendUncertain: boolean;
  /** Progress and warnings. */
  stderr: Writable;
  interactive: boolean;
  /**
   * Aborted to interrupt the run (its reason names the signal). Before any
   * message is handed over, the run throws the reason and records nothing
   * to resume; once sending, it starts nothing more, lets the messages on
   * the wire finish, and returns with the rest pending (`interrupted`).
   */
  signal?: AbortSignal;
  /** Aborted when herald quits at once (a second Ctrl-C): the ledger is told what was on the wire (`RunOptions.quit`). */
  quit?: AbortSignal;
}

/** A recipient of a dry run and what would happen to it. */
export interface PlannedRecipient {
  address: string;
  audience: string;
  /** What the ledger says: new, pending, uncertain, failed or sent. */
  status: 'new' | DeliveryStatus['state'];
}

/** The outcome for one edition. */
export interface EditionSummary {
  edition: string;
  messageId: string;
  subject: string;
  date: string;
  recipients: number;
  sent: number;
  alreadySent: number;
  failed: FailedDelivery[];
  /** Left `sending` by an earlier run and not resent now, or given up on by this one after an attempt that may have arrived; with the last reply or connection error, so that whoever decides on `--resend-uncertain` knows what happened. */
  uncertain: FailedDelivery[];
  resentUncertain: number;
  notAttempted: number;
  /** Only on a dry run: every recipient and what would happen. */
  plan?: PlannedRecipient[];
}

/** The outcome of a run, printed as text or JSON. */
export interface SendSummary {
  transport: string;
  target: string;
  dryRun: boolean;
  editions: EditionSummary[];
  /** Set when a fatal transport error stopped the run. */
  stopped?: string;
  /** Set (to the signal) when the run was interrupted: what it had not started is pending, for `--resume`. */
  interrupted?: string;
}

function problem(file: string, ruleId: RuleId, text: string): HeraldMessage {
  return { file, line: 1, column: 1, severity: 'error', ruleId, message: text, hint: ruleInfo(ruleId).hint };
}

/** The audiences an advisory goes to, narrowed by `--list`. */
function audiencesFor(advisory: Advisory, options: SendOptions): Audience[] {
  return narrowedTo(audiencesOf(advisory, options.config), options.lists);
}

/** Recipients per audience; an address reached through two audiences gets one message, from the first. */
function recipientsFor(advisory: Advisory, audiences: readonly Audience[], subscribers: readonly Subscriber[], subscribersName: string | undefined) {
  const seen = new Set<string>();
  const out: { audience: Audience; address: string }[] = [];
  const names = interestNames(advisory);
  for (const audience of audiences) {
    const addresses = audience.name === subscribersName ? subscribers.filter((s) => wantsAdvisory(s, names)).map((s) => s.email) : [audience.address];
    for (const address of addresses) {
      const key = address.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ audience, address });
    }
  }
  return out;
}

/** One edition as planned against the ledger: who still needs it, and with which Date:. */
interface PlannedEdition {
  advisory: Advisory;
  summary: EditionSummary;
  work: { audience: Audience; address: string; attempts: number }[];
  date: Date;
  /** No earlier run recorded this edition: its date is recorded now. */
  fresh: boolean;
}

function createTransport(options: SendOptions, password: string | undefined): Transport {
  const mail = options.config.mail;
  if (mail.transport === 'smtp' && mail.smtp) {
    const ca = mail.smtp.ca_file === undefined ? undefined : readCaFile('smtp', mail.smtp.ca_file, { cwd: options.cwd, configFile: options.configFile }).certificates;
    return smtpTransport({ smtp: mail.smtp, ca, password });
  }
  return fileTransport(path.resolve(options.cwd, mail.outbox), mail.outbox);
}

/** Sends (or, with `dryRun`, plans) the current edition of each advisory; holds the ledger lock throughout. */
export async function sendAnnouncements(options: SendOptions): Promise<SendSummary> {
  const { config } = options;
  const mail = config.mail;
  const secrets: SecretContext = { cwd: options.cwd, env: options.env, configFile: options.configFile };

  const subscribersName = mail.subscribers?.name;
  const wantsSubscribers = mail.subscribers !== undefined && (options.lists.length === 0 || options.lists.includes(mail.subscribers.name));
  const subscribers = wantsSubscribers && mail.subscribers ? await readSubscribers(path.resolve(options.cwd, mail.subscribers.file), mail.subscribers.file) : [];

  const ledgerPath = path.resolve(options.cwd, mail.ledger);
  try {
    const ledger = options.dryRun ? Ledger.readOnly(ledgerPath, mail.ledger) : Ledger.open(ledgerPath, mail.ledger);
    try {
      return await sendWithLedger(options, ledger, subscribers, subscribersName, secrets);
    } finally {
      await ledger.close();
    }
  } catch (error) {
    throw error instanceof LedgerUnwritable ? ledgerUnwritable(error) : error;
  }
}

/** The disk refused the ledger: what was sent and what is uncertain, and how the next run goes on. */
function ledgerUnwritable(error: LedgerUnwritable): HeraldError {
  const outcome =
    error.operation === 'open'
      ? 'Nothing was sent.'
      : 'Sending stopped at once. The ledger keeps every record written before the failure: a message it records as sent was delivered; one handed to the server whose reply it could not record is uncertain (the next run lists it); the rest is pending.';
  return new HeraldError([
    { file: error.shownAs, line: 1, column: 1, severity: 'error', ruleId: 'mail-ledger-unwritable', message: `${error.message}. ${outcome}`, hint: ledgerUnwritableHint(error.code, error.operation) },
  ]);
}

async function sendWithLedger(options: SendOptions, ledger: Ledger, subscribers: readonly Subscriber[], subscribersName: string | undefined, secrets: SecretContext): Promise<SendSummary> {
  const { config } = options;
  const mail = config.mail;
  const now = options.clock();
  const unfinished: HeraldMessage[] = [];
  const editions: PlannedEdition[] = [];

  // Updates reply to the editions before them as they were mailed: a
  // Message-ID's hash covers the note's first date, which may have been
  // corrected since.
  const mailedIds = (edition: Edition) => ledger.editionMessageId(editionLabel(edition));
  for (const advisory of options.advisories) {
    const label = editionLabel(currentEdition(advisory));
    const recorded = ledger.editionDate(label);
    const date = recorded ? new Date(recorded) : now;
    const summary: EditionSummary = {
      edition: label, messageId: '', subject: '', date: date.toISOString(), recipients: 0, sent: 0, alreadySent: 0,
      failed: [], uncertain: [], resentUncertain: 0, notAttempted: 0,
      ...(options.dryRun ? { plan: [] } : {}),
    };
    const work: PlannedEdition['work'] = [];
    const earlier = { pending: 0, sending: 0, failed: 0 };
    for (const { audience, address } of recipientsFor(advisory, audiencesFor(advisory, options), subscribers, subscribersName)) {
      summary.recipients += 1;
      const status = ledger.status(label, address);
      summary.plan?.push({ address, audience: audience.name, status: status?.state ?? 'new' });
      if (status?.state === 'sent') {
        summary.alreadySent += 1;
        continue;
      }
      if (status) earlier[status.state] += 1;
      if (status?.state === 'sending') {
        if (!options.resendUncertain) {
          summary.uncertain.push({ edition: label, recipient: address, attempts: status.attempts ?? 0, reply: status.reply ?? 'no reply recorded (the run stopped with the message on the wire)' });
          continue;
        }
        summary.resentUncertain += 1;
      }
      work.push({ audience, address, attempts: status?.attempts ?? 0 });
    }
    if (earlier.pending + earlier.sending + earlier.failed > 0 && !options.resume && !options.dryRun) {
      unfinished.push(
        problem(
          mail.ledger,
          'mail-run-unfinished',
          `${label}: an earlier run stopped with ${summary.alreadySent} sent, ${earlier.pending} pending, ${earlier.sending} uncertain and ${earlier.failed} failed; run again with --resume${earlier.sending > 0 ? ' (and --resend-uncertain to resend the uncertain)' : ''}`,
        ),
      );
    }
    editions.push({ advisory, summary, work, date, fresh: recorded === undefined });
  }
  if (unfinished.length > 0) throw new HeraldError(unfinished);

  // Secrets are read only when something will be sent, and never on a dry run.
  const sendsAnything = !options.dryRun && editions.some((e) => e.work.length > 0);
  if (sendsAnything) warnAboutSettings(options);
  const signers: Signers = sendsAnything ? { pgp: await loadPgpSigner(config, secrets), dkim: await loadDkimSigner(config, secrets) } : {};
  const passwordEnv = mail.transport === 'smtp' ? mail.smtp?.password_env : undefined;
  const password = sendsAnything && passwordEnv ? await readSecret({ what: 'the SMTP password', env: passwordEnv, section: ['mail', 'smtp'], envKey: 'password_env', hint: `Set ${passwordEnv} in the environment herald send runs in (in CI, from a secret), or change \`password_env\` in the smtp section to the variable that holds the password.` }, secrets) : undefined;
  const transport = createTransport(options, password);

  const deliveries: Delivery[] = [];
  for (const edition of editions) {
    const prepared = new Map<string, PreparedMessage>();
    const audiences = [...new Map(edition.work.map((w) => [w.audience.name, w.audience])).values()];
    const first = audiencesFor(edition.advisory, options)[0];
    for (const audience of audiences.length > 0 ? audiences : first ? [first] : []) {
      prepared.set(audience.name, await prepareMessage(edition.advisory, audience, config, { date: edition.date, signers, mailed: mailedIds }));
    }
    const sample = prepared.values().next().value;
    edition.summary.messageId = sample?.messageId ?? '';
    edition.summary.subject = sample?.subject ?? '';
    if (options.dryRun || edition.work.length === 0) continue;
    if (edition.fresh) ledger.append([{ at: now.toISOString(), edition: edition.summary.edition, state: 'edition', messageId: edition.summary.messageId, date: edition.date.toISOString() }]);
    for (const item of edition.work) {
      deliveries.push({ edition: edition.summary.edition, message: prepared.get(item.audience.name)!, recipient: item.address, attempts: item.attempts });
    }
  }

  const summary: SendSummary = { transport: transport.name, target: transport.target, dryRun: options.dryRun, editions: editions.map((e) => e.summary) };
  if (options.dryRun || deliveries.length === 0) return summary;
  // The last point to stop with nothing to resume.
  options.signal?.throwIfAborted();

  ledger.append(
    deliveries
      .filter((d) => ledger.status(d.edition, d.recipient)?.state !== 'pending')
      .map((d) => ({ at: now.toISOString(), edition: d.edition, to: d.recipient, state: 'pending' as const, list: d.message.audience.name, messageId: d.message.messageId })),
  );
  await ledger.sync();

  const result = await runDeliveries({
    deliveries,
    ledger,
    transport,
    envelopeFrom: mail.envelope_from ?? addressOf(mail.from) ?? 'security@example.org',
    retry: mail.retry,
    rateLimit: mail.transport === 'smtp' ? (mail.smtp?.rate_limit ?? 0) : 0,
    messageTimeMs: mail.transport === 'smtp' && mail.smtp ? mail.smtp.timeouts.message * 1000 : undefined,
    progress: createProgress(options.stderr, options.interactive, 'herald send'),
    clock: options.clock,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.quit ? { quit: options.quit } : {}),
  });
  const byEdition = new Map(summary.editions.map((e) => [e.edition, e]));
  for (const failure of result.failed) byEdition.get(failure.edition)?.failed.push(failure);
  for (const unknown of result.uncertain) byEdition.get(unknown.edition)?.uncertain.push(unknown);
  for (const edition of summary.editions) {
    edition.sent = ledger.deliveriesOf(edition.edition).filter((d) => d.status.state === 'sent').length - edition.alreadySent;
    edition.notAttempted = ledger.deliveriesOf(edition.edition).filter((d) => d.status.state === 'pending').length;
  }
  if (result.stopped !== undefined) summary.stopped = result.stopped;
  if (result.interrupted !== undefined) summary.interrupted = result.interrupted;
  return summary;
}

/** Said on every run that sends: settings that weaken what receivers can trust. */
function warnAboutSettings(options: SendOptions): void {
  const mail = options.config.mail;
  const warn = (text: string) => options.stderr.write(`herald send: warning: ${text}\n`);
  if (mail.transport === 'smtp' && mail.smtp?.allow_plaintext) {
    warn(`allow_plaintext is set: mail to ${mail.smtp.host}:${mail.smtp.port} may cross the network unencrypted${mail.smtp.user ? ', password included' : ''}`);
  }
  if (!mail.signing) warn('mail.signing is not configured: messages go out without an OpenPGP signature');
}

/** True when the run left anything undelivered or unknown: the command exits 1. */
export function sendFailed(summary: SendSummary): boolean {
  return summary.stopped !== undefined || summary.editions.some((e) => e.failed.length > 0 || e.uncertain.length > 0 || e.notAttempted > 0);
}

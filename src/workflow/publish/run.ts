/**
 * Carrying out a publish plan over injected channels, so that each channel
 * is idempotent on its own and the whole is safe to re-run:
 *
 * 1. an announcement whose GitHub release exists is done: nothing to do;
 * 2. otherwise the site is built once, then each channel in order (wiki,
 *    then mail) is asked its own ledger and runs only if not done yet;
 * 3. when every channel has succeeded, the release is created: the final
 *    "done" mark. A channel that fails stops that announcement; the next
 *    run retries it without repeating the channels that succeeded.
 */
import { HeraldError } from '../../errors/message.ts';
import type { Announcement, PlannedAnnouncement } from './plan.ts';

/** One way an announcement goes out (the wiki, the mail), with its own ledger. */
export interface PublishChannel {
  /** Short name for reports: `wiki`, `mail`. */
  readonly name: string;
  /**
   * True when this channel's ledger shows `announcement` done;
   * `nothing-to-do` when it has nothing for this channel (a note that names
   * no mailing list, with no subscriber to mail): done too, and said so.
   */
  isDone(announcement: Announcement): Promise<boolean | 'nothing-to-do'>;
  /** Does it, recording success in the ledger; throws on failure. */
  publish(announcement: Announcement): Promise<void>;
}

/** The final mark: the GitHub release. */
export interface DoneMark {
  isDone(announcement: PlannedAnnouncement): Promise<boolean>;
  /** Creates the mark; `already-exists` when another run made it first. */
  mark(announcement: Announcement): Promise<'created' | 'already-exists'>;
}

export type ChannelResult = 'done-before' | 'done' | 'nothing-to-do' | 'failed' | 'would-run' | 'not-reached';

export interface AnnouncementReport {
  id: string;
  tag: string;
  revision: number;
  withdrawn: boolean;
  /** `interrupted`: the run was interrupted (Ctrl-C) before this announcement was done; the next run makes it. */
  result: 'announced-before' | 'announced' | 'failed' | 'would-announce' | 'interrupted';
  channels: { name: string; result: ChannelResult; error?: string }[];
}

export interface PublishRun {
  announcements: readonly PlannedAnnouncement[];
  /** Reads an announcement's note in full, for the channels: only those not marked done are. */
  load: (announcement: PlannedAnnouncement) => Announcement;
  channels: readonly PublishChannel[];
  mark: DoneMark;
  /** Builds the outputs the channels read; run once, only when something is to be announced. */
  build: () => Promise<void>;
  dryRun: boolean;
  /** Progress lines (stderr in the CLI). */
  log: (line: string) => void;
  /**
   * The most announcements this run makes. Over it, a run stops before it
   * builds or runs any channel, with the error `tooMany` makes of the count;
   * a dry run lists them without asking the channels, and `overLimit` says
   * a real run would stop.
   */
  limit?: { max: number; tooMany: (due: number) => Error };
  /**
   * Aborted to interrupt the run (Ctrl-C): the channel running finishes
   * cleanly (the mail stops starting messages), then nothing more is
   * started; the announcements left are `interrupted`.
   */
  signal?: AbortSignal;
}

export interface PublishRunResult {
  reports: AnnouncementReport[];
  /** Set when more announcements are due than `limit.max`: what a real run would refuse. */
  overLimit?: { due: number; max: number };
}

export async function runPublish(run: PublishRun): Promise<PublishRunResult> {
  const reports: AnnouncementReport[] = [];
  const pending: PlannedAnnouncement[] = [];
  for (const announcement of run.announcements) {
    if (await run.mark.isDone(announcement)) {
      reports.push(report(announcement, 'announced-before', []));
    } else pending.push(announcement);
  }
  const overLimit = run.limit && pending.length > run.limit.max ? { due: pending.length, max: run.limit.max } : undefined;
  // All or nothing: a run that would mail too many mails no one.
  if (overLimit && !run.dryRun) throw run.limit!.tooMany(pending.length);
  if (pending.length > 0 && !run.dryRun) {
    run.log(`herald: building outputs for ${pending.length} announcement(s)`);
    await run.build();
  }
  for (const planned of pending) {
    // A dry run over the limit says what a real run would refuse; each note is not read, nor each channel asked (seconds at thousands).
    if (overLimit) {
      reports.push(report(planned, 'would-announce', []));
      continue;
    }
    if (run.signal?.aborted && !run.dryRun) {
      reports.push(report(planned, 'interrupted', []));
      continue;
    }
    const announcement = run.load(planned);
    reports.push(run.dryRun ? await dryRun(announcement, run) : await announce(announcement, run));
  }
  const sorted = reports.sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  return overLimit ? { reports: sorted, overLimit } : { reports: sorted };
}

async function dryRun(announcement: Announcement, run: PublishRun): Promise<AnnouncementReport> {
  const channels: AnnouncementReport['channels'] = [];
  for (const channel of run.channels) {
    try {
      channels.push({ name: channel.name, result: doneResult(await channel.isDone(announcement)) ?? 'would-run' });
    } catch (error) {
      channels.push({ name: channel.name, result: 'failed', error: describe(error) });
    }
  }
  return report(announcement, 'would-announce', channels);
}

async function announce(announcement: Announcement, run: PublishRun): Promise<AnnouncementReport> {
  const channels: AnnouncementReport['channels'] = [];
  let failed = false;
  for (const channel of run.channels) {
    if (failed || run.signal?.aborted) {
      channels.push({ name: channel.name, result: 'not-reached' });
      continue;
    }
    try {
      // Asking the ledger can fail too (an unreachable wiki): that is this
      // channel failing, retried on the next run like any other failure.
      const done = doneResult(await channel.isDone(announcement));
      if (done) {
        channels.push({ name: channel.name, result: done });
        continue;
      }
      run.log(`herald: ${announcement.tag}: ${channel.name}`);
      await channel.publish(announcement);
      channels.push({ name: channel.name, result: 'done' });
    } catch (error) {
      failed = true;
      channels.push({ name: channel.name, result: 'failed', error: describe(error) });
      run.log(`herald: ${announcement.tag}: ${channel.name} failed: ${describe(error)}`);
    }
  }
  // A channel that failed because the run was interrupted is not a failure to report.
  if (run.signal?.aborted) return report(announcement, 'interrupted', channels);
  if (failed) return report(announcement, 'failed', channels);
  await run.mark.mark(announcement);
  return report(announcement, 'announced', channels);
}

/** What a channel's `isDone` answer reports, or undefined when the channel has still to run. */
function doneResult(done: boolean | 'nothing-to-do'): 'done-before' | 'nothing-to-do' | undefined {
  return done === 'nothing-to-do' ? done : done ? 'done-before' : undefined;
}

function report(announcement: PlannedAnnouncement, result: AnnouncementReport['result'], channels: AnnouncementReport['channels']): AnnouncementReport {
  return { id: announcement.id, tag: announcement.tag, revision: announcement.revision, withdrawn: announcement.withdrawn, result, channels };
}

/** A failure in words: a HeraldError's messages, or an error's message (never a stack). */
function describe(error: unknown): string {
  if (error instanceof HeraldError) return error.messages.map((m) => `${m.file}:${m.line}:${m.column} ${m.message}`).join('; ');
  return error instanceof Error ? error.message : String(error);
}

/**
 * The real channels of `herald publish`, adapted to `PublishChannel`: the
 * wiki (`src/publish/wiki/`) and the mail (`src/publish/mail/`). Each keeps
 * its own ledger, so asking it "done?" and doing it again are both safe.
 */
import { Writable } from 'node:stream';
import type { Config } from '../../config/schema.ts';
import { configFileName } from '../../config/load.ts';
import { ruleInfo } from '../../errors/catalog.ts';
import { HeraldError } from '../../errors/message.ts';
import type { IndexPageText } from '../../publish/wiki/push.ts';
import type { Announcement } from './plan.ts';
import type { PublishChannel } from './run.ts';

export interface ChannelOptions {
  config: Config;
  /** The config file as the user named it, for messages. */
  configFile?: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  now: Date;
  log: (line: string) => void;
  /** Aborted to interrupt the run: the mail starts no new message and finishes those on the wire. */
  signal?: AbortSignal;
  /** Aborted when herald quits at once (a second Ctrl-C): the mail ledger is told what was on the wire. */
  quit?: AbortSignal;
}

export interface WikiChannelOptions extends ChannelOptions {
  /** The wiki's index page (made by the build before any channel runs) and how many advisories it lists. */
  indexPages: () => Promise<readonly IndexPageText[]>;
}

/** The wiki (when `wiki.api_url` is set), then the mail. */
export function publishChannels(options: WikiChannelOptions): PublishChannel[] {
  const channels: PublishChannel[] = [];
  if (options.config.wiki.api_url) channels.push(wikiChannel(options));
  else options.log('herald: wiki.api_url is not set: no wiki pages are pushed.');
  channels.push(mailChannel(options));
  return channels;
}

function channelFailed(file: string, text: string): HeraldError {
  return new HeraldError([{ file, line: 1, column: 1, severity: 'error', ruleId: 'publish-channel-failed', message: text, hint: ruleInfo('publish-channel-failed').hint }]);
}

/** The advisory's page (and the index page) on the wiki; done when the page already shows this revision. */
export function wikiChannel(options: WikiChannelOptions): PublishChannel {
  const push = async (announcement: Announcement, dryRun: boolean) => {
    const { advisoryPage, pushToWiki } = await import('../../publish/wiki/push.ts');
    const password = options.env[options.config.wiki.password_env];
    return pushToWiki({
      config: options.config,
      pages: [advisoryPage(announcement.advisory, options.config, options.now)],
      ...(dryRun ? {} : { indexPages: await options.indexPages() }),
      ...(password ? { password } : {}),
      dryRun,
      cwd: options.cwd,
      ...(options.configFile ? { configFile: options.configFile } : {}),
      now: options.now,
      log: options.log,
    });
  };
  return {
    name: 'wiki',
    isDone: async (announcement) => (await push(announcement, true)).pages.every((page) => page.action === 'unchanged'),
    publish: async (announcement) => {
      const report = await push(announcement, false);
      const refused = report.pages.filter((page) => page.action === 'conflict' || page.action === 'failed');
      if (refused.length > 0) {
        throw channelFailed(report.wiki, refused.map((page) => `${page.page}: ${page.action}${page.reason ? ` (${page.reason})` : ''}`).join('; '));
      }
    },
  };
}

/** The announcement to the advisory's lists and subscribers; done when the mail ledger shows every recipient sent. */
export function mailChannel(options: ChannelOptions): PublishChannel {
  const send = async (announcement: Announcement, dryRun: boolean) => {
    const { sendAnnouncements } = await import('../../publish/mail/send.ts');
    return sendAnnouncements({
      advisories: [announcement.advisory],
      config: options.config,
      configFile: options.configFile ?? configFileName,
      cwd: options.cwd,
      env: options.env,
      clock: () => options.now,
      lists: [],
      dryRun,
      // A run that stopped half way is continued; messages whose fate is
      // unknown are not resent without a person deciding (`herald send
      // --resend-uncertain`), so the channel fails until then.
      resume: true,
      resendUncertain: false,
      // The dry run behind `isDone` would repeat send's warnings on every check.
      stderr: dryRun ? silent() : lines(options.log),
      interactive: false,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.quit ? { quit: options.quit } : {}),
    });
  };
  return {
    name: 'mail',
    isDone: async (announcement) => {
      const { editions } = await send(announcement, true);
      // A note that names no list, and no subscriber to mail: nothing was, or will be, sent.
      if (editions.every((e) => e.recipients === 0)) return 'nothing-to-do';
      return editions.every((e) => e.alreadySent === e.recipients);
    },
    publish: async (announcement) => {
      const { sendFailed } = await import('../../publish/mail/send.ts');
      const summary = await send(announcement, false);
      if (!sendFailed(summary)) return;
      const problems = summary.editions
        .filter((e) => e.failed.length + e.uncertain.length + e.notAttempted > 0)
        .map((e) => `${e.edition}: ${e.failed.length} failed, ${e.uncertain.length} uncertain, ${e.notAttempted} not attempted of ${e.recipients}`);
      if (summary.stopped !== undefined) problems.unshift(`sending stopped: ${summary.stopped}`);
      throw channelFailed(options.config.mail.ledger, problems.join('; '));
    },
  };
}

function lines(log: (line: string) => void): Writable {
  let buffer = '';
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      buffer += chunk.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      for (const part of parts) if (part.trim() !== '') log(part);
      done();
    },
  });
}

function silent(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}

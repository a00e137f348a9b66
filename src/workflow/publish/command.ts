/**
 * `herald publish`, assembled: load the notes (refusing while any is
 * broken), plan the announcements, and run them over the real channels and
 * the GitHub release mark.
 */
import path from 'node:path';
import type { Config } from '../../config/schema.ts';
import { ruleInfo } from '../../errors/catalog.ts';
import { HeraldError } from '../../errors/message.ts';
import { configFileName } from '../../config/load.ts';
import { settingPosition } from '../../config/setting-position.ts';
import { dayAfter } from '../../model/calendar-date.ts';
import { checkNotes } from '../../build/named-notes.ts';
import { createGithubClient } from '../../publish/github/client.ts';
import { githubSettings } from '../../publish/github/environment.ts';
import { isPublic } from '../../build/select.ts';
import { publishChannels } from './channels.ts';
import { planAnnouncements, type Announcement, type NotAnnounced, type PlannedAnnouncement, type PlanNote } from './plan.ts';
import { knownReleasesFile, knownReleasesStore } from './known-releases.ts';
import { releaseMark, unknownMark } from './release-mark.ts';
import { runPublish, type AnnouncementReport, type PublishChannel } from './run.ts';

export interface PublishCommandOptions {
  cwd: string;
  notesDir: string;
  out: string;
  config: Config;
  /** The config file as the user named it, for messages. */
  configFile?: string;
  env: NodeJS.ProcessEnv;
  now: Date;
  dryRun: boolean;
  log: (line: string) => void;
  /** The channels, wiki then mail, unless a caller (a test) brings its own. */
  channels?: readonly PublishChannel[];
  /** The build, unless a caller brings its own. */
  build?: () => Promise<void>;
  /** The build cache to check the notes with (null or absent: every note parsed). */
  cacheDir?: string | null;
  /** Worker threads for the notes to parse when there are many (absent: in this thread). */
  workers?: number;
  /** `--max-announcements`: this run's limit instead of `publish.max_announcements`. */
  maxAnnouncements?: number;
  /** Aborted to interrupt the run: see `PublishRun.signal`. A build it interrupts throws the signal's reason. */
  signal?: AbortSignal;
  /** Aborted when herald quits at once (a second Ctrl-C): see `ChannelOptions.quit`. */
  quit?: AbortSignal;
}

export interface PublishResult {
  dryRun: boolean;
  /** False in a dry run without GITHUB_TOKEN: releases could not be looked up. */
  releasesChecked: boolean;
  announcements: AnnouncementReport[];
  notYet: NotAnnounced[];
  /** `publish.announce_from`, when set. */
  announceFrom?: string;
  /** Dated before `publish.announce_from`: counted as announced by hand before herald. */
  announcedBeforeHerald: NotAnnounced[];
  /** A dry run with more announcements due than one run may make: a real run would stop. */
  overLimit?: { due: number; max: number };
}

export async function publish(options: PublishCommandOptions): Promise<PublishResult> {
  const { config, now, cwd } = options;
  const announceFrom = config.publish.announce_from;
  refuseDistantAnnounceFrom(announceFrom, now, cwd, options.configFile ?? configFileName);
  // Every note checked (with the build cache); the plan reads their cards, and
  // only the notes of announcements not yet marked done are read in full.
  const checked = await checkNotes([options.notesDir], { config, now, cwd, cacheDir: options.cacheDir ?? null, workers: options.workers ?? 0, notesFolder: options.notesDir });
  if (checked.errors.length > 0) throw new HeraldError(checked.errors);
  const notes = [...checked.cards].map(([file, card]): PlanNote => ({ ...card, path: file }));
  const plan = planAnnouncements(notes, now, announceFrom !== undefined ? { announceFrom } : {});

  const canAskGithub = options.env.GITHUB_TOKEN !== undefined && options.env.GITHUB_TOKEN !== '';
  let mark = unknownMark;
  if (canAskGithub || !options.dryRun) {
    const settings = githubSettings(config, options.env);
    const client = createGithubClient(settings, { log: options.log });
    mark = releaseMark(client, settings, config, options.env.GITHUB_SHA, knownReleasesStore(path.resolve(cwd, knownReleasesFile), { readOnly: options.dryRun }));
  } else {
    options.log('herald: GITHUB_TOKEN is not set: this dry run cannot see which announcements GitHub releases already mark done.');
  }
  // The wiki's index pages are the ones the build wrote: the build runs before any channel.
  const indexPages = async () => {
    const { readIndexPages } = await import('../../publish/wiki/index-files.ts');
    return readIndexPages(path.resolve(cwd, options.out), config, [...checked.cards.values()].filter((card) => isPublic(card, now)).map((card) => card.date));
  };
  const signal = options.signal ? { signal: options.signal } : {};
  const channels = options.channels ?? publishChannels({ config, ...(options.configFile ? { configFile: options.configFile } : {}), cwd, env: options.env, now, indexPages, log: options.log, ...signal, ...(options.quit ? { quit: options.quit } : {}) });
  const build =
    options.build ??
    (async () => {
      const { build: buildAll } = await import('../../build/build.ts');
      await buildAll({ notes: [options.notesDir], out: options.out, config, now, cwd, log: options.log, ...signal, ...(options.cacheDir !== undefined ? { cache: options.cacheDir ?? false } : {}) });
    });
  const load = (planned: PlannedAnnouncement): Announcement => ({ ...planned, advisory: checked.advisory(planned.path) });
  const max = options.maxAnnouncements ?? config.publish.max_announcements;
  const tooMany = (due: number) =>
    new HeraldError([
      {
        file: options.configFile ?? configFileName,
        line: 1,
        column: 1,
        severity: 'error',
        ruleId: 'publish-too-many',
        message: `${due} announcements are due, more than one run may make (${options.maxAnnouncements !== undefined ? '--max-announcements' : 'publish.max_announcements'}: ${max}): nothing was announced`,
        hint: ruleInfo('publish-too-many').hint,
      },
    ]);
  const run = await runPublish({ announcements: plan.announcements, load, channels, mark, dryRun: options.dryRun, log: options.log, build, limit: { max, tooMany }, ...signal });
  return {
    dryRun: options.dryRun,
    releasesChecked: canAskGithub,
    announcements: run.reports,
    notYet: plan.notYet,
    ...(announceFrom !== undefined ? { announceFrom } : {}),
    announcedBeforeHerald: plan.announcedBeforeHerald,
    ...(run.overLimit ? { overLimit: run.overLimit } : {}),
  };
}

/**
 * `publish.announce_from` more than a day ahead is a mistyped year, not a
 * plan: every advisory dated before it, new ones too, would count as
 * announced before herald and reach no one. (The day after today is what
 * `herald import` suggests for notes imported today.)
 */
function refuseDistantAnnounceFrom(announceFrom: string | undefined, now: Date, cwd: string, configFile: string): void {
  const tomorrow = dayAfter(now.toISOString().slice(0, 10));
  if (announceFrom === undefined || announceFrom <= tomorrow) return;
  const text = `publish.announce_from (${announceFrom}) is after tomorrow (${tomorrow}): every advisory dated before it, new ones too, would count as announced before herald and be announced to no one`;
  throw new HeraldError([{ file: configFile, ...settingPosition(cwd, configFile, ['publish', 'announce_from']), severity: 'error', ruleId: 'config-invalid', message: text, hint: 'Set publish.announce_from to the day herald took over the announcements, today or earlier (docs/github.md).' }]);
}

/** The report for people: one line per announcement, then what waits. */
export function formatPublishReport(result: PublishResult): string {
  const lines: string[] = [];
  const words = { 'announced-before': 'announced before', announced: 'announced', failed: 'FAILED', 'would-announce': 'would announce', interrupted: 'interrupted, for the next run' } as const;
  for (const a of result.announcements) {
    const channels = a.channels.map((c) => `${c.name}: ${c.result === 'nothing-to-do' ? 'nothing to do' : c.result}${c.error ? ` (${c.error})` : ''}`).join(', ');
    const release = a.result === 'would-announce' ? `; would create release ${a.tag}` : '';
    lines.push(`${a.tag}  ${words[a.result]}${channels ? `  [${channels}]` : ''}${release}`);
  }
  if (result.announcements.length === 0) lines.push('Nothing to announce.');
  for (const n of result.notYet) lines.push(`not yet: ${n.id} (${n.path}) ${n.reason}`);
  // One line, not one per note: adopting an archive puts thousands here (`--json` lists them).
  const before = result.announcedBeforeHerald;
  if (before.length > 0) lines.push(`announced before herald: ${before.length} advisor${before.length === 1 ? 'y' : 'ies'} dated before publish.announce_from (${result.announceFrom}), not announced again${before.length === 1 ? `: ${before[0]!.id}` : ' (--json lists them)'}`);
  if (result.overLimit) lines.push(`A real run would stop: ${result.overLimit.due} announcements are due, more than one run may make (${result.overLimit.max}); see publish.max_announcements.`);
  if (result.dryRun) lines.push(result.releasesChecked ? 'Dry run: nothing was changed.' : 'Dry run without GITHUB_TOKEN: releases were not checked; nothing was changed.');
  return `${lines.join('\n')}\n`;
}

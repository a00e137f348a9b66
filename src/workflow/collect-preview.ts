/**
 * Gathers what the preview shows of each changed note: lints every note
 * (lint needs them all, to find duplicate ids; with the build cache and
 * workers, as `herald lint` does), then parses each changed one and
 * renders its email and checklist, marked as a private preview.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { Config } from '../config/schema.ts';
import { HeraldError, type HeraldMessage } from '../errors/message.ts';
import { lintWithCache } from '../build/cached-lint.ts';
import { parseNote } from '../model/load.ts';
import { currentRevision, lastUpdated, type Advisory } from '../model/types.ts';
import { buildChecklist } from '../render/checklists/model.ts';
import { primaryAudience } from '../render/mail/audience.ts';
import { composeAnnouncement } from '../render/mail/compose.ts';
import type { ChangedFile } from './changes.ts';
import { advisoryMadeBeforeHerald } from '../model/announce-from.ts';
import type { NotePreview } from './preview.ts';

export interface CollectOptions {
  cwd: string;
  /** The notes folder, relative to `cwd`. */
  notesDir: string;
  config: Config;
  now: Date;
  /** The build cache to lint through (absolute); null: parse every note. */
  cacheDir: string | null;
  /** A note's text as the change found it (at the merge base), when git can say. */
  before?: (file: string) => Promise<string | undefined>;
}

export async function collectPreviews(changed: readonly ChangedFile[], options: CollectOptions): Promise<NotePreview[]> {
  if (changed.length === 0) return [];
  const { config, now, cwd } = options;
  const linted = await lintWithCache([options.notesDir], { config, now, cwd, cacheDir: options.cacheDir, workers: availableParallelism(), notesFolder: options.notesDir });
  const messagesOf = new Map<string, HeraldMessage[]>(linted.files.map((file) => [toPosix(file), []]));
  for (const m of linted.messages) messagesOf.get(toPosix(m.file))?.push(m);
  const pathOf = new Map(linted.files.map((file) => [toPosix(file), file]));
  return Promise.all(changed.map(async (file): Promise<NotePreview> => {
    const base = { path: file.path, change: file.status, ...(file.previousPath ? { previousPath: file.previousPath } : {}) };
    if (file.status === 'removed') return { ...base, messages: [] };
    const notePath = pathOf.get(file.path);
    // Listed by GitHub but absent here: herald runs on the wrong checkout.
    if (notePath === undefined) return { ...base, missing: true, messages: [] };
    const messages = [...messagesOf.get(file.path)!];
    const advisory = readAdvisory(notePath, options);
    if (!advisory) return { ...base, messages };
    const summary = {
      id: advisory.id,
      title: advisory.title,
      status: advisory.status,
      ...(advisory.embargo ? { embargo: advisory.embargo } : {}),
      ...(announcedBeforeHerald(advisory, config) ? { updated: lastUpdated(advisory), announceFrom: config.publish.announce_from! } : {}),
    };
    if (messages.some((m) => m.severity === 'error')) return { ...base, advisory: summary, messages };
    const email = renderEmail(advisory, options, messages);
    const silent = (await addsNoUpdate(file, advisory, options)) ? { addsNoUpdate: true } : {};
    return { ...base, advisory: { ...summary, ...silent }, messages, ...(email ? { email } : {}), checklist: buildChecklist(advisory, { preview: true }) };
  }));
}

/**
 * The change edits a note that was already published, and published it
 * stays, under the same update: once merged, the site shows the edit, but
 * `herald publish` announces nothing and leaves the wiki page (it
 * publishes revisions).
 */
async function addsNoUpdate(file: ChangedFile, advisory: Advisory, options: CollectOptions): Promise<boolean> {
  if (!options.before || advisory.status !== 'published' || (file.status !== 'modified' && file.status !== 'renamed')) return false;
  const previousPath = file.previousPath ?? file.path;
  const text = await options.before(previousPath);
  if (text === undefined) return false;
  const before = parseNote(previousPath, Buffer.from(text), { config: options.config, now: options.now }).advisory;
  if (!before || before.status !== 'published' || before.id !== advisory.id) return false;
  if (before.embargo !== undefined && Date.parse(before.embargo) > options.now.getTime()) return false;
  return currentRevision(before) === currentRevision(advisory);
}

/** `herald publish` will count this advisory as announced before herald took over (`publish.announce_from`). */
function announcedBeforeHerald(advisory: Advisory, config: Config): boolean {
  return advisory.status !== 'draft' && advisoryMadeBeforeHerald(advisory, config.publish.announce_from);
}

/** A changed note's advisory, parsed again (lint kept only its messages); none when it cannot be read (lint said so). */
function readAdvisory(notePath: string, options: CollectOptions): Advisory | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path.resolve(options.cwd, notePath));
  } catch {
    return undefined;
  }
  return parseNote(notePath, bytes, { config: options.config, now: options.now }).advisory;
}

function renderEmail(advisory: Advisory, options: CollectOptions, messages: HeraldMessage[]): NotePreview['email'] {
  const audience = primaryAudience(advisory, options.config);
  try {
    const mail = composeAnnouncement(advisory, options.config, { date: options.now, preview: true, ...(audience ? { audience } : {}) });
    const threadsUnder = mail.thread.map((edition) => (edition.revision === 0 ? 'the original' : `UPDATE ${edition.revision}`));
    return { subject: mail.subject, to: audience?.address ?? 'undisclosed-recipients:;', text: mail.text, ...(threadsUnder.length > 0 ? { threadsUnder } : {}) };
  } catch (error) {
    // The mail renderer refuses unsafe headers with located messages: show them as findings.
    if (error instanceof HeraldError) {
      messages.push(...error.messages);
      return undefined;
    }
    throw error;
  }
}

function toPosix(file: string): string {
  return file.split(path.sep).join('/');
}

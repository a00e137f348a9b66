/**
 * Gathers what the preview shows of each changed note: reads and lints every
 * note (lint needs them all, to find duplicate ids), then renders the email
 * and the checklist of each changed one, marked as a private preview.
 */
import path from 'node:path';
import type { Config } from '../config/schema.ts';
import { HeraldError, type HeraldMessage } from '../errors/message.ts';
import { loadNotes } from '../model/load.ts';
import type { Advisory } from '../model/types.ts';
import { buildChecklist } from '../render/checklists/model.ts';
import { primaryAudience } from '../render/mail/audience.ts';
import { composeAnnouncement } from '../render/mail/compose.ts';
import type { ChangedFile } from './changes.ts';
import type { NotePreview } from './preview.ts';

export interface CollectOptions {
  cwd: string;
  /** The notes folder, relative to `cwd`. */
  notesDir: string;
  config: Config;
  now: Date;
}

export async function collectPreviews(changed: readonly ChangedFile[], options: CollectOptions): Promise<NotePreview[]> {
  if (changed.length === 0) return [];
  const loaded = await loadNotes([options.notesDir], { config: options.config, now: options.now, cwd: options.cwd });
  const byPath = new Map(loaded.notes.map((note) => [toPosix(note.path), note]));
  return changed.map((file) => {
    const base = { path: file.path, change: file.status, ...(file.previousPath ? { previousPath: file.previousPath } : {}) };
    const note = byPath.get(file.path);
    if (file.status === 'removed') return { ...base, messages: [] };
    // Listed by GitHub but absent here: herald runs on the wrong checkout.
    if (!note) return { ...base, missing: true, messages: [] };
    const messages = [...note.messages];
    const advisory = note.advisory;
    if (!advisory) return { ...base, messages };
    const summary = {
      id: advisory.id,
      title: advisory.title,
      status: advisory.status,
      ...(advisory.embargo ? { embargo: advisory.embargo } : {}),
    };
    if (messages.some((m) => m.severity === 'error')) return { ...base, advisory: summary, messages };
    const email = renderEmail(advisory, options, messages);
    return { ...base, advisory: summary, messages, ...(email ? { email } : {}), checklist: buildChecklist(advisory, { preview: true }) };
  });
}

function renderEmail(advisory: Advisory, options: CollectOptions, messages: HeraldMessage[]): NotePreview['email'] {
  const audience = primaryAudience(advisory, options.config);
  try {
    const mail = composeAnnouncement(advisory, options.config, { date: options.now, preview: true, ...(audience ? { audience } : {}) });
    return { subject: mail.subject, to: audience?.address ?? 'undisclosed-recipients:;', text: mail.text };
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

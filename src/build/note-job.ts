/**
 * The unit of build work: one note's bytes in; its messages, its summary
 * for aggregate pages, and every per-note output file out. Pure apart from
 * nothing: the same job gives the same bytes in a worker or in-process,
 * which is what keeps cold, warm, one-worker and many-worker builds equal.
 */
import type { Config } from '../config/schema.ts';
import type { HeraldMessage } from '../errors/message.ts';
import { lintNote } from '../lint/run.ts';
import { parseNote } from '../model/load.ts';
import type { NoteLink } from '../model/note-links.ts';
import { summarize, type Advisory } from '../model/types.ts';
import { message } from '../model/validate.ts';
import { renderers } from '../render/registry.ts';
import { searchPageOf } from '../render/site/search.ts';
import type { IndexedPage } from '../search/index.ts';
import type { OutputFile, RenderContext, Renderer } from '../render/types.ts';
import { sha256 } from './cache.ts';
import { isPublic, withPreviewId } from './select.ts';

/** An output file with the sha256 of its bytes, computed where it was rendered. */
export type HashedOutput = OutputFile & { sha256: string };

export interface JobSettings {
  config: Config;
  /** ISO date-time of the build's clock. */
  now: string;
  preview: boolean;
}

export interface NoteJobResult {
  path: string;
  hash: string;
  messages: HeraldMessage[];
  /** Absent when the note could not be read into an Advisory. */
  summary?: Advisory;
  /** Without a summary (the front matter fails its schema): the body's links to other notes, for the checks across notes. */
  noteLinks?: NoteLink[];
  /** Whether per-note outputs were rendered (public now, or a preview build). */
  rendered: boolean;
  outputs: HashedOutput[];
  /** Each renderer's digest of the note, by renderer name (when rendered). */
  digests: Record<string, unknown>;
  /** What the site search records of the note's page (when the site renderer ran). */
  search?: IndexedPage;
  /** Set when a worker wrote the outputs into the build's staging folder: their contents are left out. */
  staged?: true;
  /** Set when a worker wrote the changed outputs as pending files into the output folder: their paths (contents left out). */
  pending?: string[];
}

/** Runs one note: parse, lint, and (when it may be shown) every renderer's per-note outputs. */
export function runNoteJob(path: string, bytes: Uint8Array, hash: string, settings: JobSettings, renderersToRun: readonly Renderer[] = renderers): NoteJobResult {
  const now = new Date(settings.now);
  const parsed = parseNote(path, bytes, { config: settings.config, now });
  const messages = [...parsed.messages, ...lintNote(parsed, settings.config, now)];
  const advisory = parsed.advisory && settings.preview ? withPreviewId(parsed.advisory) : parsed.advisory;
  if (!advisory) return { path, hash, messages, ...(parsed.noteLinks ? { noteLinks: parsed.noteLinks } : {}), rendered: false, outputs: [], digests: {} };
  const hasErrors = messages.some((m) => m.severity === 'error');
  const shown = settings.preview || isPublic(advisory, now);
  const outputs: HashedOutput[] = [];
  const digests: Record<string, unknown> = {};
  let search: IndexedPage | undefined;
  if (!hasErrors && shown) {
    const noteOutputs = new Map<string, readonly OutputFile[]>();
    const context: RenderContext = { config: settings.config, now, preview: settings.preview, all: [], noteOutputs };
    for (const renderer of renderersToRun) {
      if (!renderer.renderNote) continue;
      try {
        const files = renderer.renderNote(advisory, context);
        noteOutputs.set(renderer.name, files);
        for (const file of files) outputs.push({ ...file, sha256: sha256(file.contents) });
        if (renderer.digest) digests[renderer.name] = renderer.digest(advisory, context);
      } catch (error) {
        messages.push(message(path, 'render-failed', `The ${renderer.name} renderer failed: ${(error as Error).message}`, { line: 1, column: 1 }));
      }
    }
    const siteFiles = noteOutputs.get('site');
    if (siteFiles) search = searchPageOf(advisory.slug, siteFiles);
  }
  return { path, hash, messages, summary: summarize(advisory), rendered: !hasErrors && shown, outputs, digests, ...(search ? { search } : {}) };
}

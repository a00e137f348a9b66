/**
 * `herald import ossn`: reads legacy notes (files, or folders of them),
 * converts each, checks the result with the same loader and lint as
 * `herald lint`, and writes `<out>/<ID>.md`. The conversion is pure
 * (convert.ts); this file only reads and writes.
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/schema.ts';
import { compareMessages, type HeraldMessage } from '../errors/message.ts';
import { lintNote } from '../lint/run.ts';
import { decodeText } from '../model/decode.ts';
import { parseNote } from '../model/load.ts';
import { message } from '../model/validate.ts';
import { makeFolders } from '../io/write-file.ts';
import { makeFailureCode, writeFailureReason } from '../io/write-failure.ts';
import { convertLegacyNote } from './convert.ts';
import { isOssnTemplate } from './template-file.ts';

export interface ImportOptions {
  config: Config;
  now: Date;
  cwd: string;
  /** Folder for the herald notes, relative to `cwd`. */
  out: string;
  /** Overwrite notes that already exist. */
  force: boolean;
  /** Publication date to give notes whose original has none; the day of `now` otherwise. */
  date?: string;
  /** Mailing lists every imported note names (`lists:`), for its updates. */
  lists?: readonly string[];
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
}

export interface ImportedEntry {
  source: string;
  id: string;
  format: 'text' | 'mediawiki';
  /** The herald note, relative to `cwd`. */
  path: string;
  written: boolean;
}

export interface ImportReport {
  imported: ImportedEntry[];
  /** About the originals (what could not be made structured) and about the notes written (lint). */
  messages: HeraldMessage[];
}

/** In a folder, the files named like a note id (`OSSN-0007`, `OSSN-0094.wiki`); `template.txt` and the like are not notes. */
const noteFileName = /^[A-Za-z][A-Za-z0-9]*-\d{4,}(\.(txt|wiki|mediawiki))?$/;

async function expand(paths: readonly string[], cwd: string, messages: HeraldMessage[]): Promise<string[]> {
  const files: string[] = [];
  for (const given of paths) {
    const absolute = path.resolve(cwd, given);
    let info;
    try {
      info = await stat(absolute);
    } catch (error) {
      messages.push(message(given, 'file-unreadable', `Cannot read ${given}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { line: 1, column: 1 }));
      continue;
    }
    if (info.isDirectory()) {
      const names = (await readdir(absolute, { withFileTypes: true })).filter((e) => e.isFile() && noteFileName.test(e.name)).map((e) => e.name);
      files.push(...names.sort().map((name) => path.join(given, name)));
    } else files.push(given);
  }
  return files;
}

/** The template named among the notes is skipped, as a folder's is; named alone, it is refused. */
function templateMessage(file: string, alone: boolean) {
  const what = `${file} is the OSSN template (its title is "Title (single sentence)"), not a note`;
  return alone
    ? message(file, 'import-template-only', `${what}: nothing was imported`, { line: 1, column: 1 })
    : message(file, 'import-template-skipped', `${what}: skipped, as it is when its folder is named`, { line: 1, column: 1 });
}

/**
 * A file beside the notes that is plainly none (`README.md`, as a shell's
 * `DIR/*` names it): its name is not a note id's, nor is its text a note's.
 * Skipped with a warning, as the folder would leave it out, when other files were notes.
 */
function skipped(unrecognized: HeraldMessage): HeraldMessage {
  const file = unrecognized.file;
  return message(file, 'import-not-a-note-skipped', `${file} is neither written nor named like a legacy note: skipped, as it is when its folder is named`, { line: 1, column: 1 });
}

export async function importLegacyNotes(paths: readonly string[], options: ImportOptions): Promise<ImportReport> {
  const messages: HeraldMessage[] = [];
  const imported: ImportedEntry[] = [];
  const files = await expand(paths, options.cwd, messages);
  options.log?.(`herald: importing ${files.length} file(s) into ${options.out}`);
  const today = options.now.toISOString().slice(0, 10);
  const taken = new Map<string, string>();
  /** Files neither named like a note nor read as one: skipped if any file was a note, refused if none was. */
  const strangers: HeraldMessage[] = [];
  for (const file of files) {
    // The note it becomes must fit the same limits, and the readers need not handle more.
    const { text, error } = decodeText(file, await readFile(path.resolve(options.cwd, file)));
    if (error) {
      messages.push(error);
      continue;
    }
    if (isOssnTemplate(text!)) {
      messages.push(templateMessage(file, files.length === 1));
      continue;
    }
    const result = convertLegacyNote(file, text!, { config: options.config, today, ...(options.date ? { date: options.date } : {}), lists: options.lists ?? [] });
    if (!('text' in result)) {
      (noteFileName.test(path.basename(file)) ? messages : strangers).push(result);
      continue;
    }
    messages.push(...result.messages);
    const target = path.join(options.out, result.fileName);
    const absolute = path.resolve(options.cwd, target);
    const entry: ImportedEntry = { source: file, id: result.id, format: result.format, path: target, written: false };
    imported.push(entry);
    const earlier = taken.get(absolute);
    if (earlier) {
      messages.push(message(file, 'import-target-exists', `${earlier} was already imported to ${target} in this run`, { line: 1, column: 1 }));
      continue;
    }
    taken.set(absolute, file);
    if (!options.force && (await stat(absolute).then(() => true, () => false))) {
      messages.push(message(file, 'import-target-exists', `${target} already exists`, { line: 1, column: 1 }));
      continue;
    }
    // The note is checked as `herald lint` would check it, so the report says at once what still needs a hand.
    const parsed = parseNote(target, result.text, { config: options.config, now: options.now });
    messages.push(...parsed.messages, ...lintNote(parsed, options.config, options.now));
    const failure = await writeNote(absolute, result.text);
    if (failure) {
      // The disk or the folder refuses: every other note would fail the same way, so the run stops here.
      messages.push(message(options.out, 'import-out-unwritable', `${target} cannot be written: ${writeFailureReason(failure)} (${failure}); the notes after it were not imported`, { line: 1, column: 1 }));
      break;
    }
    entry.written = true;
  }
  messages.push(...(imported.length > 0 ? strangers.map(skipped) : strangers));
  return { imported, messages: messages.sort(compareMessages) };
}

/** Writes a note and the folders it goes in; returns the file system's refusal (its code), if it refuses. */
async function writeNote(file: string, text: string): Promise<string | undefined> {
  try {
    makeFolders(path.dirname(file));
    await writeFile(file, text);
    return undefined;
  } catch (error) {
    const code = makeFailureCode(error);
    if (code === undefined) throw error;
    return code;
  }
}

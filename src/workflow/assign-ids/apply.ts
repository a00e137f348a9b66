/**
 * `herald assign-ids`, carried out: under the checkout's lock, load the
 * notes (refusing while any is broken), plan, rewrite each placeholder note
 * into its new file, and rewrite the guard file.
 *
 * The guard file (`notes/.last-id`) holds one line: the last id assigned
 * and a fingerprint of the notes that run assigned ids to. Every run that
 * assigns rewrites that line, so two branches that each assign ids from the
 * same base write different lines and git reports a merge conflict instead
 * of silently merging two notes with the same id. (The fingerprint is what
 * makes the lines differ: both branches would otherwise write the same id.)
 */
import { createHash } from 'node:crypto';
import { readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../config/schema.ts';
import { ruleInfo } from '../../errors/catalog.ts';
import { HeraldError, type HeraldMessage } from '../../errors/message.ts';
import { checkNotes } from '../../build/named-notes.ts';
import { acquireLock } from './lock.ts';
import { replaceIdField } from './id-field.ts';
import { idNumber, planIdAssignment, type AssignIdsPlan } from './plan.ts';

export interface AssignIdsOptions {
  cwd: string;
  /** The notes folder, relative to `cwd`. */
  notesDir: string;
  config: Config;
  now: Date;
  dryRun?: boolean;
  /** The build cache to check the notes with (null or absent: every note parsed). */
  cacheDir?: string | null;
  /** Worker threads for the notes to parse when there are many (absent: in this thread). */
  workers?: number;
}

/** The guard file inside the notes folder. */
export const guardFileName = '.last-id';
/** The checkout's lock, beside other run state. */
export const lockFile = path.join('state', 'assign-ids.lock');

export async function assignIds(options: AssignIdsOptions): Promise<AssignIdsPlan> {
  const lock = await acquireLock(path.resolve(options.cwd, lockFile), options.now);
  try {
    return await assignUnderLock(options);
  } finally {
    await lock.release();
  }
}

async function assignUnderLock(options: AssignIdsOptions): Promise<AssignIdsPlan> {
  const { cwd, config } = options;
  const prefix = config.ids.prefix;
  // Every note checked, with the build cache; what the plan needs of each is its card.
  const checked = await checkNotes([options.notesDir], { config, now: options.now, cwd, cacheDir: options.cacheDir ?? null, workers: options.workers ?? 0, notesFolder: options.notesDir });
  if (checked.errors.length > 0) throw new HeraldError(checked.errors);

  const guardPath = path.posix.join(toPosix(options.notesDir), guardFileName);
  const lastAssigned = await readGuard(path.resolve(cwd, guardPath), guardPath, prefix);
  const notes = [...checked.cards]
    .filter(([, card]) => card.kind === 'note')
    .map(([file, card]) => ({ path: toPosix(file), id: card.id, date: card.date, aliases: card.aliases }));
  const existingFiles = new Set((await readdir(path.resolve(cwd, options.notesDir), { recursive: true })).map((f) => path.posix.join(toPosix(options.notesDir), toPosix(f))));
  const plan = planIdAssignment(notes, { prefix, existingFiles, ...(lastAssigned ? { lastAssigned } : {}) });
  if (plan.collisions.length > 0) {
    throw new HeraldError(
      plan.collisions.map((c) => located(c.from, 'assign-ids-collision', `This note would become ${c.id}, but ${c.to} already exists.`)),
    );
  }
  if (options.dryRun || plan.assignments.length === 0) return plan;

  const fingerprint = createHash('sha256');
  for (const assignment of plan.assignments) {
    // The file as on disk, not as decoded for the model: a byte-order mark
    // or CRLF line ends survive the rewrite.
    const source = await readFile(path.resolve(cwd, assignment.from), 'utf8');
    const text = replaceIdField(source, assignment.placeholder, assignment.id);
    if (text === undefined) throw new Error(`assign-ids: the id field of ${assignment.from} could not be located`);
    fingerprint.update(`${assignment.id}\0${source}\0`);
    await writeAtomically(path.resolve(cwd, assignment.to), text);
    if (assignment.to !== assignment.from) await rm(path.resolve(cwd, assignment.from));
  }
  await writeAtomically(path.resolve(cwd, guardPath), `${plan.lastId} ${fingerprint.digest('hex').slice(0, 16)}\n`);
  return plan;
}

async function readGuard(file: string, shown: string, prefix: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const value = text.trim().split(/\s+/)[0] ?? '';
  if (idNumber(value, prefix) === undefined) {
    throw new HeraldError([located(shown, 'assign-ids-guard', `The guard file should hold the last assigned id, like ${prefix}-0042, not "${value.slice(0, 40)}".`)]);
  }
  return value;
}

function located(file: string, ruleId: 'assign-ids-guard' | 'assign-ids-collision', message: string): HeraldMessage {
  return { file, line: 1, column: 1, severity: 'error', ruleId, message, hint: ruleInfo(ruleId).hint };
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  await writeFile(temporary, text);
  await rename(temporary, file);
}

function toPosix(file: string): string {
  return file.split(path.sep).join('/');
}

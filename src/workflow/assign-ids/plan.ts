/**
 * Planning `herald assign-ids`: which placeholder gets which number, and
 * where each file goes. Pure; `apply.ts` carries the plan out.
 *
 * Numbers are handed out after the highest one ever used (ids, former ids,
 * and the guard file's last assigned id), in a fixed order (date, then
 * path), so two runs over the same notes make the same plan.
 */
import path from 'node:path';

/** What planning needs to know of a note. */
export interface NoteIdentity {
  /** Path relative to the working directory, forward slashes. */
  path: string;
  id: string;
  /** First published, YYYY-MM-DD. */
  date: string;
  /** Former ids: their numbers stay taken. */
  aliases: readonly string[];
}

export interface Assignment {
  from: string;
  to: string;
  placeholder: string;
  id: string;
}

export interface AssignIdsPlan {
  assignments: Assignment[];
  /** The guard file's new content (the last id assigned), when anything is assigned. */
  lastId?: string;
  /** Targets that already exist: the plan cannot be carried out. */
  collisions: Assignment[];
}

export interface PlanOptions {
  prefix: string;
  /** The guard file's last assigned id, if the file exists. */
  lastAssigned?: string;
  /** Every file that exists now, to detect a rename onto an existing file. */
  existingFiles: ReadonlySet<string>;
}

/** `OSSN-XXXX` for prefix `OSSN`. */
export function placeholderId(prefix: string): string {
  return `${prefix}-XXXX`;
}

/** The number of an assigned id with `prefix`, or undefined. */
export function idNumber(id: string, prefix: string): number | undefined {
  const match = new RegExp(`^${prefix}-(\\d+)$`).exec(id);
  return match ? Number(match[1]) : undefined;
}

/** `OSSN-0043`: at least four digits, as many as the number needs. */
export function formatId(prefix: string, number: number): string {
  return `${prefix}-${String(number).padStart(4, '0')}`;
}

export function planIdAssignment(notes: readonly NoteIdentity[], options: PlanOptions): AssignIdsPlan {
  const placeholder = placeholderId(options.prefix);
  const used = notes.flatMap((n) => [n.id, ...n.aliases]).map((id) => idNumber(id, options.prefix) ?? 0);
  const guard = options.lastAssigned === undefined ? 0 : (idNumber(options.lastAssigned, options.prefix) ?? 0);
  let next = Math.max(0, guard, ...used) + 1;
  const pending = notes
    .filter((n) => n.id === placeholder)
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const assignments = pending.map((note) => {
    const id = formatId(options.prefix, next++);
    const extension = path.posix.extname(note.path) || '.md';
    return { from: note.path, to: path.posix.join(path.posix.dirname(note.path), `${id}${extension}`), placeholder, id };
  });
  const collisions = assignments.filter((a) => a.to !== a.from && options.existingFiles.has(a.to));
  return { assignments, collisions, ...(assignments.length > 0 ? { lastId: assignments.at(-1)!.id } : {}) };
}

/**
 * `herald check`'s engine: runs every verify entry of a checklist on this
 * host, one after the other, and returns one result per entry.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import type { Checklist, ChecklistVerify, CommandVerify, FileVerify } from '../render/checklists/schema.ts';
import { defaultTimeoutSeconds, skippedUnderRoot } from '../export/common.ts';
import { evaluateCommand, evaluateFile, formatSize, type CheckResult, type CheckStatus } from './evaluate.ts';
import { resolveInRoot, ResolveError } from './resolve-in-root.ts';
import { runCommand } from './run-command.ts';

export interface CheckOptions {
  /** Root directory that file checks read under; `/` for this host. */
  root: string;
  timeoutMs: number;
  maxOutputBytes: number;
  /** Larger files are an error rather than read (a check never reads /dev/zero forever). */
  maxFileBytes: number;
  /** Called before each entry runs, for progress on stderr. */
  onEntry?: (entry: ChecklistVerify, index: number, total: number) => void;
}

export const defaultCheckLimits = {
  timeoutMs: defaultTimeoutSeconds * 1000,
  maxOutputBytes: 64 * 1024,
  maxFileBytes: 16 * 1024 * 1024,
} as const;

export interface CheckSummary {
  total: number;
  pass: number;
  fail: number;
  error: number;
  skipped: number;
}

export interface CheckReport {
  advisory: string;
  results: CheckResult[];
  summary: CheckSummary;
}

async function checkFile(entry: FileVerify, root: string, maxFileBytes: number, timeoutMs: number): Promise<CheckResult> {
  const error = (detail: string): CheckResult => ({ id: entry.id, status: 'error', detail });
  let hostPath: string;
  try {
    hostPath = await resolveInRoot(root, entry.file);
  } catch (caught) {
    if (caught instanceof ResolveError && (caught.code === 'ENOENT' || caught.code === 'ENOTDIR')) return evaluateFile(entry, undefined);
    return error(`${entry.file} cannot be read: ${(caught as Error).message}`);
  }
  try {
    const stats = await stat(hostPath);
    if (!stats.isFile()) return error(`${entry.file} is not a regular file`);
    if (stats.size > maxFileBytes) return error(`${entry.file} is larger than ${formatSize(maxFileBytes)}`);
    return evaluateFile(entry, await readFile(hostPath, 'utf8'), { timeoutMs });
  } catch (caught) {
    return error(`${entry.file} cannot be read: ${(caught as Error).message}`);
  }
}

/** Counts of each status. */
export function summarize(results: readonly CheckResult[]): CheckSummary {
  const count = (status: CheckStatus) => results.filter((r) => r.status === status).length;
  return { total: results.length, pass: count('pass'), fail: count('fail'), error: count('error'), skipped: count('skipped') };
}

/**
 * Runs the checks. Command checks run only when `root` is this host's `/`:
 * a command cannot be pointed at another root without executing the image's
 * own binaries, so under another root they are `skipped`.
 */
export async function runChecklist(checklist: Checklist, options: CheckOptions): Promise<CheckReport> {
  const root = await realpath(options.root);
  const onHost = root === '/';
  const results: CheckResult[] = [];
  for (const [index, entry] of checklist.verify.entries()) {
    options.onEntry?.(entry, index, checklist.verify.length);
    if ('file' in entry) {
      results.push(await checkFile(entry as FileVerify, root, options.maxFileBytes, options.timeoutMs));
    } else if (!onHost) {
      results.push({ id: entry.id, status: 'skipped', detail: skippedUnderRoot });
    } else {
      const limits = { timeoutMs: options.timeoutMs, maxOutputBytes: options.maxOutputBytes };
      results.push(evaluateCommand(entry as CommandVerify, await runCommand((entry as CommandVerify).run, limits), limits));
    }
  }
  return { advisory: checklist.advisory.id, results, summary: summarize(results) };
}

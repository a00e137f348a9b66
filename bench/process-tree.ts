/**
 * Peak memory of a whole process tree, sampled from /proc (Linux). GNU
 * time reports the largest single process; a tool that hands work to a
 * child process (herald runs Pagefind's binary) uses the sum.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Sampling interval. Sync reads of small /proc files keep each sample cheap, so it barely competes with what it measures. */
export const sampleEveryMs = 250;

/**
 * Parent of each live process started after `root`, from /proc/<pid>/stat
 * (the command name may hold spaces and parentheses). Descendants get
 * higher pids than their ancestor unless pids wrap around during a run.
 */
function parents(root: number): Map<number, number> {
  const map = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) < root) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      map.set(Number(entry), ppid);
    } catch {
      // The process ended between readdir and readFile.
    }
  }
  return map;
}

function residentKiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function treeKiB(root: number, skipRoot: boolean): number {
  const parentOf = parents(root);
  const members = new Set([root]);
  // Parents are listed before children only by chance: repeat until nothing is added.
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parentOf) {
      if (!members.has(pid) && members.has(ppid)) {
        members.add(pid);
        grew = true;
      }
    }
  }
  if (skipRoot) members.delete(root);
  let total = 0;
  for (const pid of members) total += residentKiB(pid);
  return total;
}

/** Samples the tree under `root` until `stop` is called, which returns the peak sum in KiB (undefined without /proc). */
export function sampleTree(root: number, skipRoot: boolean): { stop(): Promise<number | undefined> } {
  if (!existsSync('/proc/self/stat')) return { stop: async () => undefined };
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      peak = Math.max(peak, treeKiB(root, skipRoot));
      await new Promise((resolve) => setTimeout(resolve, sampleEveryMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return peak > 0 ? peak : undefined;
    },
  };
}

/**
 * Progress of a sending run on stderr: a bar with rate and ETA, redrawn in
 * place, on a terminal; a plain line every 10% (or 10 s) otherwise, so CI
 * logs stay readable. A long wait for a server gets a line of its own.
 */
import type { Writable } from 'node:stream';

/** Counts so far. */
export interface ProgressCounts {
  done: number;
  sent: number;
  failed: number;
  retrying: number;
}

/** Reports a run's progress. */
export interface Progress {
  start(total: number): void;
  update(counts: ProgressCounts): void;
  /** A line of its own about a long wait (`waits.ts`), above the bar on a terminal. */
  waiting?(text: string): void;
  finish(): void;
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

function describe(counts: ProgressCounts, total: number, elapsedMs: number): { percent: number; text: string } {
  const rate = elapsedMs > 0 ? (counts.done * 1000) / elapsedMs : 0;
  const eta = rate > 0 ? (total - counts.done) / rate : Number.POSITIVE_INFINITY;
  const percent = total > 0 ? Math.floor((counts.done * 100) / total) : 100;
  const extra = [counts.failed > 0 ? `${counts.failed} failed` : '', counts.retrying > 0 ? `${counts.retrying} retrying` : ''].filter(Boolean).join(', ');
  return { percent, text: `${counts.done}/${total} (${percent}%)  ${rate.toFixed(0)} msg/s  ETA ${duration(eta)}${extra ? `  ${extra}` : ''}` };
}

/** A bar on an interactive terminal, plain lines otherwise. */
export function createProgress(stream: Writable, interactive: boolean, label: string): Progress {
  let total = 0;
  let started = 0;
  let counts: ProgressCounts = { done: 0, sent: 0, failed: 0, retrying: 0 };
  let timer: NodeJS.Timeout | undefined;
  let lastDecile = 0;
  let lastLine = 0;

  const draw = () => {
    const { percent, text } = describe(counts, total, performance.now() - started);
    const width = 24;
    const filled = Math.round((percent / 100) * width);
    stream.write(`\r\x1b[K${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${text}`);
  };

  return {
    start(count) {
      total = count;
      started = performance.now();
      lastLine = started;
      if (interactive) {
        draw();
        timer = setInterval(draw, 200);
        timer.unref();
      }
    },
    update(next) {
      counts = next;
      // A short run gets its final line only.
      if (interactive || total < 50) return;
      const now = performance.now();
      const decile = total > 0 ? Math.floor((counts.done * 10) / total) : 10;
      if ((decile > lastDecile && decile < 10) || now - lastLine >= 10_000) {
        lastDecile = decile;
        lastLine = now;
        stream.write(`${label}: ${describe(counts, total, now - started).text}\n`);
      }
    },
    waiting(text) {
      stream.write(`${interactive ? '\r\x1b[K' : ''}${label}: ${text}\n`);
      if (interactive) draw();
    },
    finish() {
      if (timer) clearInterval(timer);
      if (interactive) {
        draw();
        stream.write('\n');
      } else stream.write(`${label}: ${describe(counts, total, performance.now() - started).text}\n`);
    },
  };
}

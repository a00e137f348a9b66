/**
 * Display columns as Python counts them (unicodedata: East Asian Width
 * W or F is two columns, a combining mark none), the outside judge of the
 * text part's widths.
 */
import { spawnSync } from 'node:child_process';
import { debianPython } from '../../support/system.ts';

/** `expression` (Python, on the line `l`, with `cols(s)` and `re` at hand) for each of `lines`. */
export function pythonColumnsOf(lines: readonly string[], expression = 'cols(l)'): number[] {
  const script = [
    'import sys, json, unicodedata, re',
    'def cols(s): return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)',
    `print(json.dumps([${expression} for l in json.load(sys.stdin)]))`,
  ].join('\n');
  const run = spawnSync(debianPython, ['-I', '-c', script], { input: JSON.stringify(lines), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as number[];
}

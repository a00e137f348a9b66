/**
 * Where a setting is written in the config file, for a message about its
 * value that comes after the config was read (a secret its `*_env` names
 * that is not set, a wiki setting a command needs): the setting's line and
 * column, else the key it would go under, else 1:1. Never throws: a message
 * is being made already.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, LineCounter, parseDocument } from 'yaml';
import type { Position } from '../model/types.ts';

export function settingPosition(cwd: string, configFile: string, setting: readonly string[]): Position {
  try {
    const text = readFileSync(path.resolve(cwd, configFile), 'utf8');
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter });
    for (let depth = setting.length; depth > 0; depth--) {
      const parent = depth === 1 ? doc.contents : doc.getIn(setting.slice(0, depth - 1), true);
      if (!isMap(parent)) continue;
      const pair = parent.items.find((item) => (item.key as { value?: unknown } | null)?.value === setting[depth - 1]);
      const start = (pair?.key as { range?: [number, number, number] } | null)?.range?.[0];
      if (start !== undefined) return { line: lineCounter.linePos(start).line, column: lineCounter.linePos(start).col };
    }
  } catch {
    // Unreadable now: the message keeps the file's start.
  }
  return { line: 1, column: 1 };
}

/**
 * Golden files: the expected output sits in a file; `UPDATE_GOLDEN=1`
 * rewrites it, for review as a diff. A missing golden file is written
 * locally and is an error under CI=true.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';

export const updateGolden = process.env.UPDATE_GOLDEN === '1';

export function expectGolden(file: string, actual: string): void {
  if (updateGolden || !existsSync(file)) {
    if (!updateGolden && process.env.CI === 'true') throw new Error(`golden file ${file} is missing (run with UPDATE_GOLDEN=1)`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  expect(actual, `${file} (run with UPDATE_GOLDEN=1 to accept the new output)`).toBe(readFileSync(file, 'utf8'));
}

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { filesUnder } from './files-under.ts';

/** Every output file under `root` (but the manifest, which names inodes) and its bytes, by path. */
export function outputTree(root: string): { file: string; bytes: Buffer }[] {
  return filesUnder(root)
    .filter((file) => !file.startsWith('.herald-manifest'))
    .sort()
    .map((file) => ({ file, bytes: readFileSync(path.join(root, file)) }));
}

/** Expects the output folders `actual` and `expected` to hold the same files, byte for byte (`label` names the step in a failure). */
export function expectSameOutput(actual: string, expected: string, label?: string): void {
  const [a, b] = [outputTree(actual), outputTree(expected)];
  expect(
    a.map((f) => f.file),
    label,
  ).toEqual(b.map((f) => f.file));
  const differ = a.filter((f, index) => !f.bytes.equals(b[index]!.bytes)).map((f) => f.file);
  expect(differ, `${label ? `${label}: ` : ''}files whose bytes differ`).toEqual([]);
}

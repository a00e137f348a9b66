/**
 * One file written whole or not at all: into a temporary file beside it,
 * then renamed over it (its folder is made when missing).
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function writeFileAtomically(file: string, data: string | Uint8Array | readonly Uint8Array[]): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temporary, Array.isArray(data) ? Buffer.concat(data as Uint8Array[]) : (data as string | Uint8Array));
  renameSync(temporary, file);
}

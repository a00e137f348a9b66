#!/usr/bin/env node
// Runs a TypeScript entry point through tsx: `node bin/run-ts.js bench/run.ts [args...]`.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

const [entry] = process.argv.splice(2, 1);
if (!entry) {
  process.stderr.write('usage: node bin/run-ts.js <file.ts> [args...]\n');
  process.exit(2);
}
register();
// The entry sees itself as the script, as if run directly: process.argv = [node, entry, ...args].
process.argv[1] = path.resolve(entry);
await import(pathToFileURL(process.argv[1]).href);

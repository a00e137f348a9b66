#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --max-semi-space-size=4
// Both settings lower a big build's peak memory, no slower (BENCHMARKS.md).
// The flag caps the main thread's young generation (32 MB by default) at 8 MB:
// 30-50 MiB less at 10,000 notes. MALLOC_ARENA_MAX=2 keeps glibc from giving
// every thread (the build's workers, libuv's pool) its own malloc arenas, whose
// freed memory other threads cannot reuse: 15-35 MiB less. The build's workers
// set their own heap limits. `node bin/herald.js` runs without either.
// Entry point of the `herald` command: the compiled code in dist-js/ when it
// is up to date with src/, else the TypeScript sources through tsx (see compiled.js).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { compiledDir, compiledIsFresh, importEntry } from './compiled.js';

/**
 * Whether these arguments run a build on worker threads: `build`, neither
 * `--workers 0` nor `--help`. Its first worker then starts before the CLI's
 * modules load (src/build/early-worker.ts); the CLI parses the arguments
 * properly, and a worker it does not take ends with the process.
 * @param {string[]} args
 */
function buildsOnWorkers(args) {
  if (args[0] !== 'build' || args.includes('--help') || args.includes('-h')) return false;
  return !args.some((arg, i) => arg === '--workers=0' || (arg === '--workers' && args[i + 1] === '0'));
}

const compiled = compiledIsFresh();
if (compiled && buildsOnWorkers(process.argv.slice(2))) {
  const { startEarlyWorker } = await import(pathToFileURL(path.join(compiledDir, 'early-worker.js')).href);
  startEarlyWorker();
}
const { main } = await importEntry('herald.js', 'src/cli/main.ts', compiled);
process.exitCode = await main(process.argv);

#!/usr/bin/env -S node --max-semi-space-size=4
// The flag caps the main thread's young generation (32 MB by default) at 8 MB:
// a build of 10,000 notes then peaks 30-50 MiB lower, no slower (BENCHMARKS.md).
// The build's workers set their own limits. `node bin/herald.js` runs without it.
// Entry point of the `herald` command: the compiled code in dist-js/ when it
// is up to date with src/, else the TypeScript sources through tsx (see compiled.js).
import { importEntry } from './compiled.js';

const { main } = await importEntry('herald.js', 'src/cli/main.ts');
process.exitCode = await main(process.argv);

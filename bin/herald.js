#!/usr/bin/env node
// Entry point of the `herald` command: the compiled code in dist-js/ when it
// is up to date with src/, else the TypeScript sources through tsx (see compiled.js).
import { importEntry } from './compiled.js';

const { main } = await importEntry('herald.js', 'src/cli/main.ts');
process.exitCode = await main(process.argv);

/**
 * Where herald is installed: the folder holding package.json, src/,
 * templates/, site/ and bin/. Every file herald reads from its own
 * installation is found from here, never from a module's own location,
 * because the same code also runs bundled from `dist-js/` (see
 * scripts/compile.js). This module sits one level below the root in both
 * places: as `src/package-root.ts`, and inlined into a flat `dist-js/*.js`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageRoot: string = path.resolve(fileURLToPath(new URL('..', import.meta.url)));

/**
 * POSIX awk ports of the comparators in src/versions (in `versions.awk`:
 * deb, rpm, semver and pypi), for the shell export: a host with no dpkg,
 * rpm, python or node can still compare versions exactly. They are tested
 * against the same judges as the TypeScript originals (dpkg, rpm, the
 * semver package, Python's packaging).
 *
 * The program contains no single quote, so the script embeds it in one
 * single-quoted shell word; it reads its operands from the environment
 * (`ENVIRON`), never from `-v`, which would interpret backslashes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../package-root.ts';

/** Functions: `vercmp(scheme, a, b)` returns -1, 0 or 1, or "invalid-a"/"invalid-b". */
export const awkVersionFunctions = readFileSync(path.join(packageRoot, 'src/export/awk/versions.awk'), 'utf8');

/** A whole program: compares $HERALD_A with $HERALD_B in scheme $HERALD_SCHEME and prints the result. */
export const awkVersionProgram = `${awkVersionFunctions}
BEGIN { print vercmp(ENVIRON["HERALD_SCHEME"], ENVIRON["HERALD_A"], ENVIRON["HERALD_B"]); exit }
`;

/**
 * The awk ports the shell export compares versions with, against herald's
 * TypeScript comparators (themselves judged against dpkg, rpm and Python's
 * packaging in test/versions) and the semver package: thousands of
 * generated pairs per scheme, one awk process per batch.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { awkVersionFunctions } from '../../src/export/awk/versions.ts';
import { compareVersions, isValidVersion } from '../../src/versions/scheme.ts';
import type { VersionScheme } from '../../src/model/types.ts';
import { assertBatches } from '../versions/batches.ts';
import { debianPair, pep440Pair, pep440String, rpmPair, semverPair, versionishString } from '../versions/generators.ts';
import { missingTools } from '../support/system.ts';
import { run, withFile } from './support.ts';

const batchProgram = `${awkVersionFunctions}
{ split($0, pair, "\\t"); print vercmp(SCHEME, pair[1], pair[2]) }
`;

/** What awk says for each pair: -1, 0, 1, or invalid-a / invalid-b. */
function awkCompare(awk: string, scheme: VersionScheme, pairs: readonly (readonly [string, string])[]): string[] {
  const [command, ...args] = awk.split(' ') as [string, ...string[]];
  const result = withFile('pairs', pairs.map(([a, b]) => `${a}\t${b}\n`).join(''), (file) => run(command, [...args, '-v', `SCHEME=${scheme}`, batchProgram, file], { LC_ALL: 'C' }));
  if (result.code !== 0) throw new Error(`${awk} failed: ${result.stderr}`);
  return result.stdout.trim().split('\n');
}

function herald(scheme: VersionScheme, a: string, b: string): string {
  if (!isValidVersion(scheme, a)) return 'invalid-a';
  if (!isValidVersion(scheme, b)) return 'invalid-b';
  return String(Math.sign(compareVersions(scheme, a, b)) || 0);
}

const installed = (command: string) => spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command]).status === 0;
// The system awk (mawk on Debian) and BusyBox's (Alpine's) always; other implementations when present.
const reason = missingTools('awk', 'busybox');
const awks = ['awk', 'busybox awk', 'gawk', 'original-awk'].filter((awk, index) => index < 2 || installed(awk));

describe.skipIf(!!reason).each(awks)('the awk comparators with %s', (awk) => {
  const cases: [VersionScheme, typeof debianPair][] = [
    ['deb', debianPair],
    ['rpm', rpmPair],
    ['semver', semverPair],
    ['pypi', pep440Pair],
  ];
  it.each(cases)('%s: agree with herald on 6,000 generated pairs', async (scheme, pairs) => {
    await assertBatches(pairs, { size: 2000, runs: 3 }, async (batch) => {
      const answers = awkCompare(awk, scheme, batch);
      return batch.flatMap(([a, b], i) => (answers[i] === herald(scheme, a, b) ? [] : [`${a} vs ${b}: awk ${answers[i]}, herald ${herald(scheme, a, b)}`]));
    });
  });

  const stringCases: [VersionScheme, fc.Arbitrary<string>][] = [
    ['deb', versionishString],
    ['rpm', versionishString],
    ['semver', versionishString],
    ['pypi', fc.oneof(versionishString, pep440String)],
  ];
  it.each(stringCases)('%s: accept and reject the same strings as herald', async (scheme, versionish) => {
    await assertBatches(versionish, { size: 2000, runs: 2 }, async (strings) => {
      const answers = awkCompare(awk, scheme, strings.map((s) => [s, s] as const));
      return strings.flatMap((s, i) => ((answers[i] !== 'invalid-a') === isValidVersion(scheme, s) ? [] : [`${JSON.stringify(s)}: awk ${answers[i]}`]));
    });
  });
});

describe('shell-embedded programs', () => {
  it('contain no single quote, so one single-quoted shell word holds each', () => {
    for (const asset of ['awk/versions.awk', 'ansible/rpm-compare.lua']) {
      expect({ asset, quotes: readFileSync(new URL(`../../src/export/${asset}`, import.meta.url), 'utf8').includes("'") }).toEqual({ asset, quotes: false });
    }
  });
});

/**
 * The comparators against the real tools, on thousands of generated pairs:
 * `dpkg --compare-versions` for Debian, rpm's own `rpm.vercmp` for RPM and
 * Python's `packaging.version.Version` for PEP 440. Each fast-check run
 * judges a whole batch in one call, so it stays fast.
 */
import { describe, it } from 'vitest';
import { compareDebianVersions, isValidDebianVersion } from '../../src/versions/debian.ts';
import { comparePep440, isValidPep440 } from '../../src/versions/pep440.ts';
import { compareRpmVersions, rpmvercmp } from '../../src/versions/rpm.ts';
import { missingPythonModules, missingTools } from '../support/system.ts';
import { assertBatches } from './batches.ts';
import { debianPair, pep440Pair, pep440String, rpmPair, rpmSegmentPair, versionishString } from './generators.ts';
import { dpkgAccepts, dpkgCompare, pep440Accepts, pep440Compare, rpmCompare } from './judges.ts';

const dpkgMissing = missingTools('dpkg');
describe.skipIf(!!dpkgMissing)('Debian versions against dpkg --compare-versions', () => {
  it('agree on 2,400 generated pairs', async () => {
    await assertBatches(debianPair, { size: 400, runs: 6 }, async (pairs) => {
      const judged = await dpkgCompare(pairs);
      return pairs.flatMap(([a, b], i) => {
        const ours = Math.sign(compareDebianVersions(a, b));
        return ours === judged[i] ? [] : [`${a} vs ${b}: dpkg ${judged[i]}, herald ${ours}`];
      });
    });
  }, 120_000);

  it('accept exactly the versions dpkg takes without an error or a warning', async () => {
    await assertBatches(versionishString, { size: 400, runs: 2 }, async (strings) => {
      // dpkg trims surrounding blanks itself; herald's callers trim first.
      const candidates = strings.filter((v) => v.trim() === v);
      const judged = await dpkgAccepts(candidates);
      return candidates.flatMap((v, i) => (isValidDebianVersion(v) === judged[i] ? [] : [`${JSON.stringify(v)}: dpkg ${judged[i] ? 'accepts' : 'rejects'} it`]));
    });
  }, 120_000);
});

const rpmMissing = missingTools('rpm');
describe.skipIf(!!rpmMissing)('RPM versions against rpm', () => {
  it('compareRpmVersions agrees with rpm.vercmp on 10,000 generated [epoch:]version[-release] pairs', async () => {
    await assertBatches(rpmPair, { size: 2000, runs: 5 }, async (pairs) => {
      const judged = await rpmCompare(pairs);
      return pairs.flatMap(([a, b], i) => (compareRpmVersions(a, b) === judged[i] ? [] : [`${a} vs ${b}: rpm ${judged[i]}, herald ${compareRpmVersions(a, b)}`]));
    });
  });

  it('rpmvercmp agrees with rpm on 10,000 generated strings with any separators', async () => {
    await assertBatches(rpmSegmentPair, { size: 2000, runs: 5 }, async (pairs) => {
      const judged = await rpmCompare(pairs);
      return pairs.flatMap(([a, b], i) => (rpmvercmp(a, b) === judged[i] ? [] : [`${a} vs ${b}: rpm ${judged[i]}, herald ${rpmvercmp(a, b)}`]));
    });
  });
});

const packagingMissing = missingPythonModules('packaging');
describe.skipIf(!!packagingMissing)('PEP 440 versions against packaging.version.Version', () => {
  // Either version invalid counts too: the pairs are meant to be valid, and packaging says whether they are.
  const herald = (a: string, b: string) => (isValidPep440(a) && isValidPep440(b) ? Math.sign(comparePep440(a, b)) || 0 : 'invalid');

  it('comparePep440 agrees with packaging on 8,000 generated pairs', async () => {
    await assertBatches(pep440Pair, { size: 2000, runs: 4 }, async (pairs) => {
      const judged = await pep440Compare(pairs);
      return pairs.flatMap(([a, b], i) => (herald(a, b) === judged[i] ? [] : [`${a} vs ${b}: packaging ${judged[i]}, herald ${herald(a, b)}`]));
    });
  }, 120_000);

  it('isValidPep440 accepts exactly the versions packaging takes', async () => {
    await assertBatches(pep440String, { size: 2000, runs: 2 }, async (strings) => {
      // packaging strips surrounding blanks; herald refuses them.
      const candidates = strings.filter((v) => v.trim() === v);
      const judged = await pep440Accepts(candidates);
      return candidates.flatMap((v, i) => (isValidPep440(v) === judged[i] ? [] : [`${JSON.stringify(v)}: packaging ${judged[i] ? 'accepts' : 'rejects'} it`]));
    });
  }, 120_000);
});

/**
 * readCvss against cvss-suite (Debian's ruby-cvss-suite) on thousands of
 * generated CVSS 3.0 and 3.1 vectors: the same base score, FIRST's rating of
 * it, and the same validity where cvss-suite follows the specification. Each
 * fast-check run judges a whole batch in one ruby process.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCvss } from '../../src/model/cvss.ts';
import { missingRubyGems } from '../support/system.ts';
import { assertBatches } from '../versions/batches.ts';
import { cvssSuiteBaseScores } from './cvss-judge.ts';
import { cvss3BaseVector, cvss3Case, cvss3Vector } from './cvss-generators.ts';

/** FIRST's qualitative rating scale, written out from the specification's table. */
function firstRating(score: number): string {
  if (score === 0) return 'none';
  if (score <= 3.9) return 'low';
  if (score <= 6.9) return 'medium';
  if (score <= 8.9) return 'high';
  return 'critical';
}

/** A line per vector where herald's score or rating differs from cvss-suite's base score. */
async function scoreDisagreements(vectors: string[]): Promise<string[]> {
  const judged = await cvssSuiteBaseScores(vectors);
  return vectors.flatMap((v, i) => {
    const theirs = judged[i];
    const ours = readCvss(v);
    if (theirs === 'invalid' || !ours.ok) return [`${v}: cvss-suite ${theirs}, herald ${ours.ok ? ours.cvss.score : ours.problem}`];
    if (ours.cvss.score !== theirs) return [`${v}: cvss-suite ${theirs}, herald ${ours.cvss.score}`];
    if (ours.cvss.rating !== firstRating(theirs)) return [`${v}: ${theirs} is ${firstRating(theirs)}, herald says ${ours.cvss.rating}`];
    return [];
  });
}

const cvssSuiteMissing = missingRubyGems('cvss_suite');
describe.skipIf(!!cvssSuiteMissing)('CVSS 3.x vectors against cvss-suite', () => {
  it('agree on the base score of every one of the 5,184 base vectors of 3.0 and 3.1', async () => {
    // A fixed sample large enough that the generator reaches every combination: 4·2·3·2·2·3·3·3 for each version.
    const every = [...new Set(fc.sample(cvss3BaseVector, { numRuns: 100_000, seed: 1 }))];
    expect(every).toHaveLength(2 * 2592);
    expect(await scoreDisagreements(every)).toEqual([]);
  });

  it('agree on the base score of 5,000 vectors with temporal and environmental metrics in any order', async () => {
    await assertBatches(cvss3Vector, { size: 1000, runs: 5 }, scoreDisagreements);
  });

  it('accept what the specification accepts, and cvss-suite where it follows the specification', async () => {
    await assertBatches(cvss3Case, { size: 1000, runs: 4 }, async (cases) => {
      const judged = await cvssSuiteBaseScores(cases.map((c) => c.vector));
      return cases.flatMap((c, i) => {
        const ours = readCvss(c.vector).ok;
        const theirs = judged[i] !== 'invalid';
        const found: string[] = [];
        if (ours !== c.valid) found.push(`${JSON.stringify(c.vector)} (${c.kind}): the specification ${c.valid ? 'accepts' : 'refuses'} it, herald does not`);
        if (c.cvssSuiteFollowsSpec && theirs !== c.valid) found.push(`${JSON.stringify(c.vector)} (${c.kind}): the specification ${c.valid ? 'accepts' : 'refuses'} it, cvss-suite does not`);
        return found;
      });
    });
  }, 120_000);
});

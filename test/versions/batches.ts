/**
 * Property tests whose judge is an external program: fast-check generates
 * whole batches, each judged by one call, and a failure reports only the
 * disagreeing cases instead of the whole batch.
 */
import fc from 'fast-check';

/**
 * Runs `runs` batches of `size` generated values through `disagreements`,
 * which returns a line per case where herald and the judge differ.
 */
export async function assertBatches<T>(arbitrary: fc.Arbitrary<T>, options: { size: number; runs: number }, disagreements: (batch: T[]) => Promise<string[]>): Promise<void> {
  const result = await fc.check(
    fc.asyncProperty(fc.array(arbitrary, { minLength: options.size, maxLength: options.size }), async (batch) => (await disagreements(batch)).length === 0),
    { numRuns: options.runs, endOnFailure: true },
  );
  if (!result.failed) return;
  if (!result.counterexample) throw result.errorInstance;
  const found = await disagreements(result.counterexample[0]);
  if (found.length === 0) throw result.errorInstance;
  throw new Error(`herald disagrees with the judge (fast-check seed ${result.seed}):\n${found.slice(0, 20).join('\n')}`);
}

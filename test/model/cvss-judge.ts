/**
 * cvss-suite (the Ruby gem, Debian's ruby-cvss-suite 3.1.0) as the judge of
 * CVSS 3.0 and 3.1 vectors: one ruby process a batch, one vector a line. It
 * has no CVSS 4.0.
 *
 * It is more lenient than the specification, so only some of its refusals
 * mean anything (see cvss-generators.ts): it ignores unknown metrics, empty
 * parts (Ruby's split drops a trailing one) and anything after a second ":",
 * and reads a wrong or lower-case temporal or environmental value as X. It
 * refuses, as the specification does, a vector without the exact prefix, with
 * a metric given twice, or without a valid (case-sensitive) value for each of
 * the eight base metrics.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

// base_score raises on an invalid vector; that counts as invalid too.
const script = `require 'cvss_suite'
File.foreach(ARGV[0], chomp: true) do |vector|
  cvss = CvssSuite.new(vector)
  puts(cvss.valid? ? format('%.1f', cvss.base_score) : 'invalid')
rescue StandardError
  puts 'invalid'
end`;

/** cvss-suite's base score of each vector, or "invalid" when it does not take it. */
export async function cvssSuiteBaseScores(vectors: readonly string[]): Promise<(number | 'invalid')[]> {
  if (vectors.some((v) => /[\r\n]/.test(v))) throw new Error('a vector with a line break cannot be judged line by line');
  const dir = mkdtempSync(path.join(tmpdir(), 'herald-judge-'));
  try {
    const file = path.join(dir, 'input');
    writeFileSync(file, vectors.map((v) => v + '\n').join(''));
    const { stdout } = await run('ruby', ['-e', script, file], { maxBuffer: 1 << 26 });
    const answers = stdout.trim() === '' ? [] : stdout.trim().split('\n');
    if (answers.length !== vectors.length) throw new Error(`judge answered ${answers.length} of ${vectors.length} questions`);
    return answers.map((a) => (a === 'invalid' ? a : Number(a)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

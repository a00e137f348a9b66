/**
 * fast-check arbitraries of CVSS 3.0 and 3.1 vectors: valid ones (every base
 * combination, optional temporal and environmental metrics, any order) and
 * near-misses that the specification refuses. The tables are written out
 * here from the specification, not taken from src/model/cvss.ts.
 */
import fc from 'fast-check';

export type Cvss3Version = '3.0' | '3.1';
type Part = readonly [metric: string, value: string];

// The specification's table of metrics and values (the same in 3.0 and 3.1).
const base = [['AV', 'NALP'], ['AC', 'LH'], ['PR', 'NLH'], ['UI', 'NR'], ['S', 'UC'], ['C', 'HLN'], ['I', 'HLN'], ['A', 'HLN']] as const;
const optional = [
  ['E', 'XUPFH'], ['RL', 'XOTWU'], ['RC', 'XURC'],
  ['CR', 'XLMH'], ['IR', 'XLMH'], ['AR', 'XLMH'],
  ['MAV', 'XNALP'], ['MAC', 'XLH'], ['MPR', 'XNLH'], ['MUI', 'XNR'], ['MS', 'XUC'], ['MC', 'XNLH'], ['MI', 'XNLH'], ['MA', 'XNLH'],
] as const;
const baseNames: readonly string[] = base.map(([metric]) => metric);
const allowed = new Map<string, string>([...base, ...optional]);

const version = fc.constantFrom<Cvss3Version>('3.0', '3.1');
const part = ([metric, values]: readonly [string, string]) => fc.constantFrom(...values).map((value): Part => [metric, value]);

function vector(v: Cvss3Version, parts: readonly string[]): string {
  return `CVSS:${v}/${parts.join('/')}`;
}
const written = (parts: readonly Part[]) => parts.map(([metric, value]) => `${metric}:${value}`);

/** The eight base metrics in the specification's order, each value drawn: all 2,592 combinations can come out. */
const baseParts = fc.tuple(...base.map(part));

/** Any subset of the temporal and environmental metrics, X (not defined) among their values. */
const optionalParts = fc.subarray([...optional]).chain((chosen) => fc.tuple(...chosen.map(part)));

/** A valid vector as parts: base metrics, maybe optional ones, in the preferred order or shuffled (3.x readers take any order). */
const validParts = fc
  .tuple(version, baseParts, fc.oneof(fc.constant([] as Part[]), optionalParts), fc.boolean())
  .chain(([v, b, o, shuffle]) => {
    const parts = [...b, ...o];
    const ordered = shuffle ? fc.shuffledSubarray(parts, { minLength: parts.length, maxLength: parts.length }) : fc.constant(parts);
    return ordered.map((p) => ({ version: v, parts: p }));
  });

/** A valid base vector, e.g. CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H. */
export const cvss3BaseVector = fc.tuple(version, baseParts).map(([v, b]) => vector(v, written(b)));

/** A valid vector with or without temporal and environmental metrics, in any order. */
export const cvss3Vector = validParts.map(({ version: v, parts }) => vector(v, written(parts)));

/**
 * A vector, what the specification says of it, and whether cvss-suite's
 * answer can be held against it. cvss-suite follows the specification on the
 * prefix, on duplicates and on the base metrics; it is lenient on the rest
 * (unknown metrics, empty or malformed parts, wrong temporal or environmental
 * values), so there only the specification judges.
 */
export interface Cvss3Case {
  vector: string;
  kind: string;
  valid: boolean;
  cvssSuiteFollowsSpec: boolean;
}

const at = (length: number) => fc.nat({ max: length });
const insert = <T>(items: readonly T[], index: number, item: T) => [...items.slice(0, index), item, ...items.slice(index)];
const replace = <T>(items: readonly T[], index: number, item: T) => items.map((x, i) => (i === index ? item : x));

// Names of other versions (AT, AU, MAT), CVSS 2 spelling (Au), and lower-case names.
const unknownMetric = fc.constantFrom('AT', 'AU', 'Au', 'MAT', 'SC', 'X', 'M', 'RE', 'av', 'e', 'ms', 'Scope');

const nearMisses: fc.Arbitrary<Cvss3Case>[] = [
  // A base metric left out.
  validParts.chain(({ version: v, parts }) =>
    fc.constantFrom(...baseNames).map((gone) => ({ vector: vector(v, written(parts.filter(([m]) => m !== gone))), kind: `no ${gone}`, valid: false, cvssSuiteFollowsSpec: true })),
  ),
  // A metric given twice, with the same or another value.
  validParts.chain(({ version: v, parts }) =>
    fc.tuple(fc.constantFrom(...parts), at(parts.length)).chain(([[metric], where]) =>
      part([metric, allowed.get(metric)!]).map((again) => ({ vector: vector(v, written(insert(parts, where, again))), kind: `${metric} twice`, valid: false, cvssSuiteFollowsSpec: true })),
    ),
  ),
  // A metric the specification does not have.
  validParts.chain(({ version: v, parts }) =>
    fc.tuple(unknownMetric, fc.constantFrom('N', 'H', 'X', 'Y'), at(parts.length)).map(([metric, value, where]) => ({
      vector: vector(v, insert(written(parts), where, `${metric}:${value}`)),
      kind: `unknown metric ${metric}`,
      valid: false,
      cvssSuiteFollowsSpec: false,
    })),
  ),
  // A value the metric does not have (X is no base metric's value), or a valid one in lower case.
  validParts.chain(({ version: v, parts }) =>
    fc
      .tuple(at(parts.length - 1), fc.oneof(fc.constantFrom('X', 'N', 'H', 'L', 'M', 'F', 'Z', 'Y', 'HH', 'NX', 'Low', 'N '), fc.constant('lower')))
      .map(([i, wrong]) => {
        const [metric, value] = parts[i]!;
        const spelt = wrong === 'lower' ? value.toLowerCase() : wrong;
        return { metric, value: spelt, parts: replace(parts, i, [metric, spelt] as Part) };
      })
      .filter(({ metric, value }) => !(value.length === 1 && allowed.get(metric)!.includes(value)))
      .map(({ metric, value, parts: changed }) => ({
        vector: vector(v, written(changed)),
        kind: `${metric}:${value}`,
        valid: false,
        cvssSuiteFollowsSpec: baseNames.includes(metric),
      })),
  ),
  // An empty part anywhere (a trailing "/" too) or one that is not METRIC:VALUE.
  validParts.chain(({ version: v, parts }) =>
    fc.tuple(at(parts.length - 1), fc.constantFrom('', 'metric', 'metric:', ':value', 'metric:value:value', 'metric=value'), fc.boolean()).map(([i, shape, instead]) => {
      const [metric, value] = parts[i]!;
      const bad = shape.replace('metric', metric).replace(/value/g, value);
      const text = written(parts);
      return { vector: vector(v, instead ? replace(text, i, bad) : insert(text, i + 1, bad)), kind: `part ${JSON.stringify(bad)}`, valid: false, cvssSuiteFollowsSpec: false };
    }),
  ),
  // A wrong prefix.
  validParts.chain(({ version: v, parts }) =>
    fc.constantFrom(`cvss:${v}/`, `CVSS:${v}`, `CVSS${v}/`, `CVSS:${v} /`, ` CVSS:${v}/`, 'CVSS:3.2/', 'CVSS:3/', 'CVSS:2.0/', '').map((prefix) => ({
      vector: prefix + written(parts).join('/'),
      kind: `prefix ${JSON.stringify(prefix)}`,
      valid: false,
      cvssSuiteFollowsSpec: true,
    })),
  ),
];

/** Valid vectors and near-misses, valid ones a third of the time. */
export const cvss3Case: fc.Arbitrary<Cvss3Case> = fc.oneof(
  { weight: 3, arbitrary: validParts.map(({ version: v, parts }) => ({ vector: vector(v, written(parts)), kind: 'valid', valid: true, cvssSuiteFollowsSpec: true })) },
  ...nearMisses.map((arbitrary) => ({ weight: 1, arbitrary })),
);

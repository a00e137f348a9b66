/**
 * CVSS vectors of a note (`cvss:` in the front matter): versions 3.0, 3.1
 * and 4.0, read strictly here, scored by `ae-cvss-calculator` (FIRST's
 * equations; it forgives missing or repeated metrics, so it only ever sees
 * vectors this file accepted).
 */
import { createRequire } from 'node:module';
import { nonAsciiNote } from '../errors/code-point.ts';

type Calculator = typeof import('ae-cvss-calculator');
let loaded: Calculator | undefined;

/**
 * The calculator, loaded when a vector is first scored (about 25 ms): the
 * renderers import this file for `describeScore`, and a build's main
 * thread never scores a vector. A webpack bundle, so a CommonJS require:
 * Node sees no named exports in it.
 */
function calculator(): Calculator {
  return (loaded ??= createRequire(import.meta.url)('ae-cvss-calculator') as Calculator);
}

export type CvssVersion = '3.0' | '3.1' | '4.0';
/** FIRST's qualitative rating of a score, the same for every version. */
export type CvssRating = 'none' | 'low' | 'medium' | 'high' | 'critical';

export interface Cvss {
  version: CvssVersion;
  /** As the note writes it. */
  vector: string;
  /** 3.x: the base score; 4.0: the one score of the metrics given (CVSS-B, -BT, -BE or -BTE). */
  score: number;
  rating: CvssRating;
  /** What the score is called: `CVSS 3.1 base score`, `CVSS-BT 4.0`. */
  name: string;
}

export type CvssReading = { ok: true; cvss: Cvss } | { ok: false; problem: string; hint: string };

/**
 * A metric's allowed values (a string of one-letter values, or a list of
 * words); base metrics are required, the others optional (X: not defined).
 */
interface MetricTable {
  base: Record<string, string>;
  other: Record<string, string | readonly string[]>;
}

const impact = 'HLN';
const cvss3: MetricTable = {
  base: { AV: 'NALP', AC: 'LH', PR: 'NLH', UI: 'NR', S: 'UC', C: impact, I: impact, A: impact },
  other: {
    E: 'XHFPU', RL: 'XUWTO', RC: 'XCRU',
    CR: 'XHML', IR: 'XHML', AR: 'XHML',
    MAV: 'XNALP', MAC: 'XLH', MPR: 'XNLH', MUI: 'XNR', MS: 'XUC', MC: 'XHLN', MI: 'XHLN', MA: 'XHLN',
  },
};

/** In the order of the specification's table, which a 4.0 vector must keep. */
const cvss4: MetricTable = {
  base: { AV: 'NALP', AC: 'LH', AT: 'NP', PR: 'NLH', UI: 'NPA', VC: impact, VI: impact, VA: impact, SC: impact, SI: impact, SA: impact },
  other: {
    E: 'XAPU',
    CR: 'XHML', IR: 'XHML', AR: 'XHML',
    MAV: 'XNALP', MAC: 'XLH', MAT: 'XNP', MPR: 'XNLH', MUI: 'XNPA',
    MVC: 'XHLN', MVI: 'XHLN', MVA: 'XHLN', MSC: 'XHLN', MSI: 'XSHLN', MSA: 'XSHLN',
    S: 'XNP', AU: 'XNY', R: 'XAUI', V: 'XDC', RE: 'XLMH', U: ['X', 'Clear', 'Green', 'Amber', 'Red'],
  },
};

const tables: Record<CvssVersion, MetricTable> = { '3.0': cvss3, '3.1': cvss3, '4.0': cvss4 };

/** A metric's values as a list. */
function valuesOf(spec: string | readonly string[]): readonly string[] {
  return typeof spec === 'string' ? [...spec] : spec;
}

/** The 4.0 metrics whose values make a score CVSS-…E (environmental). */
const cvss4Environmental = Object.keys(cvss4.other).filter((metric) => /^(CR|IR|AR|M)/.test(metric));

function fail(problem: string, hint: string): CvssReading {
  return { ok: false, problem, hint };
}

/** Reads a vector such as `CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H`. */
export function readCvss(vector: string): CvssReading {
  const prefix = /^CVSS:(3\.0|3\.1|4\.0)\//.exec(vector);
  if (!prefix) {
    if (/^\(?AV:[LAN]\/AC:[HML]\/Au:/.test(vector)) return fail(`"${vector}" is a CVSS 2 vector, which herald does not read`, 'Give the CVSS 3.1 or 4.0 vector of the vulnerability (NVD lists both for recent CVEs).');
    return fail(`"${vector}" is not a CVSS vector`, 'Start it with CVSS:3.1/ or CVSS:4.0/, e.g. CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H.');
  }
  const version = prefix[1] as CvssVersion;
  const table = tables[version];
  const known = { ...table.base, ...table.other };
  const order = Object.keys(known);
  const seen = new Map<string, string>();
  for (const part of vector.slice(prefix[0].length).split('/')) {
    const colon = part.indexOf(':');
    const metric = colon < 0 ? part : part.slice(0, colon);
    const value = colon < 0 ? '' : part.slice(colon + 1);
    if (colon < 0 || metric === '' || value === '') return fail(`"${part}" in the CVSS ${version} vector is not METRIC:VALUE`, 'Separate metrics with "/", each written as METRIC:VALUE, e.g. AV:N.');
    const allowed = known[metric];
    if (allowed === undefined) return fail(`CVSS ${version} has no metric "${metric}"${nonAsciiNote(metric)}`, `Its metrics are ${order.join(', ')}.`);
    if (seen.has(metric)) return fail(`The CVSS ${version} vector gives ${metric} twice`, 'Give each metric once.');
    if (!valuesOf(allowed).includes(value)) return fail(`"${value}" is not a value of ${metric} in CVSS ${version}${nonAsciiNote(value)}`, `${metric} is one of ${valuesOf(allowed).join(', ')}.`);
    seen.set(metric, value);
  }
  const missing = Object.keys(table.base).filter((metric) => !seen.has(metric));
  if (missing.length > 0) return fail(`The CVSS ${version} vector lacks the base metric${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, `Every base metric is required: ${Object.keys(table.base).join(', ')}.`);
  if (version === '4.0') {
    const given = [...seen.keys()];
    const ordered = [...given].sort((a, b) => order.indexOf(a) - order.indexOf(b));
    if (given.some((metric, i) => metric !== ordered[i])) {
      return fail('The CVSS 4.0 vector lists its metrics out of the specification\u2019s order', `Write it as CVSS:4.0/${ordered.map((metric) => `${metric}:${seen.get(metric)}`).join('/')}.`);
    }
  }
  return { ok: true, cvss: score(version, vector, seen) };
}

function score(version: CvssVersion, vector: string, metrics: ReadonlyMap<string, string>): Cvss {
  if (version === '4.0') {
    const value = new (calculator().Cvss4P0)(vector).calculateScores().overall;
    const defined = (names: string[]) => names.some((metric) => (metrics.get(metric) ?? 'X') !== 'X');
    const threat = defined(['E']);
    const environmental = defined(cvss4Environmental);
    return { version, vector, score: value, rating: ratingOf(value), name: `CVSS-B${threat ? 'T' : ''}${environmental ? 'E' : ''} 4.0` };
  }
  const { Cvss3P0, Cvss3P1 } = calculator();
  const scores = (version === '3.0' ? new Cvss3P0(vector) : new Cvss3P1(vector)).calculateScores();
  const value = scores.base ?? 0;
  return { version, vector, score: value, rating: ratingOf(value), name: `CVSS ${version} base score` };
}

const ratingLabels: Record<CvssRating, string> = { none: 'None', low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' };

/** `9.8 Critical (CVSS 3.1 base score)`: how every output states a score. */
export function describeScore(cvss: Cvss): string {
  return `${cvss.score.toFixed(1)} ${ratingLabels[cvss.rating]} (${cvss.name})`;
}

/** FIRST's rating scale: 0 none, up to 3.9 low, 6.9 medium, 8.9 high, then critical. */
export function ratingOf(score: number): CvssRating {
  if (score === 0) return 'none';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  if (score < 9) return 'high';
  return 'critical';
}

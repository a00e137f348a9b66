/**
 * readCvss on hand-picked vectors: scores FIRST publishes, the CVSS 4.0
 * nomenclature, every refusal with its exact text, and the rating scale's
 * boundaries. cvss.property.test.ts compares thousands of 3.x vectors with
 * cvss-suite.
 */
import { describe, expect, it } from 'vitest';
import { type CvssReading, ratingOf, readCvss } from '../../src/model/cvss.ts';

function scored(vector: string) {
  const reading = readCvss(vector);
  if (!reading.ok) throw new Error(`${vector} refused: ${reading.problem}`);
  return reading.cvss;
}

function refusal(vector: string): Extract<CvssReading, { ok: false }> {
  const reading = readCvss(vector);
  if (reading.ok) throw new Error(`${vector} accepted with ${reading.cvss.score}`);
  return reading;
}

const base31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const base40 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';

// FIRST, "CVSS v4.0: Examples", document version 1.7.1 (https://www.first.org/cvss/v4.0/examples).
const firstExamples40: [vector: string, score: number, name: string, example: string][] = [
  ['CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 7.3, 'CVSS-B 4.0', 'CVE-2022-41741'],
  ['CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 7.7, 'CVSS-B 4.0', 'CVE-2020-3549'],
  ['CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U', 5.2, 'CVSS-BT 4.0', 'CVE-2020-3549, Base + Threat'],
  ['CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:L/SC:N/SI:N/SA:N', 8.3, 'CVSS-B 4.0', 'CVE-2023-3089'],
  ['CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:L/SC:N/SI:N/SA:N/CR:H/IR:L/AR:L/MAV:N/MAC:H/MVC:H/MVI:L/MVA:L', 8.1, 'CVSS-BE 4.0', 'CVE-2023-3089, Base + Environmental'],
  ['CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N', 4.6, 'CVSS-B 4.0', 'CVE-2021-44714'],
  ['CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U/MUI:A', 5.7, 'CVSS-BTE 4.0', 'document sandboxing, Base + Threat + Environmental'],
  ['CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A', 9.2, 'CVSS-BT 4.0', 'CVE-2022-22965, Base + Threat'],
  ['CVSS:4.0/AV:P/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 5.4, 'CVSS-B 4.0', 'CVE-2022-20826'],
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N', 8.7, 'CVSS-B 4.0', 'CVE-2022-21500'],
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N', 6.9, 'CVSS-B 4.0', 'CVE-2021-32570'],
  [base40, 9.3, 'CVSS-B 4.0', 'CVE-2022-26134'],
  // FIRST heads this one "B+E", but E:P is a Threat metric: the specification's name is CVSS-BTE.
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:P/CR:L/IR:H/AR:L/MAV:L/MAC:H/MAT:N/MPR:N/MUI:N/MVC:N/MVI:H/MVA:L/MSC:N/MSI:S/MSA:L', 7.0, 'CVSS-BTE 4.0', 'elevator OT variation'],
  ['CVSS:4.0/AV:A/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N/S:P', 8.6, 'CVSS-B 4.0', 'CVE-2020-10627, with Safety'],
  ['CVSS:4.0/AV:A/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N/MSI:S/S:P', 9.7, 'CVSS-BE 4.0', 'CVE-2020-10627, Base + Environmental'],
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N/V:C', 8.7, 'CVSS-B 4.0', 'CVE-2020-28196, with Value Density'],
];

// The v3.1 scores printed beside them in the same document.
const firstExamples31: [vector: string, score: number, example: string][] = [
  ['CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:U/C:H/I:H/A:H', 7.0, 'CVE-2022-41741'],
  ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H', 8.1, 'CVE-2020-3549'],
  ['CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:L/I:N/A:N', 3.3, 'CVE-2021-44714'],
  ['CVSS:3.1/AV:P/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H', 6.4, 'CVE-2022-20826'],
  ['CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:N/A:N', 4.9, 'CVE-2021-32570'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', 7.5, 'CVE-2020-28196'],
  [base31, 9.8, 'CVE-2022-26134'],
];

describe('CVSS 4.0 scores FIRST publishes', () => {
  it.each(firstExamples40)('%s is %s (%s, %s)', (vector, score, name) => {
    expect(scored(vector)).toEqual({ version: '4.0', vector, score, rating: ratingOf(score), name });
  });

  it('refuses a vector FIRST prints out of order, and the hint is the vector of FIRST\u2019s calculator link, 7.4', () => {
    // Oil field OT variation: the page prints E and CR/IR/AR after the modified metrics; its link puts them first.
    const printed = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/MAV:A/MAC:H/MAT:N/MPR:L/MUI:N/MVC:L/MVI:H/MVA:H/MSC:L/MSI:S/MSA:S/CR:L/IR:H/AR:H/E:P';
    const linked = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:P/CR:L/IR:H/AR:H/MAV:A/MAC:H/MAT:N/MPR:L/MUI:N/MVC:L/MVI:H/MVA:H/MSC:L/MSI:S/MSA:S';
    expect(refusal(printed)).toEqual({ ok: false, problem: 'The CVSS 4.0 vector lists its metrics out of the specification\u2019s order', hint: `Write it as ${linked}.` });
    expect(scored(linked)).toMatchObject({ score: 7.4, rating: 'high', name: 'CVSS-BTE 4.0' });
  });
});

describe('CVSS 4.0 nomenclature', () => {
  it('names the score by the metric groups given: CVSS-B, -BT, -BE, -BTE', () => {
    expect(scored(base40).name).toBe('CVSS-B 4.0');
    expect(scored(`${base40}/E:A`).name).toBe('CVSS-BT 4.0');
    expect(scored(`${base40}/CR:H`).name).toBe('CVSS-BE 4.0');
    expect(scored(`${base40}/MAV:L`).name).toBe('CVSS-BE 4.0');
    expect(scored(`${base40}/E:P/AR:L`).name).toBe('CVSS-BTE 4.0');
  });

  it('counts metrics given as X (Not Defined) as not given', () => {
    expect(scored(`${base40}/E:X/CR:X/IR:X/AR:X/MAV:X/MSA:X`)).toMatchObject({ score: 9.3, name: 'CVSS-B 4.0' });
    expect(scored(`${base40}/E:X/MVC:L`).name).toBe('CVSS-BE 4.0');
  });

  it('lets supplemental metrics change neither the score nor the name', () => {
    const supplemental = 'S:P/AU:Y/R:I/V:C/RE:H/U:Amber';
    expect(scored(`${base40}/${supplemental}`)).toMatchObject({ score: 9.3, name: 'CVSS-B 4.0' });
    const bte = `${base40}/E:U/MUI:A`;
    const { score, name } = scored(bte);
    expect(scored(`${bte}/${supplemental}`)).toMatchObject({ score, name });
    expect(name).toBe('CVSS-BTE 4.0');
  });

  it('takes the valid sample vectors of the specification (section 7)', () => {
    expect(scored('CVSS:4.0/AV:A/AC:H/AT:P/PR:L/UI:P/VC:H/VI:H/VA:H/SC:L/SI:L/SA:L/E:P').name).toBe('CVSS-BT 4.0');
    expect(scored('CVSS:4.0/AV:L/AC:H/AT:N/PR:N/UI:A/VC:N/VI:N/VA:L/SC:H/SI:H/SA:H/CR:H/IR:H/AR:M/MAV:N/MAC:L/MAT:P/MPR:L/MUI:A/MVC:N/MVI:H/MVA:L/MSC:L/MSI:S/MSA:H').name).toBe('CVSS-BE 4.0');
    expect(readCvss('CVSS:4.0/AV:P/AC:H/AT:P/PR:L/UI:P/VC:H/VI:H/VA:H/SC:L/SI:L/SA:L/E:A/S:P/AU:Y/R:A/V:D/RE:L/U:Red').ok).toBe(true);
  });
});

describe('CVSS 3.x base scores', () => {
  it.each(firstExamples31)('%s is %s (%s)', (vector, score) => {
    expect(scored(vector)).toEqual({ version: '3.1', vector, score, rating: ratingOf(score), name: 'CVSS 3.1 base score' });
  });

  it('reads 3.0 with the same base equations', () => {
    expect(scored('CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).toEqual({ version: '3.0', vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8, rating: 'critical', name: 'CVSS 3.0 base score' });
  });

  it('keeps the base score when temporal and environmental metrics are given', () => {
    // The temporal score would be 7.8 and the environmental one lower still.
    expect(scored(`${base31}/E:U/RL:O/RC:U`).score).toBe(9.8);
    expect(scored(`${base31}/E:U/RL:O/RC:U/CR:L/IR:L/AR:L/MAV:P/MAC:H/MPR:H/MUI:R/MS:U/MC:L/MI:L/MA:L`).score).toBe(9.8);
    expect(scored(`${base31}/E:X/RL:X/RC:X/CR:X/MAV:X`).score).toBe(9.8);
  });

  it('takes the metrics in any order', () => {
    expect(scored('CVSS:3.1/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N').score).toBe(9.8);
    expect(scored('CVSS:3.1/E:U/AV:N/MAV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H').score).toBe(9.8);
  });
});

describe('refusals', () => {
  it('refuses CVSS 2, with or without parentheses', () => {
    for (const vector of ['AV:N/AC:L/Au:N/C:P/I:P/A:P', '(AV:N/AC:L/Au:N/C:P/I:P/A:P)']) {
      expect(refusal(vector)).toEqual({
        ok: false,
        problem: `"${vector}" is a CVSS 2 vector, which herald does not read`,
        hint: 'Give the CVSS 3.1 or 4.0 vector of the vulnerability (NVD lists both for recent CVEs).',
      });
    }
  });

  it('refuses a vector without the CVSS:3.0/, CVSS:3.1/ or CVSS:4.0/ prefix', () => {
    const hint = 'Start it with CVSS:3.1/ or CVSS:4.0/, e.g. CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H.';
    for (const vector of ['AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'cvss:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', ' CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'CVSS:3.1', '']) {
      expect(refusal(vector)).toEqual({ ok: false, problem: `"${vector}" is not a CVSS vector`, hint });
    }
  });

  it('refuses a part that is not METRIC:VALUE: empty, a trailing "/", no value, no name', () => {
    const hint = 'Separate metrics with "/", each written as METRIC:VALUE, e.g. AV:N.';
    expect(refusal(`${base31}/`)).toEqual({ ok: false, problem: '"" in the CVSS 3.1 vector is not METRIC:VALUE', hint });
    expect(refusal('CVSS:3.1/AV:N//AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H').problem).toBe('"" in the CVSS 3.1 vector is not METRIC:VALUE');
    expect(refusal(`${base31}/E`).problem).toBe('"E" in the CVSS 3.1 vector is not METRIC:VALUE');
    expect(refusal(`${base31}/E:`).problem).toBe('"E:" in the CVSS 3.1 vector is not METRIC:VALUE');
    expect(refusal(`${base40}/:A`).problem).toBe('":A" in the CVSS 4.0 vector is not METRIC:VALUE');
  });

  it('refuses a metric the version does not have, in its spelling', () => {
    // The specification's own invalid example: "ui" is not a metric (abbreviations are case-sensitive).
    expect(refusal('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/ui:N/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N')).toEqual({
      ok: false,
      problem: 'CVSS 4.0 has no metric "ui"',
      hint: 'Its metrics are AV, AC, AT, PR, UI, VC, VI, VA, SC, SI, SA, E, CR, IR, AR, MAV, MAC, MAT, MPR, MUI, MVC, MVI, MVA, MSC, MSI, MSA, S, AU, R, V, RE, U.',
    });
    expect(refusal(`${base31}/AT:N`)).toEqual({
      ok: false,
      problem: 'CVSS 3.1 has no metric "AT"',
      hint: 'Its metrics are AV, AC, PR, UI, S, C, I, A, E, RL, RC, CR, IR, AR, MAV, MAC, MPR, MUI, MS, MC, MI, MA.',
    });
    expect(refusal(`${base40}/RL:O`).problem).toBe('CVSS 4.0 has no metric "RL"');
  });

  it('refuses a metric given twice, even with the same value', () => {
    // The specification's own invalid example.
    expect(refusal(`${base40}/E:A/E:X`)).toEqual({ ok: false, problem: 'The CVSS 4.0 vector gives E twice', hint: 'Give each metric once.' });
    expect(refusal(`${base31}/A:H`).problem).toBe('The CVSS 3.1 vector gives A twice');
    expect(refusal(`${base31}/RC:X/RC:C`).problem).toBe('The CVSS 3.1 vector gives RC twice');
  });

  it('refuses a value the metric does not have, lower case included', () => {
    // The specification's own invalid example.
    expect(refusal('CVSS:4.0/AV:F/AC:L/AT:N/PR:N/UI:N/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N')).toEqual({ ok: false, problem: '"F" is not a value of AV in CVSS 4.0', hint: 'AV is one of N, A, L, P.' });
    expect(refusal('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:h/I:H/A:H')).toEqual({ ok: false, problem: '"h" is not a value of C in CVSS 3.1', hint: 'C is one of H, L, N.' });
    // Base metrics have no Not Defined.
    expect(refusal('CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H').problem).toBe('"X" is not a value of AV in CVSS 3.1');
    expect(refusal(`${base31}/E:A`)).toEqual({ ok: false, problem: '"A" is not a value of E in CVSS 3.1', hint: 'E is one of X, H, F, P, U.' });
    expect(refusal(`${base40}/U:red`)).toEqual({ ok: false, problem: '"red" is not a value of U in CVSS 4.0', hint: 'U is one of X, Clear, Green, Amber, Red.' });
    expect(refusal(`${base40}/MSC:S`).problem).toBe('"S" is not a value of MSC in CVSS 4.0');
    expect(refusal('CVSS:3.1/AV:N:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H').problem).toBe('"N:X" is not a value of AV in CVSS 3.1');
  });

  it('refuses a vector without every base metric, naming the missing ones', () => {
    // The specification's own invalid example.
    expect(refusal('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:L/SC:N/SI:N/SA:N')).toEqual({
      ok: false,
      problem: 'The CVSS 4.0 vector lacks the base metric VA',
      hint: 'Every base metric is required: AV, AC, AT, PR, UI, VC, VI, VA, SC, SI, SA.',
    });
    expect(refusal('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/E:H')).toEqual({
      ok: false,
      problem: 'The CVSS 3.1 vector lacks the base metrics I, A',
      hint: 'Every base metric is required: AV, AC, PR, UI, S, C, I, A.',
    });
  });

  it('refuses a 4.0 vector out of the specification\u2019s order and gives it in order', () => {
    expect(refusal('CVSS:4.0/AC:L/AV:N/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N')).toEqual({
      ok: false,
      problem: 'The CVSS 4.0 vector lists its metrics out of the specification\u2019s order',
      hint: `Write it as ${base40}.`,
    });
    // Supplemental before threat and environmental.
    expect(refusal(`${base40}/S:P/E:A/CR:H`).hint).toBe(`Write it as ${base40}/E:A/CR:H/S:P.`);
  });
});

describe('FIRST\u2019s rating scale', () => {
  it.each([
    [0, 'none'], [0.1, 'low'], [3.9, 'low'], [4.0, 'medium'], [6.9, 'medium'],
    [7.0, 'high'], [8.9, 'high'], [9.0, 'critical'], [10, 'critical'],
  ] as const)('rates %s %s', (score, rating) => {
    expect(ratingOf(score)).toBe(rating);
  });

  // Base vectors scoring exactly on the boundaries (scores checked with cvss-suite).
  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0, 'none'],
    ['CVSS:3.1/AV:P/AC:H/PR:H/UI:N/S:U/C:L/I:N/A:N', 1.6, 'low'],
    ['CVSS:3.1/AV:N/AC:H/PR:H/UI:R/S:U/C:L/I:L/A:L', 3.9, 'low'],
    ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:L/I:N/A:N', 4.0, 'medium'],
    ['CVSS:3.1/AV:N/AC:L/PR:H/UI:R/S:C/C:H/I:L/A:N', 6.9, 'medium'],
    ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:L/A:L', 7.0, 'high'],
    ['CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:H/I:H/A:L', 8.9, 'high'],
    ['CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:H/I:H/A:H', 9.0, 'critical'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10, 'critical'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N', 0, 'none'],
  ] as const)('%s is %s, %s', (vector, score, rating) => {
    expect(scored(vector)).toMatchObject({ score, rating });
  });
});

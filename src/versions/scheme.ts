/**
 * One entry point per versioning scheme, so callers (lint, `herald check`,
 * the exports) never branch on the scheme themselves.
 */
import type { ComparisonOperator, VersionScheme } from '../model/types.ts';
import { compareDebianVersions, isValidDebianVersion } from './debian.ts';
import { compareRpmVersions, isValidRpmVersion } from './rpm.ts';
import { comparePep440, isValidPep440 } from './pep440.ts';
import { compareSemver, isValidSemver } from './semver.ts';

interface SchemeRules {
  isValid(text: string): boolean;
  compare(a: string, b: string): number;
}

const schemes: Record<VersionScheme, SchemeRules> = {
  deb: { isValid: isValidDebianVersion, compare: compareDebianVersions },
  rpm: { isValid: isValidRpmVersion, compare: compareRpmVersions },
  semver: { isValid: isValidSemver, compare: compareSemver },
  pypi: { isValid: isValidPep440, compare: comparePep440 },
};

/** True when `text` is a valid version in `scheme`. */
export function isValidVersion(scheme: VersionScheme, text: string): boolean {
  return schemes[scheme].isValid(text);
}

/** Compares two versions of `scheme`: negative, 0 or positive. Throws on an invalid version. */
export function compareVersions(scheme: VersionScheme, a: string, b: string): number {
  const rules = schemes[scheme];
  if (!rules.isValid(a)) throw new RangeError(`not a valid ${scheme} version: ${JSON.stringify(a)}`);
  if (!rules.isValid(b)) throw new RangeError(`not a valid ${scheme} version: ${JSON.stringify(b)}`);
  return rules.compare(a, b);
}

/** Whether a comparison result (negative, 0, positive) satisfies `operator`. */
export function operatorHolds(operator: ComparisonOperator, comparison: number): boolean {
  switch (operator) {
    case '<':
      return comparison < 0;
    case '<=':
      return comparison <= 0;
    case '=':
      return comparison === 0;
    case '>=':
      return comparison >= 0;
    case '>':
      return comparison > 0;
    case '!=':
      return comparison !== 0;
  }
}

/** True when `actual <operator> wanted` holds in `scheme`, e.g. `satisfies('deb', '1.0-2', '>=', '1.0-1')`. */
export function satisfies(scheme: VersionScheme, actual: string, operator: ComparisonOperator, wanted: string): boolean {
  return operatorHolds(operator, compareVersions(scheme, actual, wanted));
}


/**
 * Semantic versions (semver.org 2.0.0), through the `semver` package in
 * strict mode: no leading `v`, no loose forms, build metadata ignored in
 * precedence as the specification says.
 */
import { compare, parse } from 'semver';

/** True for a strict semver 2.0.0 version such as `1.2.3-rc.1+build.5`. */
export function isValidSemver(text: string): boolean {
  const parsed = parse(text);
  // The package forgives a leading `v`, `=` or blanks; semver.org does not.
  return parsed !== null && `${parsed.version}${parsed.build.length > 0 ? `+${parsed.build.join('.')}` : ''}` === text;
}

/** Semver precedence: negative, 0 or positive. Throws on an invalid version. */
export function compareSemver(a: string, b: string): number {
  if (!isValidSemver(a)) throw new RangeError(`not a valid semantic version: ${JSON.stringify(a)}`);
  if (!isValidSemver(b)) throw new RangeError(`not a valid semantic version: ${JSON.stringify(b)}`);
  return compare(a, b);
}

/**
 * RPM versions, compared exactly as rpm ≥ 4.16 does: `rpmvercmp` on each
 * part (rpmio/rpmvercmp.c, with the tilde and caret rules) and `rpmverCmp`
 * on `[epoch:]version[-release]` strings (rpmio/rpmver.c), which is what
 * `rpm.vercmp()` in rpm's Lua and `rpmdev-vercmp` report.
 */

/** An EVR split as rpm's `parseEVR` does; absent parts are `undefined`. */
export interface RpmVersion {
  epoch?: string;
  version: string;
  release?: string;
}

/** Characters rpm accepts in a Version or Release tag (rpmbuild's `rpmCharCheck`). */
const partPattern = /^[A-Za-z0-9._+~^]+$/;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isAlphanumeric(code: number): boolean {
  return isDigit(code) || isLetter(code);
}

const tilde = 126;
const caret = 94;

/**
 * rpm's `rpmvercmp()` on one version or release string: -1, 0 or 1.
 * Alphanumeric segments are compared one by one (digit runs numerically,
 * letter runs byte-wise, a digit run newer than a letter run); other
 * characters only separate segments; `~` sorts before everything, `^`
 * after the end of the string but before anything else.
 */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  const at = (s: string, k: number): number => (k < s.length ? s.charCodeAt(k) : 0);
  while (i < a.length || j < b.length) {
    while (i < a.length && !isAlphanumeric(at(a, i)) && at(a, i) !== tilde && at(a, i) !== caret) i += 1;
    while (j < b.length && !isAlphanumeric(at(b, j)) && at(b, j) !== tilde && at(b, j) !== caret) j += 1;

    if (at(a, i) === tilde || at(b, j) === tilde) {
      if (at(a, i) !== tilde) return 1;
      if (at(b, j) !== tilde) return -1;
      i += 1;
      j += 1;
      continue;
    }
    if (at(a, i) === caret || at(b, j) === caret) {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (at(a, i) !== caret) return 1;
      if (at(b, j) !== caret) return -1;
      i += 1;
      j += 1;
      continue;
    }
    if (i >= a.length || j >= b.length) break;

    const numeric = isDigit(at(a, i));
    const inSegment = numeric ? isDigit : isLetter;
    let endA = i;
    let endB = j;
    while (endA < a.length && inSegment(at(a, endA))) endA += 1;
    while (endB < b.length && inSegment(at(b, endB))) endB += 1;
    // Segments of different types: a number is always newer than letters.
    if (endB === j) return numeric ? 1 : -1;

    let segmentA = a.slice(i, endA);
    let segmentB = b.slice(j, endB);
    if (numeric) {
      segmentA = segmentA.replace(/^0+/, '');
      segmentB = segmentB.replace(/^0+/, '');
      if (segmentA.length !== segmentB.length) return segmentA.length > segmentB.length ? 1 : -1;
    }
    if (segmentA !== segmentB) return segmentA > segmentB ? 1 : -1;
    i = endA;
    j = endB;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

/** Splits `[epoch:]version[-release]` as rpm's `parseEVR` does. */
export function parseRpmVersion(text: string): RpmVersion {
  let digits = 0;
  while (digits < text.length && isDigit(text.charCodeAt(digits))) digits += 1;
  const hyphen = text.lastIndexOf('-');
  const hasEpoch = text[digits] === ':';
  const versionStart = hasEpoch ? digits + 1 : 0;
  const hasRelease = hyphen >= digits;
  const result: RpmVersion = {
    version: text.slice(versionStart, hasRelease ? hyphen : text.length),
  };
  if (hasEpoch) result.epoch = digits === 0 ? '0' : text.slice(0, digits);
  if (hasRelease) result.release = text.slice(hyphen + 1);
  return result;
}

/**
 * True for a well-formed `[epoch:]version[-release]`: a numeric epoch, and a
 * version and release made of the characters rpmbuild accepts in those tags.
 */
export function isValidRpmVersion(text: string): boolean {
  const match = /^(?:([0-9]+):)?([^:-]+)(?:-([^:-]+))?$/.exec(text);
  if (!match) return false;
  const [, , version = '', release] = match;
  return partPattern.test(version) && (release === undefined || partPattern.test(release));
}

/** rpm's `compare_values`: an absent part is older than any present one. */
function compareParts(a: string | undefined, b: string | undefined): number {
  if (a === undefined && b === undefined) return 0;
  if (b === undefined) return 1;
  if (a === undefined) return -1;
  return rpmvercmp(a, b);
}

/**
 * Compares two `[epoch:]version[-release]` strings as rpm's `rpmverCmp`:
 * a missing epoch is 0, then versions, then releases, where a missing
 * release is older than any release (`1.0 < 1.0-1`, as `rpm.vercmp` says).
 */
export function compareRpmVersions(a: string, b: string): number {
  const left = parseRpmVersion(a);
  const right = parseRpmVersion(b);
  return (
    rpmvercmp(left.epoch ?? '0', right.epoch ?? '0') ||
    compareParts(left.version, right.version) ||
    compareParts(left.release, right.release)
  );
}

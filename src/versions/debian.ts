/**
 * Debian package versions, compared exactly as `dpkg --compare-versions`
 * does (lib/dpkg/version.c): `[epoch:]upstream[-revision]`, the revision
 * split at the last hyphen, `~` sorting before everything (even the end of
 * the string), letters before other characters, digit runs numerically.
 */

/** A Debian version split into its three parts; `revision` is `''` when absent. */
export interface DebianVersion {
  epoch: number;
  upstream: string;
  revision: string;
}

/** dpkg rejects epochs above INT_MAX ("epoch in version is too big"). */
const maxEpoch = 2 ** 31 - 1;

const upstreamPattern = /^[0-9][A-Za-z0-9.+~:-]*$/;
const revisionPattern = /^[A-Za-z0-9.+~]+$/;

/**
 * Splits a version as dpkg's `parseversion` does, or returns `undefined`
 * when dpkg would refuse it or warn about it (bad characters, an upstream
 * part not starting with a digit, an empty part, an epoch out of range).
 * Surrounding whitespace is not accepted: callers trim command output first.
 */
export function parseDebianVersion(text: string): DebianVersion | undefined {
  const colon = text.indexOf(':');
  let epoch = 0;
  let rest = text;
  if (colon >= 0) {
    const epochText = text.slice(0, colon);
    // dpkg reads the epoch with strtol, which takes a leading plus sign ("+2:1.0" is epoch 2).
    if (!/^\+?[0-9]+$/.test(epochText)) return undefined;
    epoch = Number(epochText);
    if (epoch > maxEpoch) return undefined;
    rest = text.slice(colon + 1);
  }
  const hyphen = rest.lastIndexOf('-');
  const upstream = hyphen >= 0 ? rest.slice(0, hyphen) : rest;
  const revision = hyphen >= 0 ? rest.slice(hyphen + 1) : '';
  if (!upstreamPattern.test(upstream)) return undefined;
  if (hyphen >= 0 && !revisionPattern.test(revision)) return undefined;
  return { epoch, upstream, revision };
}

/** True when dpkg accepts `text` as a version without error or warning. */
export function isValidDebianVersion(text: string): boolean {
  return parseDebianVersion(text) !== undefined;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** dpkg's `order()`: the weight of one character in a non-digit run; 0 is the end of the string. */
function order(code: number | undefined): number {
  if (code === undefined || isDigit(code)) return 0;
  if (isLetter(code)) return code;
  if (code === 126 /* ~ */) return -1;
  return code + 256;
}

/** dpkg's `verrevcmp()`: compares an upstream part or a revision. */
function compareFragments(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a.charCodeAt(i))) || (j < b.length && !isDigit(b.charCodeAt(j)))) {
      const ac = order(i < a.length ? a.charCodeAt(i) : undefined);
      const bc = order(j < b.length ? b.charCodeAt(j) : undefined);
      if (ac !== bc) return Math.sign(ac - bc);
      i += 1;
      j += 1;
    }
    while (a.charCodeAt(i) === 48) i += 1;
    while (b.charCodeAt(j) === 48) j += 1;
    let firstDifference = 0;
    while (isDigit(a.charCodeAt(i)) && isDigit(b.charCodeAt(j))) {
      if (firstDifference === 0) firstDifference = a.charCodeAt(i) - b.charCodeAt(j);
      i += 1;
      j += 1;
    }
    if (isDigit(a.charCodeAt(i))) return 1;
    if (isDigit(b.charCodeAt(j))) return -1;
    if (firstDifference !== 0) return Math.sign(firstDifference);
  }
  return 0;
}

/**
 * Compares two Debian versions: negative when `a` is older, 0 when dpkg
 * considers them equal (e.g. `1.0` and `1.0-0`, `0:1` and `1`), positive
 * when `a` is newer. Throws on a version dpkg would reject; validate first.
 */
export function compareDebianVersions(a: string, b: string): number {
  const left = parseDebianVersion(a);
  const right = parseDebianVersion(b);
  if (!left) throw new RangeError(`not a valid Debian version: ${JSON.stringify(a)}`);
  if (!right) throw new RangeError(`not a valid Debian version: ${JSON.stringify(b)}`);
  if (left.epoch !== right.epoch) return left.epoch > right.epoch ? 1 : -1;
  return compareFragments(left.upstream, right.upstream) || compareFragments(left.revision, right.revision);
}

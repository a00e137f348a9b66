/**
 * Python package versions (PEP 440, as pip and the `packaging` library read
 * them), through Renovate's `@renovatebot/pep440`: epochs (`1!2.0`),
 * pre-, post- and development releases in any of their spellings
 * (`1.0rc1`, `1.0-1`, `1.0.dev0`), local versions (`1.0+ubuntu1`), a
 * leading `v`. Surrounding blanks are refused, as everywhere in herald.
 *
 * The library's grammar is packaging's, but its `compare` turns every number
 * into a JavaScript number: `1.9007199254740993` equals `1.9007199254740992`,
 * and the local segments `1e5`, `0x1f` or `Infinity` count as numbers where
 * packaging sees letters. So the order here is packaging's `_cmpkey`, built
 * from the library's own pattern with BigInt numbers.
 */
import { valid } from '@renovatebot/pep440';
import { VERSION_PATTERN } from '@renovatebot/pep440/lib/version.js';

/** True for a PEP 440 version such as `2014.1.3`, `13.0.0.0rc1` or `1!2.0.post1`. */
export function isValidPep440(text: string): boolean {
  return text.trim() === text && valid(text) !== null;
}

interface Pep440Key {
  epoch: bigint;
  /** Without trailing zeros: `1.0` is `1`. */
  release: bigint[];
  pre?: readonly [string, bigint];
  post?: bigint;
  dev?: bigint;
  local?: (bigint | string)[];
}

const pattern = new RegExp(`^${VERSION_PATTERN}$`, 'i');
const preLetters: Record<string, string> = { alpha: 'a', beta: 'b', c: 'rc', pre: 'rc', preview: 'rc' };

function keyOf(text: string): Pep440Key {
  const groups = pattern.exec(text)?.groups;
  if (!groups?.release) throw new RangeError(`not a valid PEP 440 version: ${JSON.stringify(text)}`);
  const release = groups.release.split('.').map(BigInt);
  while (release.at(-1) === 0n) release.pop();
  const preLetter = groups.pre_l?.toLowerCase();
  // `1.0-1` is a post-release; `1.0.post` has an implicit 0.
  const post = groups.post_n1 ?? (groups.post_l !== undefined ? (groups.post_n2 ?? '0') : undefined);
  return {
    epoch: BigInt(groups.epoch ?? 0),
    release,
    pre: preLetter === undefined ? undefined : [preLetters[preLetter] ?? preLetter, BigInt(groups.pre_n ?? 0)],
    post: post === undefined ? undefined : BigInt(post),
    dev: groups.dev_l === undefined ? undefined : BigInt(groups.dev_n ?? 0),
    local: groups.local?.toLowerCase().split(/[-_.]/).map((part) => (/^[0-9]+$/.test(part) ? BigInt(part) : part)),
  };
}

const order = <T extends number | bigint | string>(a: T, b: T) => (a < b ? -1 : a > b ? 1 : 0);

/** Element by element; a sequence that is a prefix of the other sorts first. */
function compareSequences<T>(a: readonly T[], b: readonly T[], compare: (x: T, y: T) => number): number {
  for (let i = 0; i < a.length && i < b.length; i++) {
    const result = compare(a[i]!, b[i]!);
    if (result) return result;
  }
  return order(a.length, b.length);
}

/** An absent part sorts as `absent` says, before (-1) or after (1) every present one. */
function compareOptional<T>(a: T | undefined, b: T | undefined, absent: -1 | 1, compare: (x: T, y: T) => number): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? absent : -absent;
  return compare(a, b);
}

// 1.0.dev0 sorts before 1.0a0: a dev release with neither pre nor post counts as the lowest pre-release.
const preRank = (key: Pep440Key) => (key.pre ? 0 : key.post === undefined && key.dev !== undefined ? -1 : 1);

/** a < b < rc, then the number; no pre-release sorts after them all (but see preRank). */
function comparePre(x: Pep440Key, y: Pep440Key): number {
  const rank = order(preRank(x), preRank(y));
  if (rank || !x.pre || !y.pre) return rank;
  return order(x.pre[0], y.pre[0]) || order(x.pre[1], y.pre[1]);
}

// Numbers sort after letters in a local version; letters as lower-case strings.
const compareLocalSegments = (a: bigint | string, b: bigint | string) => (typeof a === typeof b ? order(a, b) : typeof a === 'bigint' ? 1 : -1);

/** PEP 440 order: negative, 0 or positive. Throws on an invalid version. */
export function comparePep440(a: string, b: string): number {
  if (!isValidPep440(a)) throw new RangeError(`not a valid PEP 440 version: ${JSON.stringify(a)}`);
  if (!isValidPep440(b)) throw new RangeError(`not a valid PEP 440 version: ${JSON.stringify(b)}`);
  const x = keyOf(a);
  const y = keyOf(b);
  return (
    order(x.epoch, y.epoch) ||
    compareSequences(x.release, y.release, order) ||
    comparePre(x, y) ||
    compareOptional(x.post, y.post, -1, order) ||
    compareOptional(x.dev, y.dev, 1, order) ||
    compareOptional(x.local, y.local, -1, (p, q) => compareSequences(p, q, compareLocalSegments))
  );
}

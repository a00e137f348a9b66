/**
 * fast-check arbitraries of package versions, biased toward the characters
 * and shapes where comparators disagree: `~`, `^`, letters against digits,
 * leading zeros, epochs, revisions, and pairs that differ by one character.
 */
import fc from 'fast-check';
import { isValidDebianVersion } from '../../src/versions/debian.ts';
import { isValidPep440 } from '../../src/versions/pep440.ts';
import { isValidRpmVersion } from '../../src/versions/rpm.ts';

const chars = (alphabet: string, minLength = 0, maxLength = 5) => fc.string({ unit: fc.constantFrom(...alphabet), minLength, maxLength });

const debRest = chars('00129abzAZ.+~~');
const debRevision = chars('0019az.+~', 1, 4);
const epoch = fc.option(fc.constantFrom('0', '1', '2', '10', '007'), { nil: undefined });

/** A valid Debian version: `[epoch:]upstream[-revision]`, with `-` and `:` inside the upstream part where dpkg allows them. */
export const debianVersion = fc
  .tuple(epoch, fc.constantFrom('0', '1', '2', '9'), debRest, fc.option(debRest, { nil: undefined }), fc.option(debRevision, { nil: undefined }))
  .map(([e, first, rest, extra, revision]) => {
    let upstream = first + rest;
    if (extra !== undefined && revision !== undefined) upstream += `-${extra}`;
    else if (extra !== undefined && e !== undefined) upstream += `:${extra}`;
    return `${e !== undefined ? `${e}:` : ''}${upstream}${revision !== undefined ? `-${revision}` : ''}`;
  });

/** Inserts, replaces or deletes one character: pairs that are almost equal are where bugs hide. */
function mutate(version: string, alphabet: string, isValid: (v: string) => boolean) {
  return fc
    .tuple(fc.nat({ max: version.length }), fc.constantFrom(...alphabet), fc.constantFrom('insert', 'replace', 'delete'))
    .map(([at, c, how]) => (how === 'insert' ? version.slice(0, at) + c + version.slice(at) : how === 'replace' ? version.slice(0, at) + c + version.slice(at + 1) : version.slice(0, at) + version.slice(at + 1)))
    .filter(isValid);
}

function pairsOf(version: fc.Arbitrary<string>, alphabet: string, isValid: (v: string) => boolean): fc.Arbitrary<[string, string]> {
  return fc.oneof(
    fc.tuple(version, version),
    version.chain((v) => fc.tuple(fc.constant(v), mutate(v, alphabet, isValid))),
    version.map((v): [string, string] => [v, v]),
  );
}

export const debianPair = pairsOf(debianVersion, '019az~+.-:', isValidDebianVersion);

const rpmPart = chars('00129azAZ._+~^', 1, 6);

/** A valid `[epoch:]version[-release]` as rpm parses it. */
export const rpmVersion = fc
  .tuple(epoch, rpmPart, fc.option(rpmPart, { nil: undefined }))
  .map(([e, version, release]) => `${e !== undefined ? `${e}:` : ''}${version}${release !== undefined ? `-${release}` : ''}`);

export const rpmPair = pairsOf(rpmVersion, '019az~^._', isValidRpmVersion);

/** Any string rpmvercmp may see (no `:` or `-`, which would make rpm split it as an EVR). */
export const rpmSegmentString = chars('0019azZ._+~^%', 1, 7);
export const rpmSegmentPair = pairsOf(rpmSegmentString, '019a~^._%', (v) => v !== '');

/** Strings near the edge of validity, for checking validators against dpkg. */
export const versionishString = chars('0123abAZ.+~-:_ !', 1, 7);

const identifier = fc.constantFrom('0', '1', '2', '10', '011', 'alpha', 'beta', 'a1', 'rc', '-', 'x-y', 'A');

/** Semver strings, mostly valid: the awk port must accept and reject exactly what the semver package does. */
export const semverString = fc
  .tuple(fc.constantFrom('0', '1', '2', '10', '01'), fc.constantFrom('0', '1', '9'), fc.constantFrom('0', '3', '12'), fc.array(identifier, { maxLength: 3 }), fc.array(identifier, { maxLength: 2 }))
  .map(([major, minor, patch, pre, build]) => `${major}.${minor}.${patch}${pre.length ? `-${pre.join('.')}` : ''}${build.length ? `+${build.join('.')}` : ''}`);

export const semverPair = fc.oneof(fc.tuple(semverString, semverString), semverString.map((v): [string, string] => [v, v]));

// Small numbers, so that parts collide and pairs often tie; long ones, beyond
// 2^53 and 2^64, where a comparator that converts to numbers goes wrong.
const pepNumber = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('0', '1', '2', '00', '01', '10') },
  { weight: 1, arbitrary: chars('0123456789', 1, 30) },
  { weight: 1, arbitrary: fc.constantFrom('9007199254740992', '9007199254740993', '18446744073709551616', '18446744073709551617') },
);
const pepSeparator = fc.constantFrom('', '', '.', '-', '_');
const spelt = (...words: string[]) => fc.constantFrom(...words).chain((w) => fc.oneof({ weight: 3, arbitrary: fc.constant(w) }, fc.constant(w.toUpperCase()), fc.mixedCase(fc.constant(w))));
/** `part` or nothing, nothing `odds` times as likely. */
const maybe = (part: fc.Arbitrary<string>, odds = 1) => fc.oneof({ weight: odds, arbitrary: fc.constant('') }, { weight: 1, arbitrary: part });
const pepLetterPart = (letters: fc.Arbitrary<string>) =>
  fc.tuple(pepSeparator, letters, pepSeparator, maybe(pepNumber)).map(([s1, letter, s2, n]) => s1 + letter + s2 + n);
const pepPre = pepLetterPart(spelt('a', 'b', 'c', 'rc', 'alpha', 'beta', 'pre', 'preview'));
const pepPost = fc.oneof(pepNumber.map((n) => `-${n}`), pepLetterPart(spelt('post', 'rev', 'r')));
const pepDev = pepLetterPart(spelt('dev'));
// Segments that look numeric to Number() (1e5, 0x1f, Infinity) are letters to packaging.
const pepLocalSegment = fc.oneof(pepNumber, fc.constantFrom('abc', 'ubuntu1', 'deb7u1', 'a', 'z', 'B2', '1e5', '0x1f', 'Infinity', 'NaN', 'dev'), chars('0az19Z', 1, 4));
const pepLocal = fc
  .tuple(pepLocalSegment, fc.array(fc.tuple(fc.constantFrom('.', '-', '_'), pepLocalSegment), { maxLength: 3 }))
  .map(([first, rest]) => `+${first}${rest.map(([sep, segment]) => sep + segment).join('')}`);

/** The parts of a PEP 440 version, each already spelt: v, epoch, release, pre, post, dev, local. */
const pep440Parts = fc.tuple(
  fc.constantFrom('', '', '', 'v', 'V'),
  maybe(pepNumber.map((n) => `${n}!`), 4),
  fc.array(pepNumber, { minLength: 1, maxLength: 4 }).map((release) => release.join('.')),
  maybe(pepPre),
  maybe(pepPost),
  maybe(pepDev),
  maybe(pepLocal, 2),
);

/** A valid PEP 440 version in any of its spellings: `v1.0`, `1!2.0-RC.1`, `1.0_post-2.dev+ubuntu-1.x`. */
export const pep440Version = pep440Parts.map((parts) => parts.join(''));

/** PEP 440 strings, mostly valid, some one edit away from valid (a stray separator, a blank, a lost digit). */
export const pep440String = fc.oneof(
  { weight: 3, arbitrary: pep440Version },
  pep440Version.chain((v) =>
    fc
      .tuple(fc.nat({ max: v.length }), fc.constantFrom(...'01.-_+!vVacrRpdeosx '), fc.constantFrom('insert', 'replace', 'delete'))
      .map(([at, c, how]) => v.slice(0, at) + (how === 'delete' ? '' : c) + v.slice(how === 'insert' ? at : at + 1)),
  ),
  fc.constantFrom('', 'v', '1.', '.1', '1..0', '1.0-', '1.0+', '1.0+a..b', '1.0_1', '1!', '!1', '1!2!3', 'dev', '1.0dev-', '1.0a1b1', '1.0.post1.post2', 'Ⅰ.0', '1.0+ß'),
);

/** Pairs: unrelated, equal, one or two parts drawn again (same release, other suffixes), and one edit apart. */
export const pep440Pair: fc.Arbitrary<[string, string]> = fc.oneof(
  fc.tuple(pep440Version, pep440Version),
  pep440Version.map((v): [string, string] => [v, v]),
  fc
    .tuple(pep440Parts, pep440Parts, fc.uniqueArray(fc.nat({ max: 6 }), { minLength: 1, maxLength: 2 }))
    .map(([a, b, redrawn]): [string, string] => [a.join(''), a.map((part, i) => (redrawn.includes(i) ? b[i] : part)).join('')]),
  pep440Version.chain((v) => fc.tuple(fc.constant(v), mutate(v, '019.-_+!vacrpdeost', isValidPep440))),
);

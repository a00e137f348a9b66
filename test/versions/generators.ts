/**
 * fast-check arbitraries of package versions, biased toward the characters
 * and shapes where comparators disagree: `~`, `^`, letters against digits,
 * leading zeros, epochs, revisions, and pairs that differ by one character.
 */
import fc from 'fast-check';
import { isValidDebianVersion } from '../../src/versions/debian.ts';
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

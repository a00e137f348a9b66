/** Hand-picked cases where naive comparators go wrong, with the packaging tools' answers. */
import { describe, expect, it } from 'vitest';
import { compareDebianVersions, isValidDebianVersion, parseDebianVersion } from '../../src/versions/debian.ts';
import { compareRpmVersions, isValidRpmVersion, parseRpmVersion, rpmvercmp } from '../../src/versions/rpm.ts';
import { compareSemver, isValidSemver } from '../../src/versions/semver.ts';
import { compareVersions, isValidVersion, satisfies } from '../../src/versions/scheme.ts';

const sign = (n: number) => Math.sign(n);

describe('compareDebianVersions', () => {
  it.each([
    ['1.0~rc1', '1.0', -1],
    ['1.0~', '1.0', -1],
    ['1.0~~', '1.0~', -1],
    ['1.0~~a', '1.0~~', 1],
    ['1:0', '2', 1],
    ['0:1.0', '1.0', 0],
    ['1.0-1', '1.0', 1],
    ['1.0-0', '1.0', 0],
    ['1.0', '1.0+b1', -1],
    ['1.0a', '1.0+', -1],
    ['1.0a', '1.0.', -1],
    ['1.01', '1.1', 0],
    ['1.0.0', '1.0', 1],
    ['2.30', '2.4', 1],
    ['1.0-1ubuntu1', '1.0-1', 1],
    ['1.0.1e-2+deb7u6', '1.0.1e-2+deb7u5', 1],
    ['1.0.1e-2+deb7u6', '1.0.1e-2+deb7u10', -1],
    ['1.0.1e-2+deb7u6', '1.0.1f-1', -1],
    ['1.1.2+dfsg-6+deb7u7', '1.1.2+dfsg-6a+deb7u7', 1],
    ['1.0-a-b', '1.0-a', 1],
    ['10:1', '9:999', 1],
    ['007:1', '7:1', 0],
    ['9999999999999999999', '9999999999999999998', 1],
  ])('%s vs %s is %i, as dpkg says', (a, b, expected) => {
    expect(sign(compareDebianVersions(a, b))).toBe(expected);
    expect(sign(compareDebianVersions(b, a))).toBe(-expected || 0);
  });

  it('splits the revision at the last hyphen and the epoch at the first colon', () => {
    expect(parseDebianVersion('1:2.0-beta-3')).toEqual({ epoch: 1, upstream: '2.0-beta', revision: '3' });
    expect(parseDebianVersion('1:2:3')).toEqual({ epoch: 1, upstream: '2:3', revision: '' });
    // dpkg reads the epoch with strtol: a plus sign is taken (found by the dpkg property test, seed 2110179053).
    expect(parseDebianVersion('+2:020')).toEqual({ epoch: 2, upstream: '020', revision: '' });
    expect(['++2:1', '+:1', '+-2:1', '-1:1', '+2147483648:1'].map(parseDebianVersion)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it.each(['1.0', '0', '1:1.0-1', '1.0~rc1+dfsg-2ubuntu0.1', '2:1.2-a-b', '1:2:3'])('accepts %s', (v) => expect(isValidDebianVersion(v)).toBe(true));
  it.each(['', 'abc', '1.0-', '1:', ':1', 'a:1', '1.0 2', ' 1.0', '1_0', '1.0-a_b', '99999999999:1', '1.0-1:2', 'é'])('rejects %j', (v) => expect(isValidDebianVersion(v)).toBe(false));

  it('refuses to compare what dpkg would reject', () => {
    expect(() => compareDebianVersions('abc', '1')).toThrow(RangeError);
  });
});

describe('rpmvercmp and compareRpmVersions', () => {
  it.each([
    ['1.0^', '1.0', 1],
    ['1.0^git1', '1.0', 1],
    ['1.0^git1', '1.0.1', -1],
    ['1.0~rc1', '1.0', -1],
    ['1.0~rc1^git1', '1.0~rc1', 1],
    ['1.0~', '1.0', -1],
    ['1.0', '1.0_0', -1],
    ['1.0_1', '1.0.1', 0],
    ['1.a', '1.1', -1],
    ['a', '1', -1],
    ['1.001', '1.1', 0],
    ['2.0', '10', -1],
    ['1.0a', '1.0', 1],
    ['FC5', 'fc4', -1],
    ['1++', '1_', 0],
  ])('rpmvercmp(%s, %s) is %i', (a, b, expected) => {
    expect(rpmvercmp(a, b)).toBe(expected);
    expect(rpmvercmp(b, a)).toBe(-expected || 0);
  });

  it.each([
    ['1:1.0', '2.0', 1],
    ['0:1.0', '1.0', 0],
    ['1.0-2', '1.0', 1],
    ['1.0-1', '1.0-1.el7', -1],
    ['10:1.5.3-86.el7_1.2', '10:1.5.3-86.el7', 1],
    ['1.5.3-86.el7_1.2', '10:1.5.3-86.el7', -1],
  ])('compareRpmVersions(%s, %s) is %i, as rpm.vercmp says', (a, b, expected) => {
    expect(compareRpmVersions(a, b)).toBe(expected);
    expect(compareRpmVersions(b, a)).toBe(-expected || 0);
  });

  it('parses an EVR as rpm does', () => {
    expect(parseRpmVersion('10:1.5.3-86.el7')).toEqual({ epoch: '10', version: '1.5.3', release: '86.el7' });
    expect(parseRpmVersion(':1.0')).toEqual({ epoch: '0', version: '1.0' });
    expect(parseRpmVersion('1.0')).toEqual({ version: '1.0' });
  });

  it.each(['1.0', '1:1.0-1.el7', '1.0~rc1^git2', '1_0+x'])('accepts %s', (v) => expect(isValidRpmVersion(v)).toBe(true));
  it.each(['', '1.0-', '1.0-1-2', 'a:1.0', '1.0 1', '1:2:3', '1.0/1'])('rejects %j', (v) => expect(isValidRpmVersion(v)).toBe(false));
});

describe('semver', () => {
  it.each([
    ['1.0.0-alpha', '1.0.0', -1],
    ['1.0.0-alpha', '1.0.0-alpha.1', -1],
    ['1.0.0-alpha.1', '1.0.0-alpha.beta', -1],
    ['1.0.0-beta.2', '1.0.0-beta.11', -1],
    ['1.0.0-rc.1', '1.0.0', -1],
    ['1.0.0+build.1', '1.0.0+build.2', 0],
    ['2.2.21', '2.2.3', 1],
  ])('%s vs %s is %i', (a, b, expected) => expect(compareSemver(a, b)).toBe(expected));

  it.each(['v1.0.0', '1.0', '01.0.0', '1.0.0-01', ' 1.0.0'])('rejects %j', (v) => expect(isValidSemver(v)).toBe(false));
});

describe('pypi (PEP 440), as packaging.version.Version says', () => {
  const pypi = (a: string, b: string) => sign(compareVersions('pypi', a, b));

  it('orders dev, pre, post and local releases', () => {
    // A local version sorts right after its public one, so before 1.0's post-releases.
    const ascending = ['1.0.dev0', '1.0a0.dev0', '1.0a0', '1.0a0.post0.dev0', '1.0a0.post0', '1.0b0', '1.0rc0', '1.0', '1.0+0', '1.0.post0.dev0', '1.0.post0'];
    for (const [i, a] of ascending.entries()) {
      for (const [j, b] of ascending.entries()) expect({ a, b, order: pypi(a, b) }).toEqual({ a, b, order: sign(i - j) });
    }
  });

  it.each([
    ['1.0', '1.0.0'],
    ['1.0', 'v1.0'],
    ['1.0', '1.0.0.0'],
    ['0.0', '0'],
    ['1.01', '1.1'],
    ['01!1', '1!1'],
    ['1.0rc1', '1.0c1'],
    ['1.0rc1', '1.0-RC-1'],
    ['1.0preview1', '1.0rc1'],
    ['1.0alpha', '1.0a0'],
    ['1.0-1', '1.0.post1'],
    ['1.0-r', '1.0.post0'],
    ['1.0.POST-3', '1.0post3'],
    ['1.0a-', '1.0a0'],
    ['1.0a.-1', '1.0a0.post1'],
    ['1.0+ABC.1', '1.0+abc-1'],
    ['1.0+1.abc', '1.0+01_ABC'],
  ])('%s equals %s', (a, b) => {
    expect(pypi(a, b)).toBe(0);
    expect(pypi(b, a)).toBe(0);
  });

  it.each([
    ['1!0.1', '2.0', 1],
    ['1.0+abc', '1.0+1', -1],
    ['1.0+abc', '1.0+abc.0', -1],
    ['1.0a1', '1.0a10', -1],
    ['1.0rc1', '1.0b2', 1],
    ['1.0.dev0+1', '1.0a0', -1],
    // Found by the property test: @renovatebot/pep440 reads these local segments with Number().
    ['1.0+1e5', '1.0+2', -1],
    ['1.0+0x1f', '1.0+31', -1],
    ['1.0+Infinity', '1.0+0', -1],
    // And its numbers are doubles: these were equal.
    ['1.9007199254740993', '1.9007199254740992', 1],
    ['18446744073709551617!1', '18446744073709551616!9', 1],
    ['1.0.dev18446744073709551617', '1.0.dev18446744073709551616', 1],
  ])('%s vs %s is %i', (a, b, expected) => {
    expect(pypi(a, b)).toBe(expected);
    expect(pypi(b, a)).toBe(-expected);
  });

  it.each(['1.0', 'v1.0', 'V1.0', '1!2.0.post1', '1.0-1', '1.0a-', '1.0.post.dev', '1.0-post-1', '1.0+ubuntu-1.x', '2014.1.3', '13.0.0.0rc1'])('accepts %s', (v) =>
    expect(isValidVersion('pypi', v)).toBe(true),
  );
  // packaging strips surrounding blanks (\x85 and \x1c too); herald refuses them.
  it.each([' 1.0', '1.0 ', '1.0\n', '\t1.0', '1.0\x85', '1.0\x1c', '1 .0', '1.0+ abc', '', 'v', '1.', '.1', '1..0', '1.0-', '1.0+', '1.0+a..b', '1.0_1', '1!2!3', 'vv1.0', '1.0a1b1', '1.0.post1.post2'])(
    'rejects %j',
    (v) => expect(isValidVersion('pypi', v)).toBe(false),
  );
  // packaging before 26.0 case-folds these four non-ASCII letters into its ASCII
  // grammar (and then orders 1.0.po\u017ft1 apart from 1.0.post1); packaging 26 and herald refuse them.
  it.each(['1.0+\u212a', '1.0.po\u017ft1', '1.0prev\u0131ew', '1.0prev\u0130ew', '\u0661.0'])('rejects the non-ASCII %j', (v) => expect(isValidVersion('pypi', v)).toBe(false));
});

describe('by scheme', () => {
  it('dispatches on the scheme and applies operators', () => {
    expect(isValidVersion('deb', '1.0~rc1')).toBe(true);
    expect(isValidVersion('semver', '1.0~rc1')).toBe(false);
    expect(compareVersions('rpm', '1.0^', '1.0')).toBe(1);
    expect(satisfies('deb', '1.0.1e-2+deb7u6', '>=', '1.0.1e-2+deb7u6')).toBe(true);
    expect(satisfies('deb', '1.0~rc1', '<', '1.0')).toBe(true);
    expect(satisfies('deb', '1.0', '!=', '1.0-0')).toBe(false);
    expect(satisfies('semver', '1.2.3', '>', '1.2.3-rc.1')).toBe(true);
    expect(satisfies('rpm', '1.0', '<=', '1.0-1')).toBe(true);
  });
});

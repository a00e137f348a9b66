/** Version comparison and validation for Debian, RPM, semver and Python (PEP 440). */
export { compareDebianVersions, isValidDebianVersion, parseDebianVersion, type DebianVersion } from './debian.ts';
export { compareRpmVersions, isValidRpmVersion, parseRpmVersion, rpmvercmp, type RpmVersion } from './rpm.ts';
export { comparePep440, isValidPep440 } from './pep440.ts';
export { compareSemver, isValidSemver } from './semver.ts';
export { compareVersions, isValidVersion, operatorHolds, satisfies } from './scheme.ts';

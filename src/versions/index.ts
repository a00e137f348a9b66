/** Version comparison and validation for Debian, RPM and semver. */
export { compareDebianVersions, isValidDebianVersion, parseDebianVersion, type DebianVersion } from './debian.ts';
export { compareRpmVersions, isValidRpmVersion, parseRpmVersion, rpmvercmp, type RpmVersion } from './rpm.ts';
export { compareSemver, isValidSemver } from './semver.ts';
export { compareVersions, isValidVersion, operatorHolds, satisfies } from './scheme.ts';

/** Rules on `affects` entries: their `introduced` and `fixed` versions, in the entry's ecosystem. */
import { firstAffected, isVersionScheme, type VersionScheme } from '../../model/types.ts';
import { compareVersions, isValidVersion } from '../../versions/index.ts';
import { nonAsciiNote } from '../../errors/code-point.ts';
import type { NoteRule } from '../rule.ts';

const examples: Record<VersionScheme, string> = {
  deb: 'a Debian version such as "1.0.1e-2+deb7u6" (epoch:upstream-revision)',
  rpm: 'an RPM version such as "1:1.5.3-86.el7" (epoch:version-release)',
  semver: 'a semantic version such as "2.4.1" or "3.0.0-rc.1"',
  pypi: 'a PEP 440 version such as "4.1.0", "2014.1.3" or "13.0.0.0rc1"',
};

export const affectsVersions: NoteRule = ({ advisory, field, report }) => {
  advisory.affects.forEach((entry, index) => {
    const scheme = entry.ecosystem;
    if (!isVersionScheme(scheme)) return;
    /** Whether `version` is valid in the entry's scheme; reported when it is not. */
    const valid = (name: 'introduced' | 'fixed', version: string): boolean => {
      if (isValidVersion(scheme, version)) return true;
      // Spaces around a version that is valid without them: say so, rather than show the version as if it were wrong.
      const trimmed = version.replace(/^[ \t]+|[ \t]+$/g, '');
      const spaced = trimmed !== version && isValidVersion(scheme, trimmed);
      const ranged = spaced ? undefined : rangeAsVersion(scheme, name, trimmed);
      report(
        'affects-invalid-version',
        `"${version}" (${name} of ${entry.package ?? entry.product}) is not a valid ${scheme} version${spaced ? ': it has spaces around it' : ranged ? `: ${name} is one version, written without an operator` : nonAsciiNote(version)}`,
        field(['affects', index, name]),
        spaced ? `Write ${name}: "${trimmed}".` : ranged ?? `Write ${examples[scheme]}; free text about versions goes in \`versions\`, or use \`ecosystem: generic\`.`,
      );
      return false;
    };
    // "0": affected from the first version on, as OSV writes it, in every scheme.
    const introduced = firstAffected(entry);
    const { fixed } = entry;
    const introducedValid = introduced === undefined || valid('introduced', introduced);
    const fixedValid = fixed === undefined || valid('fixed', fixed);
    if (introduced === undefined || fixed === undefined || !introducedValid || !fixedValid) return;
    if (compareVersions(scheme, introduced, fixed) >= 0) {
      report('affects-empty-range', `${entry.package ?? entry.product}: fixed ${fixed} is not later than introduced ${introduced}, so no version is affected`, field(['affects', index, 'fixed']));
    }
  });
};

/**
 * A range written where one version belongs (`fixed: ">= 2.4.1"`,
 * `fixed: "< 2.4.1"`, `introduced: ">= 1.0"`): the hint names the version
 * to write where the range names it, else what belongs there.
 */
function rangeAsVersion(scheme: VersionScheme, name: 'introduced' | 'fixed', written: string): string | undefined {
  const match = /^(>=|=>|<=|=<|==|>|<|=)\s*(\S+)$/.exec(written);
  if (!match || !isValidVersion(scheme, match[2]!)) return undefined;
  const [, operator, version] = match;
  const meaning = name === 'fixed' ? 'the first version that has the fix' : 'the first version that has the flaw';
  // ">= 2.4.1" and "< 2.4.1" as fixed, ">= 1.0" as introduced, name that version; "> 2.4.0" or "<= 2.4.0" the one before it.
  const names = ['>=', '=>', '=', '=='].includes(operator!) || (name === 'fixed' && operator === '<');
  return names ? `Write ${name}: "${version}", ${meaning}.` : `Write in ${name} ${meaning} itself; "${written}" may go in \`versions\`, as text.`;
}

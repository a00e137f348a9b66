/** Rules on `verify` entries and the steps that name them. */
import { nonAsciiNote } from '../../errors/code-point.ts';
import { isValidVersion } from '../../versions/index.ts';
import { closest } from '../../model/suggest.ts';
import type { NoteRule } from '../rule.ts';

export const verifyEntries: NoteRule = ({ advisory, verifyField: field, report }) => {
  const seen = new Set<string>();
  advisory.verify.forEach((entry) => {
    if (seen.has(entry.id)) report('verify-duplicate-id', `Verify id "${entry.id}" is used twice`, field(entry, 'id'));
    seen.add(entry.id);
    const expect = entry.expect;
    if (expect.kind === 'absent' || expect.kind === 'present' || expect.kind === 'stdout') {
      // Lines are matched one at a time, and grep (in the exports) reads each line of a pattern as an alternative.
      if (/[\n\r]/.test(expect.pattern)) report('verify-invalid-regex', `Pattern of "${entry.id}" holds a line break: each line of output or of the file is matched on its own, so a pattern is one line`, field(entry, 'expect', expect.kind), 'Write the pattern on one line; for either of two lines, write (first|second), or make two checks.');
      try {
        new RegExp(expect.pattern, 'm');
      } catch (error) {
        report('verify-invalid-regex', `Pattern of "${entry.id}" is not a valid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`, field(entry, 'expect', expect.kind));
      }
    }
    if (expect.kind === 'version' && !isValidVersion(expect.scheme, expect.version)) {
      report('verify-invalid-version', `"${expect.version}" is not a valid ${expect.scheme} version${nonAsciiNote(expect.version)}`, field(entry, 'expect', 'version'));
    }
    // A mistyped name is "not installed" on every host: with not_installed: pass, every host would pass.
    const queried = entry.notInstalled === 'pass' ? entry.package?.name : undefined;
    if (queried !== undefined && !advisory.affects.some((affected) => affected.package === queried)) {
      const meant = closest(queried, advisory.affects.flatMap((affected) => (affected.package ? [affected.package] : [])));
      report(
        'verify-package-unknown',
        `"${entry.id}" passes on every host without the package ${queried}, which no affects entry names${meant ? `; did you mean ${meant}?` : ''}: a mistyped name is not installed anywhere, so the check would pass everywhere`,
        field(entry, 'run'),
        'Name in `run` the package an `affects` entry gives (its `package`), or add that package to `affects`.',
      );
    }
  });
};

export const stepVerifyRefs: NoteRule = ({ advisory, declaredVerifyIds: ids, report }) => {
  for (const step of advisory.steps) {
    for (const id of step.verify) {
      if (ids.has(id)) continue;
      const meant = closest(id, [...ids]);
      const text = `Step ${step.id.replace('step-', '')} names verify entry "${id}", which the note does not define${meant ? `; did you mean "${meant}"?` : ''}`;
      report('verify-unknown-ref', text, step.fieldPositions.verify ?? step.position, ids.size ? `Known ids: ${[...ids].join(', ')}.` : 'Add a `verify` entry with that id to the front matter.');
    }
  }
};

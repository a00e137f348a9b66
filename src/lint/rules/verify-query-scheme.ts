/**
 * A version check that asks dpkg-query or rpm for the version and compares
 * it in another scheme (`scheme: rpm` on a dpkg-query, or a command the
 * loader does not read as a plain query, whose scheme then comes from the
 * note's first `affects` entry): the two managers order versions
 * differently (`~`, `^`, letters against digits), so a verdict can be
 * wrong without a word.
 */
import { schemeOfManager as schemeOf } from '../../model/package-query.ts';
import type { VerifyEntry } from '../../model/types.ts';
import type { NoteRule } from '../rule.ts';
import { versionQueries } from '../version-queries.ts';
import { placeInCommand } from './verify-commands.ts';

export const verifyQueryScheme: NoteRule = (context) => {
  for (const entry of context.advisory.verify) {
    if (entry.run === undefined || entry.expect.kind !== 'version') continue;
    const { scheme } = entry.expect;
    const wrong = versionQueries(entry.run).find(({ manager }) => schemeOf[manager] !== scheme);
    if (!wrong) continue;
    context.report(
      'verify-query-scheme',
      `The command of "${entry.id}" asks ${wrong.program} for the version, which it prints in the ${schemeOf[wrong.manager]} scheme, but the check compares it in the ${scheme} scheme: the two order some versions differently, so the verdict can be wrong`,
      placeInCommand(context, entry as VerifyEntry & { run: string }, wrong.format.index),
      `Write \`scheme: ${schemeOf[wrong.manager]}\` in the expect of "${entry.id}".`,
    );
  }
};

/**
 * A user that may edit pages but not create them (`cantcreate`): every new
 * page would be refused alike, so the push stops creating pages at the
 * first refusal, still updates the existing ones, and says once which right
 * is missing and who grants it. The right is `createpage`; a bot password
 * gives it only with the grant "Create, edit, and move pages"
 * (`createeditmovepage`), whatever the user's groups give.
 */

/** `action=edit`'s codes for a user (or, `-anon`, a visitor) that may not create pages. */
export const cannotCreateCodes = new Set(['cantcreate', 'cantcreate-anon']);

export interface CannotCreate {
  /** The user herald logged in as (`Carol`), and the bot password's name (`Carol@herald`). */
  user: string;
  login: string;
  /** The rights the user's groups give it, read from the wiki; undefined when it would not say. */
  groupRights: ReadonlySet<string> | undefined;
  /** The wiki's own words. */
  info: string;
}

/** The reason of the first new page refused: what is missing and how to grant it. */
export function cannotCreateReason({ user, login, groupRights, info }: CannotCreate): string {
  const said = `the wiki said: ${info}`;
  const appId = login.includes('@') ? login.slice(login.lastIndexOf('@') + 1) : undefined;
  const grant = '\u201cCreate, edit, and move pages\u201d (createeditmovepage)';
  const groups = `ask the wiki's administrators to put ${user} in a group with \`createpage\` (Special:UserRights/${user}; $wgGroupPermissions, and no $wgRevokePermissions of it)`;
  const botPassword = `give the bot password ${login} the grant ${grant} (Special:BotPasswords/${appId}, logged in as ${user})`;
  const rest = 'herald creates no other page in this push and still updates the existing ones; run the push again once it may';
  if (groupRights?.has('createpage') && appId !== undefined) {
    return `herald's user may not create pages (${said}): ${user} has the right \`createpage\`, but the bot password ${login} lacks the grant ${grant} that lets it use that right: ${botPassword}; ${rest}`;
  }
  if (groupRights && !groupRights.has('createpage')) {
    return `herald's user may not create pages (${said}): ${user}'s groups do not give it the right \`createpage\`: ${groups}${appId === undefined ? '' : `, and check that the bot password ${login} has the grant ${grant}`}; ${rest}`;
  }
  return `herald's user may not create pages (${said}): it lacks the right \`createpage\`: ${groups}${appId === undefined ? '' : `, and ${botPassword}`}; ${rest}`;
}

/** The reason of each new page not tried after the first refusal. */
export const notTriedReason = (first: string) => `not created: herald's user may not create pages (see ${first} above), so herald did not try`;

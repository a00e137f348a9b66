/**
 * The wiki renderer: `wiki/<ID>.wiki` per advisory (its page's wikitext)
 * and `wiki/index.wiki` (the index page). `herald wiki push` publishes the
 * same text through the wiki's API.
 */
import type { Renderer } from '../types.ts';
import { renderWikiIndex } from './index-page.ts';
import { renderWikiPage } from './page.ts';
import { advisoryWikiFile, indexWikiFile } from './page-name.ts';

export { renderWikiIndex } from './index-page.ts';
export { renderWikiPage } from './page.ts';
export { advisoryPageName, indexPageName } from './page-name.ts';

export const renderer: Renderer = {
  name: 'wiki',
  renderNote: (advisory, context) => [{ path: advisoryWikiFile(advisory), contents: renderWikiPage(advisory, context) }],
  renderAll: (advisories, context) => [{ path: indexWikiFile, contents: renderWikiIndex(advisories, context) }],
};

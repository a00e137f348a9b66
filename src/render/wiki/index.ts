/**
 * The wiki renderer: `wiki/<ID>.wiki` per advisory (its page's wikitext)
 * and `wiki/index.wiki` (the index page; with `wiki/index/<year>.wiki` when
 * it is split by year). `herald wiki push` publishes the
 * same text through the wiki's API.
 */
import type { Renderer } from '../types.ts';
import { wikiIndexGroup } from './index-page.ts';
import { renderWikiPage } from './page.ts';
import { advisoryWikiFile } from './page-name.ts';

export { renderWikiIndex, type WikiIndexPage } from './index-page.ts';
export { renderWikiPage } from './page.ts';
export { advisoryPageName, indexPageName } from './page-name.ts';

export const renderer: Renderer = {
  name: 'wiki',
  renderNote: (advisory, context) => [{ path: advisoryWikiFile(advisory), contents: renderWikiPage(advisory, context) }],
  renderAll: (advisories, context) => [wikiIndexGroup(advisories, context)],
};

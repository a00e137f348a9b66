/**
 * herald's own Pagefind index writer (see README.md): `indexPage` per page,
 * `writeSearchBundle` per bundle, `pagefindAssets` for Pagefind's browser
 * code.
 */
export { indexPage, type IndexedPage } from './index-page.ts';
export type { PageWord } from './page-words.ts';
export { writeSearchBundle, pagefindVersion, type BundleFile } from './bundle.ts';
export { pagefindAssets } from './assets.ts';

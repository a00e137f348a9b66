/**
 * `advisories.json`: what the index page's filter form reads to filter
 * every advisory in the browser, not only those on the first page. Small
 * per entry (no body), so it stays light for thousands of advisories.
 */
import type { Advisory } from '../../model/types.ts';
import { lastUpdated } from '../../model/types.ts';
import { RowMemo } from '../row-memo.ts';
import type { OutputFile, RenderContext } from '../types.ts';
import { productKeys } from './facets.ts';
import { advisoryPath, fixedPaths, siteRoot } from './urls.ts';
import { href, isEmbargoed } from './views.ts';

export interface FilterIndex {
  /** Product slug → name, so entries can stay short. */
  products: Record<string, string>;
  advisories: {
    id: string;
    /** False for blog posts, whose id is only their slug. */
    note: boolean;
    url: string;
    title: string;
    published: string;
    updated: string;
    year: string;
    severity: string | null;
    status: string;
    embargoed: boolean;
    products: string[];
    cves: string[];
    summary: string;
  }[];
}

/** Each advisory's products and its entry's JSON (`FilterIndex`), kept between the builds of `serve --watch`. */
const entries = new RowMemo<{ products: readonly { slug: string; label: string }[]; json: string }>();

export function filterIndex(advisories: readonly Advisory[], summaryOf: (advisory: Advisory) => string, context: RenderContext): OutputFile {
  const products: FilterIndex['products'] = {};
  const rows: string[] = [];
  const base = href(context, '');
  for (const advisory of advisories) {
    const embargoed = isEmbargoed(advisory, context.now);
    const entry = entries.get(advisory, `${base}\0${embargoed}`, () => {
      const keys = productKeys(advisory);
      const fields: FilterIndex['advisories'][number] = {
        id: advisory.id,
        note: advisory.kind === 'note',
        url: href(context, advisoryPath(advisory.slug)),
        title: advisory.title,
        published: advisory.date,
        updated: lastUpdated(advisory),
        year: advisory.date.slice(0, 4),
        severity: advisory.severity ?? null,
        status: advisory.status,
        embargoed,
        products: keys.map((product) => product.slug),
        cves: advisory.cve,
        summary: summaryOf(advisory),
      };
      return { products: keys, json: JSON.stringify(fields) };
    });
    for (const { slug, label } of entry.products) products[slug] ??= label;
    rows.push(entry.json);
  }
  // As `JSON.stringify` writes a `FilterIndex`, from the entries' JSON.
  return { path: `${siteRoot}/${fixedPaths.filterIndex}`, contents: `{"products":${JSON.stringify(products)},"advisories":[${rows.join(',')}]}\n` };
}

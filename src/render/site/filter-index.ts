/**
 * `advisories.json`: what the index page's filter form reads to filter
 * every advisory in the browser, not only those on the first page. Small
 * per entry (no body), so it stays light for thousands of advisories.
 */
import type { Advisory } from '../../model/types.ts';
import { lastUpdated } from '../../model/types.ts';
import { advisoryKeys } from '../aggregate-key.ts';
import type { KeyedPiece, Piece, RenderContext, SplicedFile } from '../types.ts';
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
    /** GitHub advisory ids, only when the advisory names one (most name none). */
    ghsas?: string[];
    summary: string;
  }[];
}

const opening = (products: FilterIndex['products']) => Buffer.from(`{"products":${JSON.stringify(products)},"advisories":[`);
const separator = Buffer.from(',');
const closing = Buffer.from(']}\n');

/**
 * The index as JSON.stringify writes a `FilterIndex`, in pieces: one per
 * advisory, keyed by the advisory and its embargo state, so that a
 * rebuild copies the unchanged entries from the previous file (at 10,000
 * notes the file is 6 MB) and makes only the edited notes' again.
 */
export function filterIndex(advisories: readonly Advisory[], summaryOf: (advisory: Advisory) => string, context: RenderContext): SplicedFile {
  const keyOf = advisoryKeys(context);
  const products: FilterIndex['products'] = {};
  for (const advisory of advisories) for (const { slug, label } of productKeys(advisory)) products[slug] ??= label;
  function* pieces(): Generator<Piece> {
    yield opening(products);
    let first = true;
    for (const advisory of advisories) {
      if (!first) yield separator;
      first = false;
      yield filterIndexPiece(advisory, summaryOf, context, keyOf);
    }
    yield closing;
  }
  return { path: `${siteRoot}/${fixedPaths.filterIndex}`, pieces: pieces() };
}

/** One advisory's entry: the previous file's piece under the same key is copied; an entry is made only for a changed note. */
export function filterIndexPiece(advisory: Advisory, summaryOf: (advisory: Advisory) => string, context: RenderContext, keyOf = advisoryKeys(context)): KeyedPiece {
  const embargoed = isEmbargoed(advisory, context.now);
  return { key: `${keyOf(advisory)}${embargoed ? '\0embargoed' : ''}`, bytes: () => Buffer.from(entryJson(advisory, embargoed, summaryOf, context)), member: advisory };
}

function entryJson(advisory: Advisory, embargoed: boolean, summaryOf: (advisory: Advisory) => string, context: RenderContext): string {
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
    products: productKeys(advisory).map((product) => product.slug),
    cves: advisory.cve,
    ...(advisory.ghsa.length > 0 ? { ghsas: advisory.ghsa } : {}),
    summary: summaryOf(advisory),
  };
  return JSON.stringify(fields);
}

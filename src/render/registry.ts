/**
 * The one registry of renderers. The build runs each in this order; adding
 * an output format means adding one line here. The site comes last: its
 * pages link the other formats of each advisory, which it takes from the
 * renderers before it.
 */
import type { Renderer } from './types.ts';
import { renderer as site } from './site/index.ts';
import { renderer as wiki } from './wiki/index.ts';
import { renderer as mail } from './mail/index.ts';
import { renderer as checklists } from './checklists/index.ts';
import { renderer as osv } from './osv/index.ts';
import { renderer as csaf } from './csaf/index.ts';

export const renderers: readonly Renderer[] = [wiki, mail, checklists, osv, csaf, site];

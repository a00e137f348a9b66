/**
 * Wraps a page's content in the layout: head, header with navigation and
 * search, preview banner, footer.
 */
import type { RenderContext } from '../types.ts';
import { templates } from './templates.ts';
import { layoutView, type PageFrame } from './views.ts';

export function renderPage(context: RenderContext, frame: PageFrame): string {
  return templates.layout(layoutView(context, frame));
}

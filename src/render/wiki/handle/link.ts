import type { Link } from 'mdast';
import type { Handle } from '../compile.ts';
import { escapeText } from '../escape.ts';
import { externalLink, internalLink, resolveLinkTarget } from '../link-target.ts';

/** An external link, or a link to another advisory's page on the wiki; a link the wiki must not follow keeps only its text. */
export const link: Handle<Link> = (node, state) => {
  const text = state.phrasing(node) || escapeText(node.url, { heading: state.inHeading });
  const target = resolveLinkTarget(node.url, state.options.baseUrl);
  if (!target) return text;
  const page = state.options.wikiPageOf?.(target);
  return page ? internalLink(page, text) : externalLink(target, text);
};

import type { Link } from 'mdast';
import type { Handle } from '../compile.ts';
import { escapeText } from '../escape.ts';
import { externalLink, resolveLinkTarget } from '../link-target.ts';

/** An external link; a link the wiki must not follow keeps only its text. */
export const link: Handle<Link> = (node, state) => {
  const text = state.phrasing(node) || escapeText(node.url, { heading: state.inHeading });
  const target = resolveLinkTarget(node.url, state.options.baseUrl);
  return target ? externalLink(target, text) : text;
};

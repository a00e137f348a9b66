import type { Image } from 'mdast';
import type { Handle } from '../compile.ts';
import { escapeText } from '../escape.ts';
import { externalLink, resolveLinkTarget } from '../link-target.ts';

/**
 * Wikis usually refuse images from other sites, so an image is written as
 * a link to it, labelled with its alternative text.
 */
export const image: Handle<Image> = (node, state) => {
  const label = escapeText(node.alt || node.url, { heading: state.inHeading });
  const target = resolveLinkTarget(node.url, state.options.baseUrl);
  return target ? externalLink(target, `Image: ${label}`) : label;
};

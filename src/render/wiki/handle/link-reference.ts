import type { LinkReference } from 'mdast';
import { normalizeIdentifier, type Handle } from '../compile.ts';
import { externalLink, headingLink, internalLink, resolveLinkTarget } from '../link-target.ts';

/** `[text][label]`: a link to the label's definition (text only when the wiki must not follow it). */
export const linkReference: Handle<LinkReference> = (node, state) => {
  const text = state.phrasing(node);
  const definition = state.definitions.get(normalizeIdentifier(node.identifier));
  const toHeading = definition && headingLink(definition.url, text, state.options);
  if (toHeading !== undefined) return toHeading;
  const target = definition && resolveLinkTarget(definition.url, state.options.baseUrl);
  if (!target) return text;
  const page = state.options.wikiPageOf?.(target);
  return page ? internalLink(page, text) : externalLink(target, text);
};

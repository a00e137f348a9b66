import type { Link } from 'mdast';
import type { Handle } from '../compile.ts';
import { escapeText } from '../escape.ts';
import { externalLink, headingLink, internalLink, resolveLinkTarget } from '../link-target.ts';
import { checkAnchor } from '../../../model/verify-ids.ts';

/** A fragment herald writes on every wiki page it makes: a check's entry in the checklist. */
const ownAnchor = new RegExp(`^#${checkAnchor('')}[a-z0-9-]+$`);

/**
 * An external link, or a link to another advisory's page on the wiki, or to
 * a check's entry or a heading of the note on this page; a link the wiki
 * must not follow keeps only its text.
 */
export const link: Handle<Link> = (node, state) => {
  const text = state.phrasing(node) || escapeText(node.url, { heading: state.inHeading });
  if (ownAnchor.test(node.url)) return internalLink(node.url, text);
  const toHeading = headingLink(node.url, text, state.options);
  if (toHeading !== undefined) return toHeading;
  const target = resolveLinkTarget(node.url, state.options.baseUrl);
  if (!target) return text;
  const page = state.options.wikiPageOf?.(target);
  return page ? internalLink(page, text) : externalLink(target, text);
};

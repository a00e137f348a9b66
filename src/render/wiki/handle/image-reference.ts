import type { ImageReference } from 'mdast';
import { normalizeIdentifier, type Handle } from '../compile.ts';
import { escapeText } from '../escape.ts';
import { externalLink, resolveLinkTarget } from '../link-target.ts';

/** `![alt][label]`: like an image when the label is defined, else its text. */
export const imageReference: Handle<ImageReference> = (node, state) => {
  const label = escapeText(node.alt ?? '', { heading: state.inHeading });
  const definition = state.definitions.get(normalizeIdentifier(node.identifier));
  const target = definition && resolveLinkTarget(definition.url, state.options.baseUrl);
  return target ? externalLink(target, `Image: ${label}`) : label;
};

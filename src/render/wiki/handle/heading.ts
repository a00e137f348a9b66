import type { Heading } from 'mdast';
import { idOfHeading } from '../../../markdown/heading-ids.ts';
import type { Handle } from '../compile.ts';

/**
 * `== text ==`, led by an empty span with the heading's id on the site
 * (`section-discussion`): a link to the heading, from the note or another
 * note, names that id, worked out from the link alone. MediaWiki's own
 * anchor (the heading's text) stays for the table of contents.
 */
export const heading: Handle<Heading> = (node, state) => {
  state.inHeading = true;
  try {
    const marks = '='.repeat(node.depth);
    const id = state.options.headingIds && idOfHeading(node, state.options.headingIds);
    // An empty heading line would be read as text made of `=` signs.
    const content = state.phrasing(node).trim() || '<nowiki/>';
    return `${marks} ${id === undefined ? '' : `<span id="${attributeText(id)}"></span>`}${content} ${marks}`;
  } finally {
    state.inHeading = false;
  }
};

/** An id as an attribute's value: a slug holds none of these, but an id is never trusted to. */
const attributeText = (value: string) => value.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);

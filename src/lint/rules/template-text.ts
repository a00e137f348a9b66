/**
 * A note published with the note template's examples still in it (`herald
 * new` and a copied `templates/note.md` start with them): a made-up author,
 * a bug number of zeros, "Describe the problem here." on the site and in
 * the mail. In a draft they are warnings (`template-draft`): the places
 * still to fill in, so that `herald lint` on a note `herald new` just made
 * lists what to write.
 */
import type { Paragraph, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { NoteRule, RuleContext } from '../rule.ts';

/** The template's examples, as they appear in a note's text: a note with none of them is not looked at further. */
const exampleTitle = 'Short statement of the problem and what it affects';
/** Sentences and words of the template's body, wherever a paragraph (a step's prose, its Rollback: line) still holds them. */
const examplePhrases = ['Describe the problem here.', 'List what is affected here.', 'Explain the problem here.', 'Say what to change and why, on which nodes.', 'example_setting'];
/** The template's example author: `herald new` puts git's user in its place. */
export const exampleAuthor = { name: 'Your Name', affiliation: 'Your Team', email: 'you@example.org' } as const;
const exampleBug = /\/\+bug\/0000000\/?$/;
const exampleVerify = { id: 'example-setting', title: 'the example setting is enabled' } as const;
const exampleStep = 'Enable the example setting';
const exampleConfig = 'example_setting';
const markers = [exampleTitle, ...examplePhrases.map((phrase) => phrase.split(' ').slice(0, 4).join(' ')), ...Object.values(exampleAuthor), '+bug/0000000', ...Object.values(exampleVerify), exampleStep];

export const templateText: NoteRule = (context) => {
  const { advisory, field, report } = context;
  if (advisory.kind !== 'note') return;
  const text = advisory.source.text;
  if (!markers.some((marker) => text.includes(marker))) return;
  const found =
    advisory.status === 'draft'
      ? (what: string, at: Parameters<RuleContext['report']>[2]) => report('template-draft', `${what} is still the note template's example`, at)
      : (what: string, at: Parameters<RuleContext['report']>[2]) => report('template-text', `${what} is the note template's example, published as it is`, at);

  if (advisory.title === exampleTitle) found('The title', field(['title']));
  advisory.authors.forEach((author, index) => {
    for (const key of ['name', 'affiliation', 'email'] as const) {
      if (author[key] === exampleAuthor[key]) found(`Author ${key} "${exampleAuthor[key]}"`, field(['authors', index, key]));
    }
  });
  advisory.references.forEach((reference, index) => {
    if (exampleBug.test(reference.url)) found(`Reference ${reference.url}`, field(['references', index, 'url']));
  });
  for (const entry of advisory.verify) {
    if (entry.id === exampleVerify.id) found(`Verify entry "${exampleVerify.id}"`, context.verifyField(entry, 'id'));
    if (entry.title === exampleVerify.title) found(`Verify title "${exampleVerify.title}"`, context.verifyField(entry, 'title'));
  }
  for (const paragraph of paragraphs(advisory.body)) {
    const said = toString(paragraph).replace(/\s+/g, ' ');
    for (const phrase of examplePhrases) if (said.includes(phrase) && paragraph.position) found(`"${phrase}"`, paragraph.position.start);
  }
  for (const step of advisory.steps) if (step.title === exampleStep) found(`Step "${exampleStep}"`, step.position);
  for (const code of context.bodyNodes().codes) {
    if (code.value.includes(exampleConfig) && code.position) found(`The code block with "${exampleConfig}"`, code.position.start);
  }
  for (const { url, at } of context.bodyNodes().urls) if (exampleBug.test(url)) found(`The link ${url}`, at);
};

/** Every paragraph of the body, lists and quotes included, in document order. */
function paragraphs(root: Root): Paragraph[] {
  const found: Paragraph[] = [];
  const stack: Root['children'][number][] = [...root.children].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'paragraph') found.push(node);
    else if (node.type === 'list' || node.type === 'listItem' || node.type === 'blockquote') stack.push(...([...node.children] as Root['children']).reverse());
  }
  return found;
}

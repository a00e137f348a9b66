/**
 * The optional text/html alternative, laid out from the same content plan
 * as the text body. Note content goes through the sanitizing pipeline;
 * everything herald adds is built as a hast tree, so nothing is escaped
 * by hand.
 */
import type { Element, ElementContent } from 'hast';
import { toHtml } from 'hast-util-to-html';
import type { RootContent } from 'mdast';
import { type HeadingIds, withHeadingLinks } from '../../markdown/heading-ids.ts';
import { mdastToSafeHtmlImagesAsLinks } from '../../markdown/html.ts';
import type { ContentPlan, PlannedSection } from './content.ts';
import { previewBanner, previewExplanation } from './content.ts';
import { templates } from './templates.ts';

function h(tagName: string, children: (ElementContent | string)[], properties: Element['properties'] = {}): Element {
  return { type: 'element', tagName, properties, children: children.map((c) => (typeof c === 'string' ? { type: 'text', value: c } : c)) };
}

const pre = (code: string) => h('pre', [h('code', [code])]);

/** The note's own Markdown, its headings with their ids and its links to them leading there, as on the site. */
const noteHtml = (nodes: RootContent[], ids: HeadingIds) => mdastToSafeHtmlImagesAsLinks(withHeadingLinks(nodes, ids), ids);

function sectionHtml(section: PlannedSection, ids: HeadingIds): string {
  switch (section.kind) {
    case 'markdown':
      return noteHtml(section.nodes, ids);
    case 'verification':
      return toHtml(
        h(
          'ul',
          section.verify.map((entry) =>
            h('li', [h('strong', [entry.id]), `: ${entry.title}`, pre('file' in entry ? `file: ${entry.file}` : `run: ${entry.run}`), h('p', [`Expect: ${entry.description}`])]),
          ),
        ),
      );
    case 'references':
      return (
        noteHtml(section.nodes, ids) +
        (section.extra.length > 0 ? toHtml(h('ul', section.extra.map((r) => h('li', [h('a', [r.title ?? r.url], { href: r.url })])))) : '')
      );
    case 'revisions':
      return toHtml(h('ul', section.revisions.map((r) => h('li', [h('strong', [`UPDATE ${r.number}`]), ` (${r.date}): ${r.summary}`]))));
  }
}

/** The text/html alternative of the plan, a whole document. */
export function renderHtmlBody(plan: ContentPlan, options: { preview: boolean; subject: string }): string {
  return templates.html({
    preview: options.preview,
    bannerText: `${previewBanner} ${previewExplanation}`,
    subject: options.subject,
    headline: plan.headline,
    title: plan.title,
    facts: plan.facts.map((fact) => ({ label: fact.label, value: fact.lines.join('; '), ...(fact.href ? { href: fact.href } : {}) })),
    notice: plan.notice.join(' '),
    sections: plan.sections.map((section) => ({ heading: section.heading, id: 'id' in section ? section.id : undefined, html: sectionHtml(section, plan.headingIds) })),
  });
}

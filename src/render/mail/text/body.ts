/**
 * The text/plain body: the content plan laid out in 72 columns through
 * `templates/mail/announcement.txt.hbs`.
 */
import { ruleUnder } from './columns.ts';
import type { ContentPlan, PlannedSection } from '../content.ts';
import { previewBanner, previewExplanation } from '../content.ts';
import { templates } from '../templates.ts';
import { sectionHeading } from './layout.ts';
import { markdownLines } from './sections.ts';
import { verificationLines } from './verification.ts';
import { hangingLines, hangLines, joinBlocks, mailWidth, widthAfter, wrapText } from './wrap.ts';

function sectionLines(section: PlannedSection, width: number): string[] {
  switch (section.kind) {
    case 'markdown':
      return markdownLines(section.nodes, width);
    case 'verification':
      return verificationLines(section.verify, width);
    case 'references':
      return joinBlocks([
        markdownLines(section.nodes, width),
        section.extra.flatMap((reference) => hangLines('* ', [...wrapText(reference.title ?? capitalize(reference.type), widthAfter(width, 2)), reference.url])),
      ]);
    case 'revisions':
      return section.revisions.flatMap((r) => hangLines('* ', wrapText(`UPDATE ${r.number} (${r.date}): ${r.summary}`, widthAfter(width, 2))));
  }
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * Trailing blanks go (an inline signature ignores them, so they must not
 * exist), runs of blank lines shrink to one, and the text ends in one newline.
 */
export function normalizeText(text: string): string {
  if (isNormal(text)) return text;
  const lines: string[] = [];
  let blank = false;
  for (const line of text.split('\n')) {
    const trimmed = line.trimEnd();
    if (trimmed === '') {
      blank = lines.length > 0;
      continue;
    }
    if (blank) lines.push('');
    blank = false;
    lines.push(trimmed);
  }
  return `${lines.join('\n').trim()}\n`;
}

/**
 * Already normalized, as the template's output mostly is: no line ends in
 * whitespace, no two blank lines in a row, no blank at the start, one
 * newline at the end. Testing is cheaper than rebuilding.
 */
function isNormal(text: string): boolean {
  return /^\S/.test(text) && /\S\n$/.test(text) && !/[^\S\n]\n|\n\n\n/.test(text);
}

/** The text/plain body of the plan, ending in one newline. */
export function renderTextBody(plan: ContentPlan, options: { preview: boolean }): string {
  const width = mailWidth;
  const titleLines = wrapText(plan.title, width);
  const labelWidth = Math.max(...plan.facts.map((fact) => fact.label.length)) + 2;
  const body = templates.text({
    preview: options.preview,
    banner: [previewBanner, ...wrapText(previewExplanation, width)].join('\n'),
    headline: plan.headline,
    title: titleLines.join('\n'),
    rule: ruleUnder(titleLines, '=', width),
    facts: plan.facts.flatMap((fact) => fact.lines.flatMap((line, i) => hangingLines(i === 0 ? `${fact.label}:` : '', line, labelWidth, width))).join('\n'),
    notice: joinBlocks(plan.notice.map((line) => wrapText(line, width))).join('\n'),
    sections: plan.sections
      .map((section) => ({ heading: section.heading ? sectionHeading(section.heading) : '', body: sectionLines(section, width).join('\n') }))
      .filter((section) => section.body.trim() !== '' || section.heading !== ''),
  });
  return normalizeText(body);
}

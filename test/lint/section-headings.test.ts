/**
 * Section headings as authors get them wrong: a title written as `# …`
 * above `## Summary` (which once hid every section), and a misspelt
 * section heading (which was only reported as the section missing, at the
 * top of the body).
 */
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.ts';
import { lintNote } from '../../src/lint/run.ts';
import { parseNote } from '../../src/model/load.ts';
import { renderer as mail } from '../../src/render/mail/index.ts';

const config = configSchema.parse({ mail: { from: 'Security <security@example.org>', lists: [{ name: 'announce', address: 'announce@lists.example.org' }] } });
const now = new Date('2024-02-01T00:00:00Z');
const sections = ['Summary', 'Affected Services / Software', 'Discussion', 'Recommended Actions', 'Contacts / References'];

function note(body: string) {
  const text = ['---', 'id: OSSN-0001', 'title: Glance follows redirects to internal hosts', 'date: 2024-01-01', 'status: draft', 'lists: [announce]', '---', '', body].join('\n');
  return parseNote('notes/OSSN-0001.md', text, { config, now });
}

const findings = (body: string) => {
  const parsed = note(body);
  return lintNote(parsed, config, now)
    .filter((m) => m.ruleId === 'section-missing' || m.ruleId === 'heading-above-sections')
    .map(({ ruleId, message, line, column, hint }) => ({ ruleId, message, line, column, hint }));
};

const body = (names: readonly string[], level = '##') => names.map((name) => `${level} ${name}\n\nText of ${name}.\n`).join('\n');

describe('section headings', () => {
  it('reads the sections under a title written as a level-1 heading, and refuses that heading', () => {
    const text = `# Glance follows redirects to internal hosts\n\n${body(sections)}`;
    expect(note(text).advisory!.sections.map((section) => section.name)).toEqual(sections);
    expect(findings(text)).toEqual([
      {
        ruleId: 'heading-above-sections',
        message: 'The heading "Glance follows redirects to internal hosts" repeats the note\'s title as a level 1 ("#") heading above its sections',
        line: 9,
        column: 1,
        hint: expect.stringContaining('the page, the mail and the wiki show the front matter’s title'),
      },
    ]);
    const other = findings(`# Background\n\n${body(sections)}`);
    expect(other.map((m) => m.message)).toEqual(['The heading "Background" is level 1 ("#"), above the section headings ("## Summary")']);
  });

  it('the mail finds the same sections as the page', () => {
    const parsed = note(`# Glance follows redirects to internal hosts\n\n${body(sections)}`);
    const text = mail.renderNote!(parsed.advisory!, { config, now, preview: false, all: [] }).map((file) => Buffer.from(file.contents).toString('utf8')).join('\n');
    for (const name of sections.filter((name) => name !== 'Contacts / References')) expect(text).toContain(`### ${name} ###`);
  });

  it('points at a section heading under the level of the others', () => {
    const text = `# Summary\n\nText.\n\n${body(sections.slice(1))}`;
    const found = findings(text);
    expect(found.map((m) => `${m.line}:${m.column} ${m.message}`)).toEqual([
      '13:1 Section "Affected Services / Software" is missing: its heading "Affected Services / Software" is level 2 ("##"), under the level-1 section headings ("# Summary")',
      '17:1 Section "Discussion" is missing: its heading "Discussion" is level 2 ("##"), under the level-1 section headings ("# Summary")',
      '21:1 Section "Recommended Actions" is missing: its heading "Recommended Actions" is level 2 ("##"), under the level-1 section headings ("# Summary")',
      '25:1 Section "Contacts / References" is missing: its heading "Contacts / References" is level 2 ("##"), under the level-1 section headings ("# Summary")',
    ]);
    expect(new Set(found.map((m) => m.hint))).toEqual(new Set(['Give every section heading the same level; the note template uses "##".']));
  });

  it('points at a misspelt section heading and names the section it was meant to be', () => {
    const text = body(['Summary', 'Affected Services / Software', 'Discusion', 'Recomended Actions', 'Contacts / References']);
    expect(findings(text)).toEqual([
      { ruleId: 'section-missing', message: 'Section "Discussion" is missing; did you mean the heading "Discusion"?', line: 17, column: 1, hint: 'Write the heading as "## Discussion".' },
      { ruleId: 'section-missing', message: 'Section "Recommended Actions" is missing; did you mean the heading "Recomended Actions"?', line: 21, column: 1, hint: 'Write the heading as "## Recommended Actions".' },
    ]);
    // A body without any heading is told the template's level, at its end.
    expect(findings('Just a paragraph.\n').map((m) => `${m.line}:${m.column} ${m.hint}`)).toEqual(sections.map((name) => `9:18 Add a heading "## ${name}" with its content at the end of the note.`));
  });

  it('points at where a section that is not there should go, and says which section it follows', () => {
    expect(findings(body(['Summary', 'Discussion', 'Recommended Actions', 'Contacts / References']))).toEqual([
      { ruleId: 'section-missing', message: 'Section "Affected Services / Software" is missing: it follows "Summary", here above "Discussion"', line: 13, column: 1, hint: 'Add a heading "## Affected Services / Software" with its content above "Discussion".' },
    ]);
    // The first section goes above the first the note has; the last, after the body's last line.
    expect(findings(body(['Affected Services / Software', 'Recommended Actions']))).toEqual([
      { ruleId: 'section-missing', message: 'Section "Summary" is missing: it comes first, here above "Affected Services / Software"', line: 9, column: 1, hint: 'Add a heading "## Summary" with its content above "Affected Services / Software".' },
      { ruleId: 'section-missing', message: 'Section "Discussion" is missing: it follows "Affected Services / Software", here above "Recommended Actions"', line: 13, column: 1, hint: 'Add a heading "## Discussion" with its content above "Recommended Actions".' },
      { ruleId: 'section-missing', message: 'Section "Contacts / References" is missing: it follows "Recommended Actions", here at the end of the note', line: 15, column: 29, hint: 'Add a heading "## Contacts / References" with its content at the end of the note.' },
    ]);
    // Sections out of order: the next of those that follow it, wherever the note has it.
    expect(findings(body(['Summary', 'Contacts / References', 'Discussion', 'Recommended Actions'])).map((m) => `${m.line}:${m.column} ${m.message}`)).toEqual([
      '13:1 Section "Affected Services / Software" is missing: it follows "Summary", here above "Contacts / References"',
    ]);
  });
});

describe('config blocks of a step', () => {
  it('warns about a config block without file=, suggesting the file the step names', () => {
    const actions = [
      '1. Turn redirects off in `/etc/glance/glance-api.conf`:',
      '',
      '   ```ini',
      '   [DEFAULT]',
      '   follow_redirects = False',
      '   ```',
      '',
      '2. Set the same in the proxy and in the worker:',
      '',
      '   ```yaml',
      '   redirects: false',
      '   ```',
      '',
      '3. Check the log:',
      '',
      '   ```text',
      '   follow_redirects = False',
      '   ```',
    ].join('\n');
    const parsed = note(body(sections).replace('Text of Recommended Actions.', actions));
    expect(parsed.advisory!.steps.map((step) => step.configEdits.length)).toEqual([0, 0, 0]);
    const found = lintNote(parsed, config, now).filter((m) => m.ruleId === 'config-block-no-file');
    expect(found.map(({ severity, message, line, column, hint }) => ({ severity, message, line, column, hint }))).toEqual([
      {
        severity: 'warning',
        message: "Step 1's ini block names no file: the checklist, the exports and the wiki read no config edit from it",
        line: 25,
        column: 4,
        hint: "Name the file in the block's info string: ```ini file=/etc/glance/glance-api.conf (the file the step names).",
      },
      {
        severity: 'warning',
        message: "Step 2's yaml block names no file: the checklist, the exports and the wiki read no config edit from it",
        line: 32,
        column: 4,
        hint: "Name the file in the block's info string: ```yaml file=/path/of/the/file.",
      },
    ]);
  });
});

describe('the template\u2019s sections once each, in order, none empty', () => {
  const structure = (text: string) =>
    lintNote(note(text), config, now)
      .filter((m) => ['section-duplicate', 'section-order', 'section-empty'].includes(m.ruleId))
      .map(({ ruleId, severity, line }) => `${line} ${severity} ${ruleId}`);

  it('says nothing of the template\u2019s order', () => {
    expect(structure(body(sections))).toEqual([]);
  });

  it('warns of a section out of order, refuses one written twice, and warns of an empty one (but Recommended Actions, step-empty\u2019s)', () => {
    const [summary, affected, discussion, actions, contacts] = sections;
    const text = [`## ${summary}\n`, body([affected!, actions!, discussion!, contacts!, discussion!]), `## Extra\n\nA section of the note's own, anywhere.\n`].join('\n');
    const lines = text.split('\n');
    const at = (heading: string, nth = 0) => lines.map((line, index) => (line === heading ? index + 9 : -1)).filter((index) => index > 0)[nth];
    expect(structure(text)).toEqual([`${at('## Discussion')} warning section-order`, `${at('## Discussion', 1)} error section-duplicate`, `${at('## Summary')} warning section-empty`]);
  });
});

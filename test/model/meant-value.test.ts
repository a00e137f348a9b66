/** A value outside a field's allowed set names the one the author most likely meant, in the message and the hint. */
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.ts';
import { parseNote } from '../../src/model/load.ts';

const note = (severity: string, ecosystem: string) =>
  `---\nid: OSSN-0001\ntitle: An example\ndate: 2024-01-01\nstatus: draft\nseverity: ${severity}\naffects:\n  - { product: OpenSSL, package: openssl, ecosystem: ${ecosystem}, fixed: "1.0" }\n---\n\n## Summary\n\nText.\n`;

function typeMessages(severity: string, ecosystem: string) {
  return parseNote('notes/OSSN-0001.md', note(severity, ecosystem), { config: defaultConfig(), now: new Date('2024-02-01T00:00:00Z') }).messages.filter((m) => m.ruleId === 'schema-type');
}

describe('did you mean, for allowed values', () => {
  it.each([
    ['debian', 'deb', 'hint'],
    ['Deb', 'deb', 'case'],
    ['pipy', 'pypi', 'typo'],
  ])('ecosystem %j: "%s" (%s)', (written, meant) => {
    const [found, ...rest] = typeMessages('low', written);
    expect(rest).toEqual([]);
    expect(found).toMatchObject({ line: 8, message: expect.stringMatching(new RegExp(`\\(received string "${written}"\\); did you mean "${meant}"\\?$`)), hint: `Write ecosystem: ${meant}.` });
  });

  it('a misspelt severity, and nothing to suggest for a value far from every allowed one', () => {
    expect(typeMessages('hihg', 'deb')[0]).toMatchObject({ line: 6, column: 11, hint: 'Write severity: high.' });
    const [far] = typeMessages('low', 'ubuntu');
    expect(far!.message).not.toContain('did you mean');
    expect(far!.hint).toBe('Use the type and value the message names.');
  });
});

describe('a date written another way', () => {
  const dateHint = (date: string, revision = '2024-01-02') =>
    parseNote('notes/OSSN-0001.md', `---\nid: OSSN-0001\ntitle: An example\ndate: ${date}\nstatus: draft\nrevisions:\n  - { date: ${revision}, summary: Later. }\n---\n\n## Summary\n\nText.\n`, { config: defaultConfig(), now: new Date('2024-02-01T00:00:00Z') })
      .messages.filter((m) => m.ruleId === 'schema-type')
      .map(({ line, hint }) => `${line} ${hint}`);

  it.each([
    ['2024-1-5', 'Write date: 2024-01-05.'],
    ['2024/01/05', 'Write date: 2024-01-05.'],
    ['20240105', 'Write date: 2024-01-05.'],
    ['2024-01-05T10:00:00Z', 'Write date: 2024-01-05.'],
    ['"5 January 2024"', 'Write date: 2024-01-05.'],
    ['"Jan 5th, 2024"', 'Write date: 2024-01-05.'],
    ['25/01/2024', 'Write date: 2024-01-25.'],
    ['05/01/2024', 'Write date: 2024-01-05 or date: 2024-05-01, whichever day was meant (YYYY-MM-DD).'],
    ['yesterday', 'Write the date as year, month and day: date: 2014-04-07.'],
    ['2024-02-30', 'Write a day the calendar has: the month 01 to 12, the day within that month.'],
  ])('%s', (written, hint) => {
    expect(dateHint(written)).toEqual([`4 ${hint}`]);
  });

  it('in a revision too', () => {
    expect(dateHint('2024-01-01', '2024-1-20')).toEqual(['7 Write date: 2024-01-20.']);
  });
});

describe('a number in quotes, a value left out', () => {
  const hints = (expect_: string) =>
    parseNote('notes/OSSN-0001.md', `---\nid: OSSN-0001\ntitle: An example\ndate: 2024-01-01\nstatus: draft\nverify:\n  - id: up\n    run:\n    expect: ${expect_}\n---\n\n## Summary\n\nText.\n`, { config: defaultConfig(), now: new Date('2024-02-01T00:00:00Z') })
      .messages.filter((m) => m.ruleId === 'schema-type')
      .map(({ line, hint }) => `${line} ${hint}`);

  it('says to write the number without quotes, and the value after its colon', () => {
    expect(hints('{ exit: "0" }')).toEqual(['8 Write the value of "run" after its colon.', '9 Write exit: 0, without quotes.']);
  });
});

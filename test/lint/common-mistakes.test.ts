/** Forms a note gets wrong: one value where a list is wanted, an image the site cannot serve. */
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.ts';
import { lintNote } from '../../src/lint/run.ts';
import { parseNote } from '../../src/model/load.ts';

const config = configSchema.parse({ mail: { from: 'Security <security@example.org>', lists: [{ name: 'announce', address: 'announce@lists.example.org' }] } });
const now = new Date('2024-02-01T00:00:00Z');

describe('one value where a list is wanted', () => {
  it('shows the same value written as a list', () => {
    const text = ['---', 'id: OSSN-0001', 'title: An example', 'date: 2024-01-01', 'status: draft', 'cve: CVE-2014-0160', 'aliases: "GHSA: x"', '---', '', '## Summary', ''].join('\n');
    // (The body's own findings, its missing sections, come after.)
    const found = parseNote('notes/OSSN-0001.md', text, { config, now }).messages.filter((m) => m.line < 8).map(({ line, hint }) => ({ line, hint }));
    expect(found).toEqual([
      { line: 6, hint: 'Write it as a list, even of one: cve: [CVE-2014-0160].' },
      { line: 7, hint: 'Write it as a list, even of one: aliases: ["GHSA: x"].' },
    ]);
  });
});

describe('images', () => {
  it('warns about an image the site cannot show (relative, or on another host) and refuses one over http, at their places', () => {
    const body = 'See ![the flow](flow.png), <img src="x.svg" alt="raw">, ![own](https://security.example.org/flow.png), ![ok](https://example.org/a.png) and ![old](http://example.org/b.png). <iframe src="https://example.org/frame"></iframe>';
    const text = ['---', 'id: OSSN-0001', 'title: An example', 'date: 2024-01-01', 'status: draft', 'lists: [announce]', '---', '', '## Summary', '', body, ''].join('\n');
    const found = lintNote(parseNote('notes/OSSN-0001.md', text, { config, now }), config, now)
      .filter((m) => m.ruleId.startsWith('image-') || m.ruleId === 'url-not-https')
      .map(({ ruleId, message, column, hint }) => ({ ruleId, message, column, hint }));
    const hint = 'Link to the image instead of showing it ([what it shows](https://…)), or serve it from security.example.org and write its full URL.';
    expect(config.site.base_url).toBe('https://security.example.org/');
    expect(found).toEqual([
      { ruleId: 'image-relative', message: 'Image "flow.png" is relative: herald publishes no file beside a note, so the page and the wiki would show it broken (the mail and the feeds show it as its alt text)', column: 5, hint },
      { ruleId: 'image-relative', message: 'Image "x.svg" is relative: herald publishes no file beside a note, so the page and the wiki would show it broken (the mail and the feeds show it as its alt text)', column: 28, hint },
      { ruleId: 'image-external', message: 'Image "https://example.org/a.png" is on another host: the site\'s Content-Security-Policy (img-src \'self\') does not load it, so the page would show it broken', column: body.indexOf('![ok]') + 1, hint },
      { ruleId: 'url-not-https', message: 'Link "http://example.org/b.png" is not https', column: body.indexOf('![old]') + 1, hint: 'Use https://example.org/b.png' },
    ]);
  });
});

describe('values a character off', () => {
  it('says a version is only wrong for its spaces, and shows a file path from the root', () => {
    const note = (affects: string, verify: string) =>
      ['---', 'id: OSSN-0001', 'title: An example', 'date: 2024-01-01', 'status: draft', 'lists: [announce]', affects, verify, '---', '', '## Summary', ''].join('\n');
    const spaced = parseNote('notes/OSSN-0001.md', note('affects: [{ product: Glance, package: glance, ecosystem: pypi, fixed: "27.0.1 " }]', ''), { config, now });
    expect(lintNote(spaced, config, now).filter((m) => m.ruleId === 'affects-invalid-version').map(({ message, hint }) => ({ message, hint }))).toEqual([
      { message: '"27.0.1 " (fixed of glance) is not a valid pypi version: it has spaces around it', hint: 'Write fixed: "27.0.1".' },
    ]);
    const relative = parseNote('notes/OSSN-0001.md', note('', 'verify: [{ id: conf, title: the setting is on, file: etc/glance/glance-api.conf, expect: { present: "^x" } }]'), { config, now });
    expect(relative.messages.filter((m) => m.ruleId === 'schema-type').map(({ message, hint }) => ({ message, hint }))).toEqual([
      { message: '"verify[0].file" must be an absolute path (received string "etc/glance/glance-api.conf")', hint: 'Write it from the root: file: /etc/glance/glance-api.conf.' },
    ]);
  });
});

describe('YAML', () => {
  it('points at the bracket a flow list or mapping never closes, not at the next line', () => {
    const at = (line: string) =>
      parseNote('notes/OSSN-0001.md', ['---', 'id: OSSN-0001', line, 'date: 2024-01-01', 'status: draft', '---', '', '## Summary', ''].join('\n'), { config, now }).messages.map(
        (m) => `${m.line}:${m.column} ${m.ruleId}`,
      );
    expect(at('title: [draft')).toEqual(['3:8 yaml-syntax']);
    expect(at('title: An example\ncve: [CVE-2014-0160, {x: 1]')).toContain('4:22 yaml-syntax');
  });
});

describe('a stray "---" in the front matter', () => {
  const lint = (lines: string[]) => {
    const parsed = parseNote('notes/OSSN-0001.md', lines.join('\n'), { config, now });
    return [...parsed.messages, ...lintNote(parsed, config, now)].filter((m) => m.ruleId === 'frontmatter-closed-early');
  };

  it('says the fields after it are body text, at the first of them, whether the note is valid without them or not', () => {
    expect(lint(['---', 'id: OSSN-0001', 'title: An example', 'date: 2024-01-01', 'status: draft', '---', 'lists: [announce]', 'credits: [{ name: Someone }]', '---', '', '## Summary', '', 'Text.', ''])).toEqual([
      expect.objectContaining({ line: 7, column: 1, severity: 'error', message: '"lists:" is a front-matter field, but it is body text: the front matter ended at the "---" of line 6' }),
    ]);
    // Without its status the front matter fails its schema: the cause is said beside schema-required.
    expect(lint(['---', 'id: OSSN-0001', 'title: An example', 'date: 2024-01-01', '---', 'status: draft', 'lists: [announce]', '---', '', '## Summary', '', 'Text.', ''])).toEqual([
      expect.objectContaining({ line: 6, column: 1, message: '"status:" is a front-matter field, but it is body text: the front matter ended at the "---" of line 5' }),
    ]);
  });

  it('says nothing of body text that only starts like a field, after a heading, in code, or of a word that is no field', () => {
    const head = ['---', 'id: OSSN-0001', 'title: An example', 'date: 2024-01-01', 'status: draft', 'lists: [announce]', '---', ''];
    expect(lint([...head, 'note: this is prose.', '', '## Summary', '', 'severity: high, as below.', ''])).toEqual([]);
    expect(lint([...head, '```yaml', 'severity: high', '```', '', '## Summary', '', 'Text.', ''])).toEqual([]);
  });
});

describe('bare URLs', () => {
  it('are located at the URL itself, on any line of a paragraph, and named as written', () => {
    const body = ['Mirror: see http://mirror.example.org/qemu for packages,', 'and www.bare.example or http://mirror.example.org/qemu again.'];
    const text = ['---', 'id: OSSN-0001', 'title: An example', 'date: 2024-01-01', 'status: draft', 'lists: [announce]', '---', '', '## Summary', '', ...body, ''].join('\n');
    const found = lintNote(parseNote('notes/OSSN-0001.md', text, { config, now }), config, now)
      .filter((m) => m.ruleId === 'url-not-https')
      .map(({ message, line, column, hint }) => ({ message, line, column, hint }));
    expect(found).toEqual([
      { message: 'Link "http://mirror.example.org/qemu" is not https', line: 11, column: 13, hint: 'Use https://mirror.example.org/qemu' },
      { message: 'Link "www.bare.example" is not https', line: 12, column: 5, hint: 'Use https://www.bare.example' },
      { message: 'Link "http://mirror.example.org/qemu" is not https', line: 12, column: 25, hint: 'Use https://mirror.example.org/qemu' },
    ]);
  });
});

describe('a code block never closed', () => {
  const head = ['---', 'id: OSSN-0001', 'title: An example', 'date: 2024-01-01', 'status: draft', 'lists: [announce]', '---', '', '## Summary', ''];
  const unclosed = (lines: string[]) =>
    lintNote(parseNote('notes/OSSN-0001.md', [...head, ...lines].join('\n'), { config, now }), config, now)
      .filter((m) => m.ruleId === 'code-fence-unclosed')
      .map(({ line, column, severity }) => `${line}:${column} ${severity}`);

  it('is an error at its opening fence, at the top level, in a list item and in a quote', () => {
    expect(unclosed(['Text.', '', '```sh', 'echo one', '', '## Discussion', '', 'Read as code.', ''])).toEqual(['13:1 error']);
    expect(unclosed(['1. **Do it.**', '', '   ```sh', '   echo one', '', 'Text after the list.', ''])).toEqual(['13:4 error']);
    expect(unclosed(['> ~~~', '> quoted', '', 'Text.', ''])).toEqual(['11:3 error']);
  });

  it('says nothing of blocks closed by a fence as long or longer, indented or quoted as they are', () => {
    expect(unclosed(['```sh', 'echo one', '````', '', '1. **Do it.**', '', '   ```', '   echo two', '   ```', '', '> ~~~', '> quoted', '> ~~~', '', '    indented code', ''])).toEqual([]);
  });
});

describe('YAML mistakes', () => {
  const yaml = (lines: string[]) => parseNote('notes/OSSN-0001.md', ['---', ...lines, '---', '', '## Summary', '', 'Text.', ''].join('\n'), { config, now }).messages.map(({ ruleId, message, line, column, hint }) => ({ ruleId, message, line, column, hint }));

  it('names a key written twice, and says to indent with spaces', () => {
    expect(yaml(['id: OSSN-0001', 'title: A', 'title: B', 'date: 2024-01-01', 'status: draft'])).toEqual([
      { ruleId: 'yaml-syntax', message: 'YAML: the key "title" is written twice in one mapping', line: 4, column: 1, hint: 'Keep one of the two: a mapping holds each key once.' },
    ]);
    expect(yaml(['id: OSSN-0001', 'title: A', '\tdate: 2024-01-01', 'status: draft'])[0]).toMatchObject({ ruleId: 'yaml-syntax', line: 4, hint: 'Indent with spaces: YAML does not allow tabs in indentation.' });
  });

  it('points at a collection used as a key, not at the first line of the front matter', () => {
    const unknown = (lines: string[]) => yaml(['id: OSSN-0001', 'title: A', 'date: 2024-01-01', 'status: draft', ...lines]).filter((m) => m.ruleId === 'schema-unknown-key').map(({ message, line, column }) => ({ message, line, column }));
    expect(unknown(['[a, b]: x'])).toEqual([{ message: 'Unknown field "[ a, b ]"', line: 6, column: 1 }]);
    expect(unknown(['? [a, b]', ': x'])).toEqual([{ message: 'Unknown field "[ a, b ]"', line: 6, column: 3 }]);
    expect(unknown(['? - a', '  - "b c"', ': x', '{ k: 1 }: y'])).toEqual([
      { message: 'Unknown field "[ a, "b c" ]"', line: 6, column: 3 },
      { message: 'Unknown field "{ k: 1 }"', line: 9, column: 1 },
    ]);
    // Inside a field too, in block and flow style.
    expect(unknown(['affects:', '  - product: Foo', '    ecosystem: generic', '    ? [x]', '    : 1', '  - { product: Bar, ecosystem: generic, [y]: 2 }'])).toEqual([
      { message: 'Unknown field "[ x ]" in affects[0]', line: 9, column: 7 },
      { message: 'Unknown field "[ y ]" in affects[1]', line: 11, column: 41 },
    ]);
  });

  it('says that a value starting with "#" was read as a comment, and to quote it', () => {
    const found = yaml(['id: OSSN-0001', 'title: #2 fix for the parser', 'date: 2024-01-01', 'status: draft', 'lists: [announce]']).filter((m) => m.line < 7);
    expect(found).toEqual([
      { ruleId: 'schema-type', message: '"title" is empty: "#2 fix for the parser" after it is a YAML comment, as a "#" after a space starts one', line: 3, column: 8, hint: 'If that is the value, quote it: title: "#2 fix for the parser".' },
    ]);
    // A comment set further off is meant as one: the usual message.
    expect(yaml(['id: OSSN-0001', 'title:    # to do', 'date: 2024-01-01', 'status: draft'])[0]?.message).toBe('"title" must be a string (received null)');
  });
});

describe('a front matter that fails its schema', () => {
  it('does not hide what is wrong in the body: both are said in one run', () => {
    const text = ['---', 'id: OSSN-0001', 'title: An example', 'date: 2024-01-01', 'status: draft', 'severty: high', 'lists: [announce]', '---', '', '## Summary', '', 'See http://example.org/x.', '', '## Discusion', '', 'Text.', ''].join('\n');
    const found = parseNote('notes/OSSN-0001.md', text, { config, now }).messages.map(({ ruleId, line }) => `${line} ${ruleId}`);
    expect(found).toEqual(expect.arrayContaining(['6 schema-unknown-key', '12 url-not-https', '14 section-missing']));
  });

  it('says what is wrong in the fields that are right, at their places, and nothing about the fields in error', () => {
    const text = [
      '---',
      'id: OSSN-0001',
      'title: An example',
      'date: 2025-01-01',
      'status: draft',
      'severity: bogus',
      'lists: [announce]',
      'references:',
      '  - { url: "http://example.org/a", type: web }',
      'revisions:',
      '  - { date: 2024-03-01, summary: Later. }',
      '---',
      '',
      '## Summary',
      '',
      'Text.',
      '',
    ].join('\n');
    const found = parseNote('notes/OSSN-0001.md', text, { config, now }).messages.filter((m) => m.line < 12).map(({ ruleId, line, column, message }) => ({ ruleId, at: `${line}:${column}`, message }));
    expect(found).toEqual([
      { ruleId: 'schema-type', at: '6:11', message: expect.stringContaining('"severity" must be one of') },
      { ruleId: 'date-future', at: '4:7', message: 'Date 2025-01-01 is after today (2024-02-01)' },
      { ruleId: 'date-future', at: '11:13', message: 'Revision 1 is dated 2024-03-01, after today (2024-02-01)' },
      { ruleId: 'revisions-order', at: '11:13', message: 'Revision 1 (2024-03-01) is dated before the publication date (2025-01-01, line 4)' },
      { ruleId: 'url-not-https', at: '9:5', message: expect.stringContaining('http://example.org/a') },
    ]);
    // A field in error is said once, by the schema: the stand-in's placeholder for it says nothing.
    const broken = text.replace('date: 2025-01-01', 'date: 2025-13-01');
    const dateFindings = parseNote('notes/OSSN-0001.md', broken, { config, now }).messages.filter((m) => m.line === 4);
    expect(dateFindings.map((m) => m.ruleId)).toEqual(['schema-type']);
  });

  it('reads the verify entries with the packages and schemes an affects entry in error gives them, so its mistake is said once', () => {
    const head = ['---', 'id: OSSN-0001', 'title: An example', 'date: 2024-01-01', 'status: draft', 'lists: [announce]'];
    const checks = ['verify:', ...['nova-novncproxy', 'nova-novnc'].map((name, i) => `  - { id: c${i}, run: "dpkg-query -W -f='\${Version}\\\\n' ${name}", expect: { version: '>= 1.0-1' }, not_installed: pass }`)];
    const note = (affected: string) => [...head, 'affects:', `  - { product: Nova, package: nova-novncproxy, ecosystem: deb, ${affected} }`, ...checks, '---', '', '## Summary', '', 'Text.', ''].join('\n');
    const found = (affected: string) =>
      parseNote('notes/OSSN-0001.md', note(affected), { config, now })
        .messages.filter((m) => m.line < 13)
        .map(({ ruleId, line }) => `${line} ${ruleId}`);
    // A misspelled key, an unquoted number as a version: that field's error, and the real typo in the second check.
    expect(found('release: [Juno]')).toEqual(['8 schema-unknown-key', '11 verify-package-unknown']);
    expect(found('fixed: 2014.1')).toEqual(['8 schema-type', '11 verify-package-unknown']);
  });

  it('says what is wrong in a verify command and in a value cut by a comment, which lint places in the front matter as written', () => {
    const text = [
      '---',
      'id: OSSN-0001',
      'title: An example',
      'date: 2024-13-01',
      'status: draft',
      'lists: [announce]',
      'references:',
      '  - url: https://example.org/a',
      '    title: Fix #2 of the parser',
      'verify:',
      "  - { id: nova-fixed, run: \"dpkg-query -W -f='${Version}' nova | grep -q 'x\", expect: { exit: 0 } }",
      '---',
      '',
      '## Summary',
      '',
      'Text.',
      '',
    ].join('\n');
    const found = parseNote('notes/OSSN-0001.md', text, { config, now }).messages.filter((m) => m.line < 12).map(({ ruleId, line, column }) => `${line}:${column} ${ruleId}`);
    expect(found).toEqual(['4:7 schema-type', '11:74 verify-command-syntax', '9:16 yaml-comment-in-value']);
  });
});

describe('revisions out of order', () => {
  const found = (dates: readonly string[]) => {
    const text = ['---', 'id: OSSN-0001', 'title: An example', 'date: 2024-01-10', 'status: draft', 'lists: [announce]', 'revisions:', ...dates.map((date, i) => `  - { date: ${date}, summary: R${i + 1}. }`), '---', '', '## Summary', '', 'Text.', ''].join('\n');
    return lintNote(parseNote('notes/OSSN-0001.md', text, { config, now }), config, now)
      .filter((m) => m.ruleId === 'revisions-order')
      .map(({ line, message, hint }) => ({ line, message, hint }));
  };

  it('names the two revisions out of order, with their dates and lines, and which entry to move where', () => {
    expect(found(['2024-01-20', '2024-01-15'])).toEqual([
      { line: 9, message: 'Revision 2 (2024-01-15) is dated before revision 1 (2024-01-20, line 8), which is listed above it', hint: 'Revisions are listed oldest first: move this entry up, above revision 1 (2024-01-20, line 8), or correct whichever of the two dates is wrong.' },
    ]);
    // The entry goes above the first one dated after it, which need not be the latest before it.
    expect(found(['2024-01-12', '2024-01-14', '2024-01-20', '2024-01-13'])).toEqual([
      { line: 11, message: 'Revision 4 (2024-01-13) is dated before revision 3 (2024-01-20, line 10), which is listed above it', hint: 'Revisions are listed oldest first: move this entry up, above revision 2 (2024-01-14, line 9), or correct whichever of the two dates is wrong.' },
    ]);
  });

  it('says a revision dated before the publication is to be dated again, not moved, and where the publication date is', () => {
    expect(found(['2024-01-20', '2024-01-05'])).toEqual([
      { line: 9, message: 'Revision 2 (2024-01-05) is dated before the publication date (2024-01-10, line 4)', hint: 'No revision comes before the publication: correct this date, or the note\'s `date` (line 4) if that is the wrong one.' },
    ]);
  });
});

describe('control characters and Unicode line breaks', () => {
  it('are said where they are: in the body by position, in a front-matter value (a YAML escape writes one unseen) at its field, once', () => {
    const text = [
      '---',
      'id: OSSN-0001',
      'title: An example',
      'date: 2024-01-01',
      'status: withdrawn',
      'withdrawn_reason: "Superseded.\\N- hosts: all"',
      'lists: [announce]',
      'verify:',
      '  - { id: cfg, title: Config, file: /etc/hostname, expect: { absent: "^x\\L#" } }',
      '---',
      '',
      '## Summary',
      '',
      'Text\u0085 and \u001b[2J here.',
      '',
    ].join('\n');
    const found = lintNote(parseNote('notes/OSSN-0001.md', text, { config, now }), config, now)
      .concat(parseNote('notes/OSSN-0001.md', text, { config, now }).messages)
      .filter((m) => m.ruleId.endsWith('control-char'))
      .map(({ ruleId, line, column, message }) => `${line}:${column} ${ruleId} ${message.split(':')[0]}`);
    expect(found.sort()).toEqual([
      '14:11 control-char U+001B (ESCAPE)',
      '14:5 control-char U+0085 (NEXT LINE)',
      '6:19 control-char "withdrawn_reason" holds U+0085 (NEXT LINE)',
      '9:70 control-char "verify[0].expect.absent" holds U+2028 (LINE SEPARATOR)',
    ]);
  });
});

describe("a blog post's slug from its file name", () => {
  const post = (file: string, front: string[] = []) =>
    parseNote(`notes/${file}`, ['---', 'layout: post', 'title: Hello', ...front, '---', '', 'Hello.', ''].join('\n'), { config, now }).messages.filter((m) => m.ruleId === 'schema-type').map(({ line, column, message, hint }) => ({ at: `${line}:${column}`, message, hint }));

  it('is held to what `slug:` may be: a name with a newline, brackets or ".." would reach the shell export, the wiki index and the paths', () => {
    expect(post('2014-04-10-hello\nS=x; touch pwned\n#.md')).toEqual([
      { at: '1:1', message: 'Blog post slug "2014-04-10-hello\\nS=x; touch pwned\\n#" (from the file name) must be letters, digits and dashes: it names the post\'s page, files and wiki page', hint: 'Rename the file (YYYY-MM-DD-slug.md), or set `slug:` in the front matter.' },
    ]);
    expect(post('2014-04-10-x]]{{Tpl}}[[Category:Pwn]].md')).toHaveLength(1);
    expect(post('2014-04-10-...md')).toHaveLength(1);
    expect(post('2014-04-10-a-good-one.md')).toEqual([]);
    // `slug:` names it instead, and is checked by the schema.
    expect(post('2014-04-10-x]].md', ['slug: fine'])).toEqual([]);
  });

  it('may not name a file herald makes from every advisory', () => {
    for (const name of ['index', 'all', 'schema']) expect(post(`2014-04-10-${name}.md`)[0]?.message).toMatch(/names a file herald makes from every advisory/);
    expect(post('2014-04-10-hello.md', ['slug: index'])[0]?.at).toBe('4:7');
  });
});

describe('two verify entries that share an id', () => {
  it('are said at the second, and what is wrong in the second at its own fields', () => {
    const text = [
      '---',
      'id: OSSN-0001',
      'title: An example',
      'date: 2024-01-01',
      'status: draft',
      'lists: [announce]',
      'verify:',
      '  - { id: nova-fixed, run: "true", expect: { exit: 0 } }',
      '  - { id: nova-fixed, run: "uname -r", expect: { stdout: "(" } }',
      '---',
      '',
      '## Summary',
      '',
      'Text.',
      '',
    ].join('\n');
    const found = lintNote(parseNote('notes/OSSN-0001.md', text, { config, now }), config, now).map(({ ruleId, line, column }) => `${line}:${column} ${ruleId}`);
    expect(found).toEqual(expect.arrayContaining(['9:11 verify-duplicate-id', '9:58 verify-invalid-regex']));
  });
});

/** `herald new`: a note from the template, and the lint rule that keeps the template's examples off a published note. */
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.ts';
import { lintNote } from '../../src/lint/run.ts';
import { parseNote } from '../../src/model/load.ts';
import { setScalarField } from '../../src/workflow/front-matter-field.ts';
import { heraldNoteTemplate } from '../../src/workflow/init.ts';
import { newNote, slugOf } from '../../src/workflow/new-note.ts';
import { runCli } from '../support/cli.ts';
import { temporaryFolders } from '../support/temp-dirs.ts';

const temporary = temporaryFolders();

const now = new Date('2026-01-15T12:00:00Z');

describe('slugOf', () => {
  it.each([
    ["Live migration leaves libvirt's TCP port open", 'live-migration-leaves-libvirts-tcp-port-open'],
    ['Nova: résumé of “quoted” IDs — CVE-2014-0160', 'nova-resume-of-quoted-ids-cve-2014-0160'],
    ['A very long title that keeps going well past the length a file name should have', 'a-very-long-title-that-keeps-going-well-past-the'],
    ['Supercalifragilisticexpialidocious-and-then-some-more-letters-than-fit', 'supercalifragilisticexpialidocious-and-then-some'],
    ['日本語のタイトル', ''],
  ])('%s', (title, slug) => {
    expect(slugOf(title)).toBe(slug);
    expect(slug.length).toBeLessThanOrEqual(48);
  });
});

describe('setScalarField', () => {
  it('changes one value, quoting it only where YAML needs it, and keeps every other byte', () => {
    const text = '---\r\n# comment\r\ntitle: "old"  # kept\r\ndate: 2016-01-01\r\n---\r\nbody\r\n';
    expect(setScalarField(text, 'title', 'new: with a colon')).toBe('---\r\n# comment\r\ntitle: "new: with a colon"  # kept\r\ndate: 2016-01-01\r\n---\r\nbody\r\n');
    expect(setScalarField(text, 'date', '2026-01-15')).toBe('---\r\n# comment\r\ntitle: "old"  # kept\r\ndate: 2026-01-15\r\n---\r\nbody\r\n');
    expect(setScalarField(text, 'missing', 'x')).toBeUndefined();
    expect(setScalarField('---\nauthors: [a]\n---\n', 'authors', 'x')).toBeUndefined();
  });
});

describe('newNote', () => {
  it('fills in the id, title and date, and the result parses back to them', async () => {
    const template = await heraldNoteTemplate('ACME-XXXX');
    const title = 'Tokens: "#1" leaks & other: things';
    const note = newNote({ template, templatePath: 't.md', placeholder: 'ACME-XXXX', title, date: '2026-01-15', today: '2026-01-15', lists: ['announce'] });
    expect(note.fileName).toBe('ACME-XXXX-tokens-1-leaks-other-things.md');
    const config = { ...defaultConfig(), ids: { prefix: 'ACME' } };
    const parsed = parseNote(`notes/${note.fileName}`, note.text, { config, now });
    expect(parsed.advisory).toMatchObject({ id: 'ACME-XXXX', title, date: '2026-01-15', status: 'draft' });
    // Only the title and date differ from the template (its id is the placeholder already).
    const changed = note.text.split('\n').filter((line, index) => line !== template.split('\n')[index]);
    expect(changed.map((line) => line.split(':')[0])).toEqual(['title', 'date']);
  });

  it('names the author after git\'s user, quoting what a flow map needs quoted, and only in place of the example', async () => {
    const template = await heraldNoteTemplate('OSSN-XXXX');
    const input = { template, templatePath: 't.md', placeholder: 'OSSN-XXXX', title: 'A title', date: '2026-01-15', today: '2026-01-15', lists: ['announce'] };
    const config = { ...defaultConfig(), ids: { prefix: 'OSSN' } };
    const authors = (text: string) => parseNote('notes/OSSN-XXXX.md', text, { config, now }).advisory!.authors;
    expect(authors(newNote({ ...input, author: { name: 'Reyes, Dana [PSIRT]', email: 'dana@example.net' } }).text)).toEqual([{ name: 'Reyes, Dana [PSIRT]', affiliation: 'Your Team', email: 'dana@example.net' }]);
    expect(authors(newNote({ ...input, author: { name: 'Only A Name' } }).text)).toEqual([{ name: 'Only A Name', affiliation: 'Your Team', email: 'you@example.org' }]);
    const ownAuthor = template.replace('name: Your Name', 'name: Kept As Is');
    expect(authors(newNote({ ...input, template: ownAuthor, author: { name: 'Someone Else' } }).text)[0]!.name).toBe('Kept As Is');
  });

  it.each([
    [{ title: '  ' }, 'must not be empty'],
    [{ title: 'two\nlines' }, 'one line'],
    [{ title: 'x'.repeat(101) }, '101 characters long; the limit is 100'],
    [{ date: '2026-02-30' }, '--date must be a day written YYYY-MM-DD'],
    [{ slug: 'Not A Slug' }, '--slug must be lower-case'],
    [{ template: '---\nid: X\n---\n' }, 'has no `title:` field'],
    [{ title: 'Bidi \u202e title' }, 'invisible bidirectional control character'],
    [{ date: '2026-01-16' }, '--date 2026-01-16 is in the future'],
  ])('refuses %j', async (change, words) => {
    const input = { template: await heraldNoteTemplate('OSSN-XXXX'), templatePath: 't.md', placeholder: 'OSSN-XXXX', title: 'A title', date: '2026-01-15', today: '2026-01-15', lists: ['announce'], ...change };
    expect(() => newNote(input)).toThrow(words);
  });

  it('names a configured list where the template names one the config lacks, and none when no list is configured', async () => {
    const template = await heraldNoteTemplate('OSSN-XXXX');
    const input = { template, templatePath: 't.md', placeholder: 'OSSN-XXXX', title: 'A title', date: '2026-01-15', today: '2026-01-15' };
    expect(template).toMatch(/^lists: \[announce\]$/m);
    expect(newNote({ ...input, lists: ['security-announce', 'other'] }).text).toMatch(/^lists: \[security-announce\]$/m);
    expect(newNote({ ...input, lists: ['other', 'announce'] }).text).toMatch(/^lists: \[announce\]$/m);
    // A config without mailing lists: a list it does not have would fail lint at once (list-unknown).
    const none = newNote({ ...input, lists: [] }).text;
    expect(none).toMatch(/^lists: \[\]$/m);
    expect(none.split('\n').filter((line, index) => line !== template.split('\n')[index]).map((line) => line.split(':')[0])).toEqual(['title', 'date', 'lists']);
    // In block style too.
    expect(newNote({ ...input, template: template.replace('lists: [announce]', 'lists:\n  - announce\n  - discuss'), lists: [] }).text).toMatch(/^lists:\n  \[\]\n/m);
  });
});

describe('template-text', () => {
  const config = { ...defaultConfig(), ids: { prefix: 'OSSN' } };
  const findings = (text: string, ruleId = 'template-text') => lintNote(parseNote('notes/OSSN-XXXX.md', text, { config, now }), config, now).filter((m) => m.ruleId === ruleId);

  it('points at every example a published note kept, and warns of them in a draft', async () => {
    const template = (await heraldNoteTemplate('OSSN-XXXX')).replace('lists: [announce]', 'lists: []');
    expect(findings(template)).toEqual([]);
    const draft = findings(template, 'template-draft');
    expect(draft.every((m) => m.severity === 'warning' && m.message.endsWith(" is still the note template's example"))).toBe(true);
    const published = findings(template.replace('status: draft', 'status: published'));
    expect(published.map(({ line, column }) => [line, column])).toEqual(draft.map(({ line, column }) => [line, column]));
    expect(published.map((m) => m.message.split(' is the')[0])).toEqual([
      'The title',
      'Author name "Your Name"',
      'Author affiliation "Your Team"',
      'Author email "you@example.org"',
      'Reference https://bugs.launchpad.net/ossn/+bug/0000000',
      'Verify entry "example-setting"',
      'Verify title "the example setting is enabled"',
      '"Describe the problem here."',
      '"List what is affected here."',
      '"Explain the problem here."',
      '"Say what to change and why, on which nodes."',
      '"example_setting"',
      'Step "Enable the example setting"',
      'The code block with "example_setting"',
      'The link https://bugs.launchpad.net/ossn/+bug/0000000',
    ]);
    const lines = template.split('\n');
    expect(lines[published[0]!.line - 1]).toMatch(/^title: /);
    expect(lines[published.at(-1)!.line - 1]).toContain('+bug/0000000');
  });

  it('finds nothing in the bundled notes', async () => {
    const folder = path.resolve(import.meta.dirname, '../../notes');
    for (const name of (await readdir(folder)).filter((n) => n.endsWith('.md'))) {
      const text = await readFile(path.join(folder, name), 'utf8');
      expect([...findings(text), ...findings(text, 'template-draft')], name).toEqual([]);
    }
  });
});

describe('herald new', () => {
  async function repository(): Promise<string> {
    const root = await temporary('herald-new-');
    await mkdir(path.join(root, 'notes'));
    await writeFile(path.join(root, 'herald.config.yaml'), 'ids: { prefix: ACME }\nmail:\n  lists:\n    - { name: announce, address: a@lists.example.org }\n');
    return root;
  }

  it('writes a draft whose lint lists what to fill in, then refuses to overwrite it', async () => {
    const root = await repository();
    const made = await runCli(['new', 'Live', 'migration', 'leaves', 'libvirt', 'open'], { cwd: root });
    expect(made).toMatchObject({ code: 0, stdout: 'created notes/ACME-XXXX-live-migration-leaves-libvirt-open.md\n' });
    expect(made.stderr).toContain('herald lint notes/ACME-XXXX-live-migration-leaves-libvirt-open.md');
    const text = await readFile(path.join(root, 'notes/ACME-XXXX-live-migration-leaves-libvirt-open.md'), 'utf8');
    expect(text).toMatch(/^id: ACME-XXXX$/m);
    expect(text).toMatch(/^date: 2026-01-15$/m);
    const lint = await runCli(['lint', '--no-cache'], { cwd: root });
    expect(lint.code, lint.stdout + lint.stderr).toBe(0);
    expect(lint.stdout).toMatch(/^notes\/ACME-XXXX-live-migration-leaves-libvirt-open\.md:\d+:\d+ {2}warning {2}template-draft {2}"Describe the problem here\." is still/m);
    expect(lint.stdout).not.toMatch(/ error /);

    const again = await runCli(['new', 'Live migration leaves libvirt open'], { cwd: root });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists; give this note another name with --slug');
  });

  it('uses the repository template, prints JSON, and says where the notes folder is missing', async () => {
    const root = await repository();
    await mkdir(path.join(root, 'templates'));
    await writeFile(path.join(root, 'templates/note.md'), '---\nid: ACME-XXXX\ntitle: T\ndate: 2000-01-01\nstatus: draft\n---\n\nOur own template.\n');
    const made = await runCli(['new', '--json', '--date', '2025-12-31', '--slug', 'tls', 'TLS everywhere'], { cwd: root });
    expect(made.code).toBe(0);
    expect(JSON.parse(made.stdout)).toEqual({ path: 'notes/ACME-XXXX-tls.md', id: 'ACME-XXXX', template: 'templates/note.md' });
    expect(await readFile(path.join(root, 'notes/ACME-XXXX-tls.md'), 'utf8')).toBe('---\nid: ACME-XXXX\ntitle: TLS everywhere\ndate: 2025-12-31\nstatus: draft\n---\n\nOur own template.\n');

    const elsewhere = await runCli(['new', 'x'], { cwd: path.join(root, 'notes') });
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr).toContain('there is no notes folder notes in');
  });
});

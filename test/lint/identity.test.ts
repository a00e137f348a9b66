/** The id rules: `<PREFIX>-NNNN` with four to nine digits, so that `assign-ids` can always count on exactly. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.ts';
import { lintAcrossNotes, lintNote } from '../../src/lint/run.ts';
import { parseNote } from '../../src/model/load.ts';

const config = { ...defaultConfig(), ids: { prefix: 'OSSN' } };
const now = new Date('2026-01-15T12:00:00Z');
const template = readFileSync(path.resolve(import.meta.dirname, '../../notes/OSSN-0002.md'), 'utf8');

function idMessages(id: string, aliases: string[] = []) {
  const text = template.replace(/^id: .*$/m, `id: ${id}`).replace(/^---\n/, `---\naliases: [${aliases.join(', ')}]\n`);
  const note = parseNote(`notes/${id}.md`, text, { config, now });
  return lintNote(note, config, now).filter((m) => m.ruleId === 'id-format').map((m) => [m.line, m.message]);
}

describe('id-format', () => {
  it.each(['OSSN-0002', 'OSSN-12345', 'OSSN-999999999', 'OSSN-XXXX'])('accepts %s', (id) => {
    expect(idMessages(id)).toEqual([]);
  });

  it.each(['OSSN-002', 'OSSN-1234567890', 'OSSN-99999999999999999', 'OSSA-0002', 'OSSN-XXX'])('refuses %s, at the id line', (id) => {
    const line = template.split('\n').findIndex((l) => l.startsWith('id: ')) + 2;
    expect(idMessages(id)).toEqual([[line, expect.stringContaining(`Id "${id}" is not of the form OSSN-NNNN, four to nine digits`)]]);
  });

  it('holds aliases to the same digits', () => {
    expect(idMessages('OSSN-0002', ['OSSN-0001'])).toEqual([]);
    expect(idMessages('OSSN-0002', ['OSSN-10000000000'])).toEqual([[2, expect.stringContaining('Alias "OSSN-10000000000" is not a former id of the form OSSN-NNNN (four to nine digits)')]]);
  });
});

describe('id-filename-mismatch', () => {
  const mismatch = (file: string) => lintNote(parseNote(file, template, { config, now }), config, now).filter((m) => m.ruleId === 'id-filename-mismatch');
  it('takes the id from the file name whatever the case of its extension', () => {
    for (const file of ['notes/OSSN-0002.md', 'notes/OSSN-0002.MD', 'notes/2014/OSSN-0002.Markdown']) expect(mismatch(file), file).toEqual([]);
    expect(mismatch('notes/OSSN-0003.md')).toHaveLength(1);
  });

  it('tells the author of a new note, whose file herald new named, to keep the placeholder id', () => {
    const said = mismatch('notes/OSSN-XXXX-tls-downgrade.md').map(({ line, column, message, hint }) => ({ at: `${line}:${column}`, message, hint }));
    const line = template.split('\n').findIndex((l) => l.startsWith('id: ')) + 1;
    expect(said).toEqual([
      {
        at: `${line}:5`,
        message: 'Id "OSSN-0002" is a number, but the note is new (its file, "OSSN-XXXX-tls-downgrade.md", is named as herald new names it): herald assign-ids gives it its number after the merge',
        hint: 'Keep id: OSSN-XXXX until then; assign-ids takes the next free number and renames the file, so that two pull requests never take the same one.',
      },
    ]);
  });

  it('is not said of an id that id-format refuses', () => {
    const text = template.replace(/^id: .*$/m, 'id: OSSN-12');
    const ruleIds = lintNote(parseNote('notes/OSSN-XXXX-tls-downgrade.md', text, { config, now }), config, now).map((m) => m.ruleId);
    expect(ruleIds).toContain('id-format');
    expect(ruleIds).not.toContain('id-filename-mismatch');
  });
});

describe('list-none', () => {
  const withLists = { ...config, mail: { ...config.mail, lists: [{ name: 'announce', address: 'announce@lists.example.org' }] } };
  const messagesOf = (text: string, settings = withLists) =>
    lintNote(parseNote('notes/OSSN-0002.md', text, { config: settings, now }), settings, now)
      .filter((m) => m.ruleId === 'list-none')
      .map((m) => `${m.severity} ${m.message} | ${m.hint}`);
  const noLists = template.replace(/^lists:.*\n/m, '');

  it('warns when an advisory to announce names no list while lists are configured', () => {
    expect(messagesOf(noLists)).toEqual([
      'warning The note names no mailing list: `herald publish` announces it to no one by mail | Add `lists: [announce]` (configured: announce); a note meant for the site alone can keep this warning.',
    ]);
  });

  it('says nothing of a note with a list, a draft, or when no list (or herald itself) does the mailing', () => {
    expect(messagesOf(template.replace(/^lists:.*$/m, 'lists: [announce]'))).toEqual([]);
    expect(messagesOf(noLists.replace(/^status: published$/m, 'status: draft'))).toEqual([]);
    expect(messagesOf(noLists, config)).toEqual([]);
    // Counted as announced by hand before herald took over: never mailed by herald, so nothing to warn of.
    expect(messagesOf(noLists, { ...withLists, publish: { ...withLists.publish, announce_from: '2020-01-01' } })).toEqual([]);
    expect(messagesOf(noLists, { ...withLists, mail: { ...withLists.mail, subscribers: { name: 'direct', file: 'subscribers.txt' } as never } })).toEqual([]);
  });
});

describe('id-duplicate and the placeholder id', () => {
  const post = readFileSync(path.resolve(import.meta.dirname, '../../notes/2014-04-10-heartbleed-mitigation-for-system-vms.md'), 'utf8');
  const duplicates = (files: [string, string][]) => {
    const notes = files.map(([file, text]) => ({ ...parseNote(file, text, { config, now }), path: file }));
    return lintAcrossNotes(notes, now).filter((m) => m.ruleId === 'id-duplicate').map((m) => `${m.file}: ${m.message}`);
  };

  it('lets notes share the placeholder id until assign-ids numbers them', () => {
    const draft = template.replace(/^id: .*$/m, 'id: OSSN-XXXX');
    expect(duplicates([['notes/OSSN-XXXX-tls.md', draft], ['notes/OSSN-XXXX-dns.md', draft]])).toEqual([]);
  });

  it('holds a blog post whose slug ends in -XXXX to its slug, as any other: it is its page, never a placeholder', () => {
    const slugged = post.replace('slug: heartbleed-system-vms', 'slug: upgrade-XXXX');
    expect(duplicates([['notes/2014-04-10-a.md', slugged], ['notes/2014-04-11-upgrade-XXXX.md', slugged.replace('slug: upgrade-XXXX\n', '')]])).toEqual([
      'notes/2014-04-11-upgrade-XXXX.md: Id "upgrade-XXXX" is already used by notes/2014-04-10-a.md',
    ]);
  });
});

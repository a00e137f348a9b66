import { describe, expect, it } from 'vitest';
import { commentMarker, normalizeCommentBody, previewCommentBody } from '../../src/workflow/comment.ts';
import { changedNotes, fromGithubStatus, isNotePath, parseNameStatus } from '../../src/workflow/changes.ts';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTable } from 'micromark-extension-gfm-table';
import { code, codeCell, fence, inline } from '../../src/workflow/markdown.ts';
import { commentLimit, renderPreview, utf8Length, type NotePreview } from '../../src/workflow/preview.ts';

const now = new Date('2024-06-01T00:00:00Z');

function bigPreview(index: number, lines: number): NotePreview {
  const id = `OSSN-${String(index).padStart(4, '0')}`;
  return {
    path: `notes/${id}.md`,
    change: 'added',
    advisory: { id, title: `Note ${index}`, status: 'published' },
    messages: [],
    email: { subject: `[${id}] Note ${index}`, to: 'announce@lists.example.org', text: Array.from({ length: lines }, (_, i) => `line ${i} of the announcement of ${id}, long enough to matter`).join('\n') },
    checklist: {
      format: 'herald-checklist/1',
      advisory: { id, title: `Note ${index}`, kind: 'note', status: 'published', cve: [], date: '2014-01-01', updated: '2014-01-01', revision: 0 },
      targets: [],
      steps: Array.from({ length: 12 }, (_, i) => ({
        id: `step-${i + 1}`,
        title: `Step ${i + 1}`,
        kind: 'manual' as const,
        text: `Step ${i + 1}. Do the thing number ${i + 1} on every host.`,
        commands: [`echo step ${i + 1}`],
        configEdits: [],
        restartRequired: false,
        migrationRequired: false,
        verify: [],
      })),
      verify: [],
    },
  };
}

describe('the preview comment stays under GitHub\u2019s 65,536-character limit', () => {
  it('keeps small previews whole', () => {
    const body = previewCommentBody([bigPreview(1, 20)], now);
    expect(body.startsWith(`${commentMarker}\n## herald preview`)).toBe(true);
    expect(body).toContain('line 19 of the announcement');
    expect(body).not.toContain('cut to fit');
  });

  it('cuts every note fairly, saying so, when forty long notes change', () => {
    const previews = Array.from({ length: 40 }, (_, i) => bigPreview(i + 1, 400));
    const body = previewCommentBody(previews, now);
    expect(body.length).toBeLessThanOrEqual(commentLimit);
    expect(body.length).toBeGreaterThan(commentLimit * 0.9);
    for (let i = 1; i <= 40; i++) expect(body).toContain(`### \`OSSN-${String(i).padStart(4, '0')}\``);
    expect(body).toContain('more lines]');
    expect(body).toMatch(/The email is cut to fit the size limit; run `herald preview` locally/);
    // Every code fence that opens also closes.
    expect((body.match(/^\s*```/gm) ?? []).length % 2).toBe(0);
  });

  it('lists the notes that do not fit at all, and measures bytes for job summaries', () => {
    const previews = Array.from({ length: 3000 }, (_, i) => bigPreview(i + 1, 5));
    const body = previewCommentBody(previews, now);
    expect(body.length).toBeLessThanOrEqual(commentLimit);
    expect(body).toMatch(/> \d+ more notes not shown: the preview is limited in size/);
    const summary = renderPreview([bigPreview(1, 5000)], { now, limit: 200_000, measure: utf8Length });
    expect(utf8Length(summary)).toBeLessThanOrEqual(200_000);
  });

  it('normalizes a body made elsewhere: marker first, never over the limit', () => {
    expect(normalizeCommentBody('hello')).toBe(`${commentMarker}\nhello`);
    const long = normalizeCommentBody(`${commentMarker}\n${'x'.repeat(80)}\n`.repeat(2000));
    expect(long.length).toBeLessThanOrEqual(commentLimit);
    expect(long.endsWith('comment limit._')).toBe(true);
  });
});

describe('Markdown built from untrusted note text', () => {
  it('escapes markup and breaks mentions, but not e-mail addresses', () => {
    expect(inline('**bold** <img src=x> @octocat [x](javascript:y) a@b.org\nline')).toBe(
      '\\*\\*bold\\*\\* \\<img src=x\\> @&#8203;octocat \\[x\\]\\(javascript:y\\) a@b.org line',
    );
  });
  it('fences and code spans longer than any backtick run inside', () => {
    expect(fence('a\n```\nb', 'text')).toBe('````text\na\n```\nb\n````');
    expect(code('a `b` c')).toBe('``a `b` c``');
    expect(code('`x')).toBe('`` `x ``');
  });
});

describe('code in the preview\u2019s tables', () => {
  /** The table rows of `markdown` as GitHub reads them: each cell's node types and its inline code. */
  function cells(markdown: string) {
    const tree = fromMarkdown(markdown, { extensions: [gfmTable()], mdastExtensions: [gfmTableFromMarkdown()] });
    const table = tree.children.find((node) => node.type === 'table');
    if (!table || table.type !== 'table') throw new Error(`no table in:\n${markdown}`);
    return table.children.slice(1).map((row) =>
      row.children.map((cell) => {
        const types = cell.children.map((node) => node.type);
        const [first, second, third] = cell.children;
        // Code as a code span, or as `<code>` around text.
        if (types.join() === 'html,text,html' && first?.type === 'html' && first.value === '<code>' && third?.type === 'html' && third.value === '</code>' && second?.type === 'text') return { types: ['code'], code: [second.value] };
        return { types: types.map((type) => (type === 'inlineCode' ? 'code' : type)), code: cell.children.flatMap((node) => (node.type === 'inlineCode' ? [node.value] : [])) };
      }),
    );
  }

  it('keeps a `|` in a command inside its cell: no bold text, no remote image', () => {
    const run = 'echo ok | **LGTM** ![x](https://evil.example/t.png)';
    const preview = bigPreview(1, 3);
    preview.checklist!.verify = [{ id: 'pipe-check', title: 'Piped', description: 'exit status 0', run, expect: { kind: 'exit', code: 0 } }];
    const markdown = renderPreview([preview], { now, limit: 200_000 });
    const rows = cells(markdown.slice(markdown.indexOf('| Id | Check |')));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.map((cell) => cell.types)).toEqual([['code'], ['text'], ['code'], ['text']]);
    expect(rows[0]![2]!.code).toEqual([run]);
    expect(markdown).toContain("`echo ok \\| **LGTM** ![x](https://evil.example/t.png)`");
  });

  it('reads back every value exactly: pipes, escaped pipes and backticks', () => {
    for (const value of ['a|b', "grep -q 'a\\|b' /etc/x", 'a\\\\|b', '||', '`|`', 'a ``|`` b', '\\', 'x | `y` |', '**b** @octocat &amp; <i>', 'a\\\\']) {
      const rows = cells(`| A | B |\n|---|---|\n| ${codeCell(value)} | after |\n`);
      expect(rows[0]!.map((cell) => cell.types)).toEqual([['code'], ['text']]);
      expect(rows[0]![0]!.code).toEqual([value]);
    }
    expect(codeCell('a|b')).toBe('`a\\|b`');
  });
});

describe('changed files', () => {
  it('parses git name-status output and GitHub statuses, keeping notes only', () => {
    const files = parseNameStatus('M\0notes/OSSN-0001.md\0A\0notes/new.md\0D\0notes/old.md\0R087\0notes/a.md\0notes/b.md\0M\0README.md\0');
    expect(files).toEqual([
      { path: 'notes/OSSN-0001.md', status: 'modified' },
      { path: 'notes/new.md', status: 'added' },
      { path: 'notes/old.md', status: 'removed' },
      { path: 'notes/b.md', status: 'renamed', previousPath: 'notes/a.md' },
      { path: 'README.md', status: 'modified' },
    ]);
    expect(fromGithubStatus({ filename: 'notes/x.md', status: 'renamed', previousFilename: 'notes/y.md' })).toEqual({ path: 'notes/x.md', status: 'renamed', previousPath: 'notes/y.md' });
    expect(changedNotes([...files, { path: 'notes/.last-id', status: 'modified' }, { path: 'notes/README.md', status: 'modified' }], 'notes').map((f) => f.path)).toEqual([
      'notes/OSSN-0001.md',
      'notes/b.md',
      'notes/new.md',
      'notes/old.md',
    ]);
    expect(isNotePath('notes/sub/x.markdown', './notes/')).toBe(true);
    expect(isNotePath('other/x.md', 'notes')).toBe(false);
  });
});

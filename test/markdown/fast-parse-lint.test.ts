/**
 * The fast parse gives inline nodes no position, so a note whose lint
 * reports something in the body is parsed again by micromark: messages keep
 * the exact line and column of the link they are about.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.ts';
import { lintNote } from '../../src/lint/run.ts';
import { parseMarkdownDetailed } from '../../src/markdown/parse.ts';
import { parseNote } from '../../src/model/load.ts';

const config = { ...defaultConfig(), ids: { prefix: 'OSSN' } };
const now = new Date('2026-01-15T12:00:00Z');
const template = readFileSync(path.resolve(import.meta.dirname, '../../notes/OSSN-0002.md'), 'utf8');

describe('lint of a note parsed by the fast path', () => {
  it('points at the exact column of a body link, as micromark places it', () => {
    const text = template.replace(/\n## Summary\n\n/, '\n## Summary\n\nSee *the [old tracker](http://bugs.example.org/1)* first.\n\n');
    const body = text.slice(text.indexOf('\n## Summary'));
    expect(parseMarkdownDetailed(body).inlinePositions).toBe(false);
    const note = parseNote('notes/OSSN-0002.md', text, { config, now });
    const found = lintNote(note, config, now).filter((m) => m.ruleId === 'url-not-https');
    const line = text.split('\n').findIndex((l) => l.startsWith('See *the [old tracker]')) + 1;
    expect(found.map((m) => [m.line, m.column])).toEqual([[line, 10]]);
  });

  it('keeps the fast tree when lint finds nothing in the body', () => {
    const note = parseNote('notes/OSSN-0002.md', template, { config, now });
    const bodyLine = note.advisory!.source.bodyLine;
    expect(lintNote(note, config, now).filter((m) => m.line >= bodyLine)).toEqual([]);
    expect(note.advisory!.body.children.some((node) => node.type === 'paragraph' && node.children[0]?.position === undefined)).toBe(true);
  });
});

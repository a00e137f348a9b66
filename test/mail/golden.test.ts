/**
 * Golden messages: each fixture note in, the exact `.eml` out. Run with
 * UPDATE_GOLDEN=1 to rewrite the expectations, then review the diff.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderer } from '../../src/render/mail/index.ts';
import { fixtureAdvisory, fixturesDir, testConfig, testNow } from './support/notes.ts';

const goldenDir = path.join(fixturesDir, 'golden');
const update = process.env.UPDATE_GOLDEN === '1';

const cases = [
  { name: 'OSSN-0100', note: 'OSSN-0100.md', what: 'an update with steps, checks and revisions' },
  { name: 'OSSN-0101', note: 'OSSN-0101.md', what: 'a withdrawal' },
  { name: 'OSSN-0102', note: 'OSSN-0102.md', what: 'non-ASCII subject and body' },
  { name: 'heartbleed-post', note: '2014-04-10-heartbleed-post.md', what: 'a blog post with raw HTML' },
  { name: 'OSSN-0104.preview', note: 'OSSN-0104.md', what: 'a private preview', preview: true },
  { name: 'OSSN-0100.html-alternative', note: 'OSSN-0100.md', what: 'with the HTML alternative', html: true },
];

describe('golden messages', () => {
  for (const testCase of cases) {
    it(`${testCase.name}: ${testCase.what}`, () => {
      const config = testConfig(testCase.html ? { html_alternative: true } : {});
      const files = renderer.renderNote!(fixtureAdvisory(testCase.note, config), { config, now: testNow, preview: testCase.preview ?? false, all: [] });
      expect(files).toHaveLength(1);
      const actual = String(files[0]!.contents);
      const file = path.join(goldenDir, `${testCase.name}.eml`);
      if (update || !existsSync(file)) {
        if (!update) throw new Error(`${file} is missing: run with UPDATE_GOLDEN=1 to create it`);
        writeFileSync(file, actual);
      }
      expect(actual).toBe(readFileSync(file, 'utf8'));
    });
  }
});

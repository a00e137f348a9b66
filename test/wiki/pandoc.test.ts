/**
 * Reading the export back with pandoc (Debian `pandoc`, an independent
 * MediaWiki reader): every page keeps the headings, lists, code and links
 * of its note, and hostile text stays text.
 */
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/schema.ts';
import type { Advisory } from '../../src/model/types.ts';
import { absoluteUrl, advisoryPath } from '../../src/render/site/urls.ts';
import { advisoryPageOfUrl } from '../../src/render/wiki/page-name.ts';
import { missingTools } from '../support/system.ts';
import { bundledAdvisories, hostileAdvisories, renderPage, repoConfig } from './support/notes.ts';
import { decodeHtml, elements, expectedFrom, hostileLiterals, hrefs, htmlText, sameTarget } from './support/read-back.ts';

function pandoc(wikitext: string): string {
  const result = spawnSync('pandoc', ['-f', 'mediawiki', '-t', 'html'], { input: wikitext, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`pandoc failed: ${result.stderr}`);
  return result.stdout;
}

const reason = missingTools('pandoc');

describe.skipIf(!!reason)(`the wiki export read back by pandoc${reason ? ` (${reason})` : ''}`, () => {
  let config: Config;
  let all: Advisory[];
  let hostile: Advisory[];

  beforeAll(async () => {
    config = await repoConfig();
    all = await bundledAdvisories(config);
    hostile = await hostileAdvisories(config);
  });

  function checkPage(advisory: Advisory, advisories: readonly Advisory[]) {
    const html = pandoc(renderPage(advisory, config, advisories));
    const expected = expectedFrom(advisory.body, absoluteUrl(config, advisoryPath(advisory.slug)), (url) => advisoryPageOfUrl(url, config, absoluteUrl(config, 'advisories/')));
    const headings = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].flatMap((tag) => elements(html, tag)).map((inner) => htmlText(inner).replace(/\s+/g, ' ').trim());
    for (const heading of expected.headings) expect(headings, `heading "${heading}"`).toContain(heading);
    expect(elements(html, 'li').length).toBeGreaterThanOrEqual(expected.listItems);
    // MediaWiki decodes character references inside <pre> (herald escapes `</pre` there as `&lt;/pre`); pandoc does not.
    const code = elements(html, 'pre').map((pre) => decodeHtml(htmlText(pre))).join('\n');
    for (const line of expected.codeLines) expect(code, `code line "${line}"`).toContain(line);
    const targets = hrefs(html);
    for (const link of expected.links) expect(targets.some((href) => sameTarget(href, link)), `link to ${link}`).toBe(true);
    // Internal links are pandoc's "wikilink": to other advisories' pages, and to a check's entry on this page, which is there.
    const wikilinks = [...html.matchAll(/<a\b[^>]*\bhref="([^"]*)"[^>]*title="wikilink"/g)].map((m) => decodeHtml(m[1]!));
    const inPage = wikilinks.filter((href) => href.startsWith('#'));
    for (const href of inPage) expect(href).toMatch(/^#check-/);
    for (const href of inPage) expect(html, href).toContain(`id="${href.slice(1)}"`);
    expect(new Set(wikilinks.filter((href) => !href.startsWith('#')))).toEqual(new Set(expected.pages));
    return html;
  }

  it('reads back every bundled note', () => {
    expect(all.length).toBeGreaterThanOrEqual(7);
    for (const advisory of all) checkPage(advisory, all);
  });

  it('reads back the hostile fixtures with their wiki syntax as plain text', () => {
    const [note, post] = [hostile.find((a) => a.kind === 'note')!, hostile.find((a) => a.kind === 'post')!];
    const text = htmlText(checkPage(note, hostile));
    for (const literal of hostileLiterals) expect(text, literal).toContain(literal);
    const postHtml = checkPage(post, hostile);
    expect(postHtml).not.toMatch(/<script|onclick|onerror|onmouseover|javascript:/i);
    expect(htmlText(postHtml)).toContain('[[Category:InDiv]]');
  });
});

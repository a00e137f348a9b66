/**
 * Every page of the site is valid HTML: html-validate with its recommended
 * rules (which include accessibility checks) over the whole output of the
 * fixture notes, the bundled notes, a preview build and the hostile notes.
 */
import { HtmlValidate } from 'html-validate';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/schema.ts';
import { parseMarkdownWithPositions } from '../../src/markdown/parse.ts';
import type { OutputFile } from '../../src/render/types.ts';
import { bundledNotes, fileText, fixtureConfig, fixtureNotes, hostileNotes, loadAdvisories, renderFiles } from './support.ts';

const validator = new HtmlValidate({
  extends: ['html-validate:recommended'],
  rules: {
    // Search-engine advice, not validity: an advisory's title is its id and up to 100 characters (lint's limit).
    'long-title': 'off',
  },
});

let config: Config;

beforeAll(async () => {
  config = await fixtureConfig();
});

async function problems(files: readonly OutputFile[], only?: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  const pages = files.filter((file) => file.path.startsWith('site/') && file.path.endsWith('.html') && (!only || only.includes(file.path)));
  expect(pages.length).toBeGreaterThanOrEqual(only?.length ?? 5);
  for (const file of pages) {
    const report = await validator.validateString(fileText(files, file.path), file.path);
    for (const result of report.results) {
      for (const message of result.messages) found.push(`${file.path}:${message.line}:${message.column} ${message.ruleId} ${message.message}`);
    }
  }
  return found;
}

describe('html-validate over the whole site', () => {
  it('finds nothing in the fixture and bundled notes', async () => {
    const advisories = await loadAdvisories([fixtureNotes, bundledNotes], { config });
    expect(await problems(renderFiles(advisories, { config }))).toEqual([]);
  });

  it('finds nothing in what a preview build adds (banner, draft and embargo notices)', async () => {
    const advisories = await loadAdvisories([fixtureNotes, bundledNotes], { config });
    const pages = ['site/index.html', 'site/404.html', 'site/advisories/OSSN-0100/index.html', 'site/advisories/OSSN-0104/index.html', 'site/advisories/OSSN-0105/index.html'];
    expect(await problems(renderFiles(advisories, { config, preview: true }), pages)).toEqual([]);
  });

  it('finds nothing in a CVE index split by year (over 1,000 CVEs)', async () => {
    const advisories = await loadAdvisories([fixtureNotes], { config });
    const many = advisories.map((advisory, index) => (index < 2 ? { ...advisory, cve: Array.from({ length: 600 }, (_, i) => `CVE-${2020 + index}-${10000 + i}`) } : advisory));
    const files = renderFiles(many, { config });
    const pages = files.map((file) => file.path).filter((p) => p.startsWith('site/cve/'));
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(await problems(files, pages)).toEqual([]);
  });

  it('finds nothing in the GitHub advisory index, whole and split by first character (over 1,000 ids)', async () => {
    const advisories = await loadAdvisories([fixtureNotes], { config });
    const ids = (first: string, count: number) => Array.from({ length: count }, (_, i) => `GHSA-${first}${[...String(i).padStart(3, '0')].map((digit) => '23456789cf'[Number(digit)]).join('')}-2222-3333`);
    for (const [count, least] of [[2, 1], [600, 3]] as const) {
      const many = advisories.map((advisory, index) => (index < 2 ? { ...advisory, ghsa: ids(index === 0 ? 'j' : 'x', count) } : advisory));
      const files = renderFiles(many, { config });
      const pages = files.map((file) => file.path).filter((p) => p.startsWith('site/ghsa/'));
      expect(pages.length).toBeGreaterThanOrEqual(least);
      expect(await problems(files, pages)).toEqual([]);
    }
  });

  it("finds nothing in Markdown's richer constructs: aligned tables, task lists, footnotes, a config edit, raw HTML", async () => {
    const [advisory] = await loadAdvisories([fixtureNotes], { config });
    const markdown = [
      '## Summary\n\nA claim[^1] and another[^why].\n\n[^1]: The source.\n[^why]: The reason.\n',
      '## Discussion\n\n| Release | Package | Fixed in |\n| :-- | :-: | --: |\n| Zed | openstack-dashboard | 3:23.1.0-2 |\n\n<details><summary>More</summary>Text.</details>\n',
      '## Recommended Actions\n\n- [x] read this\n- [ ] do that\n\n1. **Set it.**\n\n   ```ini file=/etc/a.conf\n   a = 1\n   ```\n\n   Role: all nodes\n   Kind: configure\n',
    ].join('\n');
    const files = renderFiles([{ ...advisory!, body: parseMarkdownWithPositions(markdown) }], { config });
    const page = `site/advisories/${advisory!.slug}/index.html`;
    expect(fileText(files, page)).toContain('class="align-right"');
    expect(await problems(files, [page])).toEqual([]);
  });

  it('finds nothing in the pages of hostile notes', async () => {
    const advisories = await loadAdvisories([hostileNotes], { config, bypassLint: true });
    expect(await problems(renderFiles(advisories, { config, preview: true }))).toEqual([]);
  });
});

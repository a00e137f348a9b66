/**
 * Hostile notes: script, event handlers, frames, forms, styles and script or
 * data URLs in every field and in raw HTML. Lint refuses some of these
 * notes; the test renders them anyway (bypassing lint) to prove the site is
 * safe on its own. Assertions are on the parsed documents.
 */
import type { Element, Root } from 'hast';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadNotes } from '../../src/model/load.ts';
import type { OutputFile } from '../../src/render/types.ts';
import { assets } from '../../src/render/site/assets.ts';
import { fileText, fixtureConfig, hostileNotes, loadAdvisories, renderFiles, repoRoot, testNow } from './support.ts';
import { attribute, byClass, byTag, elements, one, parseFragment, parseHtml, text } from './tree.ts';

let files: OutputFile[];
let pages: { path: string; tree: Root }[];

beforeAll(async () => {
  const config = await fixtureConfig();
  const advisories = await loadAdvisories([hostileNotes], { config, bypassLint: true });
  expect(advisories.map((a) => a.slug).sort()).toEqual(['OSSN-0666', 'hostile-post']);
  files = renderFiles(advisories, { config, preview: true });
  pages = files.filter((f) => f.path.startsWith('site/') && f.path.endsWith('.html')).map((f) => ({ path: f.path, tree: parseHtml(fileText(files, f.path)) }));
});

const dangerousScheme = /^\s*(javascript|vbscript|data|file):/i;
const urlAttributes = ['href', 'src', 'action', 'formAction', 'xLinkHref', 'poster', 'cite', 'background', 'srcSet', 'data'];
/** Elements a note can never bring into a page. */
const forbiddenElements = new Set(['script', 'style', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'svg', 'math', 'video', 'audio', 'source', 'textarea', 'noscript', 'template', 'portal']);

/** The parts of a page that come from notes. */
function noteContent(tree: Root): Element[] {
  return elements(tree, (e) => ['advisory-body', 'advisory-item-summary'].some((name) => Array.isArray(e.properties.className) && e.properties.className.includes(name)));
}

function violations(tree: Root | Element): string[] {
  const found: string[] = [];
  for (const element of elements(tree)) {
    for (const [name, value] of Object.entries(element.properties)) {
      if (/^on/i.test(name)) found.push(`<${element.tagName} ${name}>`);
      if (name === 'style' || name === 'srcDoc') found.push(`<${element.tagName} ${name}>`);
      if (urlAttributes.includes(name) && dangerousScheme.test(String(value))) found.push(`<${element.tagName} ${name}="${String(value)}">`);
    }
  }
  return found;
}

describe('hostile notes', () => {
  it('lint refuses their script and data URLs (the first line of defence)', async () => {
    const config = await fixtureConfig();
    const loaded = await loadNotes([hostileNotes], { config, now: testNow, cwd: repoRoot });
    expect(loaded.messages.filter((m) => m.ruleId === 'url-unsafe').length).toBeGreaterThanOrEqual(5);
  });

  it('never put an event handler, style attribute, srcdoc or script/data URL on any element of any page', () => {
    for (const { path, tree } of pages) expect(violations(tree), path).toEqual([]);
  });

  it('never put a script, style, frame, object, embed, svg, math, media, base or form control into note content', () => {
    const seen = new Set<string>();
    for (const { path, tree } of pages) {
      for (const content of noteContent(tree)) {
        const bad = elements(content, (e) => forbiddenElements.has(e.tagName) || e.tagName === 'form' || e.tagName === 'button' || e.tagName === 'select' || e.tagName === 'link' || e.tagName === 'meta');
        expect(bad.map((e) => e.tagName), path).toEqual([]);
        for (const element of elements(content)) seen.add(element.tagName);
      }
    }
    // The body did render: harmless markup survives.
    expect(seen).toContain('a');
    expect(seen).toContain('b');
  });

  it('keeps the only scripts, styles, forms and metas on a page the site\u2019s own', () => {
    for (const { path, tree } of pages) {
      const scripts = elements(tree, byTag('script')).map((s) => attribute(s, 'src'));
      expect(scripts.every((src) => src === `/${assets.js.sitePath}`), path).toBe(true);
      expect(elements(tree, (e) => forbiddenElements.has(e.tagName) && e.tagName !== 'script' && e.tagName !== 'noscript'), path).toEqual([]);
      const stylesheets = elements(tree, (e) => e.tagName === 'link' && attribute(e, 'rel') === 'stylesheet').map((l) => attribute(l, 'href'));
      expect(stylesheets.every((href) => href === `/${assets.css.sitePath}`), path).toBe(true);
      const forms = elements(tree, byTag('form')).map((f) => attribute(f, 'action'));
      expect(forms.every((action) => action === '/search/' || action === undefined), path).toBe(true);
      const refreshes = elements(tree, (e) => e.tagName === 'meta' && attribute(e, 'httpEquiv') !== undefined);
      expect(refreshes, path).toEqual([]);
    }
  });

  it('shows hostile text as text: the title, products, commands and reasons', () => {
    const page = pages.find((p) => p.path === 'site/advisories/OSSN-0666/index.html')!.tree;
    expect(text(one(page, byTag('h1'), 'title'))).toBe(`<script>alert('title')</script><img src=x onerror=alert(1)> "quoted" & more`);
    expect(text(one(page, byClass('notice-withdrawn'), 'withdrawn notice'))).toContain(`<script>alert('reason')</script>`);
    const commands = elements(page, (e) => e.tagName === 'pre' && e.properties.dataCopy !== undefined).map((pre) => text(pre));
    expect(commands).toContain(`echo "</code></pre><script>alert('cmd')</script>"`);
    expect(commands).toContain(`echo '</code></pre><script>alert(1)</script>'`);
    const product = one(page, byClass('advisory-affected'), 'affected products');
    expect(text(product)).toContain(`<img src=x onerror=alert('product')>`);
    expect(elements(product, byTag('img'))).toEqual([]);
  });

  it('keeps note ids out of the page\u2019s own id space (no clobbering of #main)', () => {
    for (const { path, tree } of pages) {
      const ids = elements(tree, (e) => e.properties.id === 'main');
      expect(ids.map((e) => e.tagName), path).toEqual(['main']);
    }
  });

  it('keeps feeds and the filter index safe: their HTML content parses to nothing dangerous', () => {
    const feed = JSON.parse(fileText(files, 'site/feed.json'));
    for (const item of feed.items) {
      const tree = parseFragment(item.content_html);
      expect(violations(tree), item.id).toEqual([]);
      expect(elements(tree, (e) => forbiddenElements.has(e.tagName)), item.id).toEqual([]);
    }
    const atom = fileText(files, 'site/feed.xml');
    const contents = [...atom.matchAll(/<content type="html">([^<]*)<\/content>/g)].map((match) =>
      match[1]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&'),
    );
    expect(contents.length).toBe(feed.items.length);
    for (const html of contents) {
      const tree = parseFragment(html);
      expect(violations(tree)).toEqual([]);
      expect(elements(tree, (e) => forbiddenElements.has(e.tagName))).toEqual([]);
    }
    // The XML itself holds no markup but the feed's own elements.
    const tags = new Set([...atom.matchAll(/<([a-z]+)[\s>/]/g)].map((match) => match[1]));
    expect([...tags].sort()).toEqual(['author', 'category', 'content', 'entry', 'feed', 'generator', 'id', 'link', 'name', 'published', 'subtitle', 'summary', 'title', 'updated']);
    const index = JSON.parse(fileText(files, 'site/advisories.json'));
    expect(index.advisories.map((a: { summary: string }) => a.summary).join(' ')).not.toMatch(/alert\('summary'\)/);
  });
});

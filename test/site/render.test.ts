import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectForBuild } from '../../src/build/select.ts';
import type { Config } from '../../src/config/schema.ts';
import type { Advisory } from '../../src/model/types.ts';
import { renderer } from '../../src/render/site/index.ts';
import { securityTxtExpiryProblem } from '../../src/render/site/security-txt.ts';
import { indexPage } from '../../src/search/index-page.ts';
import type { OutputFile } from '../../src/render/types.ts';
import { bundledNotes, fileText, fixtureConfig, fixtureNotes, loadAdvisories, renderFiles, testNow } from './support.ts';
import { attribute, byClass, byId, byTag, elements, hasClass, one, parseHtml, text } from './tree.ts';
import { aggregates } from '../support/render.ts';

let config: Config;
let advisories: Advisory[];
let files: OutputFile[];

beforeAll(async () => {
  config = await fixtureConfig();
  advisories = await loadAdvisories([fixtureNotes], { config });
  files = renderFiles(advisories, { config });
});

const page = (path: string) => parseHtml(fileText(files, path));
const sitePaths = () => new Set(files.map((file) => file.path).filter((p) => p.startsWith('site/')));

describe('the pages of the site', () => {
  it('has an index, a page per advisory, facet pages, feeds and the files hosts and crawlers read', () => {
    const paths = sitePaths();
    for (const expected of [
      'site/index.html',
      'site/advisories/OSSN-0101/index.html',
      'site/advisories/OSSN-0102/index.html',
      'site/advisories/OSSN-0103/index.html',
      'site/advisories/notes-from-the-summit/index.html',
      'site/products/index.html',
      'site/products/openstack-compute-nova/index.html',
      'site/products/openstack-compute-nova/feed.xml',
      'site/products/openstack-compute-nova/feed.json',
      'site/products/libvirt/index.html',
      'site/years/index.html',
      'site/years/2023/index.html',
      'site/years/2022/index.html',
      'site/severity/high/index.html',
      'site/status/withdrawn/index.html',
      'site/cve/index.html',
      'site/search/index.html',
      'site/404.html',
      'site/feed.xml',
      'site/feed.json',
      'site/advisories.json',
      'site/sitemap.xml',
      'site/robots.txt',
      'site/.well-known/security.txt',
      'site/_headers',
      'site/_redirects',
    ]) {
      expect(paths, expected).toContain(expected);
    }
  });

  it('lists advisories newest first on the index', () => {
    const links = elements(page('site/index.html'), byClass('advisory-item-title')).map((heading) => attribute(elements(heading, byTag('a'))[0]!, 'href'));
    expect(links).toEqual(['/advisories/OSSN-0103/', '/advisories/OSSN-0101/', '/advisories/notes-from-the-summit/', '/advisories/OSSN-0102/']);
  });

  it('offers every facet as a link without JavaScript, and the filter form for the script', () => {
    const index = page('site/index.html');
    const browse = one(index, byClass('browse'), 'browse block');
    const hrefs = elements(browse, byTag('a')).map((a) => attribute(a, 'href'));
    expect(hrefs).toEqual(expect.arrayContaining(['/products/openstack-compute-nova/', '/years/2023/', '/severity/high/', '/status/withdrawn/']));
    const form = one(index, (element) => element.properties.dataFilterForm !== undefined, 'filter form');
    expect(attribute(form, 'hidden')).toBeDefined();
    expect(attribute(form, 'dataSrc')).toBe('/advisories.json');
    const productOptions = elements(one(form, (element) => element.properties.id === 'filter-product', 'product select'), byTag('option')).map((o) => attribute(o, 'value'));
    expect(productOptions).toEqual(['', 'libvirt', 'openstack-compute-nova', 'openstack-identity-keystone']);
  });

  it('lists a product with every advisory that names it, and links its feeds', () => {
    const product = page('site/products/openstack-compute-nova/index.html');
    expect(text(one(product, byTag('h1'), 'heading'))).toBe('OpenStack Compute (Nova)');
    const links = elements(product, byClass('advisory-item-title')).map((heading) => text(heading));
    expect(links).toEqual(['OSSN-0103 Nova console proxy allows open redirects', 'OSSN-0101 Compute nodes accept unauthenticated libvirt connections over TCP']);
    const alternates = elements(product, (e) => e.tagName === 'link' && attribute(e, 'rel') === 'alternate').map((e) => attribute(e, 'href'));
    expect(alternates).toEqual(['/products/openstack-compute-nova/feed.xml', '/products/openstack-compute-nova/feed.json']);
  });

  it('indexes every CVE with the advisories that name it, newest CVE first', () => {
    const rows = elements(page('site/cve/index.html'), (e) => e.tagName === 'tr' && typeof e.properties.id === 'string');
    expect(rows.map((row) => row.properties.id)).toEqual(['CVE-2023-40001', 'CVE-2023-9999', 'CVE-2022-1234']);
    expect(text(rows[0]!)).toContain('OSSN-0101');
  });

  it('splits the CVE index by the year of the ids past 1,000 CVEs, keeping every row', async () => {
    const cves = (year: number, count: number) => Array.from({ length: count }, (_, i) => `CVE-${year}-${10000 + i}`);
    // Two advisories that name 600 and 500 CVEs: 1,103 with the fixtures' own.
    const many = advisories.map((advisory) =>
      advisory.id === 'OSSN-0101' ? { ...advisory, cve: [...advisory.cve, ...cves(2023, 600)] } : advisory.id === 'OSSN-0102' ? { ...advisory, cve: [...advisory.cve, ...cves(2021, 500)] } : advisory,
    );
    const split = renderFiles(many, { config });
    const years = parseHtml(fileText(split, 'site/cve/index.html'));
    expect(elements(years, byTag('table'))).toEqual([]);
    expect(text(one(years, byClass('lead'), 'lead'))).toBe('The 1103 CVEs named by an advisory, by the year in their id, newest first.');
    const yearsNav = (tree: ReturnType<typeof parseHtml>) => one(tree, (e) => e.tagName === 'nav' && attribute(e, 'ariaLabel') === 'CVE years', 'years');
    const links = elements(yearsNav(years), byTag('li'));
    expect(links.map((li) => [attribute(elements(li, byTag('a'))[0]!, 'href'), text(li)])).toEqual([
      ['/cve/2023/', '2023 602 CVEs'],
      ['/cve/2022/', '2022 1 CVE'],
      ['/cve/2021/', '2021 500 CVEs'],
    ]);
    const rowsOf = (year: string) => elements(parseHtml(fileText(split, `site/cve/${year}/index.html`)), (e) => e.tagName === 'tr' && typeof e.properties.id === 'string').map((row) => String(row.properties.id));
    expect(rowsOf('2022')).toEqual(['CVE-2022-1234']);
    const rows2023 = rowsOf('2023');
    expect(rows2023.slice(0, 3)).toEqual(['CVE-2023-40001', 'CVE-2023-10599', 'CVE-2023-10598']);
    expect(rows2023.at(-1)).toBe('CVE-2023-9999');
    expect([...rows2023, ...rowsOf('2022'), ...rowsOf('2021')]).toHaveLength(1103);
    const page2022 = parseHtml(fileText(split, 'site/cve/2022/index.html'));
    expect(text(one(yearsNav(page2022), (e) => attribute(e, 'ariaCurrent') === 'page', 'current year'))).toBe('2022');
    expect(fileText(split, 'site/sitemap.xml')).toContain('<loc>https://security.example.org/cve/2021/</loc>');
    // 1,000 CVEs or fewer: the one page of before, and no year pages.
    expect(sitePaths().has('site/cve/2023/index.html')).toBe(false);
  });

  it('indexes every GitHub advisory id with the advisories that name it, linked to GitHub, in the sitemap and from every page', () => {
    const ghsa = (id: string, ...ids: string[]) => (advisory: Advisory) => (advisory.id === id ? { ...advisory, ghsa: ids } : advisory);
    const named = renderFiles(advisories.map(ghsa('OSSN-0101', 'GHSA-jfh8-c2jp-5v3q', 'GHSA-2c2c-2c2c-2c2c')).map(ghsa('OSSN-0103', 'GHSA-jfh8-c2jp-5v3q')), { config });
    const index = parseHtml(fileText(named, 'site/ghsa/index.html'));
    expect(text(one(index, byTag('h1'), 'heading'))).toBe('GitHub advisory index');
    const rows = elements(index, (e) => e.tagName === 'tr' && typeof e.properties.id === 'string');
    // In the order of the ids (they say nothing of age); each advisory under each id it names, newest first.
    expect(rows.map((row) => [row.properties.id, elements(row, byTag('a')).map((a) => [attribute(a, 'href'), text(a)])])).toEqual([
      ['GHSA-2c2c-2c2c-2c2c', [['https://github.com/advisories/GHSA-2c2c-2c2c-2c2c', 'GHSA-2c2c-2c2c-2c2c'], ['/advisories/OSSN-0101/', 'OSSN-0101: Compute nodes accept unauthenticated libvirt connections over TCP']]],
      [
        'GHSA-jfh8-c2jp-5v3q',
        [
          ['https://github.com/advisories/GHSA-jfh8-c2jp-5v3q', 'GHSA-jfh8-c2jp-5v3q'],
          ['/advisories/OSSN-0103/', 'OSSN-0103: Nova console proxy allows open redirects'],
          ['/advisories/OSSN-0101/', 'OSSN-0101: Compute nodes accept unauthenticated libvirt connections over TCP'],
        ],
      ],
    ]);
    expect(fileText(named, 'site/sitemap.xml')).toContain('<loc>https://security.example.org/ghsa/</loc>');
    // Every page's footer, the 404 page and the CVE index link to it; it links back to the CVE index.
    for (const from of ['site/index.html', 'site/advisories/OSSN-0102/index.html', 'site/404.html', 'site/cve/index.html']) {
      expect(elements(parseHtml(fileText(named, from)), (e) => e.tagName === 'a' && attribute(e, 'href') === '/ghsa/').map(text), from).toContain('GitHub advisory index');
    }
    expect(elements(index, (e) => e.tagName === 'a' && attribute(e, 'href') === '/cve/').map(text)).toContain('CVE index');
    // A site whose advisories name none has the page all the same, saying so.
    expect(text(one(page('site/ghsa/index.html'), byClass('cve-index'), 'index'))).toContain('No advisory names a GitHub advisory yet.');
  });

  it('splits the GitHub advisory index by the first character of the ids past 1,000 ids, keeping every row', () => {
    const alphabet = '23456789cfghjmpqrvwx';
    const id = (i: number) => `GHSA-${alphabet[i % 3]}${[0, 1, 2].map((k) => alphabet[Math.floor(i / 20 ** k) % 20]).join('')}-2222-3333`;
    const many = advisories.map((advisory) =>
      advisory.id === 'OSSN-0101' ? { ...advisory, ghsa: Array.from({ length: 600 }, (_, i) => id(i)) } : advisory.id === 'OSSN-0102' ? { ...advisory, ghsa: Array.from({ length: 500 }, (_, i) => id(600 + i)) } : advisory,
    );
    const split = renderFiles(many, { config });
    const directory = parseHtml(fileText(split, 'site/ghsa/index.html'));
    expect(elements(directory, byTag('table'))).toEqual([]);
    expect(text(one(directory, byClass('lead'), 'lead'))).toBe('The 1100 GitHub advisory ids named by an advisory, by the first character of their id.');
    const groupsNav = (tree: ReturnType<typeof parseHtml>) => one(tree, (e) => e.tagName === 'nav' && attribute(e, 'ariaLabel') === 'GitHub advisory ids by first character', 'groups');
    expect(elements(groupsNav(directory), byTag('li')).map((li) => [attribute(elements(li, byTag('a'))[0]!, 'href'), text(li)])).toEqual([
      ['/ghsa/2/', '2 367 ids'],
      ['/ghsa/3/', '3 367 ids'],
      ['/ghsa/4/', '4 366 ids'],
    ]);
    const rowsOf = (group: string) => elements(parseHtml(fileText(split, `site/ghsa/${group}/index.html`)), (e) => e.tagName === 'tr' && typeof e.properties.id === 'string').map((row) => String(row.properties.id));
    const rows = ['2', '3', '4'].flatMap(rowsOf);
    expect(rows).toEqual([...new Set([...many.flatMap((advisory) => advisory.ghsa)])].sort());
    const page3 = parseHtml(fileText(split, 'site/ghsa/3/index.html'));
    expect(text(one(page3, byTag('h1'), 'heading'))).toBe('GitHub advisories GHSA-3\u2026');
    expect(text(one(groupsNav(page3), (e) => attribute(e, 'ariaCurrent') === 'page', 'current group'))).toBe('3');
    expect(fileText(split, 'site/sitemap.xml')).toContain('<loc>https://security.example.org/ghsa/4/</loc>');
    expect(sitePaths().has('site/ghsa/2/index.html')).toBe(false);
  });

  it('writes the filter index with every advisory and the product names', () => {
    const index = JSON.parse(fileText(files, 'site/advisories.json'));
    expect(index.products['openstack-compute-nova']).toBe('OpenStack Compute (Nova)');
    expect(index.advisories.map((a: { id: string }) => a.id)).toEqual(['OSSN-0103', 'OSSN-0101', 'notes-from-the-summit', 'OSSN-0102']);
    expect(index.advisories[1]).toMatchObject({ url: '/advisories/OSSN-0101/', severity: 'high', status: 'published', year: '2023', updated: '2023-12-28', cves: ['CVE-2023-40001', 'CVE-2023-9999'] });
  });
});

describe('an advisory page', () => {
  it('shows the metadata: id, dates, last update, severity and CVE links', () => {
    const doc = page('site/advisories/OSSN-0101/index.html');
    const rows = Object.fromEntries(
      elements(one(doc, byClass('meta-table'), 'metadata table'), byTag('tr')).map((row) => [text(elements(row, byTag('th'))[0]!), text(elements(row, byTag('td'))[0]!)]),
    );
    // OSSN-0101 was OSSN-0100 (aliases); the search finds it by either, with or without the zeros.
    expect(rows).toMatchObject({ ID: 'OSSN-0101 (formerly OSSN-0100)', Published: '2023-11-02', 'Last updated': '2023-12-28 (update 2)', Severity: 'High', Status: 'Published' });
    const idCell = elements(one(doc, byClass('meta-table'), 'metadata table'), byTag('td'))[0]!;
    expect(attribute(idCell, 'dataPagefindMeta')).toBe('ids:OSSN-0101 OSSN-101 101 OSSN-0100 OSSN-100 100');
    const cveLinks = elements(doc, (e) => e.tagName === 'a' && String(attribute(e, 'href')).startsWith('https://www.cve.org/'));
    expect(cveLinks.map((a) => text(a))).toEqual(['CVE-2023-40001', 'CVE-2023-9999']);
  });

  it('shows the affected products and versions in a table', () => {
    const doc = page('site/advisories/OSSN-0101/index.html');
    const table = elements(one(doc, byClass('advisory-affected'), 'affected section'), byTag('table'))[0]!;
    const rows = elements(elements(table, byTag('tbody'))[0]!, byTag('tr')).map((row) => elements(row, (e) => e.tagName === 'td' || e.tagName === 'th').map((cell) => text(cell)));
    expect(rows).toEqual([
      ['OpenStack Compute (Nova)', 'OpenStack', '\u2014', 'release', 'Antelope, Bobcat', '\u2014', '\u2014', '\u2014'],
      ['libvirt', 'Debian', 'libvirt-daemon', 'deb', 'Debian:12', '9.0.0-1 through 9.0.0-4', '9.0.0-1', '9.0.0-4+deb12u1'],
    ]);
  });

  it('leaves out a column of the affected products that no row fills', () => {
    const advisory = advisories.find((a) => a.id === 'OSSN-0101')!;
    const nova = { ...advisory, affects: advisory.affects.filter((affected) => affected.product.startsWith('OpenStack')) };
    const doc = parseHtml(fileText(renderFiles([nova], { config }), 'site/advisories/OSSN-0101/index.html'));
    const table = elements(one(doc, byClass('advisory-affected'), 'affected section'), byTag('table'))[0]!;
    const headers = elements(table, byTag('th')).filter((cell) => cell.properties.scope === 'col').map((cell) => text(cell));
    expect(headers).toEqual(['Product', 'Vendor', 'Ecosystem', 'Releases']);
    for (const row of elements(elements(table, byTag('tbody'))[0]!, byTag('tr'))) expect(elements(row, (e) => e.tagName === 'td' || e.tagName === 'th')).toHaveLength(headers.length);
  });

  it('shows the revision history as "Updated <date>: <summary>", each with an anchor', () => {
    const doc = page('site/advisories/OSSN-0101/index.html');
    expect(text(byId(doc, 'update-1')!)).toBe('UPDATE 1 Updated 2023-11-20: Added the package upgrade for Debian 12.');
    expect(text(byId(doc, 'update-2')!)).toBe('UPDATE 2 Updated 2023-12-28: Clarified that the SASL mechanism must not be plain.');
  });

  it('shows the checklist as an ordered list with copyable commands and each check with its expected result', () => {
    const doc = page('site/advisories/OSSN-0101/index.html');
    const list = one(doc, byClass('checklist-steps'), 'checklist');
    expect(list.tagName).toBe('ol');
    const steps = list.children.filter((child) => child.type === 'element' && child.tagName === 'li');
    expect(steps).toHaveLength(3);
    const [first, second, third] = steps as Parameters<typeof text>[0][];
    expect(text(elements(first!, byTag('h3'))[0]!)).toBe('Disable unauthenticated TCP in libvirt');
    expect(text(first!)).toContain('Applies to: compute nodes');
    expect(text(first!)).toContain('In /etc/libvirt/libvirtd.conf');
    expect(text(first!)).toContain('Expected: no line matches /^\\s*auth_tcp\\s*=\\s*"none"/');
    expect(text(first!)).toContain('Rollback: restore the previous libvirtd.conf and restart libvirtd.');
    const copyable = elements(second!, (e) => e.tagName === 'pre' && e.properties.dataCopy !== undefined).map((pre) => text(pre));
    expect(copyable).toEqual(['apt-get update && apt-get install --only-upgrade libvirt-daemon', "dpkg-query -W -f='${Version}\\n' libvirt-daemon"]);
    expect(text(second!)).toContain('Expected: version >= 9.0.0-4+deb12u1 (deb)');
    expect(text(third!)).toContain('systemctl restart libvirtd');
    const further = text(one(doc, byClass('advisory-checklist'), 'checklist section'));
    expect(further).toContain('Further checks');
    expect(further).toContain('Expected: exit status 0');
  });

  it('shows the prose of a numbered step in paragraphs; a section that is one whole step points to the body above, where its edits stand in their place', async () => {
    const first = one(page('site/advisories/OSSN-0101/index.html'), byClass('checklist-steps'), 'checklist');
    expect(elements(first, byClass('step-text')).length).toBeGreaterThan(0);
    const dir = await mkdtemp(path.join(tmpdir(), 'herald-whole-step-'));
    try {
      const source = await readFile(path.join(fixtureNotes, 'OSSN-0101.md'), 'utf8');
      const prose = 'Review the daemon settings on every compute node.\n\nIf remote access is not needed, turn TCP off:\n\n```ini file=/etc/libvirt/libvirtd.conf\nlisten_tcp = 0\n```\n\nOtherwise require SASL.\n';
      await writeFile(path.join(dir, 'OSSN-0101.md'), source.replace(/## Recommended Actions[\s\S]*?(?=\n## )/, `## Recommended Actions\n\n${prose}`));
      const [whole] = await loadAdvisories([dir], { config });
      expect(whole!.steps).toMatchObject([{ wholeSection: true, configEdits: [{ file: '/etc/libvirt/libvirtd.conf' }] }]);
      const doc = parseHtml(fileText(renderFiles([whole!], { config }), 'site/advisories/OSSN-0101/index.html'));
      const step = one(doc, byClass('checklist-steps'), 'checklist');
      expect(elements(step, byClass('step-text')).map(text)).toEqual([expect.stringMatching(/^These recommended actions are not split into steps: apply them as written above/)]);
      expect(text(step)).not.toContain('listen_tcp = 0');
      const body = text(one(doc, byClass('advisory-body'), 'body'));
      expect(body).toContain('listen_tcp = 0');
      expect(body).toContain('Otherwise require SASL.');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('links the advisory in other formats, and every linked file exists in the site', () => {
    const doc = page('site/advisories/OSSN-0101/index.html');
    const links = elements(one(doc, byClass('downloads'), 'downloads list'), byTag('a')).map((a) => attribute(a, 'href')!);
    expect(links.length).toBeGreaterThan(0);
    for (const href of links) expect(sitePaths(), href).toContain(`site${href}`);
  });

  it('keeps a withdrawn advisory reachable, clearly marked with the reason', () => {
    const doc = page('site/advisories/OSSN-0102/index.html');
    const notice = one(doc, byClass('notice-withdrawn'), 'withdrawn notice');
    expect(text(notice)).toBe('This advisory has been withdrawn. The behaviour was already fixed upstream before this note was published; see OSSN-0101 for the current advice.');
    const item = elements(page('site/index.html'), byClass('advisory-item')).find((li) => text(li).includes('OSSN-0102'))!;
    expect(hasClass(item, 'is-withdrawn')).toBe(true);
    expect(text(item)).toContain('Withdrawn');
  });

  it('renders a blog post with its raw HTML kept where safe', () => {
    const doc = page('site/advisories/notes-from-the-summit/index.html');
    const body = one(doc, byClass('advisory-body'), 'body');
    expect(elements(body, byTag('b')).map((b) => text(b))).toEqual(['summit']);
    expect(elements(body, byTag('ol'))).toHaveLength(1);
    expect(text(one(doc, byTag('h1'), 'title'))).toBe('Notes from the summit: hardening compute nodes');
  });
});

describe('pagination', () => {
  it('splits a long listing into pages of 50, linked both ways, every page reachable without JavaScript', () => {
    const template = advisories.find((a) => a.id === 'OSSN-0103')!;
    const many: Advisory[] = Array.from({ length: 120 }, (_, index) => {
      const id = `OSSN-${String(2000 + index).padStart(4, '0')}`;
      const day = String(1 + (index % 28)).padStart(2, '0');
      return { ...template, id, slug: id, aliases: [], date: `2023-${String(1 + Math.floor(index / 28)).padStart(2, '0')}-${day}` };
    });
    // Listings come from renderAll alone; rendering 120 advisory pages would only slow the test.
    const sorted = selectForBuild(many, testNow, false);
    const output = [...aggregates(renderer, sorted, { config, now: testNow, preview: false, all: sorted })];
    const paths = output.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['site/index.html', 'site/page/2/index.html', 'site/page/3/index.html', 'site/products/openstack-compute-nova/page/3/index.html']));
    expect(paths).not.toContain('site/page/4/index.html');
    const second = parseHtml(fileText(output, 'site/page/2/index.html'));
    expect(elements(second, byClass('advisory-item'))).toHaveLength(50);
    const rels = Object.fromEntries(elements(one(second, byClass('pagination'), 'pagination'), (e) => e.tagName === 'a' && attribute(e, 'rel') !== undefined).map((a) => [attribute(a, 'rel'), attribute(a, 'href')]));
    expect(rels).toEqual({ prev: '/', next: '/page/3/' });
    expect(elements(parseHtml(fileText(output, 'site/page/3/index.html')), byClass('advisory-item'))).toHaveLength(20);
    expect(text(one(second, byTag('h1'), 'heading'))).toBe('Example Security Notes (page 2 of 3)');
  });
});

describe('links', () => {
  it('resolve: every root-relative href and src of every page names a file of the site', () => {
    const paths = sitePaths();
    const broken: string[] = [];
    for (const file of files.filter((f) => f.path.startsWith('site/') && f.path.endsWith('.html'))) {
      const doc = parseHtml(fileText(files, file.path));
      for (const element of elements(doc, (e) => e.tagName === 'a' || e.tagName === 'link' || e.tagName === 'script' || e.tagName === 'form')) {
        const target = attribute(element, 'href') ?? attribute(element, 'src') ?? attribute(element, 'action');
        if (!target || !target.startsWith('/')) continue;
        const pathname = target.split('#')[0]!.split('?')[0]!;
        const file404 = pathname.endsWith('/') ? `site${pathname}index.html` : `site${pathname}`;
        if (!paths.has(file404)) broken.push(`${file.path}: ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('keeps same-page anchors pointing at an element of the page', () => {
    const doc = page('site/advisories/OSSN-0101/index.html');
    for (const a of elements(doc, (e) => e.tagName === 'a' && String(attribute(e, 'href')).startsWith('#'))) {
      expect(byId(doc, attribute(a, 'href')!.slice(1)), attribute(a, 'href')).toBeDefined();
    }
  });

  it('gives each heading of the note an id no id of the page can take, and the note\u2019s links to its headings lead there', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'herald-heading-links-'));
    try {
      const source = await readFile(path.join(fixtureNotes, 'OSSN-0101.md'), 'utf8');
      // A heading named as the page's own ids are: the prefix keeps them apart.
      const linking = '## Discussion\n\nSee [the actions](#recommended-actions), [the details](#details), [the page\u2019s](#details-heading) and [step one](#step-1).\n\n### Details\n\n### Step 1\n';
      await writeFile(path.join(dir, 'OSSN-0101.md'), source.replace('## Discussion\n', linking));
      const [advisory] = await loadAdvisories([dir], { config });
      const doc = parseHtml(fileText(renderFiles([advisory!], { config }), 'site/advisories/OSSN-0101/index.html'));
      const hrefs = elements(one(doc, byClass('advisory-body'), 'body'), (e) => e.tagName === 'a' && String(attribute(e, 'href')).startsWith('#')).map((a) => attribute(a, 'href'));
      // A fragment that names a heading of the note leads there, as in GitHub's preview, even where the page has that id too.
      expect(hrefs.slice(0, 4)).toEqual(['#section-recommended-actions', '#section-details', '#details-heading', '#section-step-1']);
      expect(text(byId(doc, 'section-details')!)).toBe('Details');
      expect(text(byId(doc, 'details-heading')!)).toBe('Details');
      expect(byId(doc, 'section-step-1')!.tagName).toBe('h3');
      expect(byId(doc, 'step-1')!.tagName).toBe('li');
      const ids = elements(doc, (e) => attribute(e, 'id') !== undefined).map((e) => attribute(e, 'id'));
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('leaves a redirect at a former id: meta refresh and canonical link, and a 301 for hosts that read _redirects', () => {
    const doc = page('site/advisories/OSSN-0100/index.html');
    const refresh = one(doc, (e) => e.tagName === 'meta' && attribute(e, 'httpEquiv') === 'refresh', 'meta refresh');
    expect(attribute(refresh, 'content')).toBe('0; url=/advisories/OSSN-0101/');
    const canonical = one(doc, (e) => e.tagName === 'link' && attribute(e, 'rel') === 'canonical', 'canonical link');
    expect(attribute(canonical, 'href')).toBe('https://security.example.org/advisories/OSSN-0101/');
    expect(fileText(files, 'site/_redirects')).toBe('/advisories/OSSN-0100/ /advisories/OSSN-0101/ 301\n');
  });

  it('follow the base path of site.base_url', async () => {
    const hosted: Config = { ...config, site: { ...config.site, base_url: 'https://example.org/security/' } };
    const output = renderFiles(advisories, { config: hosted });
    const doc = parseHtml(fileText(output, 'site/index.html'));
    expect(attribute(one(doc, byClass('brand'), 'brand link'), 'href')).toBe('/security/');
    expect(elements(doc, byClass('advisory-item-title')).map((h) => attribute(elements(h, byTag('a'))[0]!, 'href'))[0]).toBe('/security/advisories/OSSN-0103/');
    expect(fileText(output, 'site/sitemap.xml')).toContain('<loc>https://example.org/security/advisories/OSSN-0103/</loc>');
  });
});

describe('crawlers and hosts', () => {
  it('writes a sitemap of absolute URLs with the last change of each page', () => {
    const xml = fileText(files, 'site/sitemap.xml');
    expect(xml).toContain('<url><loc>https://security.example.org/advisories/OSSN-0101/</loc><lastmod>2023-12-28</lastmod></url>');
    expect(xml).toContain('<loc>https://security.example.org/</loc>');
    expect(xml).not.toContain('OSSN-0100');
  });

  it('writes robots.txt naming the sitemap', () => {
    expect(fileText(files, 'site/robots.txt')).toBe('User-agent: *\nAllow: /\n\nSitemap: https://security.example.org/sitemap.xml\n');
  });

  it('writes security.txt from the config, with the CSAF line to the provider metadata, and none without that section', () => {
    expect(fileText(files, 'site/.well-known/security.txt')).toBe(
      [
        'Contact: mailto:security@example.org',
        'Contact: https://security.example.org/report/',
        'Expires: 2030-01-01T00:00:00Z',
        'Policy: https://security.example.org/policy/',
        'Preferred-Languages: en',
        'Canonical: https://security.example.org/.well-known/security.txt',
        'CSAF: https://security.example.org/.well-known/csaf/provider-metadata.json',
        '',
      ].join('\n'),
    );
    const { security_txt: _, ...site } = config.site;
    const without = renderFiles(advisories, { config: { ...config, site } });
    expect(without.map((f) => f.path)).not.toContain('site/.well-known/security.txt');
  });

  it('says when the configured Expires of security.txt has passed or is more than a year ahead (RFC 9116)', () => {
    const at = (day: string) => securityTxtExpiryProblem({ config, now: new Date(`${day}T00:00:00Z`) });
    expect(config.site.security_txt?.expires).toBe('2030-01-01T00:00:00Z');
    expect(at('2029-06-01')).toBeUndefined();
    expect(at('2030-01-01')).toMatch(/^site\.security_txt\.expires \(2030-01-01T00:00:00Z\) has passed/);
    expect(at('2028-06-01')).toMatch(/is more than a year ahead/);
    const { expires: _, ...defaults } = config.site.security_txt!;
    expect(securityTxtExpiryProblem({ config: { ...config, site: { ...config.site, security_txt: defaults } }, now: new Date() })).toBeUndefined();
  });

  it('ships the Content-Security-Policy in _headers, and docs/site.md shows the same header', async () => {
    const { contentSecurityPolicy } = await import('../../src/render/site/headers.ts');
    expect(fileText(files, 'site/_headers')).toContain(`  Content-Security-Policy: ${contentSecurityPolicy}\n`);
    const { readFile } = await import('node:fs/promises');
    const docs = await readFile(new URL('../../docs/site.md', import.meta.url), 'utf8');
    expect(docs).toContain(`Content-Security-Policy: ${contentSecurityPolicy}`);
  });
});

describe('the pages carry no inline script or style', () => {
  it('has no <style>, no style attribute, no inline <script> and no event handler attribute anywhere', () => {
    for (const file of files.filter((f) => f.path.startsWith('site/') && f.path.endsWith('.html'))) {
      const doc = parseHtml(fileText(files, file.path));
      const offending = elements(
        doc,
        (e) =>
          e.tagName === 'style' ||
          e.properties.style !== undefined ||
          (e.tagName === 'script' && attribute(e, 'src') === undefined) ||
          Object.keys(e.properties).some((name) => /^on[a-z]/i.test(name)),
      );
      expect(offending.map((e) => e.tagName), file.path).toEqual([]);
    }
  });
});

describe('private previews and what a public build leaves out', () => {
  it('leaves drafts and embargoed notes out of every file of a public build', () => {
    for (const file of files) {
      const contents = typeof file.contents === 'string' ? file.contents : new TextDecoder().decode(file.contents);
      expect(contents, file.path).not.toMatch(/OSSN-010[45]|Glance|Swift/);
    }
  });

  it('marks every page, feed and crawler file of a preview build', () => {
    const output = renderFiles(advisories, { config, preview: true });
    const html = output.filter((f) => f.path.startsWith('site/') && f.path.endsWith('.html'));
    expect(html.length).toBeGreaterThan(10);
    for (const file of html) {
      const doc = parseHtml(fileText(output, file.path));
      expect(text(one(doc, byTag('title'), 'title')), file.path).toMatch(/^\[PRIVATE PREVIEW\] /);
      expect(text(elements(doc, byTag('body'))[0]!), file.path).toContain('PRIVATE PREVIEW');
      const robots = elements(doc, (e) => e.tagName === 'meta' && attribute(e, 'name') === 'robots');
      expect(robots.map((m) => attribute(m, 'content')), file.path).toEqual([expect.stringMatching(/^noindex/)]);
    }
    expect(fileText(output, 'site/robots.txt')).toContain('Disallow: /');
    expect(JSON.parse(fileText(output, 'site/feed.json')).title).toMatch(/^\[PRIVATE PREVIEW\] /);
    expect(fileText(output, 'site/feed.xml')).toContain('<title>[PRIVATE PREVIEW] ');
    const draft = parseHtml(fileText(output, 'site/advisories/OSSN-0104/index.html'));
    expect(text(one(draft, byClass('notice-draft'), 'draft notice'))).toContain('not published');
    const embargoed = parseHtml(fileText(output, 'site/advisories/OSSN-0105/index.html'));
    expect(text(one(embargoed, byClass('notice-embargo'), 'embargo notice'))).toContain('2024-02-01T15:00:00Z');
    const listed = elements(parseHtml(fileText(output, 'site/index.html')), byClass('advisory-item')).map((li) => text(li));
    expect(listed.find((item) => item.includes('OSSN-0104'))).toContain('Draft');
    expect(listed.find((item) => item.includes('OSSN-0105'))).toContain('Embargoed');
  });
});

describe('rendering', () => {
  it('is deterministic: the same notes and clock give the same bytes', () => {
    expect(renderFiles(advisories, { config })).toEqual(files);
  });

  it('renders the bundled notes', async () => {
    const bundled = await loadAdvisories([bundledNotes], { config });
    const output = renderFiles(bundled, { config });
    const published = bundled.filter((advisory) => advisory.status !== 'draft');
    expect(published.length).toBeGreaterThanOrEqual(7);
    for (const advisory of published) expect(output.map((f) => f.path)).toContain(`site/advisories/${advisory.slug}/index.html`);
    // "ossn 7" finds OSSN-0007: its number is a word of the index on its own
    // (Pagefind drops "7", one character, as a part of "OSSN-7").
    const inMeta = indexPage('/advisories/OSSN-0007/', fileText(output, 'site/advisories/OSSN-0007/index.html'))
      .words.split('\n')
      .map((line) => line.split(' '))
      .filter(([, , metaLocations]) => metaLocations !== '')
      .map(([stem]) => stem);
    expect(inMeta).toEqual(expect.arrayContaining(['ossn', '0007', '7']));
  });

  it('renders a site with no advisory yet', () => {
    const output = renderFiles([], { config });
    const main = text(one(parseHtml(fileText(output, 'site/index.html')), byTag('main'), 'main'));
    expect(main).toContain('No advisories yet.');
    expect(main).not.toContain('Filter advisories');
    expect(JSON.parse(fileText(output, 'site/feed.json')).items).toEqual([]);
    expect(fileText(output, 'site/feed.xml')).toContain(`<updated>${testNow.toISOString().slice(0, 19)}Z</updated>`);
  });

  it('renders one advisory without the others (per-note output depends on that note only)', () => {
    const advisory = advisories.find((a) => a.id === 'OSSN-0101')!;
    const alone = renderer.renderNote!(advisory, { config, now: testNow, preview: false, all: [advisory] });
    const within = renderer.renderNote!(advisory, { config, now: testNow, preview: false, all: advisories });
    expect(alone).toEqual(within);
  });
});

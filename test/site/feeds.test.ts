import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/schema.ts';
import { selectForBuild } from '../../src/build/select.ts';
import { parseNote } from '../../src/model/load.ts';
import type { Advisory } from '../../src/model/types.ts';
import { feedEvents, retainedEvents } from '../../src/render/site/feeds.ts';
import type { OutputFile } from '../../src/render/types.ts';
import { bundledNotes, fileText, fixtureConfig, fixtureNotes, loadAdvisories, renderFiles, testNow } from './support.ts';
import { elements, parseFragment } from './tree.ts';

let config: Config;
let advisories: Advisory[];
let files: OutputFile[];

beforeAll(async () => {
  config = await fixtureConfig();
  advisories = await loadAdvisories([fixtureNotes], { config });
  files = renderFiles(advisories, { config });
});

/** `count` copies of a fixture advisory, one a day back from `newest`, each with `revisions` updates on later days. */
function series(template: Advisory, count: number, newest: string, revisions: string[] = []): Advisory[] {
  return Array.from({ length: count }, (_, index) => {
    const date = new Date(Date.parse(`${newest}T00:00:00Z`) - index * 86_400_000).toISOString().slice(0, 10);
    const id = `OSSN-${String(5000 + index).padStart(4, '0')}`;
    return {
      ...template,
      id,
      slug: id,
      aliases: [],
      date,
      revisions: revisions.map((revisionDate, number) => ({ number: number + 1, date: revisionDate, summary: `update ${number + 1}` })),
    };
  });
}

const day = (iso: string) => new Date(`${iso}T12:00:00Z`);

describe('which entries a feed keeps', () => {
  it('makes one entry per publication and per update, newest first', () => {
    const events = feedEvents(selectForBuild(advisories, testNow, false));
    expect(events.map((e) => `${e.advisory.id}#${e.revision} ${e.kind} ${e.date}`)).toEqual([
      'OSSN-0101#2 updated 2023-12-28',
      'OSSN-0103#0 new 2023-12-27',
      'OSSN-0101#1 updated 2023-11-20',
      'OSSN-0101#0 new 2023-11-02',
      'notes-from-the-summit#0 new 2023-06-01',
      'OSSN-0102#0 new 2022-03-15',
    ]);
  });

  it('keeps the newest 10 when fewer than 10 are recent', () => {
    const old = series(advisories[0]!, 30, '2020-01-31');
    const kept = retainedEvents(feedEvents(old), day('2024-01-01'));
    expect(kept).toHaveLength(10);
    expect(kept[0]!.date).toBe('2020-01-31');
  });

  it('keeps every entry of the last 8 days when there are more than 10', () => {
    const daily = series(advisories[0]!, 30, '2024-01-01');
    // 2024-01-01 back to 2023-12-24 is 9 entries (the oldest 8 days before the clock): fewer than 10.
    expect(retainedEvents(feedEvents(daily), day('2024-01-01'))).toHaveLength(10);
    const burst = series(advisories[0]!, 30, '2024-01-01', ['2024-01-01']);
    const kept = retainedEvents(feedEvents(burst), day('2024-01-01'));
    expect(kept).toHaveLength(30 + 9);
    expect(kept.at(-1)!.date).toBe('2023-12-24');
  });

  it('counts the window from the build clock, not from the newest entry', () => {
    const burst = series(advisories[0]!, 20, '2023-12-01', ['2023-12-01']);
    expect(retainedEvents(feedEvents(burst), day('2023-12-01'))).toHaveLength(20 + 9);
    expect(retainedEvents(feedEvents(burst), day('2024-06-01'))).toHaveLength(10);
  });
});

describe('JSON Feed', () => {
  it('marks entries NEW or UPDATED, with published and modified dates and distinct ids', () => {
    const feed = JSON.parse(fileText(files, 'site/feed.json'));
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.feed_url).toBe('https://security.example.org/feed.json');
    expect(feed.items).toHaveLength(6);
    const [update2, created] = feed.items;
    expect(update2).toMatchObject({
      id: 'https://security.example.org/advisories/OSSN-0101/#update-2',
      url: 'https://security.example.org/advisories/OSSN-0101/#update-2',
      title: '[UPDATED] OSSN-0101: Compute nodes accept unauthenticated libvirt connections over TCP (UPDATE 2)',
      date_published: '2023-11-02T00:00:00Z',
      date_modified: '2023-12-28T00:00:00Z',
      summary: 'Clarified that the SASL mechanism must not be plain.',
    });
    expect(created).toMatchObject({
      id: 'https://security.example.org/advisories/OSSN-0103/',
      title: '[NEW] OSSN-0103: Nova console proxy allows open redirects',
      date_published: '2023-12-27T00:00:00Z',
      date_modified: '2023-12-27T00:00:00Z',
    });
    expect(new Set(feed.items.map((item: { id: string }) => item.id)).size).toBe(6);
    const withdrawn = feed.items.find((item: { id: string }) => item.id.includes('OSSN-0102'));
    expect(withdrawn.title).toBe('[NEW] OSSN-0102: Keystone tokens logged at debug level (withdrawn)');
    const content = parseFragment(withdrawn.content_html);
    expect(elements(content, (e) => e.tagName === 'strong').map((e) => (e.children[0] as { value: string }).value)).toContain('Withdrawn:');
  });

  it('marks the update that withdrew an advisory WITHDRAWN, as its mail does, and its earlier entries (withdrawn)', async () => {
    const bundled = renderFiles(await loadAdvisories([bundledNotes], { config }), { config });
    const titles = JSON.parse(fileText(bundled, 'site/feed.json')).items.map((item: { title: string }) => item.title);
    expect(titles.filter((title: string) => title.includes('OSSN-0006'))).toEqual([
      '[WITHDRAWN] OSSN-0006: Nova console proxies accept WebSocket connections from any web origin (UPDATE 1)',
      '[NEW] OSSN-0006: Nova console proxies accept WebSocket connections from any web origin (withdrawn)',
    ]);
    expect(fileText(bundled, 'site/feed.xml')).toContain('<category term="withdrawn" label="WITHDRAWN"/>');
  });

  it('per product, carries only that product\u2019s advisories', () => {
    const feed = JSON.parse(fileText(files, 'site/products/openstack-identity-keystone/feed.json'));
    expect(feed.items.map((item: { id: string }) => item.id)).toEqual(['https://security.example.org/advisories/OSSN-0102/']);
    expect(feed.home_page_url).toBe('https://security.example.org/products/openstack-identity-keystone/');
  });
});

describe('Atom', () => {
  it('has the entries of the JSON Feed, each with published, updated and a NEW/UPDATED category', () => {
    const atom = fileText(files, 'site/feed.xml');
    const entries = atom.split('<entry>').slice(1);
    expect(entries).toHaveLength(6);
    expect(entries[0]).toContain('<id>https://security.example.org/advisories/OSSN-0101/#update-2</id>');
    expect(entries[0]).toContain('<published>2023-11-02T00:00:00Z</published>');
    expect(entries[0]).toContain('<updated>2023-12-28T00:00:00Z</updated>');
    expect(entries[0]).toContain('<category term="updated" label="UPDATED"/>');
    expect(entries[1]).toContain('<category term="new" label="NEW"/>');
    expect(atom).toContain('<updated>2023-12-28T00:00:00Z</updated>\n  <link rel="self"');
  });

  it('names each product once per entry, though several affects entries name it (OSSN-0007: qemu-kvm on Debian and on RHEL)', async () => {
    const bundled = renderFiles(await loadAdvisories([bundledNotes], { config }), { config });
    const entries = fileText(bundled, 'site/feed.xml').split('<entry>').slice(1);
    const venom = entries.find((entry) => entry.includes('/advisories/OSSN-0007/</id>'))!;
    const terms = [...venom.matchAll(/<category term="([^"]+)"/g)].map((match) => match[1]);
    expect(terms).toEqual(['new', 'qemu-kvm', 'qemu', 'openstack-compute-nova-with-the-libvirt-driver-kvm-qemu']);
    const items = JSON.parse(fileText(bundled, 'site/feed.json')).items as { id: string; tags: string[] }[];
    for (const item of items) expect(new Set(item.tags).size, item.id).toBe(item.tags.length);
  });

  it('shows no image in an entry: a feed reader would fetch it for every reader, so each is a link named by its alt text', () => {
    const file = path.join(fixtureNotes, 'OSSN-0103.md');
    const images = '![a pixel](https://tracker.example.com/p.gif) and <img src="https://tracker.example.com/raw.gif" alt="raw">\n\n';
    const source = readFileSync(file, 'utf8').replace('## Summary\n\n', `## Summary\n\n${images}`);
    const { advisory } = parseNote(file, source, { config, now: testNow });
    const others = advisories.filter((a) => a.id !== 'OSSN-0103');
    for (const feed of ['site/feed.xml', 'site/feed.json']) {
      const text = fileText(renderFiles([...others, advisory!], { config }), feed);
      expect(text, feed).not.toMatch(/<img\b|&lt;img\b|\\u003cimg/);
      expect(text, feed).toMatch(/tracker\.example\.com\/p\.gif(\\"|&quot;)(>|&gt;)a pixel/);
      expect(text, feed).toMatch(/tracker\.example\.com\/raw\.gif(\\"|&quot;)(>|&gt;)raw/);
    }
  });

  it('keeps an unchanged feed byte-identical whatever the clock', () => {
    const later = renderFiles(advisories, { config, now: new Date(testNow.getTime() + 3 * 86_400_000) });
    expect(fileText(later, 'site/feed.xml')).toBe(fileText(files, 'site/feed.xml'));
  });
});

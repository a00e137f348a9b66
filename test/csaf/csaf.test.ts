import { createHash } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.ts';
import { toCsafDocument } from '../../src/render/csaf/document.ts';
import { renderer } from '../../src/render/csaf/index.ts';
import { csafFileName } from '../../src/render/csaf/layout.ts';
import { currentReleaseDate, trackingOf } from '../../src/render/csaf/tracking.ts';
import fc from 'fast-check';
import { expectGolden } from '../osv/golden.ts';
import { fixtureNotes, loadAdvisories, loadBundled, renderContext } from '../osv/notes.ts';
import { expectValidCsaf } from './validate.ts';
import { aggregates } from '../support/render.ts';

const root = 'site/.well-known/csaf';

describe('CSAF export of the fixture notes', async () => {
  const advisories = await loadAdvisories([fixtureNotes]);
  const byId = (id: string) => advisories.find((a) => a.id === id)!;
  const config = defaultConfig();

  it('lays the documents out as a provider directory, and matches the golden files', () => {
    const context = renderContext(advisories);
    const files = [...advisories.flatMap((a) => renderer.renderNote!(a, context)), ...aggregates(renderer, advisories, context)];
    const documents = ['2014/hardening-the-message-queue', '2014/ossn-0901', '2015/ossn-0902', '2015/ossn-0903', '2016/ossn-0904'];
    expect(files.map((f) => f.path).sort()).toEqual(
      ['changes.csv', 'index.txt', 'provider-metadata.json', ...documents.flatMap((p) => [`${p}.json`, `${p}.json.sha256`, `${p}.json.sha512`])].map((p) => `${root}/${p}`).sort(),
    );
    for (const file of files) expectGolden(path.join(import.meta.dirname, 'expected', file.path.slice(root.length + 1)), String(file.contents));
  });

  it('dates the current release in the index as in the document, for any revision dates, drafts too', () => {
    const base = byId('OSSN-0901');
    const day = fc.integer({ min: 0, max: 3 * 365 }).map((n) => new Date(Date.UTC(2014, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
    fc.assert(
      fc.property(fc.constantFrom('draft', 'published', 'withdrawn'), day, fc.array(day, { maxLength: 5 }), (status, date, revisions) => {
        const advisory = { ...base, status: status as typeof base.status, date, revisions: revisions.map((d, i) => ({ number: i + 1, date: d, summary: 'x' })) };
        expect(currentReleaseDate(advisory)).toBe(trackingOf(advisory, { name: 'herald', version: '0' }).current_release_date);
      }),
    );
  });

  it('writes hash files in the format sha256sum and sha512sum read', () => {
    const [document, sha256, sha512] = renderer.renderNote!(byId('OSSN-0901'), renderContext(advisories));
    const bytes = String(document!.contents);
    expect(sha256!.contents).toBe(`${createHash('sha256').update(bytes).digest('hex')}  ossn-0901.json\n`);
    expect(sha512!.contents).toBe(`${createHash('sha512').update(bytes).digest('hex')}  ossn-0901.json\n`);
  });

  it('lists changes newest first and every document in index.txt', () => {
    const files = [...aggregates(renderer, advisories, renderContext(advisories))];
    const changes = String(files.find((f) => f.path.endsWith('changes.csv'))!.contents).trim().split('\n');
    expect(changes[0]).toBe('"2016/ossn-0904.json","2016-03-01T00:00:00Z"');
    const dates = changes.map((line) => line.split(',')[1]!);
    expect([...dates].sort().reverse()).toEqual(dates);
    expect(String(files.find((f) => f.path.endsWith('index.txt'))!.contents).trim().split('\n')).toHaveLength(advisories.length);
  });

  it('makes a security advisory of a note with CVEs: products, status, remediations', () => {
    const document = toCsafDocument(byId('OSSN-0901'), config, false);
    expect(document.document.category).toBe('csaf_security_advisory');
    const vulnerability = document.vulnerabilities![0]!;
    expect(vulnerability.cve).toBe('CVE-2014-0160');
    expect(vulnerability.product_status.known_affected!.length).toBeGreaterThan(0);
    expect(vulnerability.product_status.fixed).toHaveLength(4);
    expect(vulnerability.remediations!.map((r) => [r.category, r.restart_required?.category])).toEqual([
      ['vendor_fix', undefined],
      ['mitigation', 'service'],
    ]);
    const tree = JSON.stringify(document.product_tree);
    expect(tree).toContain('vers:deb/>=1.0.1-1|<1.0.1e-2+deb7u6');
    expect(tree).toContain('vers:semver/>=0.13.0|<0.14.0');
    expect(tree).toContain('vers:pypi/>=1.0|<4.1.0.post1');
    // A fixed version names its package by package URL where the OSV ecosystems give one (the validator parses it: test 6.1.13).
    const purls = JSON.stringify(document.product_tree).match(/pkg:[^"]+/g);
    expect(purls).toEqual(['pkg:deb/debian/openssl@1.0.1e-2+deb7u6', 'pkg:pypi/pyopenssl@0.14.0', 'pkg:pypi/keystone-middleware@4.1.0.post1']);
    expect(document.document.acknowledgments).toEqual([
      { names: ['Neel Mehta'], organization: 'Google Security', summary: 'finder' },
      { names: ['Codenomicon'], summary: 'finder' },
      { names: ['Bo Example'] },
    ]);
    // The CVSS 3.1 vector scores every affected product (CSAF 2.0 has no place for the 4.0 one); the validator recomputes it (test 6.1.9).
    expect(vulnerability.scores).toEqual([{ products: vulnerability.product_status.known_affected, cvss_v3: { version: '3.1', vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', baseScore: 7.5, baseSeverity: 'HIGH' } }]);
  });

  it('makes an informational advisory of configuration guidance, with its actions as a note', () => {
    const document = toCsafDocument(byId('OSSN-0902'), config, false);
    expect(document.document.category).toBe('csaf_informational_advisory');
    expect(document.vulnerabilities).toBeUndefined();
    expect(document.document.notes.find((n) => n.title === 'Recommended Actions')!.text).toContain('chmod 640 /etc/example/compute.conf');
  });

  it('numbers the revision history from the note, and keeps same-day revisions in order', () => {
    const tracking = toCsafDocument(byId('OSSN-0901'), config, false).document.tracking;
    expect(tracking.status).toBe('final');
    expect(tracking.version).toBe('3');
    expect(tracking.revision_history.map((r) => [r.number, r.date])).toEqual([
      ['1', '2014-04-08T00:00:00Z'],
      ['2', '2014-04-08T00:00:01Z'],
      ['3', '2014-04-11T00:00:00Z'],
    ]);
    expect(tracking.current_release_date).toBe('2014-04-11T00:00:00Z');
    expect(tracking.generator.date).toBe(tracking.current_release_date);
  });

  it('gives a draft version 0 and status draft', () => {
    const tracking = toCsafDocument(byId('OSSN-0904'), config, false).document.tracking;
    expect([tracking.status, tracking.version, tracking.revision_history.map((r) => r.number)]).toEqual(['draft', '0', ['0']]);
  });

  it('marks a preview build (title, TLP:AMBER, a note) and never reads the clock', () => {
    const advisory = byId('OSSN-0904');
    const preview = toCsafDocument(advisory, config, true);
    expect(preview.document.title).toMatch(/^PRIVATE PREVIEW: /);
    expect(preview.document.distribution.tlp.label).toBe('AMBER');
    const early = renderer.renderNote!(advisory, renderContext(advisories, { now: new Date('2001-01-01T00:00:00Z') }));
    const late = renderer.renderNote!(advisory, renderContext(advisories, { now: new Date('2031-01-01T00:00:00Z') }));
    expect(early).toEqual(late);
  });

  it('names files after the tracking id (CSAF 5.1)', () => {
    expect(csafFileName('OSSN-0007')).toBe('ossn-0007.json');
    expect(csafFileName('Example SA 2014:01')).toBe('example_sa_2014_01.json');
  });
});

describe('CSAF documents pass the strict schema and the mandatory tests of csaf-validator-lib', () => {
  it('for the fixture notes', async () => expectValidCsaf(await loadAdvisories([fixtureNotes]), defaultConfig()));

  it('for the bundled notes', async () => {
    const { advisories, config } = await loadBundled();
    await expectValidCsaf(advisories, config);
  });
});

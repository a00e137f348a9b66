import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.ts';
import fc from 'fast-check';
import { recordPieces, renderer } from '../../src/render/osv/index.ts';
import { joinPieces } from '../../src/render/types.ts';
import { osvId, toOsvRecord } from '../../src/render/osv/record.ts';
import { missingShared, sharedDir } from '../support/system.ts';
import { expectGolden } from './golden.ts';
import { fixtureNotes, loadAdvisories, loadBundled, renderContext } from './notes.ts';
import type { Config } from '../../src/config/schema.ts';
import type { Advisory } from '../../src/model/types.ts';
import { aggregates } from '../support/render.ts';

function recordsOf(files: { path: string; contents: string | Uint8Array }[]) {
  return files.map((f) => JSON.parse(String(f.contents)));
}

describe('OSV export of the fixture notes', async () => {
  const advisories = await loadAdvisories([fixtureNotes]);
  const byId = (id: string) => advisories.find((a) => a.id === id)!;

  it('writes one file per advisory and all.json, and matches the golden files', () => {
    const context = renderContext(advisories);
    for (const advisory of advisories) {
      const [file] = renderer.renderNote!(advisory, context);
      expect(file!.path).toBe(`osv/${advisory.slug}.json`);
      expectGolden(path.join(import.meta.dirname, 'expected', `${advisory.slug}.json`), String(file!.contents));
    }
    const [all] = aggregates(renderer, advisories, context);
    expect(all!.path).toBe('osv/all.json');
    expect(recordsOf([all!])[0].map((r: { id: string }) => r.id)).toEqual(advisories.map((a) => osvId(a, context.config)).sort());
  });

  it('joins all.json from the records\' own files as JSON.stringify would lay out the array', () => {
    const context = renderContext(advisories, {});
    const records = advisories.map((advisory) => toOsvRecord(advisory, context.config, false)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const expected = `${JSON.stringify(records, null, 2)}\n`;
    // From the files the build wrote (read back as bytes), or rendered again.
    const files = new Map(advisories.flatMap((advisory) => renderer.renderNote!(advisory, context)).map((file) => [file.path, Buffer.from(String(file.contents))]));
    const [fromFiles] = aggregates(renderer, advisories, { ...context, noteFile: (file) => files.get(file) });
    expect(Buffer.from(fromFiles!.contents).toString('utf8')).toBe(expected);
    const [rendered] = aggregates(renderer, advisories, context);
    expect(Buffer.from(rendered!.contents).toString('utf8')).toBe(expected);
    const [none] = aggregates(renderer, [], context);
    expect(Buffer.from(none!.contents).toString('utf8')).toBe('[]\n');
  });

  it('indents records of any layout, sizes and line ends as JSON.stringify does', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 6 }), (values) => {
        const records = values.map((value, index) => ({ key: String(index), text: () => Buffer.from(`${JSON.stringify(value, null, 2)}\n`) }));
        expect(joinPieces(recordPieces(records)).toString('utf8')).toBe(`${JSON.stringify(values, null, 2)}\n`);
      }),
    );
  });

  it('puts packages in OSV ecosystems with ECOSYSTEM ranges (SEMVER for Go, npm and crates.io), a Python package (pypi) in PyPI', () => {
    const record = toOsvRecord(byId('OSSN-0901'), defaultConfig(), false);
    expect(record.id).toBe('x_OSSN-0901');
    expect(record.aliases).toEqual(['CVE-2014-0160']);
    expect(record.affected.map((a) => [a.package.ecosystem, a.package.name, a.ranges[0]!.type, a.ranges[0]!.events])).toEqual([
      ['Debian:7', 'openssl', 'ECOSYSTEM', [{ introduced: '1.0.1-1' }, { fixed: '1.0.1e-2+deb7u6' }]],
      ['Red Hat:enterprise_linux:6', 'openssl', 'ECOSYSTEM', [{ introduced: '0' }, { fixed: '1.0.1e-16.el6_5.7' }]],
      // A semver entry in PyPI, which orders by PEP 440, not semver: an ECOSYSTEM range.
      ['PyPI', 'pyopenssl', 'ECOSYSTEM', [{ introduced: '0.13.0' }, { fixed: '0.14.0' }]],
      ['PyPI', 'keystone_Middleware', 'ECOSYSTEM', [{ introduced: '1.0' }, { fixed: '4.1.0.post1' }]],
    ]);
    // The authors as analysts, then the credits with their type, if any.
    expect(record.credits.map((c) => [c.name, c.type])).toEqual([['Ada Example', 'ANALYST'], ['Neel Mehta', 'FINDER'], ['Codenomicon', 'FINDER'], ['Bo Example', undefined]]);
    // Each CVSS vector as OSV types it (3.0 and 3.1 alike CVSS_V3).
    expect(record.severity).toEqual([
      { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' },
      { type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N' },
    ]);
    // The package URL of a Python package names it as the purl spec does: lower case, runs of - _ . as one dash.
    expect(record.affected[3]!.package.purl).toBe('pkg:pypi/keystone-middleware');
    // Products with no OSV ecosystem are kept, not dropped.
    expect((record.database_specific.affected_products as { product: string }[]).map((p) => p.product)).toEqual(['Example Compute', 'Appliance firmware']);
  });

  it('takes modified from the last revision and published from the date, never from the clock', () => {
    const advisory = byId('OSSN-0901');
    const early = renderer.renderNote!(advisory, renderContext(advisories, { now: new Date('2020-01-01T00:00:00Z') }));
    const late = renderer.renderNote!(advisory, renderContext(advisories, { now: new Date('2030-01-01T00:00:00Z') }));
    expect(early).toEqual(late);
    const record = recordsOf(early)[0];
    expect(record.published).toBe('2014-04-08T00:00:00Z');
    expect(record.modified).toBe('2014-04-11T00:00:00Z');
  });

  it('marks a withdrawn advisory with the date and its reason', () => {
    const record = toOsvRecord(byId('OSSN-0903'), defaultConfig(), false);
    expect(record.withdrawn).toBe('2015-06-20T00:00:00Z');
    expect(record.database_specific.withdrawn_reason).toBe('The behaviour described is the documented cache expiry, not a flaw.');
    expect(record.details).toContain('**Withdrawn:** The behaviour described');
  });

  it('uses a registered prefix when one is configured', () => {
    const config = defaultConfig();
    config.osv.prefix = 'EXAMPLE';
    expect(osvId(byId('OSSN-0901'), config)).toBe('EXAMPLE-0901');
  });

  it('marks every record of a preview build', () => {
    const record = toOsvRecord(byId('OSSN-0904'), defaultConfig(), true);
    expect(record.summary).toMatch(/^PRIVATE PREVIEW: /);
    expect(record.details).toMatch(/^\*\*PRIVATE PREVIEW: not for publication\.\*\*/);
    expect(record.database_specific.preview).toBe(true);
  });

  it('keeps raw HTML of a blog post out of the details', () => {
    const record = toOsvRecord(advisories.find((a) => a.kind === 'post')!, defaultConfig(), false);
    expect(record.details).not.toMatch(/<\/?(b|ol|li|code)>/);
    expect(record.details).toContain('Delete guest.');
  });
});

const sharedReason = missingShared();

describe.skipIf(!!sharedReason)(`OSV records validate against the official schema${sharedReason ? ` (${sharedReason})` : ''}`, () => {
  const ajv = new Ajv2020.default({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(path.join(sharedDir, 'schemas/osv/schema.json'), 'utf8')));

  const validateAll = (advisories: Advisory[], config: Config) => {
    expect(advisories.length).toBeGreaterThan(0);
    for (const preview of [false, true]) {
      const context = renderContext(advisories, { preview, config });
      for (const record of recordsOf(advisories.flatMap((a) => renderer.renderNote!(a, context)))) {
        expect(validate(record) ? [] : validate.errors, record.id).toEqual([]);
      }
    }
  };

  it('the fixture notes', async () => validateAll(await loadAdvisories([fixtureNotes]), defaultConfig()));

  it('the bundled notes', async () => {
    const { advisories, config } = await loadBundled();
    validateAll(advisories, config);
  });
});

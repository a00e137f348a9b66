/** A note kept in MediaWiki markup (test/import/fixtures/OSSN-0994.wiki, written for this test). */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.ts';
import { formatText } from '../../src/errors/format.ts';
import { importLegacyNotes, type ImportReport } from '../../src/import/run.ts';
import { loadNotes } from '../../src/model/load.ts';
import { expectGolden } from '../osv/golden.ts';
import { testNow } from '../osv/notes.ts';

describe('importing a MediaWiki note', () => {
  let out: string;
  let report: ImportReport;
  let note: string;

  beforeAll(async () => {
    out = await mkdtemp(path.join(tmpdir(), 'herald-import-wiki-'));
    report = await importLegacyNotes(['fixtures'], { config: defaultConfig(), now: testNow, cwd: import.meta.dirname, out, force: false });
    note = await readFile(path.join(out, 'OSSN-0994.md'), 'utf8');
  });

  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('takes the id and title from the top heading, and matches the golden import and report', () => {
    expect(report.imported).toEqual([{ source: 'fixtures/OSSN-0994.wiki', id: 'OSSN-0994', format: 'mediawiki', path: path.join(out, 'OSSN-0994.md'), written: true }]);
    expect(note).toContain('title: Metadata proxy answers requests from any tenant network\n');
    expectGolden(path.join(import.meta.dirname, 'expected', 'OSSN-0994.md'), note);
    expectGolden(path.join(import.meta.dirname, 'expected', 'OSSN-0994.report.txt'), formatText(report.messages.filter((m) => m.file === 'fixtures/OSSN-0994.wiki')));
  });

  it('converts the inline markup, and sets an http link as code', () => {
    expect(note).toContain('including *user data* and **admin passwords**');
    expect(note).toContain('[the metadata documentation](https://docs.openstack.org/nova/latest/user/metadata.html)');
    expect(note).toContain('the mailing list (`http://example.org/metadata-spoofing`)');
    expect(note).toContain('- `MetadataProxyHandler`\n  - the request router\n');
    expect(note).not.toContain('Category');
    expect(note).not.toContain('__NOTOC__');
  });

  it('keeps the numbered steps together with their snippets', () => {
    expect(note).toContain('2. Set the shared secret on every node:\n\n   ```ini file=/etc/neutron/metadata_agent.ini\n');
    expect(note).toContain('3. Restart the agent:\n\n   ```bash\n   systemctl restart neutron-metadata-agent\n');
  });

  it('reports the template and the table it kept as text', () => {
    const texts = report.messages.map((m) => `${m.line} ${m.message}`);
    expect(texts).toContain('25 The template {{Note|Use a template here}} was kept as text');
    expect(texts).toContain('44 A wiki table was kept as preformatted text');
  });

  it('writes a note that lints without errors, with its structured fields', async () => {
    const { advisories, messages } = await loadNotes([out], { config: defaultConfig(), now: testNow, cwd: out });
    expect(formatText(messages.filter((m) => m.severity === 'error'))).toBe('');
    const [advisory] = advisories;
    expect(advisory!.cve).toEqual(['CVE-2015-9999']);
    expect(advisory!.affects.map((a) => [a.product, a.releases])).toEqual([
      ['Neutron', ['Kilo', 'Liberty']],
      ['Nova', ['Kilo', 'Liberty']],
    ]);
    expect(advisory!.steps.map((s) => s.configEdits.length + s.commands.length)).toEqual([0, 1, 1]);
  });
});

/**
 * The whole shared OSSN corpus through `herald import ossn`: every note
 * imports, keeps its words, lints without errors, builds, and exports
 * valid OSV and CSAF. Golden imports for a handful of notes.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build/build.ts';
import { defaultConfig } from '../../src/config/load.ts';
import { formatText } from '../../src/errors/format.ts';
import { importLegacyNotes, type ImportReport } from '../../src/import/run.ts';
import { loadNotes } from '../../src/model/load.ts';
import type { Advisory } from '../../src/model/types.ts';
import { renderer as osv } from '../../src/render/osv/index.ts';
import { expectValidCsaf } from '../csaf/validate.ts';
import { expectGolden } from '../osv/golden.ts';
import { renderContext, testNow } from '../osv/notes.ts';
import { missingShared, sharedDir } from '../support/system.ts';
import { firstDifference, importedWords, originalWords } from './words.ts';

/** Notes with golden imports: snippets and paths, a JSON template and a table, numbered steps around snippets, a console transcript, footnotes and http links, labelled link lists. */
const goldenIds = ['OSSN-0007', 'OSSN-0011', 'OSSN-0017', 'OSSN-0024', 'OSSN-0039', 'OSSN-0045'];

const reason = missingShared();
const corpusRoot = path.join(sharedDir, 'corpus');

describe.skipIf(!!reason)(`importing the shared OSSN corpus${reason ? ` (${reason})` : ''}`, () => {
  let out: string;
  let report: ImportReport;
  let sources: string[];
  let advisories: Advisory[];
  const config = defaultConfig();

  beforeAll(async () => {
    out = await mkdtemp(path.join(tmpdir(), 'herald-import-'));
    sources = (await readdir(path.join(corpusRoot, 'ossn'))).filter((name) => /^OSSN-\d{4}$/.test(name)).sort();
    // Relative source paths, so that messages about the originals read the same on every machine.
    report = await importLegacyNotes(['ossn'], { config, now: testNow, cwd: corpusRoot, out, force: false });
    const loaded = await loadNotes([out], { config, now: testNow, cwd: out });
    expect(formatText(loaded.messages.filter((m) => m.severity === 'error'))).toBe('');
    // What herald writes itself draws no warning about how it is written (the import date's comment once did).
    expect(formatText(loaded.messages.filter((m) => m.ruleId.startsWith('yaml-')))).toBe('');
    advisories = loaded.advisories;
  });

  afterAll(async () => {
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('imports every note of the corpus, and only the notes (not template.txt)', () => {
    expect(report.imported.map((e) => e.source)).toEqual(sources.map((name) => `ossn/${name}`));
    expect(report.imported.every((e) => e.written && e.format === 'text')).toBe(true);
    expect(report.imported.map((e) => path.basename(e.path))).toEqual(sources.map((name) => `${name}.md`));
  });

  it('reports no error, and lints every written note without errors', () => {
    expect(formatText(report.messages.filter((m) => m.severity === 'error'))).toBe('');
    expect(advisories).toHaveLength(sources.length);
  });

  it('keeps every original word, in order', async () => {
    for (const name of sources) {
      const original = await readFile(path.join(corpusRoot, 'ossn', name), 'utf8');
      const imported = await readFile(path.join(out, `${name}.md`), 'utf8');
      expect(firstDifference(originalWords(original), importedWords(imported)), name).toBeUndefined();
    }
  });

  it('matches the golden imports, and their reports', async () => {
    for (const id of goldenIds) {
      expectGolden(path.join(import.meta.dirname, 'expected', `${id}.md`), await readFile(path.join(out, `${id}.md`), 'utf8'));
      expectGolden(path.join(import.meta.dirname, 'expected', `${id}.report.txt`), formatText(report.messages.filter((m) => m.file === `ossn/${id}`)));
    }
  });

  it('reads the structured fields out of the text', () => {
    const byId = (id: string) => advisories.find((a) => a.id === id)!;
    expect(byId('OSSN-0007').affects.map((a) => [a.product, a.ecosystem, a.releases])).toEqual([
      ['Nova', 'release', ['Grizzly', 'Havana', 'Icehouse']],
      ['KVM', 'generic', []],
      ['libvirt', 'generic', []],
    ]);
    expect(byId('OSSN-0007').authors).toEqual([{ name: 'Nathan Kinder', affiliation: 'Red Hat' }]);
    expect(byId('OSSN-0007').references.map((r) => r.type)).toEqual(['advisory', 'bug', 'web']);
    expect(byId('OSSN-0030').cve).toEqual(['CVE-2014-6271', 'CVE-2014-7169']);
    expect(byId('OSSN-0055').authors.map((a) => a.name)).toEqual(['Travis McPeak', 'Brant Knudson']);
    expect(byId('OSSN-0007').steps).toHaveLength(1);
    expect(byId('OSSN-0007').steps[0]!.configEdits.map((e) => e.file)).toContain('/etc/libvirt/libvirtd.conf');
    expect(byId('OSSN-0017').steps.map((s) => s.title)).toHaveLength(5);
  });

  it('reports what could not be made structured', () => {
    const about = (id: string) => report.messages.filter((m) => m.file === `ossn/${id}`).map((m) => `${m.ruleId} ${m.message}`);
    expect(about('OSSN-0012')).toContain('import-unstructured Reference http://heartbleed.com/ is plain http; references must be https, so it stays in the body only');
    expect(about('OSSN-0039').some((m) => m.startsWith('import-unstructured Affected Services / Software: "Any service using SSLv3.'))).toBe(true);
    expect(about('OSSN-0045')).toContain('import-unstructured Contact line kept in the body only: "Original LaunchPad Bug : N/A"');
    for (const name of sources) expect(about(name)).toContain('import-date-unknown The original gives no publication date; the note is dated 2026-01-15, the day of the import');
  });

  it('exports valid OSV for every imported note', async () => {
    const ajv = new Ajv2020.default({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(await readFile(path.join(sharedDir, 'schemas/osv/schema.json'), 'utf8')));
    const context = renderContext(advisories);
    for (const advisory of advisories) {
      const record = JSON.parse(String(osv.renderNote!(advisory, context)[0]!.contents));
      expect(validate(record) ? [] : validate.errors, advisory.id).toEqual([]);
    }
  });

  it('exports valid CSAF for every imported note', async () => {
    await expectValidCsaf(advisories, config);
  });

  it('builds every imported note', async () => {
    const dist = path.join(out, '..', `${path.basename(out)}-dist`);
    try {
      const result = await build({ notes: [out], out: dist, config, now: testNow, cwd: out });
      expect(result.advisories).toHaveLength(sources.length);
      const csaf = (await readFile(path.join(dist, 'site/.well-known/csaf/index.txt'), 'utf8')).trim().split('\n');
      expect(csaf).toHaveLength(sources.length);
      expect(await readdir(path.join(dist, 'osv'))).toHaveLength(sources.length + 1);
    } finally {
      await rm(dist, { recursive: true, force: true });
    }
  });
});

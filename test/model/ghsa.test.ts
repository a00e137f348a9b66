/**
 * `ghsa`: a GitHub Security Advisory id of the same flaw. Checked as a CVE
 * is, and carried wherever a reader or a tool looks for another database's
 * id: OSV's aliases, CSAF's vulnerability ids and references, the site's,
 * the wiki's and the announcement's facts, the checklist and OVAL.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.ts';
import { exportOval } from '../../src/export/oval.ts';
import { parseNote } from '../../src/model/load.ts';
import { buildChecklist } from '../../src/render/checklists/model.ts';
import { renderers } from '../../src/render/registry.ts';
import type { RenderContext } from '../../src/render/types.ts';
import { csafFailures } from '../csaf/validate.ts';

const now = new Date('2026-01-15T00:00:00Z');
const repo = path.resolve(import.meta.dirname, '../..');
const ghsa = 'GHSA-jfh8-c2jp-5v3q';
const other = 'GHSA-7rjr-3q55-vv33';

/** The bundled OSSN-0007 (one CVE), with `ghsa` and other front matter edited in. */
function venom(edit: (text: string) => string) {
  const text = edit(readFileSync(path.join(repo, 'notes/OSSN-0007.md'), 'utf8'));
  return parseNote('notes/OSSN-0007.md', text, { config: defaultConfig(), now });
}

const withGhsa = (ids: string) => (text: string) => text.replace('cwe: [CWE-787]', `ghsa: ${ids}\ncwe: [CWE-787]`);

function outputs(advisory: NonNullable<ReturnType<typeof venom>['advisory']>, name: string): string[] {
  const context: RenderContext = { config: defaultConfig(), now, preview: false, all: [advisory], noteOutputs: new Map() };
  return renderers
    .find((renderer) => renderer.name === name)!
    .renderNote!(advisory, context)
    .map((file) => Buffer.from(file.contents).toString('utf8'));
}

describe('ghsa in a note', () => {
  it('reaches OSV, CSAF, the site, the wiki, the announcement, the checklist and OVAL', async () => {
    const { advisory, messages } = venom(withGhsa(`[${ghsa}]`));
    expect(messages.filter((m) => m.severity === 'error')).toEqual([]);
    expect(advisory!.ghsa).toEqual([ghsa]);

    const [osv] = outputs(advisory!, 'osv');
    expect(JSON.parse(osv!).aliases).toEqual(['CVE-2015-3456', ghsa]);

    const csaf = JSON.parse(outputs(advisory!, 'csaf')[0]!);
    // One CVE: GitHub's id is that vulnerability's.
    expect(csaf.vulnerabilities.map((v: { cve: string; ids?: unknown }) => [v.cve, v.ids])).toEqual([['CVE-2015-3456', [{ system_name: 'GitHub Security Advisory', text: ghsa }]]]);
    expect(csaf.document.references).toContainEqual({ category: 'external', summary: `GitHub Security Advisory ${ghsa}`, url: `https://github.com/advisories/${ghsa}` });
    expect(await csafFailures(csaf)).toEqual([]);

    const page = outputs(advisory!, 'site').join('\n');
    expect(page).toContain(`<td data-pagefind-meta="ghsa:${ghsa}"><ul class="inline-list"><li><a href="https://github.com/advisories/${ghsa}" rel="external">${ghsa}</a></li></ul></td>`);

    expect(outputs(advisory!, 'wiki').join('\n')).toMatch(new RegExp(`GitHub advisory.*\\[https://github.com/advisories/${ghsa} ${ghsa}\\]`, 's'));
    expect(outputs(advisory!, 'mail').join('\n')).toMatch(new RegExp(`GHSA:\\s+${ghsa}`));

    const checklist = buildChecklist(advisory!);
    expect(checklist.advisory.ghsa).toEqual([ghsa]);
    expect(exportOval(checklist, { namespace: 'org.example' })).toContain(`<reference source="GHSA" ref_id="${ghsa}"/>`);
  });

  it('makes a note without a CVE a CSAF security advisory, one vulnerability per GitHub id', async () => {
    const { advisory } = venom((text) => withGhsa(`[${ghsa}, ${other}]`)(text).replace('cve: [CVE-2015-3456]\n', ''));
    const csaf = JSON.parse(outputs(advisory!, 'csaf')[0]!);
    expect(csaf.document.category).toBe('csaf_security_advisory');
    expect(csaf.vulnerabilities.map((v: { cve?: string; ids: { text: string }[] }) => [v.cve, v.ids.map((id) => id.text)])).toEqual([
      [undefined, [ghsa]],
      [undefined, [other]],
    ]);
    expect(await csafFailures(csaf)).toEqual([]);
  });

  it('leaves a note without any as it was: no field in the checklist, no row anywhere', () => {
    const { advisory } = venom((text) => text);
    expect(advisory!.ghsa).toEqual([]);
    expect(buildChecklist(advisory!).advisory).not.toHaveProperty('ghsa');
    // Every page's footer links the GitHub advisory index: no row of the details names one.
    expect(outputs(advisory!, 'site').join('\n')).not.toContain('<th scope="row">GitHub advisory</th>');
  });

  it.each([
    ['GHSA-JFH8-C2JP-5V3Q', 'upper case', `Write it as GitHub writes it: ${ghsa}.`],
    ['jfh8-c2jp-5v3q', 'no GHSA-', `Write it as GitHub writes it: ${ghsa}.`],
    ['GHSA-jfh8-c2jp-5v3', 'a short group', 'Copy the id from the advisory on github.com/advisories'],
    ['GHSA-jfh8-c2jp-5v3a', 'a letter GitHub never uses', 'Copy the id from the advisory on github.com/advisories'],
  ])('refuses %s (%s) where it stands, with how to write one', (id, _why, hint) => {
    const text = withGhsa(`[${id}]`)(readFileSync(path.join(repo, 'notes/OSSN-0007.md'), 'utf8'));
    const { messages } = parseNote('notes/OSSN-0007.md', text, { config: defaultConfig(), now });
    const error = messages.find((m) => m.severity === 'error');
    const line = text.split('\n').findIndex((l) => l.startsWith('ghsa:')) + 1;
    expect(error).toMatchObject({ file: 'notes/OSSN-0007.md', line, column: 8 });
    expect(error!.message).toContain('GitHub advisory id like GHSA-jfh8-c2jp-5v3q');
    if (hint) expect(error!.hint).toContain(hint);
  });

  it.each([
    ['cve-2015-3456', 'lower case', 'Write it as CVE writes it: CVE-2015-3456.'],
    ['CVE-2015-345', 'a number under 1000 without its leading zero', 'Write it as CVE writes it: CVE-2015-0345.'],
    ['CVE-15-3456', 'a two-digit year', 'A CVE id is CVE-, the year the id was assigned, -, and its number of four digits or more, as in CVE-2014-0160.'],
  ])('says how CVE writes %s (%s)', (id, _why, hint) => {
    const text = readFileSync(path.join(repo, 'notes/OSSN-0007.md'), 'utf8').replace('cve: [CVE-2015-3456]', `cve: [${id}]`);
    const { messages } = parseNote('notes/OSSN-0007.md', text, { config: defaultConfig(), now });
    expect(messages.find((m) => m.severity === 'error')!.hint).toBe(hint);
  });
});

/**
 * The OVAL export against OpenSCAP: `oscap oval validate` accepts it, and
 * `oscap oval eval` gives the verdicts `herald check` gives, for every check
 * OVAL can express: package versions on this host (dpkginfo), config files
 * under a temporary root (textfilecontent54 with OSCAP_PROBE_ROOT).
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCheckLimits, runChecklist } from '../../src/check/run-checklist.ts';
import { exportOval, ovalOmissions, xmlCommentText } from '../../src/export/oval.ts';
import type { Checklist } from '../../src/render/checklists/schema.ts';
import { agreementChecklist, fixtureTimeoutSeconds, makeRoot } from '../check/fixture.ts';
import { missingTools } from '../support/system.ts';
import { run, withFile } from './support.ts';

/** `Definition oval:…:def:N: true` lines, by verify entry id (definition N is entry N). */
function verdicts(output: string, checklist: Checklist): Record<string, string> {
  const found: Record<string, string> = {};
  for (const match of output.matchAll(/^Definition oval:[^:]+:def:(\d+): (\S+(?: \S+)?)$/gm)) {
    found[checklist.verify[Number(match[1]) - 1]!.id] = match[2]!;
  }
  return found;
}

/** What OVAL should say for a herald verdict: OVAL has no "error"; a package that is not installed is simply false. */
const ovalFor = { pass: 'true', fail: 'false', error: 'false' } as const;

describe('OVAL comment text', () => {
  it('leaves no "--" and never ends in "-"', () => {
    expect(xmlCommentText('Nova --- a clean title')).toBe('Nova - - - a clean title');
    expect(xmlCommentText('a----b')).toBe('a- - - -b');
    expect(xmlCommentText('x--->')).toBe('x- - ->');
    expect(xmlCommentText('ends in -')).toBe('ends in - ');
    expect(xmlCommentText('a - b')).toBe('a - b');
    for (const text of ['---', '----', '-->', '--->', 'x-', '-', '- -- --- ----']) {
      const escaped = xmlCommentText(text);
      expect(escaped).not.toContain('--');
      expect(escaped.endsWith('-')).toBe(false);
    }
  });
});

const reason = missingTools('oscap', 'dpkg-query');
describe.skipIf(!!reason)('herald export oval', () => {
  let fixture: ReturnType<typeof makeRoot>;
  const checklist = agreementChecklist();
  const limits = { ...defaultCheckLimits, timeoutMs: fixtureTimeoutSeconds * 1000 };
  const oval = exportOval(checklist, { namespace: 'org.example.security' })!;
  beforeAll(() => {
    fixture = makeRoot();
  });
  afterAll(() => fixture.remove());

  it('is valid OVAL 5.11.1 and names every check it leaves out', () => {
    const result = withFile('checks.xml', oval, (file) => run('oscap', ['oval', 'validate', file]));
    expect(result.stderr + result.stdout).not.toMatch(/error|invalid/i);
    expect(result.code).toBe(0);
    const omitted = ovalOmissions(checklist).map((line) => line.split(':')[0]);
    expect(omitted).toEqual(checklist.verify.filter((v) => 'run' in v && !v.package).map((v) => v.id));
    for (const id of omitted) expect(oval).toContain(`    ${id}: runs a command (OVAL has no command execution)`);
  });

  it('stays valid when the title holds dashes that an XML comment forbids', () => {
    const dashed = { ...checklist, advisory: { ...checklist.advisory, title: 'Nova --- a clean title x---> ending -' } };
    const xml = exportOval(dashed, { namespace: 'org.example.security' })!;
    const comment = xml.slice(xml.indexOf('<!--') + 4, xml.indexOf('-->'));
    expect(comment).toContain('Nova - - - a clean title x- - -> ending -');
    expect(comment).not.toContain('--');
    const result = withFile('checks.xml', xml, (file) => run('oscap', ['oval', 'validate', file]));
    expect(result.stderr + result.stdout).not.toMatch(/error|invalid|hyphen/i);
    expect(result.code).toBe(0);
  });

  it('agrees with herald check on the package versions of this host, and says where dpkginfo reads otherwise', async () => {
    // A package in dpkg state rc is not installed for dpkginfo; herald check compares its version. No test installs one here.
    expect(oval).toContain('  removed but not purged (dpkg state rc, its configuration files left): not installed');
    const herald = await runChecklist(checklist, { root: '/', ...limits });
    const result = withFile('checks.xml', oval, (file) => run('oscap', ['oval', 'eval', file]));
    const found = verdicts(result.stdout, checklist);
    const packages = checklist.verify.filter((v) => 'run' in v && v.package);
    expect(packages.map((v) => v.id)).toEqual(['deb-pass', 'deb-fail', 'deb-epoch-fail', 'deb-not-installed', 'deb-not-installed-passes', 'deb-not-installed-fails', 'deb-installed-compared']);
    for (const entry of packages) {
      const status = herald.results.find((r) => r.id === entry.id)!.status as 'pass' | 'fail' | 'error';
      expect({ id: entry.id, oval: found[entry.id] }).toEqual({ id: entry.id, oval: ovalFor[status] });
    }
  });

  it('agrees with herald check --root on config files under a temporary root', async () => {
    const herald = await runChecklist(checklist, { root: fixture.root, ...limits });
    const result = withFile('checks.xml', oval, (file) => run('oscap', ['oval', 'eval', file], { OSCAP_PROBE_ROOT: fixture.root }));
    const found = verdicts(result.stdout, checklist);
    // OpenSCAP follows an absolute symlink out of OSCAP_PROBE_ROOT to the host; herald keeps it inside the root.
    const files = checklist.verify.filter((v) => 'file' in v && v.id !== 'through-symlink');
    expect(files.length).toBeGreaterThan(0);
    for (const entry of files) {
      const status = herald.results.find((r) => r.id === entry.id)!.status as 'pass' | 'fail';
      expect({ id: entry.id, oval: found[entry.id] }).toEqual({ id: entry.id, oval: ovalFor[status] });
    }
  });

  it('turns line patterns into whole-file patterns that cannot match across lines', async () => {
    const { root, remove } = makeRoot();
    try {
      const spanning: Checklist = {
        ...checklist,
        verify: [
          // Per line, neither matches; over the whole file, \s and [^…] could reach the next line.
          { id: 'space-spans', title: 'x', file: '/etc/demo/app.conf', expect: { kind: 'present', pattern: 'sasl"\\s+listen' }, description: '' },
          { id: 'class-spans', title: 'x', file: '/etc/demo/app.conf', expect: { kind: 'present', pattern: '^#[^=]*auth_tcp = "sasl' }, description: '' },
          { id: 'dollar-per-line', title: 'x', file: '/etc/demo/app.conf', expect: { kind: 'present', pattern: '"sasl"$' }, description: '' },
        ],
      };
      const herald = await runChecklist(spanning, { root, ...limits });
      expect(herald.results.map((r) => r.status)).toEqual(['fail', 'fail', 'pass']);
      const result = withFile('checks.xml', exportOval(spanning, { namespace: 'org.example' })!, (file) => run('oscap', ['oval', 'eval', file], { OSCAP_PROBE_ROOT: root }));
      expect(verdicts(result.stdout, spanning)).toEqual({ 'space-spans': 'false', 'class-spans': 'false', 'dollar-per-line': 'true' });
    } finally {
      remove();
    }
  });

  it('answers a pattern that can match nothing in a file beyond ASCII, and says where OpenSCAP reads a file otherwise', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'herald-oval-reads-'));
    try {
      mkdirSync(path.join(dir, 'etc'));
      writeFileSync(path.join(dir, 'etc/utf8.conf'), 'é = 1\n€\n');
      writeFileSync(path.join(dir, 'etc/nul.conf'), Buffer.from('a\0b\nPermitRootLogin yes\n'));
      symlinkSync('loop.conf', path.join(dir, 'etc/loop.conf'));
      expect(run('mkfifo', [path.join(dir, 'etc/fifo.conf')]).code).toBe(0);
      const file = (id: string, name: string, kind: 'absent' | 'present', pattern: string) => ({ id, title: 'x', description: '', file: `/etc/${name}`, expect: { kind, pattern } });
      const reads: Checklist = {
        ...checklist,
        verify: [
          // PCRE stopped with error -11 on these: OpenSCAP started again inside é after an empty match.
          file('empty-match-present', 'utf8.conf', 'present', 'x*'),
          file('empty-match-absent', 'utf8.conf', 'absent', '\\]?'),
          file('nul-byte', 'nul.conf', 'absent', '^PermitRootLogin'),
          file('loop-absent', 'loop.conf', 'absent', 'x'),
          file('loop-present', 'loop.conf', 'present', 'x'),
          file('fifo-absent', 'fifo.conf', 'absent', 'x'),
        ],
      };
      const herald = await runChecklist(reads, { root: dir, ...limits });
      expect(herald.results.map((r) => r.status)).toEqual(['pass', 'fail', 'fail', 'error', 'error', 'error']);
      const xml = exportOval(reads, { namespace: 'org.example' })!;
      const result = withFile('checks.xml', xml, (f) => run('oscap', ['oval', 'eval', f], { OSCAP_PROBE_ROOT: dir }));
      // The known differences: OpenSCAP reads nul.conf up to its NUL byte only, finds no file at a loop, no line in a FIFO.
      expect(verdicts(result.stdout, reads)).toEqual({ 'empty-match-present': 'true', 'empty-match-absent': 'false', 'nul-byte': 'true', 'loop-absent': 'true', 'loop-present': 'false', 'fifo-absent': 'true' });
      expect(xml).toContain('  a NUL byte: OpenSCAP reads the file only up to it, so a line after it is not seen');
      expect(xml).toContain('  a symbolic link loop: no file (absent true, present false; herald check: error);');
      expect(xml).toContain('  bytes that are not UTF-8: error; a folder, or a FIFO or device, no regular file:');
      // No dpkginfo test, so nothing to say about Debian packages.
      expect(xml).not.toContain('dpkg state rc');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('marks the definitions of a withdrawn advisory deprecated, which OpenSCAP accepts and still evaluates', () => {
    const withdrawn: Checklist = { ...checklist, advisory: { ...checklist.advisory, status: 'withdrawn', withdrawnReason: 'Superseded.' } };
    const xml = exportOval(withdrawn, { namespace: 'org.example.security' })!;
    const definitions = [...xml.matchAll(/<definition [^>]*>/g)].map(([tag]) => tag);
    expect(definitions.length).toBeGreaterThan(0);
    for (const tag of definitions) expect(tag).toContain(' deprecated="true"');
    expect(oval).not.toContain('deprecated=');
    expect(withFile('checks.xml', xml, (file) => run('oscap', ['oval', 'validate', file])).code).toBe(0);
    const evaluated = withFile('checks.xml', xml, (file) => run('oscap', ['oval', 'eval', file]));
    expect(Object.keys(verdicts(evaluated.stdout, withdrawn))).toHaveLength(definitions.length);
  });

  it('exports nothing when OVAL can express none of the checks', () => {
    const commandsOnly: Checklist = { ...checklist, verify: checklist.verify.filter((v) => 'run' in v && !v.package) };
    expect(exportOval(commandsOnly, { namespace: 'org.example' })).toBeUndefined();
  });
});

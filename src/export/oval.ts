/**
 * `herald export oval`: OVAL 5.11.1 definitions for SCAP scanners
 * (`oscap oval eval`), one compliance definition per verify entry that OVAL
 * can express:
 * - a version check whose command is a plain package query
 *   (`dpkg-query -W -f='${Version}' NAME`, `rpm -q --qf '%{EVR}' NAME`)
 *   becomes a dpkginfo test (`debian_evr_string`, which needs schema
 *   5.11.1) or an rpminfo test (`evr_string`);
 * - a file check becomes a textfilecontent54 test, its pattern rewritten so
 *   that PCRE over the whole file matches exactly the lines the original
 *   matches one at a time (each match a whole line).
 * The header says where OpenSCAP reads a file otherwise (a NUL byte, a
 * symbolic link loop, bytes that are not UTF-8, a folder).
 * OVAL cannot run commands, so every other command check is left out and
 * named in a comment at the top of the file; so is a pattern outside the
 * portable subset or one that counts characters (PCRE reads a character
 * beyond the BMP as one, JavaScript as two units), and an rpm version
 * without a release (OVAL's evr_string needs one).
 */
import type { Config } from '../config/schema.ts';
import type { Checklist, ChecklistVerify, CommandVerify, FileVerify } from '../render/checklists/schema.ts';
import { describeCheck, describeExpectation } from '../render/checklists/model.ts';
import { version as heraldVersion } from '../version.ts';
import { headerLines } from './common.ts';
import { xmlEscape } from './quote.ts';
import { toLinePcre, toPosixPattern } from './regex.ts';

export interface OvalOptions {
  /** Reverse-domain namespace of OVAL ids, e.g. `org.example.security`. */
  namespace: string;
}

const operations = {
  '<': 'less than',
  '<=': 'less than or equal',
  '=': 'equals',
  '>=': 'greater than or equal',
  '>': 'greater than',
  '!=': 'not equal',
} as const;

/** The OVAL id namespace from the config: `checklists.oval_namespace`, else the site's host name reversed. */
export function ovalNamespace(config: Config): string {
  const configured = config.checklists.oval_namespace;
  if (configured) return configured;
  return new URL(config.site.base_url).hostname.split('.').reverse().join('.');
}

/** One entry as OVAL parts, each as its lines, or why OVAL cannot express it. */
interface Expressed {
  test: string[];
  object: string[];
  state?: string[];
}

type Translation = { ok: true; parts: Expressed } | { ok: false; reason: string };

class Ids {
  constructor(private readonly namespace: string) {}
  of(kind: 'def' | 'tst' | 'obj' | 'ste', n: number): string {
    return `oval:${this.namespace}:${kind}:${n}`;
  }
}

function attributes(values: Readonly<Record<string, string>>): string {
  let out = '';
  for (const key in values) out += ` ${key}="${xmlEscape(values[key]!)}"`;
  return out;
}

/** `epoch:version` as OVAL's evr_string wants it: a missing epoch as 0, dpkg's optional plus sign dropped. */
function withEpoch(version: string): string {
  const epoch = /^\+?([0-9]+):/.exec(version);
  return epoch ? `${epoch[1]}:${version.slice(epoch[0].length)}` : `0:${version}`;
}

function packageCheck(entry: CommandVerify, ids: Ids, n: number): Translation {
  const { expect } = entry;
  if (expect.kind !== 'version' || !entry.package) {
    return { ok: false, reason: 'runs a command (OVAL has no command execution)' };
  }
  const { manager, name } = entry.package;
  if ((manager === 'dpkg') !== (expect.scheme === 'deb') || (manager === 'rpm') !== (expect.scheme === 'rpm')) {
    return { ok: false, reason: `compares a ${manager} package in the ${expect.scheme} scheme` };
  }
  if (manager === 'rpm' && !/-[^-]+$/.test(expect.version.replace(/^[0-9]+:/, ''))) {
    return { ok: false, reason: 'compares an rpm version without a release (OVAL evr_string needs epoch:version-release)' };
  }
  const family = manager === 'dpkg' ? 'dpkginfo' : 'rpminfo';
  const datatype = manager === 'dpkg' ? 'debian_evr_string' : 'evr_string';
  const common = { version: '1' };
  // A host without the package: the test is true when the note counts that as passing (not_installed: pass).
  const existence = entry.package.not_installed === 'pass' ? 'any_exist' : 'at_least_one_exists';
  return {
    ok: true,
    parts: {
      test: [
        `<linux-def:${family}_test${attributes({ id: ids.of('tst', n), ...common, check: 'all', check_existence: existence, comment: `${name} ${expect.operator} ${expect.version}` })}>`,
        `  <linux-def:object${attributes({ object_ref: ids.of('obj', n) })}/>`,
        `  <linux-def:state${attributes({ state_ref: ids.of('ste', n) })}/>`,
        `</linux-def:${family}_test>`,
      ],
      object: [`<linux-def:${family}_object${attributes({ id: ids.of('obj', n), ...common })}>`, `  <linux-def:name>${xmlEscape(name)}</linux-def:name>`, `</linux-def:${family}_object>`],
      state: [
        `<linux-def:${family}_state${attributes({ id: ids.of('ste', n), ...common })}>`,
        `  <linux-def:evr${attributes({ datatype, operation: operations[expect.operator] })}>${xmlEscape(withEpoch(expect.version))}</linux-def:evr>`,
        `</linux-def:${family}_state>`,
      ],
    },
  };
}

/**
 * The whole-file pattern as OpenSCAP is given it: from a line's start, the
 * line pattern anywhere in it, then the rest of the line. It matches the
 * same lines, but each match ends at a line's end. OpenSCAP looks for
 * every match, and after an empty one starts again a byte further: in a
 * line that starts with a character beyond ASCII that is inside it, and
 * PCRE stops with error -11, so a pattern that can match nothing (`x*`,
 * `\]?`) was an error on such a file where herald check answers.
 */
function wholeLines(linePcre: string): string {
  return String.raw`^[^\n]*?(?:${linePcre})[^\n]*`;
}

function fileCheck(entry: FileVerify, ids: Ids, n: number): Translation {
  const linePcre = toLinePcre(entry.expect.pattern);
  if (linePcre === undefined) {
    return { ok: false, reason: toPosixPattern(entry.expect.pattern) === undefined ? 'uses a pattern outside the portable subset' : 'uses a pattern that counts characters (., \\S, \\W, \\D or [^…] other than under * or between characters under +), which PCRE counts otherwise beyond the BMP' };
  }
  // absent: no line may match; present: at least one must.
  const existence = entry.expect.kind === 'absent' ? 'none_exist' : 'at_least_one_exists';
  return {
    ok: true,
    parts: {
      test: [
        `<ind-def:textfilecontent54_test${attributes({ id: ids.of('tst', n), version: '1', check: 'all', check_existence: existence, comment: `${entry.file}: ${describeExpectation(entry.expect)}` })}>`,
        `  <ind-def:object${attributes({ object_ref: ids.of('obj', n) })}/>`,
        '</ind-def:textfilecontent54_test>',
      ],
      object: [
        `<ind-def:textfilecontent54_object${attributes({ id: ids.of('obj', n), version: '1' })}>`,
        `  <ind-def:filepath>${xmlEscape(entry.file)}</ind-def:filepath>`,
        `  <ind-def:pattern operation="pattern match">${xmlEscape(wholeLines(linePcre))}</ind-def:pattern>`,
        // The first match only: OpenSCAP makes an item of every match it keeps, and a pattern
        // matching at each of 9,000 places of a long line held oscap for more than 300 s.
        '  <ind-def:instance datatype="int" operation="equals">1</ind-def:instance>',
        '</ind-def:textfilecontent54_object>',
      ],
    },
  };
}

function translate(entry: ChecklistVerify, ids: Ids, n: number): Translation {
  return 'run' in entry ? packageCheck(entry as CommandVerify, ids, n) : fileCheck(entry as FileVerify, ids, n);
}

function definition(checklist: Checklist, entry: ChecklistVerify, ids: Ids, n: number): string[] {
  const { advisory } = checklist;
  const prefix = checklist.privatePreview ? '[PRIVATE PREVIEW] ' : '';
  return [
    // A withdrawn advisory's definitions are kept for the record: OVAL's word for that is deprecated.
    `<definition${attributes({ id: ids.of('def', n), version: String(advisory.revision + 1), class: 'compliance', ...(advisory.status === 'withdrawn' ? { deprecated: 'true' } : {}) })}>`,
    '  <metadata>',
    `    <title>${xmlEscape(`${prefix}${advisory.id} ${entry.id}: ${entry.title}`)}</title>`,
    '    <affected family="unix"/>',
    `    <reference${attributes({ source: 'herald', ref_id: `${advisory.id}/${entry.id}` })}/>`,
    ...advisory.cve.map((cve) => `    <reference${attributes({ source: 'CVE', ref_id: cve })}/>`),
    ...(advisory.ghsa ?? []).map((ghsa) => `    <reference${attributes({ source: 'GHSA', ref_id: ghsa })}/>`),
    `    <description>${xmlEscape(`${prefix}${describeCheck(entry)}`)}</description>`,
    '  </metadata>',
    '  <criteria>',
    `    <criterion${attributes({ test_ref: ids.of('tst', n), comment: describeExpectation(entry.expect) })}/>`,
    '  </criteria>',
    '</definition>',
  ];
}

/** A section of the document: its items' lines, indented under it. */
function section(name: string, items: readonly string[][]): string[] {
  if (items.length === 0) return [];
  const lines = [`  <${name}>`];
  for (const item of items) for (const line of item) lines.push(`    ${line}`);
  lines.push(`  </${name}>`);
  return lines;
}

/** The checks OVAL cannot express, each as `id: reason`. */
export function ovalOmissions(checklist: Checklist): string[] {
  const ids = new Ids('x');
  return checklist.verify.flatMap((entry, index) => {
    const translation = translate(entry, ids, index + 1);
    return translation.ok ? [] : [`${entry.id}: ${translation.reason}`];
  });
}

/** Where OpenSCAP reads a file otherwise than herald check, which no OVAL test can tell (docs/checks.md). */
const fileDifferences = [
  'Where OpenSCAP reads a file otherwise than herald check (use herald check or the sh export there):',
  '  a NUL byte: OpenSCAP reads the file only up to it, so a line after it is not seen',
  '    (absent can be true and present false where herald check says fail or pass);',
  '  a symbolic link loop: no file (absent true, present false; herald check: error);',
  '  bytes that are not UTF-8: error; a folder, or a FIFO or device, no regular file:',
  '    no line (absent true, present false; herald check: error);',
  '  under OSCAP_PROBE_ROOT, an absolute symbolic link is followed out of the root.',
];

/** Where OpenSCAP's dpkginfo reads a package otherwise than dpkg-query (docs/checks.md). */
const dpkgDifferences = [
  'Where OpenSCAP reads a Debian package otherwise than herald check:',
  '  removed but not purged (dpkg state rc, its configuration files left): not installed',
  '    for OpenSCAP, where herald check compares the version dpkg-query prints; purge it (dpkg -P).',
];

/**
 * The OVAL definitions document for a checklist, or `undefined` when OVAL
 * can express none of its checks (a document without definitions is not
 * valid OVAL). Pure and deterministic.
 */
export function exportOval(checklist: Checklist, options: OvalOptions): string | undefined {
  const namespace = `${options.namespace}.${checklist.advisory.id}`.replace(/[^A-Za-z0-9_.-]/g, '-');
  const ids = new Ids(namespace);
  const definitions: string[][] = [];
  const tests: string[][] = [];
  const objects: string[][] = [];
  const states: string[][] = [];
  const omitted: string[] = [];
  let readsDpkg = false;
  checklist.verify.forEach((entry, index) => {
    const n = index + 1;
    const translation = translate(entry, ids, n);
    if (!translation.ok) {
      omitted.push(`${entry.id}: ${translation.reason}`);
      return;
    }
    definitions.push(definition(checklist, entry, ids, n));
    if ('package' in entry && entry.package?.manager === 'dpkg') readsDpkg = true;
    tests.push(translation.parts.test);
    objects.push(translation.parts.object);
    if (translation.parts.state) states.push(translation.parts.state);
  });
  if (definitions.length === 0) return undefined;
  const comment = [
    ...headerLines(checklist, 'OVAL 5.11.1 (oscap oval eval)'),
    'Definition N is verify entry N of the checklist; true means the check passes.',
    ...(checklist.verify.some((entry) => 'file' in entry && toLinePcre(entry.expect.pattern) !== undefined) ? fileDifferences : []),
    ...(readsDpkg ? dpkgDifferences : []),
    ...(omitted.length > 0 ? ['Not expressible in OVAL, use herald check or the sh/Ansible exports for:', ...omitted.map((line) => `  ${line}`)] : []),
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<!--${xmlCommentText(`\n${comment.map((line) => `  ${line}`).join('\n')}\n`)}-->`,
    '<oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5" xmlns:oval="http://oval.mitre.org/XMLSchema/oval-common-5" xmlns:ind-def="http://oval.mitre.org/XMLSchema/oval-definitions-5#independent" xmlns:linux-def="http://oval.mitre.org/XMLSchema/oval-definitions-5#linux">',
    '  <generator>',
    '    <oval:product_name>herald</oval:product_name>',
    `    <oval:product_version>${xmlEscape(heraldVersion)}</oval:product_version>`,
    '    <oval:schema_version>5.11.1</oval:schema_version>',
    `    <oval:timestamp>${xmlEscape(checklist.advisory.updated)}T00:00:00</oval:timestamp>`,
    '  </generator>',
    ...section('definitions', definitions),
    ...section('tests', tests),
    ...section('objects', objects),
    ...section('states', states),
    '</oval_definitions>',
    '',
  ].join('\n');
}

/**
 * Text made safe inside an XML comment, which may hold no `--` and may not
 * end in `-`: a space follows every `-` that another `-` (or the comment's
 * end) follows, so `---` becomes `- - -` and `x-->` becomes `x- ->`.
 */
export function xmlCommentText(text: string): string {
  return text.replace(/-(?=-|$)/g, '- ');
}

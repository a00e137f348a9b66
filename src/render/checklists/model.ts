/**
 * The checklist of an advisory, built from the validated model: what the
 * JSON file holds, and what the site, mail and wiki show as ordered steps.
 * Pure: other renderers import `buildChecklist` and `describeExpectation`.
 */
import type { Advisory, Expectation, Step, VerifyEntry } from '../../model/types.ts';
import { currentRevision, lastUpdated } from '../../model/types.ts';
import { checklistFormat, type Checklist, type ChecklistStep, type ChecklistTarget, type ChecklistVerify } from './schema.ts';

export type { Checklist, ChecklistStep, ChecklistTarget, ChecklistVerify, CommandVerify, FileVerify, PackageQuery } from './schema.ts';

export interface BuildChecklistOptions {
  /** A private preview build: the checklist says so. */
  preview?: boolean;
}

/**
 * An expectation in words, for people: "version >= 1.0.1e-2+deb7u6 (deb)",
 * "no line matches /^\s*auth_tcp/", "exit status 0".
 */
export function describeExpectation(expect: Expectation): string {
  switch (expect.kind) {
    case 'version':
      return `version ${expect.operator} ${expect.version} (${expect.scheme})`;
    case 'absent':
      return `no line matches /${expect.pattern}/`;
    case 'present':
      return `a line matches /${expect.pattern}/`;
    case 'stdout':
      return `output has a line matching /${expect.pattern}/`;
    case 'exit':
      return `exit status ${expect.code}`;
  }
}

/**
 * A whole checklist entry in words: "`dpkg-query -W -f='${Version}' openssl`
 * prints version >= 1.0.1e-2+deb7u6 (deb)", "in /etc/libvirt/libvirtd.conf,
 * no line matches /…/".
 */
export function describeCheck(entry: ChecklistVerify): string {
  if ('file' in entry) return `in ${entry.file}, ${entry.description}`;
  if (entry.expect.kind === 'exit') return `\`${entry.run}\` ends with ${entry.description}`;
  if (entry.expect.kind === 'version') return `\`${entry.run}\` prints ${entry.description}`;
  return `\`${entry.run}\`: ${entry.description}`;
}

/** Lines of a config snippet that set something: not blank, not `#`/`;` comments. */
export function configDirectives(content: string): string[] {
  return content
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#') && !line.startsWith(';'));
}

/** The words for `not_installed` on a check of the package `name`. */
function absentPackageWords(notInstalled: VerifyEntry['notInstalled'], name: string): string {
  return notInstalled === 'pass' ? `, or ${name} not installed` : notInstalled === 'fail' ? `; ${name} must be installed` : '';
}

/**
 * What a version check says of a host without the package, to follow its
 * expectation wherever people read it: ", or openssl not installed",
 * "; openssl must be installed", or nothing (then it is an error there).
 */
export function notInstalledClause(entry: Pick<VerifyEntry, 'package' | 'notInstalled'>): string {
  // The loader allows `not_installed` only on a plain package query.
  return entry.package === undefined ? '' : absentPackageWords(entry.notInstalled, entry.package.name);
}

function checklistVerify(entry: VerifyEntry): ChecklistVerify {
  const base = { id: entry.id, title: entry.title };
  const description = describeExpectation(entry.expect);
  if (entry.file !== undefined && (entry.expect.kind === 'absent' || entry.expect.kind === 'present')) {
    return { ...base, file: entry.file, expect: entry.expect, description };
  }
  if (entry.run !== undefined && entry.expect.kind !== 'absent' && entry.expect.kind !== 'present') {
    const query = entry.package;
    if (!query) return { ...base, run: entry.run, expect: entry.expect, description };
    return { ...base, run: entry.run, expect: entry.expect, description: description + notInstalledClause(entry), package: { manager: query.manager, name: query.name, ...(entry.notInstalled ? { not_installed: entry.notInstalled } : {}) } };
  }
  // The loader guarantees exactly one target and an expectation that fits it.
  throw new TypeError(`verify entry ${entry.id} mixes a ${entry.file !== undefined ? 'file' : 'command'} with a ${entry.expect.kind} expectation`);
}

function checklistStep(step: Step): ChecklistStep {
  return {
    id: step.id,
    title: step.title,
    kind: step.kind,
    ...(step.role !== undefined ? { role: step.role } : {}),
    text: step.text,
    commands: [...step.commands],
    configEdits: step.configEdits.map((edit) => ({
      file: edit.file,
      lang: edit.lang,
      content: edit.content,
      directives: configDirectives(edit.content),
    })),
    restartRequired: step.restartRequired,
    migrationRequired: step.migrationRequired,
    ...(step.rollback !== undefined ? { rollback: step.rollback } : {}),
    verify: [...step.verify],
  };
}

function checklistTarget(affected: Advisory['affects'][number]): ChecklistTarget {
  return {
    product: affected.product,
    ...(affected.vendor !== undefined ? { vendor: affected.vendor } : {}),
    ...(affected.package !== undefined ? { package: affected.package } : {}),
    ecosystem: affected.ecosystem,
    releases: [...affected.releases],
    affected: [...affected.versions],
    ...(affected.introduced !== undefined ? { introduced: affected.introduced } : {}),
    ...(affected.fixed !== undefined ? { fixed: affected.fixed } : {}),
  };
}

/**
 * The checklist of one advisory. Steps keep the note's order; verify
 * entries keep the front matter's order. Every object is built with a fixed
 * key order, so `serializeChecklist` is deterministic.
 */
export function buildChecklist(advisory: Advisory, options: BuildChecklistOptions = {}): Checklist {
  return {
    format: checklistFormat,
    ...(options.preview ? { privatePreview: true as const } : {}),
    advisory: {
      id: advisory.id,
      title: advisory.title,
      kind: advisory.kind,
      status: advisory.status,
      ...(advisory.withdrawnReason !== undefined ? { withdrawnReason: advisory.withdrawnReason } : {}),
      ...(advisory.severity !== undefined ? { severity: advisory.severity } : {}),
      cve: [...advisory.cve],
      ...(advisory.ghsa.length > 0 ? { ghsa: [...advisory.ghsa] } : {}),
      date: advisory.date,
      updated: lastUpdated(advisory),
      revision: currentRevision(advisory),
    },
    targets: advisory.affects.map(checklistTarget),
    steps: advisory.steps.map(checklistStep),
    verify: advisory.verify.map(checklistVerify),
  };
}

/** The checklist file's text: 2-space indented JSON with a trailing newline. */
export function serializeChecklist(checklist: Checklist): string {
  return JSON.stringify(checklist, null, 2) + '\n';
}

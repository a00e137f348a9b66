/**
 * The validated Advisory model. Everything downstream of `loadNote` trusts
 * these types: renderers never re-check what validation already checked.
 */
import type { Cvss } from './cvss.ts';
import type { NoteLink } from './note-links.ts';
import type { Root } from 'mdast';

export type Status = 'draft' | 'published' | 'withdrawn';
export type Severity = 'low' | 'medium' | 'high' | 'critical';
/** How an affected product's versions are named; the first four are version schemes herald can compare. */
export const versionSchemes = ['deb', 'rpm', 'semver', 'pypi'] as const;
export type VersionScheme = (typeof versionSchemes)[number];
export const ecosystems = [...versionSchemes, 'release', 'generic'] as const;
export type Ecosystem = (typeof ecosystems)[number];
/** The ecosystems whose versions herald compares, which are also the names of their schemes. */
export function isVersionScheme(ecosystem: Ecosystem): ecosystem is VersionScheme {
  return (versionSchemes as readonly string[]).includes(ecosystem);
}
export type ReferenceType = 'bug' | 'advisory' | 'article' | 'fix' | 'web';

export interface Reference {
  url: string;
  type: ReferenceType;
  title?: string;
}

export interface Author {
  name: string;
  email?: string;
  affiliation?: string;
}

/** Who is credited for their part in the advisory (OSV's credit types, lower case). */
export const creditTypes = ['finder', 'reporter', 'analyst', 'coordinator', 'remediation_developer', 'remediation_reviewer', 'remediation_verifier', 'tool', 'sponsor', 'other'] as const;
export type CreditType = (typeof creditTypes)[number];

export interface Credit {
  name: string;
  affiliation?: string;
  type?: CreditType;
}

/** A credit's role in words (`reporter`, `fix developer`); none for `other` or no type. */
export function creditRole(type: CreditType | undefined): string | undefined {
  return type && type !== 'other' ? type.replace('remediation_', 'fix ').replace(/_/g, ' ') : undefined;
}

/** How a credit reads: `Jane Doe (Example Labs), reporter`. */
export function describeCredit(credit: Credit): string {
  const role = creditRole(credit.type);
  return `${credit.name}${credit.affiliation ? ` (${credit.affiliation})` : ''}${role ? `, ${role}` : ''}`;
}

/** One affected product. `introduced`/`fixed` are versions in the ecosystem's scheme. */
export interface Affected {
  product: string;
  vendor?: string;
  /** Distribution package name, when it differs from the product (deb/rpm). */
  package?: string;
  ecosystem: Ecosystem;
  /** Free-form affected versions as the advisory states them (e.g. "1.0.1 through 1.0.1f"). */
  versions: string[];
  /** The first affected version; `"0"`, as in OSV, for every version before `fixed` (see `firstAffected`). */
  introduced?: string;
  fixed?: string;
  /** Releases or distributions concerned, e.g. "Grizzly", "Havana" or "Debian:7". */
  releases: string[];
}

/** The first affected version a reader is shown: none when every version is (no `introduced`, or OSV's `"0"`). */
export function firstAffected(affected: Pick<Affected, 'introduced'>): string | undefined {
  return affected.introduced === '0' ? undefined : affected.introduced;
}

export type ComparisonOperator = '<' | '<=' | '=' | '>=' | '>' | '!=';

export type Expectation =
  | { kind: 'version'; operator: ComparisonOperator; version: string; scheme: VersionScheme }
  | { kind: 'absent'; pattern: string }
  | { kind: 'present'; pattern: string }
  | { kind: 'stdout'; pattern: string }
  | { kind: 'exit'; code: number };

/**
 * One machine-readable verification. Exactly one of `run` (a shell command
 * whose stdout is the value tested) or `file` (a config file whose lines
 * are matched) is set.
 */
/** The package a verify command asks dpkg or rpm the installed version of (`package-query.ts`). */
export interface PackageQuery {
  manager: 'dpkg' | 'rpm';
  name: string;
}

export interface VerifyEntry {
  id: string;
  title: string;
  run?: string;
  file?: string;
  expect: Expectation;
  /** On a version check whose `run` is a plain package query: the package it queries, read once by the loader. */
  package?: PackageQuery;
  /**
   * What a host where the queried package is not installed counts as
   * (`not_installed`); only on a version check whose `run` is a plain
   * package query. Absent: an error, as any command that prints no version.
   */
  notInstalled?: 'pass' | 'fail';
}

export interface Revision {
  /** 1-based: "UPDATE 1" is revision 1; the original publication is revision 0. */
  number: number;
  date: string;
  summary: string;
}

/** Where a value came from in the note, for messages that point at it. */
export interface Position {
  line: number;
  column: number;
}

export interface SourceFile {
  /** Path as given by the user (relative to the working directory when possible). */
  path: string;
  text: string;
  /** sha256 of the bytes, hex. */
  hash: string;
  /** Line on which the Markdown body starts (1-based), for mapping body positions. */
  bodyLine: number;
}

export const stepKinds = ['upgrade', 'configure', 'disable', 'restart', 'evacuate', 'workaround', 'manual'] as const;
export type StepKind = (typeof stepKinds)[number];

/** One ordered step of "Recommended Actions". */
export interface Step {
  /** `step-1`, `step-2`, … in order. */
  id: string;
  title: string;
  /** The step's prose as plain text (code blocks excluded). */
  text: string;
  kind: StepKind;
  /** A `Kind:` line's value that names no step kind: `kind` is then inferred, and lint refuses the line (`step-kind-unknown`). */
  unknownKind?: string;
  /** Who applies it: "compute nodes", "system VMs", … (from a `Role:` line). */
  role?: string;
  /** Shell commands (from `sh`/`bash`/`console` blocks and indented code). */
  commands: string[];
  /** Config edits: fenced blocks naming a file. */
  configEdits: { file: string; lang: string; content: string }[];
  /** Blocks in a config language (`ini`, `yaml`, …) that name no file: no config edit is read from them (lint: `config-block-no-file`). */
  unfiledConfig?: { lang: string; position: Position }[];
  restartRequired: boolean;
  migrationRequired: boolean;
  rollback?: string;
  /** Ids of `verify` entries that prove the step done (from a `Verify:` line). */
  verify: string[];
  position: Position;
  /** Where each field line (`Role:`, `Verify:`, …) was written, for messages about it. */
  fieldPositions: Partial<Record<'role' | 'verify' | 'rollback' | 'kind', Position>>;
  /** The whole section is this one step: it has neither an ordered list nor headings. */
  wholeSection?: true;
}

export interface Section {
  /** Canonical name, e.g. "Recommended Actions"; the heading text when not canonical. */
  name: string;
  heading: string;
  canonical: boolean;
  position: Position;
}

/**
 * A note whose id is still the placeholder `<PREFIX>-XXXX`. It is not
 * public until `herald assign-ids` numbers it: its pages would move to a
 * new address then, and two such notes would claim the same files.
 */
export function hasPlaceholderId(advisory: Pick<Advisory, 'id' | 'kind'>): boolean {
  return advisory.kind === 'note' && advisory.id.endsWith('-XXXX');
}

export interface Advisory {
  /** `OSSN-0007`; a placeholder `OSSN-XXXX` until assigned; a blog post's slug otherwise. */
  id: string;
  /** URL segment under `/advisories/`: the id for notes, the slug for blog posts. */
  slug: string;
  kind: 'note' | 'post';
  title: string;
  /** First published, YYYY-MM-DD. */
  date: string;
  status: Status;
  withdrawnReason?: string;
  severity?: Severity;
  /** CVSS vectors with their scores, at most one per CVSS version; absent when the note gives none. */
  cvss?: Cvss[];
  cve: string[];
  /** GitHub Security Advisory ids of the same flaw (`ghsa`). */
  ghsa: string[];
  cwe: string[];
  references: Reference[];
  authors: Author[];
  /** People and organizations credited (who found or reported the flaw, fixed it…); absent when none. */
  credits?: Credit[];
  affects: Affected[];
  verify: VerifyEntry[];
  revisions: Revision[];
  lists: string[];
  tags: string[];
  /** Former ids: each old URL redirects to the current one. */
  aliases: string[];
  /** ISO date-time before which nothing about the note may be public. */
  embargo?: string;
  /** The Message-ID of the original announcement, mailed without herald (`message_id`): revision 0's, which updates reply to. */
  messageId?: string;
  /** Links to other notes' files, which the body's links now point at those advisories' pages instead. */
  noteLinks: NoteLink[];
  /** The Markdown body, parsed once. Positions are relative to the body. */
  body: Root;
  sections: Section[];
  steps: Step[];
  source: SourceFile;
}

/** Revision number of the advisory as published now: 0 for the original. */
export function currentRevision(advisory: Advisory): number {
  return advisory.revisions.length;
}

/** Date of the latest change: the last revision's, or the publication date. */
export function lastUpdated(advisory: Advisory): string {
  return advisory.revisions.at(-1)?.date ?? advisory.date;
}

/**
 * What aggregate pages keep of an advisory: everything but the body, the
 * remediation steps, the verify entries, the section list and the source
 * text, which only per-note outputs read. What an aggregate needs of the
 * text (the site's excerpts) is in its renderer's digest, computed from
 * the full advisory. 10,000 full advisories would not fit the memory
 * budget, and every unchanged note's summary is read back from the cache
 * by the next build.
 */
export function summarize(advisory: Advisory): Advisory {
  const body: Root = { type: 'root', children: [] };
  return { ...advisory, body, steps: [], verify: [], sections: [], source: { ...advisory.source, text: '' } };
}

/**
 * Schema of a note's front matter (`AdvisoryInput`), and of a blog post's.
 * The JSON Schema published for editors (`herald schema note`, both kinds) is
 * generated from these same objects, so what editors check is what herald
 * checks. Its patterns carry no regex flags (JSON Schema has none).
 */
import { z } from 'zod';
import { datePattern, isCalendarDate, looksLikeDate } from './calendar-date.ts';
import { creditTypes, ecosystems, versionSchemes } from './types.ts';

/** A blog post's slug, from `slug:` or its file name: it names the post's page, files and wiki page. */
export const postSlugPattern = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

/** Slugs that name files herald makes from every advisory (wiki/index.wiki, osv/all.json, checklists/schema.json). */
export const reservedSlugs: ReadonlySet<string> = new Set(['index', 'all', 'schema']);

/** What a date written otherwise is told; `validate.ts` makes its hint from the value as written. */
export const dateMessages = { type: 'must be a date written YYYY-MM-DD (quote it if needed)', format: 'must be a date written YYYY-MM-DD', calendar: 'is not a real calendar date' } as const;

/** A calendar date written `YYYY-MM-DD` (the config's dates too). */
export const isoDate = z
  .string({ error: dateMessages.type })
  .regex(datePattern, dateMessages.format)
  // Only of a value written right: the pattern's message alone says what is wrong with the others.
  .refine((value) => !looksLikeDate(value) || isCalendarDate(value), dateMessages.calendar);

const oneLine = z.string().regex(/^[^\u0000-\u001f\u007f]*$/, 'must be one line without control characters');
// The error map speaks of the type only: an empty version gets the usual "must not be empty".
const versionString = z.string({ error: (issue) => (issue.code === 'invalid_type' ? 'must be a string: quote versions, e.g. "1.10", so YAML does not read them as numbers' : undefined) }).min(1);

/** A Message-ID (RFC 5322 msg-id) as a mail header shows it, angle brackets included; written without them, they are added. */
/**
 * The longest `message_id`, angle brackets included. RFC 5322 limits a
 * header line to 998 characters and a Message-ID cannot be folded, so
 * `In-Reply-To:` and `References:` must stay well under that; mail
 * software keeps ids to 250 characters as a rule.
 */
export const maxMessageIdLength = 250;

const messageId = z
  .string()
  .transform((value) => value.trim())
  .transform((value) => (value.startsWith('<') ? value : `<${value}>`))
  .pipe(z.string().max(maxMessageIdLength, { error: (issue) => `is ${typeof issue.input === 'string' ? issue.input.length : 'over ' + maxMessageIdLength} characters long (angle brackets included); a Message-ID may have at most ${maxMessageIdLength}, as mail software keeps them, so the In-Reply-To and References headers of updates stay within RFC 5322's 998-character lines. Copy the original announcement's Message-ID header exactly` }).regex(/^<[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@(?:[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+|\[[\x21-\x5a\x5e-\x7e]*\])>$/, 'must be a Message-ID as the original announcement\'s header shows it, like <53A1F2C4.7060305@example.org>'));

export const referenceShape = {
  url: z.string().min(1),
  type: z.enum(['bug', 'advisory', 'article', 'fix', 'web']).default('web'),
  title: oneLine.optional(),
};
const referenceInput = z.union([z.string().min(1).transform((url) => ({ url, type: 'web' as const })), z.strictObject(referenceShape)]);

export const authorShape = {
  name: oneLine.min(1),
  email: z.email().optional(),
  affiliation: oneLine.optional(),
};
const authorInput = z.union([oneLine.min(1).transform((name) => ({ name })), z.strictObject(authorShape)]);

export const creditShape = {
  name: oneLine.min(1),
  affiliation: oneLine.optional(),
  type: z.enum(creditTypes).optional(),
};
const creditInput = z.union([oneLine.min(1).transform((name) => ({ name })), z.strictObject(creditShape)]);

export const affectedShape = {
  product: oneLine.min(1),
  vendor: oneLine.optional(),
  package: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9+.:_-]*$/, 'must be a package name').optional(),
  ecosystem: z.enum(ecosystems),
  versions: z.array(versionString).default([]),
  introduced: versionString.optional(),
  fixed: versionString.optional(),
  releases: z.array(z.string().min(1)).default([]),
};

export const expectShape = {
  version: z.string().optional(),
  scheme: z.enum(versionSchemes).optional(),
  absent: z.string().optional(),
  present: z.string().optional(),
  stdout: z.string().optional(),
  exit: z.number().int().min(0).max(255).optional(),
};

/** What a verify entry's `file` must be; `validate.ts` makes its hint from the path as written. */
export const absolutePathMessage = 'must be an absolute path';

export const verifyShape = {
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes'),
  title: oneLine.optional(),
  run: z.string().min(1).optional(),
  file: z.string().regex(/^\//, absolutePathMessage).optional(),
  expect: z.strictObject(expectShape).optional(),
  not_installed: z.enum(['pass', 'fail', 'error']).optional(),
};

export const revisionShape = {
  date: isoDate,
  summary: z.string().min(1),
};

/** A GitHub Security Advisory id: `GHSA-` and three groups of four characters of GitHub's alphabet, in lower case. */
export const ghsaId = /^GHSA(?:-[23456789cfghjmpqrvwx]{4}){3}$/;

/** Fields shared by notes and blog posts (a post may carry any of them to become first-class). */
const advisoryFields = {
  severity: z.enum(['low', 'medium', 'high', 'critical']).optional(),
  /** CVSS 3.0, 3.1 or 4.0 vectors (`../model/cvss.ts` reads them), one or a list. */
  cvss: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  cve: z.array(z.string().regex(/^CVE-\d{4}-\d{4,}$/, 'must be a CVE id like CVE-2014-0160')).default([]),
  /** GitHub Security Advisory ids of the same flaw, as GitHub writes them. */
  ghsa: z.array(z.string().regex(ghsaId, 'must be a GitHub advisory id like GHSA-jfh8-c2jp-5v3q (GHSA-, then three groups of four of 2-9, c, f, g, h, j, m, p, q, r, v, w, x)')).default([]),
  cwe: z.array(z.string().regex(/^CWE-\d+$/, 'must be a CWE id like CWE-306')).default([]),
  references: z.array(referenceInput).default([]),
  authors: z.array(authorInput).default([]),
  /** Who found, reported or fixed the flaw: a name, or name, affiliation and type. */
  credits: z.array(creditInput).default([]),
  affects: z.array(z.strictObject(affectedShape)).default([]),
  verify: z.array(z.strictObject(verifyShape)).default([]),
  revisions: z.array(z.strictObject(revisionShape)).default([]),
  lists: z.array(z.string().min(1)).default([]),
  tags: z.array(z.string().min(1)).default([]),
  embargo: z.string().optional(),
  /** The Message-ID of the original announcement, when it was mailed without herald: updates reply to it. */
  message_id: messageId.optional(),
  /** Former ids of this advisory: each old URL redirects to the current one. */
  aliases: z.array(z.string().min(1)).default([]),
};

export const noteShape = {
  id: z.string({ error: (issue) => (issue.code === 'invalid_type' ? 'must be a string like OSSN-0007' : undefined) }).min(1),
  // Control characters in the title are reported by lint (title-control-char), with its position.
  title: z.string().min(1),
  date: isoDate,
  status: z.enum(['draft', 'published', 'withdrawn']),
  withdrawn_reason: z.string().min(1).optional(),
  ...advisoryFields,
};

export const noteInputSchema = z.strictObject(noteShape);
export type AdvisoryInput = z.infer<typeof noteInputSchema>;

/**
 * A Jekyll-style post, accepted exactly as a blog engine wrote it: unknown
 * keys are allowed (blog engines and themes add their own), the date may
 * come from the file name, and it is published unless `published: false`.
 */
export const postShape = {
  ...advisoryFields,
  layout: z.string().optional(),
  title: z.string().min(1),
  date: z.union([z.string(), z.date()]).optional(),
  slug: z.string().regex(postSlugPattern, 'must be letters, digits and dashes').optional(),
  published: z.boolean().optional(),
  tags: z.union([z.array(z.string()), z.string()]).optional(),
  categories: z.union([z.array(z.string()), z.string()]).optional(),
  author: z.union([z.string(), z.array(z.string())]).optional(),
  status: z.enum(['draft', 'published', 'withdrawn']).optional(),
  withdrawn_reason: z.string().min(1).optional(),
};
export const postInputSchema = z.looseObject(postShape);
export type PostInput = z.infer<typeof postInputSchema>;

/** Known keys of each kind of object, by path pattern, for "did you mean" on unknown keys. */
export function knownKeysAt(path: readonly PropertyKey[]): string[] {
  const [head, , tail] = path;
  if (path.length === 0) return Object.keys(noteShape);
  if (head === 'affects') return Object.keys(affectedShape);
  if (head === 'verify') return tail === 'expect' ? Object.keys(expectShape) : Object.keys(verifyShape);
  if (head === 'references') return Object.keys(referenceShape);
  if (head === 'authors') return Object.keys(authorShape);
  if (head === 'credits') return Object.keys(creditShape);
  if (head === 'revisions') return Object.keys(revisionShape);
  return [];
}

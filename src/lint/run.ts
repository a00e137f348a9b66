/**
 * Runs every lint rule over parsed notes: the per-note rules, then the
 * rules across notes (duplicate ids and aliases).
 */
import type { Config } from '../config/schema.ts';
import type { HeraldMessage } from '../errors/message.ts';
import type { NotANote } from '../io/find-notes.ts';
import type { ParsedNote } from '../model/load.ts';
import path from 'node:path';
import { isPublic } from '../build/select.ts';
import type { NoteLink } from '../model/note-links.ts';
import { pageAnchors, unknownAnchor, type AnchoredNote } from '../model/page-anchors.ts';
import { hasPlaceholderId, type Advisory } from '../model/types.ts';
import { meantId } from '../model/suggest.ts';
import { message } from '../model/validate.ts';
import { createRuleContext, type NoteRule } from './rule.ts';
import { codeFencesClosed, codeLineWidth } from './rules/code.ts';
import { footnotesReferenced, noFootnoteLookalikes } from './rules/footnotes.ts';
import { headingLinksLead } from './rules/heading-links.ts';
import { datesNotInFuture, embargoValid, revisionsInOrder, withdrawnHasReason } from './rules/dates.ts';
import { aliasesWellFormed, headerSafety, idFormat, idMatchesFileName, listsConfigured, titleRules } from './rules/identity.ts';
import { selfReference, urlsSafe } from './rules/links.ts';
import { linksParsed } from './rules/unparsed-links.ts';
import { postStructure } from './rules/post.ts';
import { configBlocksFiled, headingsAboveSections, sectionsInOrder, sectionsPresent, stepKindsKnown, stepsHaveWork } from './rules/sections.ts';
import { stepVerifyRefs, verifyEntries } from './rules/verify.ts';
import { verifyLinesRead } from './rules/verify-lines.ts';
import { verifyCommandsParse } from './rules/verify-commands.ts';
import { verifyQueryNewline } from './rules/verify-query-newline.ts';
import { verifyQueryScheme } from './rules/verify-query-scheme.ts';
import { stepsInOneList } from './rules/step-list.ts';
import { affectsVersions } from './rules/affects.ts';
import { templateText } from './rules/template-text.ts';
import { noBidiControls } from './rules/bidi.ts';
import { noControlCharacters } from './rules/controls.ts';
import { frontMatterNotClosedEarly } from './rules/front-matter-end.ts';
import { noCommentsInValues } from './rules/front-matter-comments.ts';

export const noteRules: readonly NoteRule[] = [
  idFormat,
  aliasesWellFormed,
  idMatchesFileName,
  titleRules,
  headerSafety,
  listsConfigured,
  datesNotInFuture,
  revisionsInOrder,
  embargoValid,
  withdrawnHasReason,
  urlsSafe,
  selfReference,
  linksParsed,
  headingLinksLead,
  affectsVersions,
  sectionsPresent,
  sectionsInOrder,
  headingsAboveSections,
  stepsHaveWork,
  stepsInOneList,
  stepKindsKnown,
  configBlocksFiled,
  verifyEntries,
  verifyCommandsParse,
  verifyQueryNewline,
  verifyQueryScheme,
  stepVerifyRefs,
  verifyLinesRead,
  codeLineWidth,
  codeFencesClosed,
  footnotesReferenced,
  noFootnoteLookalikes,
  postStructure,
  templateText,
  noBidiControls,
  noControlCharacters,
  frontMatterNotClosedEarly,
  noCommentsInValues,
];

/**
 * The last result for each advisory: `parseNote` lints a fast-parsed note to
 * decide whether it needs exact positions, and its caller lints it again
 * with the same config and clock. Lint is pure, so the second run reuses the first.
 */
const lastRun = new WeakMap<object, { config: Config; now: number; messages: HeraldMessage[] }>();

export function lintNote(note: ParsedNote, config: Config, now: Date): HeraldMessage[] {
  if (!note.advisory) return [];
  const known = lastRun.get(note.advisory);
  if (known && known.config === config && known.now === now.getTime()) return [...known.messages];
  const sink: HeraldMessage[] = [];
  const context = createRuleContext(note.advisory, config, now, note.locate, note.verifyIds ?? [], sink, note.frontMatterText);
  for (const rule of noteRules) rule(context);
  lastRun.set(note.advisory, { config, now: now.getTime(), messages: sink });
  return [...sink];
}

/** What the rules across notes read of a note: its path, identity, publicity, links to other notes, and where its fields are. */
export interface IdentifiedNote {
  path: string;
  advisory?: Pick<Advisory, 'id' | 'slug' | 'aliases' | 'kind' | 'status' | 'embargo'> & { noteLinks?: readonly NoteLink[] };
  /** Without an advisory (its front matter fails its schema): its links to other notes, checked all the same. */
  noteLinks?: readonly NoteLink[];
  locate: ParsedNote['locate'];
  /** The note read in full, for the anchors of its page (a link to `OSSN-0004.md#discussion`): asked for only then, so a provider may parse the note again. */
  read?: () => AnchoredNote | undefined;
}

/** A note's `locate` and `read` from a parse made only when one of them is first asked for, then kept. */
export function parsedOnDemand(parse: () => ParsedNote): Required<Pick<IdentifiedNote, 'locate' | 'read'>> {
  let parsed: ParsedNote | undefined;
  const note = () => (parsed ??= parse());
  return { locate: (field, key) => note().locate(field, key), read: () => note().advisory };
}

/**
 * Two notes may not share an id, nor may an alias shadow another note's id;
 * a link to another note's file must name a note whose page it leads to,
 * and from a public note, a public one (a note whose front matter fails
 * its schema has its links checked, but it is public or not only once it
 * is right). `outside` finds a linked note that
 * is not among `notes` (`herald lint FILE` checks a few of them), or says
 * why the file there is no note.
 */
export function lintAcrossNotes(notes: readonly IdentifiedNote[], now: Date, outside?: (target: string) => IdentifiedNote | NotANote | undefined, others: readonly IdentifiedNote[] = []): HeraldMessage[] {
  return [...duplicateIds(notes), ...duplicatesOfOthers(notes, others), ...noteLinkMessages(notes, now, outside)];
}

/**
 * `herald lint FILE` checks a few notes of a collection: their ids and
 * aliases against `others`, the collection's other notes (as the build
 * cache knows them), each finding said on the note checked now.
 */
function duplicatesOfOthers(notes: readonly IdentifiedNote[], others: readonly IdentifiedNote[]): HeraldMessage[] {
  if (others.length === 0) return [];
  const ids = new Map<string, IdentifiedNote>();
  const aliases = new Map<string, IdentifiedNote>();
  for (const other of others) {
    if (!other.advisory || hasPlaceholderId(other.advisory)) continue;
    ids.set(other.advisory.slug, other);
    for (const alias of other.advisory.aliases) aliases.set(alias, other);
  }
  const out: HeraldMessage[] = [];
  for (const note of notes) {
    const advisory = note.advisory;
    if (!advisory || hasPlaceholderId(advisory)) continue;
    const owner = ids.get(advisory.slug);
    if (owner) out.push(message(note.path, 'id-duplicate', `Id "${advisory.id}" is already used by ${owner.path}`, note.locate(['id'])));
    else if (aliases.has(advisory.slug)) out.push(message(note.path, 'id-duplicate', `Id "${advisory.id}" is an alias of ${aliases.get(advisory.slug)!.path}`, note.locate(['id'])));
    advisory.aliases.forEach((alias, index) => {
      const other = ids.get(alias);
      if (other) out.push(message(note.path, 'id-duplicate', `Alias "${alias}" is the id of ${other.path}`, note.locate(['aliases', index])));
    });
  }
  return out;
}

function duplicateIds(notes: readonly IdentifiedNote[]): HeraldMessage[] {
  const out: HeraldMessage[] = [];
  const owners = new Map<string, IdentifiedNote>();
  for (const note of notes) {
    const advisory = note.advisory;
    if (!advisory || hasPlaceholderId(advisory)) continue;
    const first = owners.get(advisory.slug);
    if (first) {
      out.push(message(note.path, 'id-duplicate', `Id "${advisory.id}" is already used by ${first.path}`, note.locate(['id'])));
    } else owners.set(advisory.slug, note);
  }
  const aliasOwners = new Map<string, IdentifiedNote>();
  for (const note of notes) {
    note.advisory?.aliases.forEach((alias, index) => {
      const owner = owners.get(alias);
      const other = aliasOwners.get(alias);
      if (owner && owner !== note) out.push(message(note.path, 'id-duplicate', `Alias "${alias}" is the id of ${owner.path}`, note.locate(['aliases', index])));
      else if (other && other !== note) out.push(message(note.path, 'id-duplicate', `Alias "${alias}" is also an alias of ${other.path}`, note.locate(['aliases', index])));
      else aliasOwners.set(alias, note);
    });
  }
  return out;
}

const asPosix = (file: string) => path.posix.normalize(file.split(path.sep).join('/'));

function noteLinkMessages(notes: readonly IdentifiedNote[], now: Date, outside?: (target: string) => IdentifiedNote | NotANote | undefined): HeraldMessage[] {
  const out: HeraldMessage[] = [];
  let byPath: Map<string, IdentifiedNote> | undefined;
  for (const note of notes) {
    const links = note.advisory ? note.advisory.noteLinks : note.noteLinks;
    if (!links?.length) continue;
    byPath ??= new Map(notes.map((other) => [asPosix(other.path), other]));
    for (const link of links) {
      const target = byPath.get(link.target) ?? outside?.(link.target);
      const report = (ruleId: 'link-note-unknown' | 'link-note-private', text: string, hint?: string) => out.push(message(note.path, ruleId, text, link, hint));
      if (target && 'why' in target) {
        report('link-note-unknown', `Link to ${link.target}: no note the build reads (${target.why})`, target.hint);
        continue;
      }
      if (!target) {
        const meant = meantId(link.target, byPath.keys());
        const written = meant && path.posix.relative(path.posix.dirname(asPosix(note.path)), meant);
        report('link-note-unknown', `Link to ${link.target}: no note has that path${written ? `; did you mean ${written}?` : ''}`);
        continue;
      }
      // A note that cannot be read has errors of its own.
      const linked = target.advisory;
      if (!linked) continue;
      if (hasPlaceholderId(linked)) {
        report('link-note-unknown', `Link to ${link.target}, a note without its id: herald assign-ids renames its file, and the link would lead nowhere`, 'Link it once it has its number.');
        continue;
      }
      if (linked.slug !== link.slug) {
        report('link-note-unknown', `Link to ${link.target} leads to advisories/${link.slug}/, but that note's page is advisories/${linked.slug}/`, `A post's \`slug:\` renames its page: link the page's URL instead.`);
        continue;
      }
      if (note.advisory && isPublic(note.advisory, now) && !isPublic(linked, now)) {
        const why = linked.status === 'draft' ? 'a draft' : `under embargo until ${linked.embargo}`;
        report('link-note-private', `Link to ${linked.id} (${link.target}), ${why}: its page is not on the public site yet`);
      }
      const read = link.fragment === undefined ? undefined : target.read?.();
      const anchors = read && pageAnchors(read);
      if (anchors && !anchors.known.has(link.fragment!)) {
        const { text, hint } = unknownAnchor(`${link.target}#${link.fragment}`, link.fragment!, anchors, linked.id);
        out.push(message(note.path, 'link-anchor-unknown', text, link, hint));
      }
    }
  }
  return out;
}

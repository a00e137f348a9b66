/**
 * Reads the structure of a note's body: its sections (tolerating the
 * heading drift seen across real OSSNs) and the ordered steps of
 * "Recommended Actions", with their commands, config edits and field lines
 * (`Role:`, `Verify:`, `Rollback:`, `Kind:`).
 */
import type { Code, Heading, List, ListItem, Root, RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { firstSentence } from './step-title.ts';
import { stepKinds, type Position, type Section, type Step, type StepKind } from './types.ts';

export const canonicalSections = ['Summary', 'Affected Services / Software', 'Discussion', 'Recommended Actions', 'Contacts / References'] as const;
export type CanonicalSection = (typeof canonicalSections)[number];

const normalize = (text: string) => text.toLowerCase().replace(/[^a-z]+/g, ' ').trim();

/** Headings seen in real notes, normalized, and the canonical section each means. */
const sectionAliases = new Map<string, CanonicalSection>([
  ['summary', 'Summary'],
  ['overview', 'Summary'],
  ['affected services software', 'Affected Services / Software'],
  ['affected services', 'Affected Services / Software'],
  ['affected software', 'Affected Services / Software'],
  ['affected services and software', 'Affected Services / Software'],
  ['services affected', 'Affected Services / Software'],
  ['affected products', 'Affected Services / Software'],
  ['discussion', 'Discussion'],
  ['details', 'Discussion'],
  ['recommended actions', 'Recommended Actions'],
  ['recommended action', 'Recommended Actions'],
  ['recommendations', 'Recommended Actions'],
  ['actions', 'Recommended Actions'],
  ['mitigation', 'Recommended Actions'],
  ['contacts references', 'Contacts / References'],
  ['contact references', 'Contacts / References'],
  ['contacts and references', 'Contacts / References'],
  ['references', 'Contacts / References'],
  ['contacts', 'Contacts / References'],
]);

export function canonicalSectionFor(heading: string): CanonicalSection | undefined {
  return sectionAliases.get(normalize(heading));
}

/** Maps a body position to a file position. */
export type PositionMapper = (node: { position?: { start: { line: number; column: number } } }) => Position;

/**
 * The depth of the section headings: the shallowest depth of a heading
 * that names one of the template's sections, so that a title written as
 * `# …` above `## Summary` does not hide every section (lint refuses it:
 * `heading-above-sections`); without any such heading, the shallowest
 * heading depth in the body. 7 when the body has no heading.
 */
export function sectionDepth(root: Root): number {
  let named = 7;
  let any = 7;
  for (const node of root.children) {
    if (node.type !== 'heading') continue;
    if (node.depth < any) any = node.depth;
    if (node.depth < named && canonicalSectionFor(toString(node)) !== undefined) named = node.depth;
  }
  return named < 7 ? named : any;
}

export function readSections(root: Root, at: PositionMapper): Section[] {
  const depth = sectionDepth(root);
  return root.children
    .filter((node): node is Heading => node.type === 'heading' && node.depth === depth)
    .map((heading) => {
      const text = toString(heading).trim();
      const canonical = canonicalSectionFor(text);
      return { name: canonical ?? text, heading: text, canonical: canonical === text, position: at(heading) };
    });
}

/** The nodes of one section, between its heading and the next heading of its depth or shallower. */
export function sectionContent(root: Root, name: CanonicalSection): { heading: Heading; nodes: RootContent[] } | undefined {
  const depth = sectionDepth(root);
  const start = root.children.findIndex((node) => node.type === 'heading' && node.depth === depth && canonicalSectionFor(toString(node)) === name);
  if (start === -1) return undefined;
  const heading = root.children[start] as Heading;
  const nodes: RootContent[] = [];
  for (const node of root.children.slice(start + 1)) {
    if (node.type === 'heading' && node.depth <= depth) break;
    nodes.push(node);
  }
  return { heading, nodes };
}

const commandLanguages = new Set(['', 'sh', 'bash', 'shell', 'console', 'zsh', 'shell-session']);
/** Languages of a config file's content: a step's block in one of them is an edit, and needs its `file=`. */
const configLanguages = new Set(['ini', 'conf', 'cfg', 'cnf', 'toml', 'yaml', 'yml', 'properties', 'nginx', 'apache', 'apacheconf', 'systemd']);

/** The `file=` of a fenced block's info string, e.g. ```` ```ini file=/etc/nova/nova.conf ````. */
export function fileOfCode(code: Code): string | undefined {
  const match = /(?:^|\s)file=("[^"]*"|'[^']*'|\S+)/.exec(code.meta ?? '');
  return match?.[1]?.replace(/^["']|["']$/g, '');
}

/** Commands of a command block; in a `console` block only the prompted lines are commands. */
function commandsOf(code: Code): string[] {
  if (code.lang === 'console' || code.lang === 'shell-session') {
    return code.value
      .split('\n')
      .filter((line) => /^[$#] /.test(line))
      .map((line) => line.slice(2));
  }
  return code.value.trim() === '' ? [] : [code.value.replace(/\n+$/, '')];
}

/** The names of a step's field lines (`Role: compute nodes`); `step-fields.ts` starts each on a line of its own. */
export const stepFieldNames = 'Role|Verify|Rollback|Kind';
/** A step's `Role:`, `Verify:`, `Rollback:` or `Kind:` line. */
export const fieldLine = new RegExp(`^(${stepFieldNames}):[ \\t]*(.*)$`, 'i');

interface StepDraft {
  title: string;
  nodes: RootContent[];
  anchor: { position?: { start: { line: number; column: number } } };
  wholeSection?: true;
}

function stepDrafts(nodes: RootContent[]): StepDraft[] {
  const list = nodes.find((node): node is List => node.type === 'list' && node.ordered === true);
  if (list) {
    return list.children.map((item: ListItem) => ({ title: '', nodes: item.children as RootContent[], anchor: item }));
  }
  const drafts: StepDraft[] = [];
  for (const node of nodes) {
    if (node.type === 'heading') drafts.push({ title: toString(node).trim(), nodes: [], anchor: node });
    else drafts.at(-1)?.nodes.push(node);
  }
  if (drafts.length > 0) return drafts;
  const content = nodes.filter((node) => node.type !== 'html' || node.value.trim() !== '');
  return content.length > 0 ? [{ title: '', nodes: content, anchor: content[0]!, wholeSection: true }] : [];
}

/**
 * Says to move instances between hosts ("evacuate the node", "live-migrate
 * all instances", "move a test instance", `nova live-migration`). Live
 * migration named as a topic ("the live migration URI") is not a step that
 * needs it.
 */
const movesInstances = /\bevacuat\w*\b|\b(?:live[- ]?migrat|migrat|mov)(?:e|es|ing)\s+(?:\S+\s+){0,2}?(?:instances?|guests?|vms?|virtual machines?|workloads?)\b|\bnova\s+(?:live-migration|host-evacuate\S*|migrate)\b|\bopenstack\s+server\s+migrate\b/i;

/**
 * Says to upgrade software: a package manager's install or upgrade, or the
 * word "upgrade" (any form), but not the protocol's Upgrade of HTTP and
 * WebSocket ("reject WebSocket upgrades from other origins", "the Upgrade
 * header"), which a step about a proxy names without upgrading anything.
 */
const upgradesSoftware = /\b(apt-get|apt|yum|dnf|zypper)\s+(install|upgrade|update|dist-upgrade)\b|(?<!\b(?:websocket|http|https|protocol|connection)[\s-]+)\bupgrad\w*\b(?![\s-]+(?:header|request|response)s?\b)|\bupdate the \w+ packages?\b/i;

function inferKind(text: string, commands: string[], configEdits: unknown[]): StepKind {
  const all = `${text}\n${commands.join('\n')}`;
  if (movesInstances.test(all)) return 'evacuate';
  if (upgradesSoftware.test(all)) return 'upgrade';
  if (configEdits.length > 0) return 'configure';
  if (/\b(disabl\w*|remov\w*|delete_user|delete)\b/i.test(all)) return 'disable';
  if (/\brestart\w*\b/i.test(all)) return 'restart';
  if (commands.length > 0) return 'workaround';
  return 'manual';
}

/**
 * Reads the steps of "Recommended Actions". `source` is the body text, used
 * to read field lines exactly as written.
 */
export function readSteps(root: Root, source: string, at: PositionMapper): Step[] {
  const section = sectionContent(root, 'Recommended Actions');
  if (!section) return [];
  return stepDrafts(section.nodes).map((draft, index) => {
    const fields: Record<string, string> = {};
    const fieldPositions: Step['fieldPositions'] = {};
    const prose: string[] = [];
    const commands: string[] = [];
    const configEdits: Step['configEdits'] = [];
    const unfiledConfig: NonNullable<Step['unfiledConfig']> = [];
    let title = draft.title;
    for (const node of draft.nodes) {
      if (node.type === 'code') {
        const file = fileOfCode(node);
        const lang = node.lang ?? '';
        if (file) configEdits.push({ file, lang, content: node.value });
        else if (commandLanguages.has(lang)) commands.push(...commandsOf(node));
        else if (configLanguages.has(lang.toLowerCase())) unfiledConfig.push({ lang, position: at(node) });
        continue;
      }
      if (node.type === 'paragraph' && node.position?.start.offset !== undefined && node.position.end.offset !== undefined) {
        const lines = source.slice(node.position.start.offset, node.position.end.offset).split('\n');
        const kept: string[] = [];
        lines.forEach((line, lineIndex) => {
          const match = fieldLine.exec(line.trim());
          if (!match) return kept.push(line);
          const name = match[1]!.toLowerCase() as keyof Step['fieldPositions'];
          fields[name] = match[2]!.trim();
          const column = lineIndex === 0 ? node.position!.start.column : line.length - line.trimStart().length + 1;
          fieldPositions[name] = { line: node.position!.start.line + lineIndex, column };
        });
        if (kept.length === lines.length) {
          if (!title && node.children[0]?.type === 'strong') title = toString(node.children[0]).trim().replace(/[.:]$/, '');
          prose.push(toString(node));
        } else if (kept.length > 0) {
          prose.push(kept.join(' ').replace(/[*_`]/g, ''));
        }
        continue;
      }
      const text = toString(node).trim();
      if (text) prose.push(text);
    }
    const text = prose.join('\n\n').trim();
    if (!title) title = firstSentence(text) || `Step ${index + 1}`;
    const explicitKind = fields.kind?.toLowerCase();
    const known = stepKinds.find((name) => name === explicitKind);
    const kind = known ?? inferKind(text, commands, configEdits);
    // "Verify: `a`, `b` and `c`": commas, spaces and the word "and" separate ids.
    const verify = (fields.verify ?? '')
      .split(/[\s,]+/)
      .map((id) => id.replace(/`/g, '').trim())
      .filter((id) => id !== '' && !/^(?:and|&)$/i.test(id));
    const all = `${text}\n${commands.join('\n')}`;
    return {
      id: `step-${index + 1}`,
      title,
      text,
      kind,
      ...(fields.kind !== undefined && !known ? { unknownKind: fields.kind } : {}),
      ...(fields.role ? { role: fields.role } : {}),
      commands,
      configEdits,
      ...(unfiledConfig.length > 0 ? { unfiledConfig } : {}),
      restartRequired: kind === 'restart' || /\brestart\w*\b/i.test(all),
      migrationRequired: kind === 'evacuate' || movesInstances.test(all),
      ...(fields.rollback ? { rollback: fields.rollback } : {}),
      verify,
      position: at(draft.anchor),
      fieldPositions,
      ...(draft.wholeSection ? { wholeSection: true as const } : {}),
    };
  });
}

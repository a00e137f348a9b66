/**
 * Splits a note into front matter and body with gray-matter, locked down:
 * gray-matter evaluates `---js` / `---javascript` front matter as code by
 * default (and `engines: {js: false}` does not stop it), so every engine but
 * YAML is replaced by one that refuses, and the YAML itself is parsed by the
 * `yaml` package, which keeps node ranges for exact error positions.
 */
import matter from 'gray-matter';
import { Document, LineCounter, parseDocument, isMap, isSeq, isScalar, isPair, type Node, type Pair } from 'yaml';

/** Languages gray-matter knows or might be asked for after `---`: all refused but YAML. */
const refusedLanguages = ['js', 'javascript', 'coffee', 'coffeescript', 'cson', 'json', 'toml', 'ts', 'typescript', 'json5', 'eval'];

class RefusedLanguage extends Error {
  constructor(readonly language: string) {
    super(`front matter language "${language}" is refused`);
  }
}

function refuse(language: string) {
  return {
    parse: (): never => {
      throw new RefusedLanguage(language);
    },
    stringify: (): never => {
      throw new RefusedLanguage(language);
    },
  };
}

const engines: Record<string, { parse: (input: string) => object; stringify?: () => never }> = {
  // The YAML engine does nothing: herald parses `file.matter` itself, with positions.
  yaml: { parse: () => ({}) },
};
for (const language of refusedLanguages) engines[language] = refuse(language);

export interface FrontMatterDocument {
  /** The parsed YAML document, with node ranges. */
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** The plain data (null when the front matter is empty). */
  data: unknown;
  /** The YAML text as parsed (its line n is the file's line n). */
  yamlText: string;
  /** The Markdown after the closing delimiter. */
  body: string;
  /** 1-based line of the file on which the body starts. */
  bodyLine: number;
}

export type SplitResult =
  | { ok: true; value: FrontMatterDocument }
  | { ok: false; reason: 'missing' }
  | { ok: false; reason: 'language'; language: string; line: number; column: number };

/** Returns the front matter (a YAML document with positions) and the body, or why there is none. */
export function splitFrontMatter(text: string): SplitResult {
  if (!/^(\ufeff)?---/.test(text)) return { ok: false, reason: 'missing' };
  const firstLine = text.slice(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'));
  const declared = firstLine.replace(/^\ufeff?---/, '').trim();
  if (declared !== '' && declared.toLowerCase() !== 'yaml') {
    // Refuse before gray-matter sees it: no engine lookup, no chance of evaluation.
    return { ok: false, reason: 'language', language: declared, line: 1, column: 4 };
  }
  let file: matter.GrayMatterFile<string>;
  try {
    // Passing options also disables gray-matter's global cache.
    file = matter(text, { engines, language: 'yaml', excerpt: false });
  } catch (error) {
    if (error instanceof RefusedLanguage) return { ok: false, reason: 'language', language: error.language, line: 1, column: 4 };
    throw error;
  }
  if (file.matter === undefined || !text.endsWith(file.content)) return { ok: false, reason: 'missing' };
  const lineCounter = new LineCounter();
  // `file.matter` starts with the rest of the opening `---` line, so its line n is the file's line n.
  const doc = parseDocument(file.matter, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const head = text.slice(0, text.length - file.content.length);
  const bodyLine = head.split('\n').length;
  return { ok: true, value: { doc, lineCounter, yamlText: file.matter, data: doc.errors.length === 0 ? doc.toJS({ maxAliasCount: 50 }) : undefined, body: file.content, bodyLine } };
}

export interface Located {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

function locateOffset(lineCounter: LineCounter, start: number, end: number): Located {
  const a = lineCounter.linePos(start);
  const b = lineCounter.linePos(end);
  return { line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
}

/**
 * Finds the position of the value at `path` (or of the key `key` inside it),
 * descending as far as the document goes: a missing field points at its
 * parent map, so an error is always placed as close as possible.
 */
export function locate(front: FrontMatterDocument, path: readonly PropertyKey[], key?: string): Located {
  let node: Node | null = front.doc.contents;
  let pair: Pair | undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const found = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      if (!found) break;
      pair = found as Pair;
      node = (found.value as Node | null) ?? null;
      if (!node) break;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment]) {
      pair = undefined;
      node = node.items[segment] as Node;
    } else break;
  }
  if (key !== undefined && isMap(node)) {
    const found = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === key);
    const keyNode = found?.key as Node | undefined;
    if (keyNode?.range) return locateOffset(front.lineCounter, keyNode.range[0], keyNode.range[1]);
  }
  if (node?.range) return locateOffset(front.lineCounter, node.range[0], node.range[1]);
  const keyNode = pair?.key as Node | undefined;
  if (keyNode?.range) return locateOffset(front.lineCounter, keyNode.range[0], keyNode.range[1]);
  return { line: 2, column: 1, endLine: 2, endColumn: 1 };
}

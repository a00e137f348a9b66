/**
 * Pagefind's page reader ("fossick", its `DomParser`), re-done over
 * `html-tokens.ts`: each element becomes a node that collects its text and
 * hands it to its parent at its end tag, so the `data-pagefind-body`
 * element's text replaces everything around it, ignored subtrees drop out,
 * block elements get a sentence stop, headings and `data-pagefind-weight`
 * wrap their text in weight markers, and elements with an `id` leave anchor
 * markers. The result is the "digest" (text with markers, to be split into words) plus filters,
 * meta, sort keys and anchor texts, as Pagefind 1.6 computes them.
 */
import { tokenizeHtml, voidElements } from './html-tokens.ts';
import { decodeEntities, isBlank, normaliseContent } from './text.ts';

const sentenceElements = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'td', 'div', 'ul', 'li', 'article', 'section']);
const inlineElements = new Set(['a', 'abbr', 'acronym', 'b', 'bdo', 'big', 'br', 'button', 'cite', 'code', 'dfn', 'em', 'i', 'img', 'input', 'kbd', 'label', 'map', 'object', 'output', 'q', 'samp', 'script', 'select', 'small', 'span', 'strong', 'sub', 'sup', 'textarea', 'time', 'tt', 'var']);
const removedElements = new Set(['head', 'style', 'script', 'noscript', 'label', 'form', 'svg', 'footer', 'nav', 'iframe', 'template']);
const autoWeights: Record<string, string> = { h1: '7', h2: '6', h3: '5', h4: '4', h5: '3', h6: '2' };
// Elements whose self-closing syntax really closes them (SVG and MathML content).
const foreignRoots = new Set(['svg', 'math']);

/** What the reader does with an element, by its name: looked up once per tag, not once per set. */
interface TagInfo {
  sentence: boolean;
  inline: boolean;
  removed: boolean;
  isVoid: boolean;
  foreignRoot: boolean;
  autoWeight: string | undefined;
}

const tagInfos = new Map<string, TagInfo>();

function tagInfo(name: string): TagInfo {
  let info = tagInfos.get(name);
  if (!info) {
    info = {
      sentence: sentenceElements.has(name),
      inline: inlineElements.has(name),
      removed: removedElements.has(name),
      isVoid: voidElements.has(name),
      foreignRoot: foreignRoots.has(name),
      autoWeight: Object.hasOwn(autoWeights, name) ? autoWeights[name] : undefined,
    };
    // Pages use a few dozen names; a page of made-up ones must not grow this without end.
    if (tagInfos.size >= 1_000) tagInfos.clear();
    tagInfos.set(name, info);
  }
  return info;
}

// Rust regex [\w'"\)\$\*], \w being Unicode.
const sentenceChar = /[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}'")$*]/u;
// The same test for an ASCII code: letters, digits, '_' and '")$*.
const asciiSentenceChar = Array.from({ length: 128 }, (_, code) => sentenceChar.test(String.fromCharCode(code)));
const attributeSelector = /^\s*([^:[\]]+)\[(.+)\]\s*$/;
const allSpaces = /\s/gu;

const enum Status {
  Indexing,
  Ignored,
  Excluded,
  Body,
  ParentOfBody,
}

interface Node {
  value: string;
  /**
   * The last two UTF-16 units of `value` (-1 where it has none), kept as
   * text is added, so that the sentence stop needs no look at `value`
   * itself: reading a character of a string built by thousands of
   * concatenations makes V8 copy it whole, at every element.
   */
  lastCode: number;
  beforeLastCode: number;
  parent: Node | undefined;
  tag: string;
  info: TagInfo;
  filter: string[] | undefined;
  sort: string[] | undefined;
  meta: string[] | undefined;
  defaultMeta: string[] | undefined;
  weight: string | undefined;
  anchorIds: string[] | undefined;
  status: Status;
}

/** What Pagefind's parser extracts from one page. */
export interface DomResult {
  /** The text with markers, character references decoded, whitespace as found: split it at whitespace (`splitWhitespace`). */
  digest: string;
  filters: Map<string, string[]>;
  sort: Map<string, string>;
  meta: Map<string, string>;
  anchorContent: Map<string, string>;
  anchorTitles: Map<string, string>;
  hasCustomBody: boolean;
  hasHtmlElement: boolean;
}

/** `data-pagefind-filter="a, b[attr], c:literal"` → `name:value` strings (Pagefind's `parse_attr_string`). */
function parseAttrString(input: string, attributes: ReadonlyMap<string, string>): string[] {
  const colon = input.indexOf(':');
  if (colon !== -1) {
    const parts = parseAttrString(input.slice(0, colon), attributes);
    const last = parts.length - 1;
    if (last >= 0) parts[last] = `${parts[last]}:${input.slice(colon + 1)}`;
    return parts;
  }
  return input.split(',').map((chunk) => {
    const trimmed = chunk.trim();
    const match = attributeSelector.exec(trimmed);
    if (match) return `${match[1]}:${attributes.get(match[2] ?? '') ?? ''}`;
    return trimmed;
  });
}

function attributePair(node: Node, input: string): [string, string] | undefined {
  const colon = input.indexOf(':');
  if (colon !== -1) return [input.slice(0, colon), normaliseContent(input.slice(colon + 1))];
  if (node.value === '') return undefined;
  return [input, normaliseContent(node.value)];
}

function lastChar(text: string): string | undefined {
  if (text === '') return undefined;
  const code = text.codePointAt(text.length - 1) ?? 0;
  // A trailing low surrogate: take the whole pair.
  if (code >= 0xdc00 && code <= 0xdfff && text.length >= 2) return text.slice(-2);
  return text.slice(-1);
}

/** Whether a sentence stop follows `node`'s text: its last character (a whole surrogate pair) is a word character. */
function endsInSentenceChar(node: Node): boolean {
  const code = node.lastCode;
  if (code === -1) return false;
  if (code < 0x80) return asciiSentenceChar[code] === true;
  const pair = code >= 0xdc00 && code <= 0xdfff && node.beforeLastCode !== -1;
  return sentenceChar.test(pair ? String.fromCharCode(node.beforeLastCode, code) : String.fromCharCode(code));
}

/** Adds `text` to the end of `node`'s value. */
function append(node: Node, text: string): void {
  const length = text.length;
  if (length === 0) return;
  node.value += text;
  node.beforeLastCode = length >= 2 ? text.charCodeAt(length - 2) : node.lastCode;
  node.lastCode = text.charCodeAt(length - 1);
}

/** Adds `child`'s value to the end of `node`'s. */
function appendNode(node: Node, child: Node): void {
  if (child.lastCode === -1) return;
  node.value += child.value;
  node.beforeLastCode = child.beforeLastCode === -1 ? node.lastCode : child.beforeLastCode;
  node.lastCode = child.lastCode;
}

/** Sets `node`'s value to `child`'s. */
function replaceWithNode(node: Node, child: Node): void {
  node.value = child.value;
  node.lastCode = child.lastCode;
  node.beforeLastCode = child.beforeLastCode;
}

function clearValue(node: Node): void {
  node.value = '';
  node.lastCode = -1;
  node.beforeLastCode = -1;
}

const rootInfo = tagInfo('');
const endWeight = ' ___END_PAGEFIND_WEIGHT___ ';

function newNode(parent: Node | undefined, tag: string, info: TagInfo, status: Status): Node {
  return { value: '', lastCode: -1, beforeLastCode: -1, parent, tag, info, filter: undefined, sort: undefined, meta: undefined, defaultMeta: undefined, weight: undefined, anchorIds: undefined, status };
}

/** Reads `html` the way Pagefind 1.6 does. */
export function fossickHtml(html: string): DomResult {
  const root = newNode(undefined, '', rootInfo, Status.Indexing);
  let current = root;
  const filters = new Map<string, string[]>();
  const sort = new Map<string, string>();
  const meta = new Map<string, string>();
  const defaultMeta = new Map<string, string>();
  const anchorContent = new Map<string, string>();
  const anchorTitles = new Map<string, string>();
  let hasHtmlElement = false;
  let anchorCounter = 0;
  // Open elements, as lol_html tracks them: only elements inside <html> are Pagefind's.
  const stack: { name: string; node: Node | undefined }[] = [];
  let htmlDepth = 0;
  let foreignDepth = 0;

  /** Filters, meta and sort keys of a finished node (they count even on ignored elements). */
  const collect = (node: Node): void => {
    for (const filter of node.filter ?? []) {
      const pair = attributePair(node, filter);
      if (!pair) continue;
      const values = filters.get(pair[0]);
      if (values) values.push(normaliseContent(pair[1]));
      else filters.set(pair[0], [normaliseContent(pair[1])]);
    }
    for (const key of node.sort ?? []) {
      const pair = attributePair(node, key);
      if (pair) sort.set(pair[0], pair[1]);
    }
    for (const key of node.meta ?? []) {
      const pair = attributePair(node, key);
      if (pair) meta.set(pair[0], pair[1]);
    }
    for (const key of node.defaultMeta ?? []) {
      const pair = attributePair(node, key);
      if (pair) defaultMeta.set(pair[0], pair[1]);
    }
  };

  const finish = (node: Node): void => {
    if (node.parent) current = node.parent;
    if (node.status === Status.Excluded) return;
    collect(node);
    if (node.tag === 'h1' && !meta.has('auto_title') && !isBlank(node.value)) meta.set('auto_title', normaliseContent(node.value));
    if (node.tag === 'title' && !meta.has('auto_page_title')) meta.set('auto_page_title', normaliseContent(node.value));
    if (node.status === Status.Ignored) return;
    if (node.info.sentence) {
      node.value = ' ' + node.value;
      // The units before the last change only for a value of fewer than two.
      if (node.lastCode === -1) node.lastCode = 0x20;
      else if (node.beforeLastCode === -1) node.beforeLastCode = 0x20;
      if (endsInSentenceChar(node)) append(node, '.');
      append(node, ' ');
    }
    const weight = node.weight !== undefined ? `___PAGEFIND_WEIGHT___${node.weight}` : node.info.autoWeight !== undefined ? `___PAGEFIND_AUTO_WEIGHT___${node.info.autoWeight}` : undefined;
    if (weight !== undefined) {
      node.value = ` ${weight} ${node.value}`;
      append(node, endWeight);
    }
    const parent = current;
    const bodyLike = node.status === Status.Body || node.status === Status.ParentOfBody;
    if (parent.status === Status.ParentOfBody && !bodyLike) return;
    if (node.status === Status.Indexing) {
      appendNode(parent, node);
    } else if (bodyLike) {
      if (parent.status !== Status.ParentOfBody) clearValue(parent);
      appendNode(parent, node);
      parent.status = Status.ParentOfBody;
    }
  };

  const start = (name: string, attributes: ReadonlyMap<string, string>, selfClosing: boolean): void => {
    const info = tagInfo(name);
    if (name === 'html') {
      hasHtmlElement = true;
      htmlDepth++;
    }
    if (htmlDepth === 0) {
      if (!info.isVoid) stack.push({ name, node: undefined });
      return;
    }
    const ignoreAttribute = attributes.get('data-pagefind-ignore');
    let ignoreFlag: Status | undefined;
    if (ignoreAttribute !== undefined) {
      const value = ignoreAttribute.toLowerCase();
      ignoreFlag = value === '' || value === 'index' || value === 'true' ? Status.Ignored : Status.Excluded;
    }
    const status = attributes.has('data-pagefind-body') ? Status.Body : ignoreFlag ?? Status.Indexing;
    const rawId = attributes.get('id');
    const elementId = rawId === undefined ? undefined : rawId.replace(allSpaces, '');
    const titleAttribute = attributes.get('data-pagefind-title');
    const anchorTitle = titleAttribute === undefined ? undefined : normaliseContent(titleAttribute);

    let anchorId: string | undefined;
    if (status !== Status.Excluded && status !== Status.Ignored && elementId !== undefined) {
      const parent = current;
      if (!(parent.status === Status.ParentOfBody && status !== Status.Body)) {
        append(parent, ` ___PAGEFIND_ANCHOR___${name}:${anchorCounter}:${elementId} `);
        anchorId = `${anchorCounter}:${elementId}`;
        anchorCounter++;
      }
    }
    if (anchorId !== undefined && anchorTitle) anchorTitles.set(anchorId, anchorTitle);

    if (status !== Status.Excluded) {
      const indexAttrs = attributes.get('data-pagefind-index-attrs');
      if (indexAttrs !== undefined) {
        for (const attr of indexAttrs.split(',').map((a) => a.trim())) {
          let value = attributes.get(attr.trim()) ?? '';
          const last = lastChar(value);
          if (last !== undefined && sentenceChar.test(last)) value += '.';
          append(current, ` ${value} `);
        }
      }
      if (name === 'br') append(current, ' ');
    }

    const parent = current;
    let anchors = parent.anchorIds && info.inline ? [...parent.anchorIds] : undefined;
    if (anchorId !== undefined) {
      if (anchors) anchors.push(anchorId);
      else anchors = [anchorId];
    }
    const node = newNode(parent, name, info, parent.status === Status.Excluded ? parent.status : status);
    const filter = attributes.get('data-pagefind-filter');
    if (filter !== undefined) node.filter = parseAttrString(filter, attributes);
    const metaAttribute = attributes.get('data-pagefind-meta');
    if (metaAttribute !== undefined) node.meta = parseAttrString(metaAttribute, attributes);
    const defaultMetaAttribute = attributes.get('data-pagefind-default-meta');
    if (defaultMetaAttribute !== undefined) node.defaultMeta = parseAttrString(defaultMetaAttribute, attributes);
    const sortAttribute = attributes.get('data-pagefind-sort');
    if (sortAttribute !== undefined) node.sort = parseAttrString(sortAttribute, attributes);
    node.weight = attributes.get('data-pagefind-weight');
    node.anchorIds = anchors;
    current = node;

    const noContent = info.isVoid || (selfClosing && foreignDepth > 0);
    if (noContent) {
      // lol_html gives these no end tag handler: finish them here, without passing content up.
      current = parent;
      if (node.status === Status.Excluded) return;
      collect(node);
      if (name === 'img' && !meta.has('auto_image') && (meta.has('auto_title') || meta.has('title'))) {
        const src = attributes.get('src');
        if (src !== undefined) {
          meta.set('auto_image', src);
          const alt = attributes.get('alt');
          if (alt !== undefined) meta.set('auto_image_alt', alt);
        }
      }
      return;
    }
    // Pagefind's exclusion selectors run after the node exists, and mark it.
    if (info.removed) node.status = Status.Ignored;
    if (info.foreignRoot || foreignDepth > 0) foreignDepth++;
    stack.push({ name, node });
  };

  const end = (name: string): void => {
    let index = stack.length - 1;
    while (index >= 0 && stack[index]?.name !== name) index--;
    if (index < 0) return;
    // Elements left open inside it close with it.
    while (stack.length > index) {
      const entry = stack.pop();
      if (!entry) break;
      if (foreignDepth > 0 && entry.node) foreignDepth--;
      if (entry.name === 'html' && htmlDepth > 0) htmlDepth--;
      if (entry.node) finish(entry.node);
    }
  };

  tokenizeHtml(html, {
    start,
    end,
    text(text) {
      if (htmlDepth === 0) return;
      const node = current;
      append(node, text);
      if (node.status !== Status.Ignored && node.status !== Status.Excluded && node.anchorIds) {
        for (const id of node.anchorIds) anchorContent.set(id, (anchorContent.get(id) ?? '') + text);
      }
    },
  });

  // Whatever is still open collapses into its parents.
  let node = current;
  while (node.parent) {
    const parent = node.parent;
    if (parent.status !== Status.ParentOfBody) {
      if (node.status === Status.Indexing) appendNode(parent, node);
      else if (node.status === Status.Body || node.status === Status.ParentOfBody) {
        replaceWithNode(parent, node);
        parent.status = Status.ParentOfBody;
      }
    }
    node = parent;
  }

  const image = meta.get('auto_image');
  if (image !== undefined) {
    const alt = meta.get('auto_image_alt') ?? '';
    meta.delete('auto_image');
    meta.delete('auto_image_alt');
    if (!meta.has('image')) {
      meta.set('image', image);
      meta.set('image_alt', alt);
    }
  }
  for (const auto of ['auto_title', 'auto_page_title']) {
    const title = meta.get(auto);
    if (title === undefined) continue;
    meta.delete(auto);
    if (!meta.has('title')) meta.set('title', title);
  }
  for (const [key, value] of meta) defaultMeta.set(key, value);

  return {
    // Pagefind's `normalize_content` also trims and squeezes whitespace; the
    // digest is only ever split into words at whitespace, which gives the
    // same words without three more passes over the page's text.
    digest: decodeEntities(root.value),
    filters,
    sort,
    meta: defaultMeta,
    anchorContent,
    anchorTitles,
    hasCustomBody: root.status === Status.ParentOfBody,
    hasHtmlElement,
  };
}

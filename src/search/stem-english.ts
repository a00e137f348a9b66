/**
 * The English Snowball ("Porter2") stemmer as revised in Snowball 3.1
 * (more R1 prefixes, -ing exceptions in step 1b, no undoubling after a
 * leading a/e/o, -ogist), written from the published algorithm
 * (snowballstem.org, algorithms/english.sbl of Snowball 3.1.1). Pagefind
 * stems every indexed word with it, and its WebAssembly stems the query the
 * same way, so herald's index must hold exactly these stems or searches miss.
 * The input is one lowercased word, as Pagefind passes it.
 */
import { ownString } from './own-string.ts';

const isVowel = (c: string | undefined): boolean => c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u' || c === 'y';

const exception1 = new Map<string, string>([
  ['skis', 'ski'],
  ['skies', 'sky'],
  ['idly', 'idl'],
  ['gently', 'gentl'],
  ['ugly', 'ugli'],
  ['early', 'earli'],
  ['only', 'onli'],
  ['singly', 'singl'],
  ['sky', 'sky'],
  ['news', 'news'],
  ['howe', 'howe'],
  ['atlas', 'atlas'],
  ['cosmos', 'cosmos'],
  ['bias', 'bias'],
  ['andes', 'andes'],
]);

const keptIng = new Set(['inning', 'outing', 'canning', 'herring', 'earring', 'evening']);
const regionPrefixes = ['gener', 'commun', 'arsen', 'past', 'univers', 'later', 'emerg', 'organ', 'inter'];

const step2Rules: readonly [string, string][] = [
  ['ational', 'ate'],
  ['tional', 'tion'],
  ['enci', 'ence'],
  ['anci', 'ance'],
  ['abli', 'able'],
  ['entli', 'ent'],
  ['ization', 'ize'],
  ['izer', 'ize'],
  ['ation', 'ate'],
  ['ator', 'ate'],
  ['alism', 'al'],
  ['aliti', 'al'],
  ['alli', 'al'],
  ['fulness', 'ful'],
  ['ousli', 'ous'],
  ['ousness', 'ous'],
  ['iveness', 'ive'],
  ['iviti', 'ive'],
  ['biliti', 'ble'],
  ['bli', 'ble'],
  ['ogist', 'og'],
  ['ogi', 'og'],
  ['fulli', 'ful'],
  ['lessli', 'less'],
  ['li', ''],
];
const step3Rules: readonly [string, string][] = [
  ['ational', 'ate'],
  ['tional', 'tion'],
  ['alize', 'al'],
  ['icate', 'ic'],
  ['iciti', 'ic'],
  ['ical', 'ic'],
  ['ful', ''],
  ['ness', ''],
  ['ative', ''],
];
const step4Suffixes = ['al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent', 'ism', 'ate', 'iti', 'ous', 'ive', 'ize', 'ion'];

/** Longest entry of `list` that `word` ends with (Snowball's `among`). */
function longest<T extends string | readonly [string, string]>(word: string, list: readonly T[]): T | undefined {
  let best: T | undefined;
  let bestLength = -1;
  for (const entry of list) {
    const suffix = typeof entry === 'string' ? entry : entry[0];
    if (suffix.length > bestLength && word.endsWith(suffix)) {
      best = entry;
      bestLength = suffix.length;
    }
  }
  return best;
}

/** Position after the first non-vowel that follows a vowel, searching from `from`. */
function regionAfter(word: string, from: number): number {
  for (let i = from + 1; i < word.length; i++) {
    if (!isVowel(word[i]) && isVowel(word[i - 1])) return i + 1;
  }
  return word.length;
}

/** Whether the word ends, at `end`, in a short syllable (Snowball's `shortv`, with its `past` case). */
function endsShortSyllable(word: string, end: number): boolean {
  if (end >= 4 && word.slice(end - 4, end) === 'past') return true;
  const c = word[end - 1];
  const b = word[end - 2];
  if (end === 2) return isVowel(b) && !isVowel(c);
  if (end < 2) return false;
  const a = word[end - 3];
  return !isVowel(a) && isVowel(b) && !isVowel(c) && c !== 'w' && c !== 'x' && c !== 'Y';
}

const validLi = new Set(['c', 'd', 'e', 'g', 'h', 'k', 'm', 'n', 'r', 't']);
const doubles = new Set(['bb', 'dd', 'ff', 'gg', 'mm', 'nn', 'pp', 'rr', 'tt']);

function stemUncached(input: string): string {
  const exception = exception1.get(input);
  if (exception !== undefined) return exception;
  if (input.length < 3) return input;

  // Prelude: an initial apostrophe goes; consonant y becomes Y.
  let word = input.startsWith("'") ? input.slice(1) : input;
  let chars = word.split('');
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] === 'y' && (i === 0 || isVowel(chars[i - 1]))) chars[i] = 'Y';
  }
  word = chars.join('');

  let p1: number;
  const prefix = regionPrefixes.find((p) => word.startsWith(p));
  if (prefix) p1 = prefix.length;
  else p1 = regionAfter(word, 0);
  const p2 = regionAfter(word, p1);
  const inR1 = (suffixLength: number): boolean => word.length - suffixLength >= p1;
  const inR2 = (suffixLength: number): boolean => word.length - suffixLength >= p2;

  // Step 0: possessives.
  for (const suffix of ["'s'", "'s", "'"]) {
    if (word.endsWith(suffix)) {
      word = word.slice(0, -suffix.length);
      break;
    }
  }

  // Step 1a: plurals.
  if (word.endsWith('sses')) word = word.slice(0, -2);
  else if (word.endsWith('ied') || word.endsWith('ies')) word = word.length > 4 ? word.slice(0, -2) : word.slice(0, -1);
  else if (word.endsWith('us') || word.endsWith('ss')) {
    // unchanged
  } else if (word.endsWith('s')) {
    let vowelBefore = false;
    for (let i = 0; i < word.length - 2; i++) if (isVowel(word[i])) vowelBefore = true;
    if (vowelBefore) word = word.slice(0, -1);
  }

  // Step 1b: -eed, -ed, -ing and their -ly forms.
  const step1b = longest(word, ['eed', 'eedly', 'ed', 'edly', 'ing', 'ingly']);
  let general = step1b !== undefined;
  if (step1b === 'eed' || step1b === 'eedly') {
    general = false;
    const before = word.slice(0, -step1b.length);
    if (inR1(step1b.length) && !(before === 'proc' || before === 'exc' || before === 'succ')) word = before + 'ee';
  } else if (step1b === 'ing') {
    const before = word.slice(0, -3);
    if (before.length === 2 && before[1] === 'y' && !isVowel(before[0])) {
      // dying → die, lying → lie, tying → tie, vying → vie.
      word = before[0] + 'ie';
      general = false;
    } else if (keptIng.has(word)) {
      general = false;
    }
  }
  if (general && step1b !== undefined) {
    const stem = word.slice(0, -step1b.length);
    let hasVowel = false;
    for (const c of stem) if (isVowel(c)) hasVowel = true;
    if (hasVowel) {
      word = stem;
      if (word.endsWith('at') || word.endsWith('bl') || word.endsWith('iz')) word += 'e';
      else if (doubles.has(word.slice(-2))) {
        // No undoubling in add, egg, off, ... (a, e or o first, then the double).
        if (!(word.length === 3 && 'aeo'.includes(word[0] ?? ''))) word = word.slice(0, -1);
      } else if (word.length === p1 && endsShortSyllable(word, word.length)) word += 'e';
    }
  }

  // Step 1c: y after a consonant (not the first letter) becomes i.
  const last = word[word.length - 1];
  if ((last === 'y' || last === 'Y') && word.length > 2 && !isVowel(word[word.length - 2])) word = word.slice(0, -1) + 'i';

  // Step 2.
  const rule2 = longest(word, step2Rules);
  if (rule2 && inR1(rule2[0].length)) {
    const [suffix, replacement] = rule2;
    if (suffix === 'ogi') {
      if (word[word.length - 4] === 'l') word = word.slice(0, -3) + replacement;
    } else if (suffix === 'li') {
      if (validLi.has(word[word.length - 3] ?? '')) word = word.slice(0, -2);
    } else {
      word = word.slice(0, -suffix.length) + replacement;
    }
  }

  // Step 3.
  const rule3 = longest(word, step3Rules);
  if (rule3 && inR1(rule3[0].length)) {
    const [suffix, replacement] = rule3;
    if (suffix === 'ative') {
      if (inR2(5)) word = word.slice(0, -5);
    } else {
      word = word.slice(0, -suffix.length) + replacement;
    }
  }

  // Step 4.
  const rule4 = longest(word, step4Suffixes);
  if (rule4 && inR2(rule4.length)) {
    if (rule4 === 'ion') {
      const before = word[word.length - 4];
      if (before === 's' || before === 't') word = word.slice(0, -3);
    } else {
      word = word.slice(0, -rule4.length);
    }
  }

  // Step 5.
  if (word.endsWith('e')) {
    if (inR2(1) || (inR1(1) && !endsShortSyllable(word, word.length - 1))) word = word.slice(0, -1);
  } else if (word.endsWith('l')) {
    if (inR2(1) && word[word.length - 2] === 'l') word = word.slice(0, -1);
  }

  chars = word.split('');
  return chars.map((c) => (c === 'Y' ? 'y' : c)).join('');
}

/** Stems are memoised: advisories repeat the same few thousand words. */
const memo = new Map<string, string>();

/** The English Snowball stem of a lowercased word. */
export function stemEnglish(word: string): string {
  let stem = memo.get(word);
  if (stem === undefined) {
    // Kept strings are copies, not views into the page the word was cut from.
    stem = ownString(stemUncached(word));
    // Bounded so a huge site cannot grow it without limit.
    // Small: a build worker indexes thousands of pages, and most words past the common few are seen once.
    if (memo.size > 20_000) memo.clear();
    memo.set(ownString(word), stem);
  }
  return stem;
}

/**
 * The shell syntax mistakes that stop a verify command before it runs:
 * `herald check` and the exports run it with `/bin/sh -c`, which refuses a
 * quote, a backquote, a `$(`, a `${` or a `(` never closed ("Syntax error:
 * Unterminated quoted string"). Read as POSIX sh reads them: a single quote
 * runs to the next one, a backslash escapes the next character outside
 * single quotes, quotes nest inside `$(…)` and `${…}`, and a backquote
 * runs to the next one not escaped, and what lies between is read again as
 * a command once `\\`, `` \` `` and `\$` lose their backslash (and `\"`, in
 * double quotes), as dash reads it. `$$` is a parameter, and a `#` inside a
 * word (`$(x)#`, `\(#`) starts no comment.
 * The `)` that ends a `case` pattern closes nothing, inside `$(…)` as at the
 * top: `case`, `in`, `;;` and `esac` are followed where they are words.
 */

export interface UnclosedConstruct {
  /** What is never closed, as written: `'`, `"`, `` ` ``, `$(`, `${` or `(`. */
  opener: string;
  /** Its index in the command. */
  index: number;
}

/** Where a `case` statement is read: its subject (to `in`), a pattern (to its `)`), or a pattern's commands (to `;;` or `esac`). */
type CaseState = 'subject' | 'pattern' | 'body';

/** What is open, where, and the `case` statements open directly inside it, innermost last. */
type Context = { opener: '"' | '$(' | '${' | '(' | ''; index: number; cases?: CaseState[]; quotesAreText?: boolean };

/**
 * The first construct of `command` that is never closed, or nothing. A
 * command with a here-document (`<<`) is not read: its lines are text, in
 * which an apostrophe is only one; nor is one whose `$((` has no `))`,
 * which sh may read as `$(` and a subshell. Between backquotes, dash reads
 * no further than a `)`, a `;;`, a word such as `}` or `fi` that ends a
 * list there, or a `(` after a command's arguments (`inBackquotes`).
 */
export function unclosedShellConstruct(command: string, inBackquotes = false): UnclosedConstruct | undefined {
  if (command.includes('<<')) return undefined;
  const stack: Context[] = [{ opener: '', index: 0 }];
  /** Where the last escaped character, or `)` closing a `$(` or `$((`, is: a word goes on after it, and a `#` there starts no comment. */
  let wordGoesOnAfter = -2;
  for (let i = 0; i < command.length; i += 1) {
    const context = stack.at(-1)!;
    const char = command[i]!;
    // A backslash escapes the next character, and `$$` is a parameter: neither starts anything.
    if (char === '\\' || command.startsWith('$$', i)) {
      i += 1;
      wordGoesOnAfter = i;
      continue;
    }
    if (command.startsWith('${', i)) {
      // A parameter closed where its name ends, or a word after it, to its `}`.
      const parameter = parameterRead(command, i, context.opener === '"' || context.quotesAreText === true);
      if ('close' in parameter) i = parameter.close;
      else {
        stack.push({ opener: '${', index: i, quotesAreText: parameter.quotesAreText });
        i = parameter.word - 1;
      }
      continue;
    }
    // Read to their end whatever lies between: single quotes, backquotes, arithmetic.
    const end =
      char === "'" && context.opener !== '"' && !context.quotesAreText ? command.indexOf("'", i + 1)
      : char === '`' ? closingBackquote(command, i)
      : command.startsWith('$((', i) ? closingArithmetic(command, i)
      : undefined;
    if (end === -1) return command.startsWith('$((', i) ? undefined : { opener: char, index: i };
    if (end !== undefined) {
      const inner = char === '`' ? unclosedInBackquotes(command, i, end, context.opener === '"') : undefined;
      if (inner) return inner;
      i = end;
      wordGoesOnAfter = end;
      continue;
    }
    const inCase = context.cases?.at(-1);
    if (inBackquotes && stack.length === 1 && inCase === undefined && endsBackquotedList(command, i, wordGoesOnAfter)) return undefined;
    if (context.opener === '"') {
      if (char === '"') stack.pop();
      else if (command.startsWith('$(', i)) stack.push({ opener: '$(', index: i++ });
    } else if (char === '"') stack.push({ opener: '"', index: i });
    else if (command.startsWith('$(', i)) stack.push({ opener: '$(', index: i++ });
    else if (context.opener === '${') {
      if (char === '}') stack.pop();
    } else if (char === '(') {
      // A pattern may start with a `(` of its own, which opens nothing.
      if (inCase !== 'pattern') stack.push({ opener: '(', index: i });
    } else if (char === ')') {
      // The `)` that ends a pattern closes nothing; nor, with nothing open, does one ending a pattern this reader did not see start.
      if (inCase === 'pattern') context.cases![context.cases!.length - 1] = 'body';
      else if (context.opener !== '') {
        if (stack.pop()!.opener === '$(') wordGoesOnAfter = i;
      }
    } else if (char === ';' && command[i + 1] === ';' && inCase === 'body') {
      context.cases![context.cases!.length - 1] = 'pattern';
      i += 1;
    } else if (caseWordStart.has(char) && wordGoesOnAfter !== i - 1 && wordStartsAt(command, i)) {
      const word = caseWord.exec(command.slice(i, i + 5))?.[0];
      if (word === 'case' && inCase !== 'subject' && inCase !== 'pattern' && atCommandStart(command, i, wordGoesOnAfter)) (context.cases ??= []).push('subject');
      else if (word === 'in' && inCase === 'subject') context.cases![context.cases!.length - 1] = 'pattern';
      else if (word === 'esac' && (inCase === 'pattern' || (inCase === 'body' && atCommandStart(command, i, wordGoesOnAfter)))) context.cases!.pop();
      i += (word?.length ?? 1) - 1;
    } else if (char === '#' && wordGoesOnAfter !== i - 1 && /^$|[\s;&|()]$/.test(command.slice(Math.max(0, i - 1), i))) {
      // A comment runs to the end of its line.
      const lineEnd = command.indexOf('\n', i);
      i = lineEnd === -1 ? command.length : lineEnd;
    }
  }
  const open = stack.at(-1)!;
  return open.opener === '' ? undefined : { opener: open.opener, index: open.index };
}

const caseWordStart = new Set(['c', 'i', 'e']);
/** The words that open a `case`, end its subject and close it, as whole words. */
const caseWord = /^(?:case|in|esac)(?![^\s;&|()<>])/;

/** Whether a word starts at `i`: nothing, a blank or an operator before it. */
function wordStartsAt(command: string, i: number): boolean {
  return i === 0 || ' \t\n;&|()<>'.includes(command[i - 1]!);
}

/**
 * Whether a command starts at `i`: after an operator, a `(`, a line's end,
 * the start, or a reserved word after which a command goes; not after the
 * escaped character or substitution's `)` at `wordEnd`, which ends a word.
 */
function atCommandStart(command: string, i: number, wordEnd: number): boolean {
  let j = i - 1;
  while (j >= 0 && (command[j] === ' ' || command[j] === '\t')) j -= 1;
  if (j === wordEnd) return false;
  if (j < 0 || ';&|()\n'.includes(command[j]!)) return true;
  return commandAfter.test(command.slice(Math.max(0, j - 5), j + 1));
}
const commandAfter = /(?:^|[\s;&|()])(?:then|do|else|elif|if|while|until|!|\{)$/;

/**
 * The `${` at `start` as dash reads it: closed by the `}` after a name
 * (`${x}`, `${#x}`, `${1}`, `${#}`), or a word after the name and one
 * character, an operator or not (`${x:-…}`, `${x#…}`, `${x/…}`), that runs
 * to its `}` and in which quotes and substitutions nest. A character that
 * starts no name is taken as one (`${:…}`, `${'…}`), and a `${#x` not
 * closed at once reads what follows as the word: dash reads these, and
 * stops with "Bad substitution" when it runs them. In double quotes
 * (`inDoubleQuotes`), a single quote is text, but in the pattern of `#` or `%`.
 * `bash-only-syntax.ts` reads a `${…}` with it too.
 */
export function parameterRead(command: string, start: number, inDoubleQuotes: boolean): { close: number } | { word: number; quotesAreText: boolean } {
  let j = start + 2;
  let length = false;
  if (command[j] === '#' && /^[A-Za-z0-9_]/.test(command[j + 1] ?? '')) {
    length = true;
    j += 1;
  } else if (command[j] === '#' && command[j + 1] !== '}' && command[j + 2] === '}') {
    // `${#?}`: the length of a special parameter, or of a character that is none.
    return specialParameters.includes(command[j + 1]!) ? { close: j + 2 } : { word: j + 2, quotesAreText: inDoubleQuotes };
  }
  const name = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]+)/.exec(command.slice(j))?.[0];
  if (name) j += name.length;
  else if (!length && j < command.length && command[j] !== '}') {
    if (!specialParameters.includes(command[j]!)) return { word: j + 1, quotesAreText: inDoubleQuotes };
    j += 1;
  } else return { word: j, quotesAreText: inDoubleQuotes };
  const operator = command[j];
  if (length || operator === undefined) return operator === '}' ? { close: j } : { word: j, quotesAreText: inDoubleQuotes };
  if (operator === '}') return { close: j };
  if (operator === '#' || operator === '%') return { word: command[j + 1] === operator ? j + 2 : j + 1, quotesAreText: false };
  return { word: operator === ':' ? j + 2 : j + 1, quotesAreText: inDoubleQuotes };
}
const specialParameters = '@*#?$!-';

/** A construct never closed in the command between the backquotes at `open` and `close`, at its index in `command`. */
function unclosedInBackquotes(command: string, open: number, close: number, inDoubleQuotes: boolean): UnclosedConstruct | undefined {
  const { text, indexes } = backquotedCommand(command, open, close, inDoubleQuotes);
  const inner = unclosedShellConstruct(text, true);
  return inner && { opener: inner.opener, index: indexes[inner.index]! };
}

/**
 * Whether a `)` or `;;`, a word that ends a list (`}`, `fi`, `done`, …), or
 * a `(` after the arguments of a command (`echo a (`), starts at `i`.
 */
function endsBackquotedList(command: string, i: number, wordEnd: number): boolean {
  if (command[i] === ')' || command.startsWith(';;', i)) return true;
  if (command[i] === '(') return !atCommandStart(command, i, wordEnd) && !followsFunctionName(command, i, wordEnd);
  return /^$|[\s;&|()]$/.test(command.slice(Math.max(0, i - 1), i)) && /^(?:\}|done|fi|esac|then|else|elif|do)(?![^\s;&|()])/.test(command.slice(i, i + 5));
}

/** Whether the `(` at `i` follows a name that is a command's first word: it starts a function's definition (`f() …`). */
function followsFunctionName(command: string, i: number, wordEnd: number): boolean {
  const name = /(?<=^|[\s;&|()])[A-Za-z_][A-Za-z0-9_]*(?=[ \t]*$)/.exec(command.slice(0, i));
  return name !== null && atCommandStart(command, name.index, wordEnd);
}

/**
 * The command between the backquotes at `open` and `close` as sh reads it
 * again: a backslash before `\\`, `` ` `` or `$` is dropped, and before `"`
 * when the backquotes are inside double quotes. `indexes[n]` is where its
 * character n is in `command`.
 */
export function backquotedCommand(command: string, open: number, close: number, inDoubleQuotes = false): { text: string; indexes: number[] } {
  const escaped = inDoubleQuotes ? '\\`$"' : '\\`$';
  let text = '';
  const indexes: number[] = [];
  for (let i = open + 1; i < close; i += 1) {
    if (command[i] === '\\' && escaped.includes(command[i + 1] ?? '')) i += 1;
    text += command[i];
    indexes.push(i);
  }
  return { text, indexes };
}

/** The next backquote after `start` that no backslash escapes, or -1. */
export function closingBackquote(command: string, start: number): number {
  for (let i = start + 1; i < command.length; i += 1) {
    if (command[i] === '\\') i += 1;
    else if (command[i] === '`') return i;
  }
  return -1;
}

/** The last `)` of the `))` that closes the `$((` at `start`, counting parentheses not escaped only, or -1. */
export function closingArithmetic(command: string, start: number): number {
  const close = matchingParenthesis(command, start + 1);
  return close !== -1 && command[close - 1] === ')' ? close : -1;
}

/** The `)` that matches the `(` at `open`, counting parentheses not escaped only, or -1. */
export function matchingParenthesis(command: string, open: number): number {
  let depth = 0;
  for (let i = open; i < command.length; i += 1) {
    if (command[i] === '\\') i += 1;
    else if (command[i] === '(') depth += 1;
    else if (command[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

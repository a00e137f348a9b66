/**
 * The bash syntax a verify command may use that dash, `/bin/sh` on Debian
 * and Ubuntu, refuses or reads otherwise: a command that passes on a Red Hat
 * host (whose `/bin/sh` is bash) then fails, or passes for the wrong reason,
 * on a Debian one. Only what is certain is said: `[[` and `function` where
 * a command starts, `==` among the arguments of `[` or `test`, `<(…)`,
 * `>(…)`, `$'…'`, `&>`, `|&`, `<<<`, an array (`a=(…)`), a `${…}` that
 * POSIX does not define (`${a[0]}`, `${x:0:3}`, `${x//a/b}`, `${!x}`),
 * brace expansion (`f{,.bak}`, `{1..3}`, not in an assignment nor quoted,
 * also in a redirection's file: `> f.{a,b}`), `(( … ))` where a command
 * starts (not `$((…))`, nor `( (…) )` and `((…); (…))`, which bash too reads
 * as subshells) and after `for` (a C-style loop), `$[…]`, `$RANDOM` and
 * `${RANDOM}` (not quoted in `'…'`), and `RANDOM` as a name in `$((…))`
 * (not `RANDOM_SEED`), which dash reads as 0, `echo -e` (or `-E`), and the
 * commands dash has not: `source`, `let`,
 * `declare`, `typeset` (`local` it has).
 * A command sh cannot read (see `shell-syntax.ts`) or with a here-document
 * is not read here.
 */
import { backquotedCommand, closingArithmetic, closingBackquote, matchingParenthesis, parameterRead } from './shell-syntax.ts';

export interface BashOnlyConstruct {
  /** The construct as written, shortened: `[[`, `==`, `<(`, `$'`, `&>`, `a=(`, `${x:0:3}`. */
  construct: string;
  /** Its index in the command. */
  index: number;
  /** What dash does with it, said of dash: `has no [[ ]]: …`. */
  problem: string;
  /** What to write instead. */
  fix: string;
}

/** Every bash-only construct of `command`, in order; none when the command cannot be read (a syntax error, a here-document). */
export function bashOnlyConstructs(command: string): BashOnlyConstruct[] {
  return readCommand(command)?.found.sort((a, b) => a.index - b.index) ?? [];
}

/**
 * The words of every simple command of `command` (those in `$(…)` too, not
 * those in backquotes), each as sh reads it with its place in the command;
 * none when the command cannot be read (a syntax error, a here-document).
 */
export function simpleCommands(command: string): Word[][] {
  return readCommand(command)?.commands ?? [];
}

function readCommand(command: string): { found: BashOnlyConstruct[]; commands: Word[][] } | undefined {
  if (/(?<!<)<<(?!<)/.test(command)) return undefined;
  const found: BashOnlyConstruct[] = [];
  const commands: Word[][] = [];
  try {
    new CommandList(command, 0, found, commands).read(undefined);
  } catch (error) {
    if (error === unreadable) return undefined;
    throw error;
  }
  return { found, commands };
}

/** Thrown where the command is not what this reader understands: it then says nothing. */
const unreadable = Symbol('unreadable');

const substitutionProblem = 'stops with "Bad substitution"';

export interface Word {
  /** The word without its quotes. */
  value: string;
  /** Where it starts in the text read, and where it ends (quotes included). */
  index: number;
  end: number;
}

/** Reserved words: the word after one is still where a command starts. */
const reservedWords = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', '!', '{', '}', 'for', 'in']);
const assignment = /^[A-Za-z_][A-Za-z0-9_]*\+?=/;

/** One list of commands: the whole command, or what a `$(…)` or backquotes hold. */
class CommandList {
  private words: Word[] = [];
  private atCommandStart = true;
  /** The `case` statements open: reading their subject, a pattern, or a pattern's commands. */
  private cases: ('subject' | 'pattern' | 'body')[] = [];
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly offset: number,
    private readonly found: BashOnlyConstruct[],
    private readonly commands: Word[][],
  ) {}

  /** Reads from `start` to the `)` that ends it (`close`), or to the end; returns the index of that `)`. */
  read(close: ')' | undefined, start = 0): number {
    const text = this.text;
    let i = start;
    while (i < text.length) {
      const char = text[i]!;
      if (char === ' ' || char === '\t') i += 1;
      // A word never starts here inside another: a `#` here starts a comment.
      else if (char === '#') i = lineEnd(text, i);
      else if (char === ')' && this.depth === 0 && this.cases.at(-1) !== 'pattern') {
        if (close === undefined) throw unreadable;
        this.endCommand();
        return i;
      } else if ('\n;&|()<>'.includes(char)) i = this.operator(i);
      else i = this.word(i);
    }
    if (close !== undefined) throw unreadable;
    this.endCommand();
    return i;
  }

  private report(index: number, construct: string, problem: string, fix: string): void {
    this.found.push({ construct, index: this.offset + index, problem, fix });
  }

  private operator(i: number): number {
    const text = this.text;
    const op = /^(?:&&|\|\||;;|>>|>&|<&|>\||<<<|\|&|&>|[\n;&|()<>])/.exec(text.slice(i))![0];
    if (op === '<<<') this.report(i, '<<<', 'stops with a syntax error ("redirection unexpected")', "pipe the text in instead: printf '%s\\n' TEXT | COMMAND");
    else if (op === '|&') this.report(i, '|&', 'stops with a syntax error ("&" unexpected)', 'write 2>&1 | instead');
    else if (op === '&>') this.report(i, '&>', 'runs the command before it in the background and only empties the file: the output is not redirected, and the exit status is 0 whatever the command\'s', 'write >FILE 2>&1 instead');
    else if ((op === '<' || op === '>') && text[i + 1] === '(') this.report(i, `${op}(`, 'stops with a syntax error ("(" unexpected)', 'run the command into a temporary file (mktemp) and read that, or use a pipe');
    if (op === '(' && text[i + 1] === '(' && this.words.length === 0 && this.atCommandStart && this.cases.at(-1) !== 'pattern') {
      const end = closingDoubleParenthesis(text, i);
      // After the reserved word `for` (no word was read between them), a C-style loop.
      const loop = /(?<![^\s;&|()])for[ \t]*$/.exec(text.slice(0, i));
      if (end !== -1) {
        if (loop) this.report(loop.index, 'for ((', 'has no C-style for loop (for (( START; TEST; STEP ))): it stops with a syntax error ("Bad for loop variable")', 'count with a while loop and $((…)): i=0; while [ "$i" -lt 3 ]; do …; i=$((i+1)); done');
        else this.report(i, '((', 'has no (( )) arithmetic: it runs what is inside as a command, in two subshells', 'test the value with [ "$((EXPRESSION))" -ne 0 ], and assign it with NAME=$((EXPRESSION))');
        this.atCommandStart = false;
        return end + 1;
      }
    }
    if (op === '&>' || op === '<<<') return i + op.length;
    if ((op === '<' || op === '>') && text[i + 1] === '(') {
      // Read the process substitution as a subshell.
      this.depth += 1;
      return i + 2;
    }
    if (op === '(') {
      if (this.cases.at(-1) !== 'pattern') this.depth += 1;
    } else if (op === ')') {
      if (this.cases.at(-1) === 'pattern') this.cases[this.cases.length - 1] = 'body';
      else this.depth -= 1;
    } else if (op === ';;' && this.cases.length > 0) this.cases[this.cases.length - 1] = 'pattern';
    if (!/^[<>]/.test(op)) {
      this.endCommand();
      // After `;`, `&&`, `|`, `(`, a line's end, …, a command starts.
      this.atCommandStart = true;
      return i + op.length;
    }
    // A redirection: the word after it is its file, not an argument.
    let next = i + op.length;
    while (text[next] === ' ' || text[next] === '\t') next += 1;
    if (next === text.length || '\n;&|()<>'.includes(text[next]!)) return next;
    const file = this.readWord(next);
    if (file.brace !== -1) {
      this.report(file.brace, braceConstruct(text, file.brace, file.end), `does no brace expansion: it opens the file named as written, braces and all ("${text.slice(next, file.end)}"), where bash stops with "ambiguous redirect"`, 'name the one file; to write to two, pipe through tee: COMMAND | tee FILE1 > FILE2');
    }
    return file.end;
  }

  private word(i: number): number {
    const { value, end, brace } = this.readWord(i);
    const word = { value, index: i, end };
    const raw = this.text.slice(i, end);
    const state = this.cases.at(-1);
    if (state === 'subject') {
      if (value === 'in') this.cases[this.cases.length - 1] = 'pattern';
      return end;
    }
    if (state === 'pattern') {
      if (value === 'esac') this.closeCase();
      return end;
    }
    if (this.words.length === 0 && this.atCommandStart) {
      if (value === 'esac' && state === 'body') {
        this.closeCase();
        return end;
      }
      if (value === 'case') {
        this.cases.push('subject');
        return end;
      }
      if (assignment.test(raw) && this.text[end] === '(' && raw.endsWith('=')) {
        this.report(i, `${raw}(`, 'has no arrays: it stops with a syntax error ("(" unexpected)', 'give each value its own variable, or set them as the arguments: set -- VALUE1 VALUE2, then "$1", "$@"');
        this.depth += 1;
        return end + 1;
      }
      if (assignment.test(raw)) return end;
      if (reservedWords.has(raw)) return end;
      if (raw === '[[') return this.doubleBracket(i, end);
    }
    if (brace !== -1) {
      this.report(brace, braceConstruct(this.text, brace, end), `does no brace expansion: it passes the word as written, braces and all ("${raw}")`, 'write each word out (cp FILE FILE.bak), or list them in a for loop; count with seq or a while loop');
    }
    this.words.push(word);
    return end;
  }

  private closeCase(): void {
    this.cases.pop();
    this.atCommandStart = false;
  }

  /** `[[` where a command starts: said, and read to its `]]`, whose insides bash reads its own way. */
  private doubleBracket(i: number, end: number): number {
    this.report(i, '[[', 'has no [[ ]]: it runs a command named "[[", which is not found (exit status 127)', 'write [ ... ] with = (not ==), and join two tests with && or || between [ ] ([ A ] && [ B ]); match a pattern with case');
    const close = /[ \t]\]\](?=$|[\s;&|)])/.exec(this.text.slice(end));
    if (!close) throw unreadable;
    this.atCommandStart = false;
    return end + close.index + 3;
  }

  /** At the end of a simple command, what its arguments say: `==` to `[` or `test`, `function NAME`. */
  private endCommand(): void {
    const [name, ...args] = this.words;
    this.words = [];
    if (!name) return;
    this.commands.push([name, ...args]);
    if (name.value === 'function' && this.text.slice(name.index, name.index + 8) === 'function' && args.length > 0) {
      this.report(name.index, 'function', 'has no function keyword: it stops with a syntax error, or runs a command named "function"', 'write NAME() { COMMANDS; } instead');
    }
    const missing = missingBuiltins[name.value];
    if (missing) this.report(name.index, name.value, `has no ${name.value}: it stops that command with "${name.value}: not found" (exit status 127)`, missing);
    const option = name.value === 'echo' ? args[0] : undefined;
    if (option && /^-[nE]*[eE][neE]*$/.test(option.value)) {
      this.report(option.index, `echo ${option.value}`, `takes no option but -n: it prints "${option.value}" with the text, and reads the backslash escapes in it whatever the options`, "print with printf: printf '%b\\n' 'TEXT' reads its escapes, printf '%s\\n' 'TEXT' prints it as written");
    }
    if (name.value === '[' || name.value === 'test') {
      // `==` where an operator goes: after an operand, with one after it (`[ -n == ]` tests the text "==").
      args.forEach((arg, k) => {
        const before = args[k - 1]?.value;
        const operand = before !== undefined && !/^(?:-.*|!?=+|!|\(|<|>)$/.test(before);
        if (arg.value === '==' && operand && k < args.length - (name.value === '[' ? 2 : 1)) {
          this.report(arg.index, '==', `has no == in ${name.value}: it stops with "unexpected operator" (exit status 2)`, 'compare strings with a single =');
        }
      });
    }
  }

  /**
   * Reads the word at `start`: its value without quotes, where it ends, and
   * where a brace expansion in it starts. Substitutions in it are read as commands.
   */
  private readWord(start: number): { value: string; end: number; brace: number } {
    const text = this.text;
    let value = '';
    let i = start;
    /** Where the quoted, escaped and substituted pieces are (start, end, …): they expand no braces. */
    let spans: number[] | undefined;
    let pieceStart = i;
    let brace = false;
    while (i < text.length && !' \t\n;&|()<>'.includes(text[i]!)) {
      const char = text[i]!;
      pieceStart = i;
      if (char === '\\') {
        value += text[i + 1] ?? '';
        i += 2;
      } else if (char === "'") {
        const end = text.indexOf("'", i + 1);
        if (end === -1) throw unreadable;
        value += text.slice(i + 1, end);
        i = end + 1;
      } else if (char === '"') {
        const end = this.doubleQuoted(i);
        value += text.slice(i + 1, end);
        i = end + 1;
      } else if (char === '$' && text[i + 1] === "'") {
        this.report(i, "$'", `reads $'…' as a $ followed by a quoted text, not as bash's escapes`, "write the characters themselves inside '…', or make them with printf (\"$(printf '\\t')\")");
        value += '$';
        i += 1;
      } else if (char === '$' || char === '`') {
        const end = this.substitution(i);
        value += text.slice(i, end + 1);
        i = end + 1;
      } else {
        brace ||= char === '{';
        value += char;
        i += 1;
        continue;
      }
      (spans ??= []).push(pieceStart, i);
    }
    return { value, end: i, brace: brace ? braceExpansion(text, start, i, spans ?? []) : -1 };
  }

  /** The index of the `"` that closes the one at `start`. */
  private doubleQuoted(start: number): number {
    const text = this.text;
    for (let i = start + 1; i < text.length; i += 1) {
      if (text[i] === '\\') i += 1;
      else if (text[i] === '"') return i;
      else if (text[i] === '$' || text[i] === '`') i = this.substitution(i, true);
    }
    throw unreadable;
  }

  /** Reads the substitution at `start` (`$(…)`, `$((…))`, `${…}`, `` `…` ``, or a plain `$`), in double quotes or not; returns the index of its last character. */
  private substitution(start: number, inDoubleQuotes = false): number {
    const text = this.text;
    if (text[start] === '`') {
      const end = closingBackquote(text, start);
      if (end === -1) throw unreadable;
      const inner = backquotedCommand(text, start, end, inDoubleQuotes);
      const found: BashOnlyConstruct[] = [];
      new CommandList(inner.text, 0, found, []).read(undefined);
      for (const construct of found) this.found.push({ ...construct, index: this.offset + inner.indexes[construct.index]! });
      return end;
    }
    if (text.startsWith('$((', start)) return this.arithmetic(start);
    if (text.startsWith('$(', start)) return new CommandList(text, this.offset, this.found, this.commands).read(')', start + 2);
    if (text.startsWith('${', start)) return this.parameter(start, inDoubleQuotes);
    if (text[start + 1] === '[') this.report(start, '$[', `has no $[…] arithmetic: it passes the text as written ("${text.slice(start, text.indexOf(']', start) + 1 || start + 2)}")`, 'write $((EXPRESSION))');
    else if (/^RANDOM(?![A-Za-z0-9_])/.test(text.slice(start + 1, start + 8))) this.reportRandom(start, '$RANDOM');
    // `$$` is a parameter: the `$` after it starts nothing.
    return text[start + 1] === '$' ? start + 1 : start;
  }

  /**
   * Reads the `$((…))` at `start`: the substitutions in it as elsewhere, and
   * the name RANDOM, which dash reads as an unset variable, 0. Quoted text in
   * it is skipped. Returns the index of its last `)`.
   */
  private arithmetic(start: number): number {
    const text = this.text;
    const end = closingArithmetic(text, start);
    if (end === -1) throw unreadable;
    for (let i = start + 3; i < end - 1; i += 1) {
      const char = text[i]!;
      if (char === '\\') i += 1;
      else if (char === "'") i = text.indexOf("'", i + 1);
      else if (char === '"') i = this.doubleQuoted(i);
      else if (char === '$' || char === '`') i = this.substitution(i);
      else if (/[A-Za-z_]/.test(char) && !/[A-Za-z0-9_#$]/.test(text[i - 1]!)) {
        // A name: not one after a `$` (read above), nor the digits of bash's `16#ff`, after which dash stops anyway.
        const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))![0];
        if (name === 'RANDOM') this.reportRandom(i, name, 'has no RANDOM: in $((…)) it is an unset variable, 0, so every run gets the same value');
        i += name.length - 1;
      }
      if (i === -1 || i >= end - 1) throw unreadable;
    }
    return end;
  }

  private reportRandom(index: number, construct: string, problem = 'has no $RANDOM: it is empty, so every run gets the same value'): void {
    this.report(index, construct, problem, "make a number with awk 'BEGIN { srand(); print int(rand() * 32768) }', or read one from /dev/urandom with od -An -N2 -tu2 /dev/urandom");
  }

  /**
   * Reads the `${…}` at `start` as dash does (`parameterRead`), in double
   * quotes or not, says whether it is bash's own, and returns the index of its `}`.
   */
  private parameter(start: number, inDoubleQuotes: boolean): number {
    const text = this.text;
    const read = parameterRead(text, start, inDoubleQuotes);
    const i = 'close' in read ? read.close : this.parameterWord(read.word, read.quotesAreText);
    const inside = text.slice(start + 2, i);
    if (/^#?RANDOM(?![A-Za-z0-9_])/.test(inside)) this.reportRandom(start, inside.length > 12 ? `\${${inside.slice(0, 12)}…}` : `\${${inside}}`);
    else if (bashParameter.test(inside)) {
      const shown = inside.length > 12 ? `${inside.slice(0, 12)}…` : inside;
      this.report(start, `\${${shown}}`, substitutionProblem, "use only POSIX's ${NAME}, ${NAME:-WORD} (also :=, :?, :+), ${#NAME} and ${NAME#…}, ${NAME%…}; cut text with cut, sed or awk");
    }
    return i;
  }

  /**
   * Reads the word of a `${…}` from `start` (`${x:-WORD}`): its quotes
   * (single quotes are text where `quotesAreText`) and substitutions; returns
   * the index of the `}` that ends it.
   */
  private parameterWord(start: number, quotesAreText: boolean): number {
    const text = this.text;
    for (let i = start; i < text.length; i += 1) {
      if (text[i] === '}') return i;
      if (text[i] === '\\') i += 1;
      else if (text[i] === "'" && !quotesAreText) {
        i = text.indexOf("'", i + 1);
        if (i === -1) throw unreadable;
      } else if (text[i] === '"') i = this.doubleQuoted(i);
      else if (text[i] === '$' || text[i] === '`') i = this.substitution(i, quotesAreText);
    }
    throw unreadable;
  }
}

/** bash's commands that dash has not, with what to write instead (`local` it has). */
const missingBuiltins: Record<string, string | undefined> = Object.assign(Object.create(null) as Record<string, string>, {
  source: 'write . FILE instead',
  let: 'write NAME=$((EXPRESSION)) instead',
  declare: 'assign with NAME=VALUE (export NAME for the environment, readonly NAME for a constant)',
  typeset: 'assign with NAME=VALUE (export NAME for the environment, readonly NAME for a constant)',
});

/**
 * Where bash expands braces in the word from `start` to `end`: an unquoted
 * `{…}` with a comma (`f{,.bak}`, `{a,b}`) or a sequence (`{1..3}`, `{a..c}`),
 * or -1. `spans` (pairs of start and end) are the quoted, escaped and
 * substituted pieces: their braces and commas are text.
 */
function braceExpansion(text: string, start: number, end: number, spans: readonly number[]): number {
  let shape = '';
  let at = start;
  for (let k = 0; k < spans.length; k += 2) {
    shape += text.slice(at, spans[k]) + 'q'.repeat(spans[k + 1]! - spans[k]!);
    at = spans[k + 1]!;
  }
  shape += text.slice(at, end);
  const found = braceList.exec(shape);
  return found ? start + found.index : -1;
}
const braceList = /\{(?:[^{}]*,[^{}]*|-?\d+\.\.-?\d+(?:\.\.-?\d+)?|[A-Za-z]\.\.[A-Za-z](?:\.\.-?\d+)?)\}/;

/**
 * bash's own `${…}`: `${!x}`, `${a[0]}` and `${#a[@]}`, `${x:1:2}`, `${x/a/b}`, `${x^^}`, `${x,,}`,
 * `${x@Q}`. Other text POSIX does not define (`${}`) is refused by bash too: not said here.
 */
const bashParameter = /^(?:!.|#?[A-Za-z_][A-Za-z0-9_]*\[|(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]+|[@*])(?::(?![-=?+])|\/|\^|,|@[QEPAaUuLK]))/;

/** The brace expansion at `brace` as shown, up to its `}` or to the word's `end`. */
function braceConstruct(text: string, brace: number, end: number): string {
  return /^\{[^}]*\}?/.exec(text.slice(brace, end))![0];
}

/**
 * The second `)` of the `))` that closes the `((` at `open`, as bash reads
 * it: the `)` matching the second `(` with a `)` right after it; or -1,
 * where bash reads two subshells (`((cd /; ls) )`).
 */
function closingDoubleParenthesis(text: string, open: number): number {
  const close = matchingParenthesis(text, open + 1);
  return close !== -1 && text[close + 1] === ')' ? close + 1 : -1;
}

function lineEnd(text: string, i: number): number {
  const end = text.indexOf('\n', i);
  return end === -1 ? text.length : end;
}

/**
 * The shell syntax mistakes that stop a verify command before it runs:
 * `herald check` and the exports run it with `/bin/sh -c`, which refuses a
 * quote, a backquote, a `$(` or a `${` never closed ("Syntax error:
 * Unterminated quoted string"). Read as POSIX sh reads them: a single quote
 * runs to the next one, a backslash escapes the next character outside
 * single quotes, quotes nest inside `$(…)` and `${…}`, and a backquote
 * runs to the next one not escaped, whatever lies between (as dash reads it).
 */

export interface UnclosedConstruct {
  /** What is never closed, as written: `'`, `"`, `` ` ``, `$(` or `${`. */
  opener: string;
  /** Its index in the command. */
  index: number;
}

type Context = { opener: '"' | '$(' | '${' | ''; index: number; depth: number };

/**
 * The first construct of `command` that is never closed, or nothing. A
 * command with a here-document (`<<`) is not read: its lines are text, in
 * which an apostrophe is only one; nor is one whose `$((` has no `))`,
 * which sh may read as `$(` and a subshell.
 */
export function unclosedShellConstruct(command: string): UnclosedConstruct | undefined {
  if (command.includes('<<')) return undefined;
  const stack: Context[] = [{ opener: '', index: 0, depth: 0 }];
  for (let i = 0; i < command.length; i += 1) {
    const context = stack.at(-1)!;
    const char = command[i]!;
    if (char === '\\') {
      i += 1;
      continue;
    }
    // Read to their end whatever lies between: single quotes, backquotes, arithmetic, and `${…}` in double quotes.
    const end =
      char === "'" && context.opener !== '"' ? command.indexOf("'", i + 1)
      : char === '`' ? closingBackquote(command, i)
      : command.startsWith('$((', i) ? closingArithmetic(command, i)
      : command.startsWith('${', i) && context.opener === '"' ? command.indexOf('}', i + 2)
      : undefined;
    if (end === -1) return command.startsWith('$((', i) ? undefined : { opener: command.startsWith('${', i) ? '${' : char, index: i };
    if (end !== undefined) {
      i = end;
      continue;
    }
    if (context.opener === '"') {
      if (char === '"') stack.pop();
      else if (command.startsWith('$(', i)) stack.push({ opener: '$(', index: i++, depth: 0 });
    } else if (char === '"') stack.push({ opener: '"', index: i, depth: 0 });
    else if (command.startsWith('$(', i) || command.startsWith('${', i)) stack.push({ opener: command.slice(i, i + 2) as '$(' | '${', index: i++, depth: 0 });
    else if (context.opener === '${') {
      if (char === '}') stack.pop();
    } else if (char === '(' && context.opener === '$(') context.depth += 1;
    else if (char === ')' && context.opener === '$(') {
      if (context.depth === 0) stack.pop();
      else context.depth -= 1;
    } else if (char === '#' && /^$|[\s;&|()]$/.test(command.slice(Math.max(0, i - 1), i))) {
      // A comment runs to the end of its line.
      const lineEnd = command.indexOf('\n', i);
      i = lineEnd === -1 ? command.length : lineEnd;
    }
  }
  const open = stack.at(-1)!;
  return open.opener === '' ? undefined : { opener: open.opener, index: open.index };
}

/** The next backquote after `start` that no backslash escapes, or -1. */
function closingBackquote(command: string, start: number): number {
  for (let i = start + 1; i < command.length; i += 1) {
    if (command[i] === '\\') i += 1;
    else if (command[i] === '`') return i;
  }
  return -1;
}

/** The last `)` of the `))` that closes the `$((` at `start`, counting parentheses only, or -1. */
function closingArithmetic(command: string, start: number): number {
  let depth = 0;
  for (let i = start + 1; i < command.length; i += 1) {
    if (command[i] === '(') depth += 1;
    else if (command[i] === ')' && --depth === 0) return command[i - 1] === ')' ? i : -1;
  }
  return -1;
}

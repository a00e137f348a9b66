/**
 * The shell syntax mistakes that stop a verify command before it runs:
 * `herald check` and the exports run it with `/bin/sh -c`, which refuses a
 * quote, a backquote, a `$(` or a `${` never closed ("Syntax error:
 * Unterminated quoted string"). Read as POSIX sh reads them: a single quote
 * runs to the next one, a backslash escapes the next character outside
 * single quotes, and quotes nest inside `$(…)`, `${…}` and backquotes.
 */

export interface UnclosedConstruct {
  /** What is never closed, as written: `'`, `"`, `` ` ``, `$(` or `${`. */
  opener: string;
  /** Its index in the command. */
  index: number;
}

type Context = { opener: '"' | '`' | '$(' | '${' | ''; index: number; depth: number };

/**
 * The first construct of `command` that is never closed, or nothing. A
 * command with a here-document (`<<`) is not read: its lines are text, in
 * which an apostrophe is only one.
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
    if (context.opener === '"') {
      if (char === '"') stack.pop();
      else if (char === '`') stack.push({ opener: '`', index: i, depth: 0 });
      else if (command.startsWith('$(', i) || command.startsWith('${', i)) stack.push({ opener: command.slice(i, i + 2) as '$(' | '${', index: i++, depth: 0 });
      continue;
    }
    if (char === "'") {
      const end = command.indexOf("'", i + 1);
      if (end === -1) return { opener: "'", index: i };
      i = end;
    } else if (char === '"') stack.push({ opener: '"', index: i, depth: 0 });
    else if (char === '`') {
      if (context.opener === '`') stack.pop();
      else stack.push({ opener: '`', index: i, depth: 0 });
    } else if (command.startsWith('$(', i) || command.startsWith('${', i)) stack.push({ opener: command.slice(i, i + 2) as '$(' | '${', index: i++, depth: 0 });
    else if (char === '(' && context.opener === '$(') context.depth += 1;
    else if (char === ')' && context.opener === '$(') {
      if (context.depth === 0) stack.pop();
      else context.depth -= 1;
    } else if (char === '}' && context.opener === '${') stack.pop();
    else if (char === '#' && /^$|[\s;&|()]$/.test(command.slice(Math.max(0, i - 1), i))) {
      // A comment runs to the end of its line.
      const end = command.indexOf('\n', i);
      i = end === -1 ? command.length : end;
    }
  }
  const open = stack.at(-1)!;
  return open.opener === '' ? undefined : { opener: open.opener, index: open.index };
}

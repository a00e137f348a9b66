/**
 * Fenced code as wikitext: `<syntaxhighlight>` (the SyntaxHighlight
 * extension) or plain `<pre>`, as `wiki.code` in the config says. Both are
 * tags the wiki takes out before parsing, so code is never read as markup
 * and `~~~~` in a command is never turned into a signature.
 */

/**
 * Languages passed to SyntaxHighlight as they are: Pygments knows them all.
 * Anything else is shown as `text`, because an unknown language makes the
 * extension print an error and put the page in a tracking category.
 */
const knownLanguages = new Set([
  'apache', 'bash', 'c', 'console', 'cpp', 'css', 'diff', 'docker', 'go', 'html', 'ini', 'java', 'javascript', 'js', 'json',
  'lua', 'make', 'nginx', 'perl', 'php', 'powershell', 'python', 'ruby', 'rust', 'sql', 'text', 'toml', 'ts',
  'typescript', 'xml', 'yaml',
]);

/** Common spellings in notes and the Pygments lexer they mean. */
const languageAliases: Readonly<Record<string, string>> = {
  sh: 'bash',
  shell: 'bash',
  zsh: 'bash',
  'shell-session': 'console',
  conf: 'ini',
  cfg: 'ini',
  yml: 'yaml',
  py: 'python',
  dockerfile: 'docker',
  patch: 'diff',
  systemd: 'ini',
};

/** The Pygments language for a fenced block's info string language. */
export function highlightLanguage(lang: string | null | undefined): string {
  const name = (lang ?? '').toLowerCase();
  const mapped = languageAliases[name] ?? name;
  return knownLanguages.has(mapped) ? mapped : 'text';
}

/**
 * `<pre>` content: the wiki decodes entities inside `<pre>` and removes
 * `<nowiki>` tags, so only an `&` that starts an entity and a `<` that
 * starts `pre` or `nowiki` need escaping. Everything else stays readable.
 */
function escapePre(value: string): string {
  return value.replace(/&(?=#?\w+;)/g, '&amp;').replace(/<(?=\/?\s*(pre|nowiki)\b)/gi, '&lt;');
}

/** A code block as wikitext, on its own lines. */
export function codeBlock(value: string, lang: string | null | undefined, mode: 'syntaxhighlight' | 'pre'): string {
  // A `</syntaxhighlight` inside the code would end the tag early: such code goes in `<pre>`.
  if (mode === 'syntaxhighlight' && !/<\/syntaxhighlight/i.test(value)) {
    return `<syntaxhighlight lang="${highlightLanguage(lang)}">\n${value}\n</syntaxhighlight>`;
  }
  return `<pre>\n${escapePre(value)}</pre>`;
}

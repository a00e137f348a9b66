/**
 * What a block of preformatted text in a legacy note is: shell commands
 * (a `sh` block, or `console` with `$ ` prompts), a labelled snippet of a
 * config file (a block that names its file, so it is a config edit), a
 * list of URLs, indented prose, or plain preformatted text.
 */
import type { Code } from 'mdast';

/** Programs whose name starting a line makes it a command line. */
const commands = new Set(
  `a2dismod a2enmod apache2ctl apachectl apt apt-get aptitude awk cat cd chgrp chmod chown cinder cinder-manage cp crontab crudini curl
   diff dnf dpkg dpkg-query dpkg-statoverride echo env export find getenforce git glance glance-manage grep head heat hostname ip ip6tables
   iptables ironic journalctl keystone keystone-manage kill killall ldd less ln ls lsmod lsof make mkdir modprobe mount mv mysql
   netstat neutron neutron-db-manage nginx nova nova-manage openssl openstack openstack-config passwd patch pip pip3 ps python python3
   rabbitmqctl restorecon rm rpm scp sed semanage service setsebool ss ssh stat sudo swift sysctl systemctl tail tar tee test touch
   umount update-rc.d useradd userdel usermod virsh visudo wget yum zypper`.split(/\s+/),
);

/** Common leading indentation removed, relative indentation kept. */
export function dedent(lines: readonly string[]): string[] {
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].replace(/\t/g, '    ').length);
  const common = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => l.replace(/\t/g, '    ').slice(common).replace(/\s+$/, ''));
}

/**
 * `sh` when every line is a command (or a comment, or the continuation of
 * a command ending in `\`), `console` for a `$ ` transcript; otherwise
 * `undefined`. A `> ` prompt is not accepted: as shell input it would be a
 * redirection that truncates a file.
 */
export function commandLanguage(lines: readonly string[]): 'sh' | 'console' | undefined {
  const content = lines.map((l) => l.trim()).filter(Boolean);
  if (content.length === 0) return undefined;
  if (content[0]!.startsWith('$ ')) return 'console';
  let continued = false;
  let seenCommand = false;
  for (const line of content) {
    if (continued) {
      continued = line.endsWith('\\');
      continue;
    }
    continued = line.endsWith('\\');
    if (line.startsWith('#')) continue;
    const words = line.split(/\s+/);
    const program = words[0] === 'sudo' ? words[1] : words[0];
    if (!program || !(commands.has(program) || /^\.{0,2}\/\S+$/.test(program))) return undefined;
    seenCommand = true;
  }
  return seenCommand ? 'sh' : undefined;
}

/** A URL alone on its line, or after a short label ("SSLScan: http://…"). */
const urlLine = /^(?:[-*]\s+)?(?:[^:]{1,40}:\s*)?https?:\/\/\S+$/;

/** Lines that each give one link: they stay lines of text, so the links stay links. */
export function isUrlList(lines: readonly string[]): boolean {
  const content = lines.map((l) => l.trim()).filter(Boolean);
  return content.length > 0 && content.every((l) => urlLine.test(l));
}

/** Indented sentences (not code): ends like a sentence and has no code punctuation. */
export function isProse(lines: readonly string[]): boolean {
  const text = lines.map((l) => l.trim()).join(' ');
  return /[.!?]$/.test(text) && text.split(/\s+/).length >= 6 && !/[=<>{}|;$\\[\]]/.test(text) && /^[A-Z]/.test(text);
}

const assignment = /^[\w.\-[\]]+\s*=\s*\S/;

/** A language for preformatted text that is neither commands nor prose. */
export function contentLanguage(lines: readonly string[]): string {
  const content = lines.map((l) => l.trim()).filter(Boolean);
  const commandsLang = commandLanguage(lines);
  if (commandsLang) return commandsLang;
  if (content.length > 0 && content.every((l) => assignment.test(l) || /^\[[\w .-]+\]$/.test(l) || l.startsWith('#'))) return 'ini';
  return 'text';
}

const fileExtensions: Record<string, string> = {
  conf: 'ini',
  ini: 'ini',
  cfg: 'ini',
  json: 'json',
  yaml: 'yaml',
  yml: 'yaml',
  py: 'python',
  xml: 'xml',
  sh: 'sh',
  log: 'text',
  txt: 'text',
};

/**
 * Files whose snippets are edits to make (a `file=` config edit); logs,
 * text and program code are shown, not edited. Python files are config
 * only when they are settings (Django's `local_settings.py`).
 */
const editedExtensions = new Set(['conf', 'ini', 'cfg', 'json', 'yaml', 'yml', 'xml']);
const isEditedFile = (name: string, extension: string) => editedExtensions.has(extension) || (extension === 'py' && /settings/i.test(name));

const fileName = /^[\w.+-]+\.([a-z]+)$/i;

export interface SnippetInfo {
  lang: string;
  /** The file the snippet edits, as a path when the note gives one. */
  file?: string;
  /** Words of the label that say more than "example snippet" (e.g. "INVALID template"). */
  title?: string;
  /** Whether `file` is only a file name: the note never gives the file's path. */
  fileWithoutPath?: boolean;
}

/**
 * Reads a snippet label (`example libvirtd.conf snippet`, `CLI example`,
 * `example INVALID template snippet`) and the snippet's lines. `paths`
 * maps file names to the absolute paths the note mentions.
 */
export function snippetInfo(label: string, lines: readonly string[], pathFor: (name: string) => string | undefined): SnippetInfo {
  const words = label.split(/\s+/).filter((w) => w !== '' && !/^(example|snippet)$/i.test(w));
  const named = words.find((w) => fileName.test(w));
  const rest = words.filter((w) => w !== named);
  const descriptive = rest.filter((w) => !/^(config|configuration|cli|command|commands|file)$/i.test(w));
  const title = descriptive.length > 0 ? rest.join(' ') : undefined;
  if (named) {
    const extension = fileName.exec(named)![1]!.toLowerCase();
    const path = pathFor(named);
    const lang = /httpd|apache/i.test(label) ? 'apache' : (fileExtensions[extension] ?? 'text');
    if (!isEditedFile(named, extension)) return { lang, ...(title ? { title } : {}) };
    return { lang, file: path ?? named, ...(path ? {} : { fileWithoutPath: true }), ...(title ? { title } : {}) };
  }
  let lang: string;
  if (/\b(cli|command|commands)\b/i.test(label)) lang = commandLanguage(lines) ?? 'sh';
  else if (/\b(httpd|apache)\b/i.test(label)) lang = 'apache';
  else if (/\bnginx\b/i.test(label)) lang = 'nginx';
  else if (/\btemplate\b/i.test(label) && /^\s*["{[]/.test(lines.find((l) => l.trim() !== '') ?? '')) lang = 'json';
  else lang = contentLanguage(lines);
  return { lang, ...(title ? { title } : {}) };
}

/** The code node of a snippet, the label's file and title in the info string. */
export function snippetCode(info: SnippetInfo, lines: readonly string[]): Code {
  const meta = [info.file ? `file=${info.file}` : '', info.title ? `title="${info.title.replace(/"/g, "'")}"` : ''].filter(Boolean).join(' ');
  return { type: 'code', lang: info.lang, meta: meta || null, value: dedent(lines).join('\n').replace(/^\n+|\n+$/g, '') };
}

/** Absolute paths mentioned anywhere in the note, by file name, in order of appearance. */
export function pathsByName(text: string): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const match of text.matchAll(/(?:^|[\s'"(=])(\/(?:[\w.+-]+\/)+[\w.+-]*[\w+-])/gm)) {
    const path = match[1]!;
    const name = path.slice(path.lastIndexOf('/') + 1);
    const list = byName.get(name) ?? [];
    if (!list.includes(path)) list.push(path);
    byName.set(name, list);
  }
  return byName;
}

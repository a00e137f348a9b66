/**
 * The announcement as a message: 72-column text, headers, threading,
 * determinism, preview marking and header safety, read back by mailparser.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { HeraldError } from '../../src/errors/message.ts';
import { parseNote } from '../../src/model/load.ts';
import { composeAnnouncement, serializeAnnouncement } from '../../src/render/mail/compose.ts';
import { listAudience } from '../../src/render/mail/audience.ts';
import { messageIdFor, type Edition } from '../../src/render/mail/identity.ts';
import { renderer } from '../../src/render/mail/index.ts';
import { mailWidth, wrapParagraph } from '../../src/render/mail/text/wrap.ts';
import { debianPython, missingTools } from '../support/system.ts';
import { fixtureAdvisory, notesDir, testConfig, testNow } from './support/notes.ts';

const config = testConfig();
const pythonMissing = missingTools(debianPython);
const announce = listAudience(config.mail.lists[0]!);
const context = (preview = false) => ({ config, now: testNow, preview, all: [] });

function render(file: string, options: { preview?: boolean; date?: Date } = {}) {
  const advisory = fixtureAdvisory(file);
  const announcement = composeAnnouncement(advisory, config, { date: options.date ?? testNow, preview: options.preview ?? false, audience: announce });
  return { advisory, announcement, raw: serializeAnnouncement(announcement) };
}

/** A header's value exactly as written (unfolded), from mailparser's header lines. */
function header(parsed: ParsedMail, name: string): string | undefined {
  const line = parsed.headerLines.find((h) => h.key === name.toLowerCase())?.line;
  return line?.slice(line.indexOf(':') + 1).replace(/\r?\n\s+/g, ' ').trim();
}

/** Runs a Python expression on the message `m`, as Python's email package (policy.default, as list software uses it) reads it. */
function pythonReads(raw: string, expression: string): string {
  const script = `import email, sys\nfrom email import policy\nm = email.message_from_bytes(sys.stdin.buffer.read(), policy=policy.default)\nsys.stdout.write(${expression})`;
  const result = spawnSync(debianPython, ['-I', '-c', script], { input: raw, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return result.stdout;
}

const pythonDisplayName = (raw: string) => pythonReads(raw, 'm["From"].addresses[0].display_name');
const pythonHeader = (raw: string, name: string) => pythonReads(raw, `str(m[${JSON.stringify(name)}])`);

/**
 * The RFC 2047 encoded words of a header value (a Python expression on the
 * message `m`, read with compat32, which leaves the value as written), each
 * decoded on its own as strict UTF-8 (which fails on a word holding part
 * of a character), and the whole value decoded.
 */
function pythonEncodedWords(raw: string, expression: string): { decoded: string; words: string[]; texts: string[] } {
  const script = [
    'import email, sys, json, re',
    'from email.header import decode_header, make_header',
    'from email.utils import getaddresses',
    'm = email.message_from_bytes(sys.stdin.buffer.read())',
    `value = ${expression}`,
    'words = re.findall(r"=\\?[^?]+\\?[QqBb]\\?[^?]*\\?=", value)',
    'print(json.dumps({"decoded": str(make_header(decode_header(value))), "words": words, "texts": [decode_header(w)[0][0].decode("utf-8") for w in words]}))',
  ].join('\n');
  const run = spawnSync(debianPython, ['-I', '-c', script], { input: raw, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`python3 failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as { decoded: string; words: string[]; texts: string[] };
}

/** Every encoded word fits RFC 2047's 75 characters and starts and ends between grapheme clusters of `text`. */
function expectWholeCharacters(text: string, read: { words: string[]; texts: string[] }): void {
  for (const word of read.words) expect(word.length, word).toBeLessThanOrEqual(75);
  const boundaries = new Set([...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(`${text}.`)].map((s) => s.index));
  let offset = 0;
  for (const piece of read.texts) {
    const start = text.indexOf(piece, offset);
    offset = start + piece.length;
    expect(start !== -1 && boundaries.has(start) && boundaries.has(offset), `${JSON.stringify(piece)} splits a character`).toBe(true);
  }
}

/** Lines that may exceed 72 columns: code (indented 4+ under its text) and a lone unbreakable word such as a URL. */
function isUnbreakable(line: string): boolean {
  return /^\s{4,}\S/.test(line) || /^\s*(\S+\s)?\S{40,}$/.test(line.trim()) || /^\s*(Run|File):\s/.test(line);
}

describe('the text body', () => {
  it('wraps prose at 72 columns and leaves code lines whole', () => {
    for (const file of ['OSSN-0100.md', 'OSSN-0101.md', 'OSSN-0102.md', '2014-04-10-heartbleed-post.md']) {
      const { announcement } = render(file);
      for (const line of announcement.text.split('\n')) {
        if (line.length > mailWidth) expect(isUnbreakable(line), `${file}: ${JSON.stringify(line)}`).toBe(true);
        expect(line).not.toMatch(/\s$/);
      }
    }
    const { announcement } = render('OSSN-0100.md');
    expect(announcement.text).toContain(
      '    virsh -c qemu+tcp://compute-17.example.org/system migrate --live instance-00000042 qemu+tcp://compute-18.example.org/system',
    );
  });

  it('lays out the steps as the note writes them: each config edit under its file, each field on its own line, each check named with its title', () => {
    const { text } = render('OSSN-0100.md').announcement;
    expect(text).toContain('### Recommended Actions ###\n1. Disable unauthenticated TCP in libvirt.');
    expect(text).toMatch(/In \/etc\/libvirt\/libvirtd.conf:\n\n {7}auth_tcp = "sasl"\n\n {3}Role: compute nodes\n {3}Verify: libvirt-no-unauth-tcp \(libvirt does not accept\n {3}unauthenticated TCP\)\n {3}Rollback: restore/);
    expect(text).toMatch(/2\. Restart libvirtd\.\n\n {7}systemctl restart libvirtd/);
    expect(text).toContain('### Verification ###\n* libvirt-no-unauth-tcp: libvirt does not accept unauthenticated TCP');
    expect(text).toContain("  Run:    dpkg-query -W -f='${Version}\\n' libvirt-bin\n  Expect: version >= 1.2.1-1+deb7u1 (deb)");
  });

  it('keeps what Recommended Actions says around its steps, in its order', () => {
    const source = readFileSync(path.join(notesDir, 'OSSN-0100.md'), 'utf8');
    const actions = 'First check the version:\n\n- [ ] read this note\n- [x] find the hosts\n\n1. Set it.\n\n   ```ini file=/etc/a.conf\n   a = 1\n   ```\n\n   Then restart:\n\n   ```sh\n   systemctl restart a\n   ```\n\nAfterwards, watch the logs.';
    const { advisory } = parseNote('OSSN-0100.md', source.replace(/## Recommended Actions[\s\S]*?(?=\n## )/, `## Recommended Actions\n\n${actions}\n`), { config, now: testNow });
    const { text } = composeAnnouncement(advisory!, config, { date: testNow, preview: false, audience: announce });
    expect(text).toContain(
      '### Recommended Actions ###\nFirst check the version:\n\n* [ ] read this note\n* [x] find the hosts\n\n1. Set it.\n\n   In /etc/a.conf:\n\n       a = 1\n\n   Then restart:\n\n       systemctl restart a\n\nAfterwards, watch the logs.\n',
    );
  });

  it('carries the latest update on top, the revision history and the references', () => {
    const { text } = render('OSSN-0100.md').announcement;
    expect(text.startsWith('OSSN-0100 UPDATE 2\nLive migration over unauthenticated libvirt TCP exposes every compute\nnode\n')).toBe(true);
    expect(text).toContain('UPDATE 2 (2014-04-11): Added the fixed libvirt-bin package for Debian 7');
    expect(text).toContain('### Revision History ###\n* UPDATE 1 (2014-03-20): Clarified');
    // The body already links the bug; the front matter's other reference is added once.
    expect(text.match(/bugs\.launchpad\.net\/ossn\/\+bug\/1261134/g)).toHaveLength(1);
    expect(text).toContain('* libvirt remote support\n  https://libvirt.org/remote.html');
    expect(text).toContain('Web:       https://security.example.org/advisories/OSSN-0100/');
  });

  it('lays out a blog post with raw HTML safely: breaks kept, scripts gone', () => {
    const { text } = render('2014-04-10-heartbleed-post.md').announcement;
    expect(text).toContain('UPDATE 1: (11 April) The command now upgrades libssl1.0.0 too.\nRun it again');
    expect(text).toContain('1. List the system VMs.\n2. Upgrade OpenSSL in each.');
    expect(text).not.toContain('alert(1)');
    expect(text).toContain('console proxy  169.254.1.23');
  });

  it('wraps greedily and never breaks a word', () => {
    expect(wrapParagraph('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
    expect(wrapParagraph(`see ${'x'.repeat(80)} now`, 72)).toEqual(['see', 'x'.repeat(80), 'now']);
  });
});

describe('the headers', () => {
  it('follow the subject template for an update, with threading to the original and the update before it', async () => {
    const { advisory, raw } = render('OSSN-0100.md');
    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe('[OSSN-0100 UPDATE 2] Live migration over unauthenticated libvirt TCP exposes every compute node');
    expect(parsed.messageId).toMatch(/^<ossn-0100\.r2\.[0-9a-f]{16}@security\.example\.org>$/);
    const [original, first] = [0, 1].map((revision) => messageIdFor(advisory, { id: 'OSSN-0100', revision, withdrawn: false }, { domain: 'security.example.org', preview: false }));
    expect(parsed.inReplyTo).toBe(first);
    expect(parsed.references).toEqual([original, first]);
    expect(header(parsed, 'List-Id')).toBe('Security announcements <security-announce.lists.example.org>');
    expect(header(parsed, 'List-Unsubscribe')).toBe('<https://lists.example.org/unsubscribe/announce>');
    expect(header(parsed, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(header(parsed, 'Auto-Submitted')).toBe('auto-generated');
    expect(parsed.date?.toISOString()).toBe(testNow.toISOString());
    expect(parsed.text).toBe(composeAnnouncement(advisory, config, { date: testNow, preview: false }).text);
  });

  it('offer no one-click POST for a mailto: unsubscribe', async () => {
    const advisory = fixtureAdvisory('OSSN-0100.md');
    const discuss = listAudience(config.mail.lists[1]!);
    const parsed = await simpleParser(serializeAnnouncement(composeAnnouncement(advisory, config, { date: testNow, preview: false, audience: discuss })));
    expect(header(parsed, 'List-Id')).toBe('<security-discuss.lists.example.org>');
    expect(header(parsed, 'List-Unsubscribe')).toBe('<mailto:security-discuss-leave@lists.example.org>');
    expect(header(parsed, 'List-Unsubscribe-Post')).toBeUndefined();
  });

  it('say WITHDRAWN in the subject and thread the withdrawal under the original', async () => {
    const { raw, advisory } = render('OSSN-0101.md');
    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe('[OSSN-0101 UPDATE 1] WITHDRAWN: Glance image cache can be filled by any tenant');
    expect(parsed.messageId).toMatch(/^<ossn-0101\.r1\.withdrawn\.[0-9a-f]{16}@/);
    expect(parsed.inReplyTo).toBe(messageIdFor(advisory, { id: 'OSSN-0101', revision: 0, withdrawn: false }, { domain: 'security.example.org', preview: false }));
    expect(parsed.text).toContain('WITHDRAWN: The behaviour is documented');
  });

  it.skipIf(pythonMissing)('thread UPDATE 2 under UPDATE 1 under the original, as a threader reads the headers (RFC 5322 3.6.4)', () => {
    const advisory = fixtureAdvisory('OSSN-0100.md');
    const edition = (revisions: number) => serializeAnnouncement(composeAnnouncement({ ...advisory, revisions: advisory.revisions.slice(0, revisions) }, config, { date: testNow, preview: false, audience: announce }));
    // Python's email package (list software's) reads each message's ids; the
    // parent is the last id of References, as JWZ's algorithm (mutt, Thunderbird, notmuch) takes it.
    const read = (raw: string) =>
      JSON.parse(pythonReads(raw, '__import__("json").dumps({"id": str(m["Message-ID"]), "replyTo": str(m["In-Reply-To"] or ""), "references": str(m["References"] or "").split()})')) as { id: string; replyTo: string; references: string[] };
    const [original, first, second] = [edition(0), edition(1), edition(2)].map(read);
    expect(original!.references).toEqual([]);
    expect(first!.references).toEqual([original!.id]);
    expect(first!.replyTo).toBe(original!.id);
    // The parent's References and the parent's Message-ID: a reader who never got UPDATE 1 still sees UPDATE 2 under the original.
    expect(second!.references).toEqual([...first!.references, first!.id]);
    expect(second!.replyTo).toBe(first!.id);
    expect(new Set([original!.id, first!.id, second!.id]).size).toBe(3);
  });

  it('thread a withdrawal under the revision it withdraws when that was mailed, and always under an original it withdraws', () => {
    const advisory = fixtureAdvisory('OSSN-0101.md');
    const references = (a: typeof advisory, mailed?: (edition: Edition) => string | undefined) =>
      composeAnnouncement(a, config, { date: testNow, preview: false, mailed }).headers.find(([name]) => name === 'References')?.[1].split(' ');
    const ids = (revision: number) => messageIdFor(advisory, { id: 'OSSN-0101', revision, withdrawn: false }, { domain: 'security.example.org', preview: false });
    // herald withdraw added revision 1: no one got it unwithdrawn.
    expect(references(advisory)).toEqual([ids(0)]);
    expect(references(advisory, (edition) => (edition.revision === 1 && !edition.withdrawn ? '<r1@lists.example.net>' : undefined))).toEqual([ids(0), '<r1@lists.example.net>']);
    expect(references({ ...advisory, revisions: [] })).toEqual([ids(0)]);
  });

  it('thread an update under the original mailed without herald (message_id), whose resend is the same message', async () => {
    const text = readFileSync(path.join(notesDir, 'OSSN-0100.md'), 'utf8').replace('\nstatus: published\n', '\nstatus: published\nmessage_id: 53A1F2C4.7060305@lists.example.net\n');
    const parsed = parseNote('notes/OSSN-0100.md', text, { config, now: testNow });
    expect(parsed.messages.filter((m) => m.severity === 'error')).toEqual([]);
    const advisory = parsed.advisory!;
    const update = await simpleParser(serializeAnnouncement(composeAnnouncement(advisory, config, { date: testNow, preview: false, audience: announce })));
    expect(update.references).toEqual(['<53A1F2C4.7060305@lists.example.net>', expect.stringMatching(/^<ossn-0100\.r1\./)]);
    expect(update.messageId).toMatch(/^<ossn-0100\.r2\./);
    const original = composeAnnouncement({ ...advisory, revisions: [] }, config, { date: testNow, preview: false });
    expect(original.messageId).toBe('<53A1F2C4.7060305@lists.example.net>');
    // A private preview never shares an id with, nor replies to, the real messages.
    const preview = composeAnnouncement(advisory, config, { date: testNow, preview: true });
    expect(preview.headers.find(([name]) => name === 'References')?.[1]).toMatch(/^<ossn-0100\.r0\.\S+ <ossn-0100\.r1\./);

    const wrong = parseNote('notes/OSSN-0100.md', text.replace('53A1F2C4.7060305@lists.example.net', '"<not an id>"'), { config, now: testNow });
    expect(wrong.messages.filter((m) => m.severity === 'error').map((m) => `${m.line}:${m.column} ${m.ruleId}`)).toEqual(['6:13 schema-type']);
    expect(wrong.messages[0]!.message).toContain('must be a Message-ID as the original announcement\'s header shows it');
  });

  it('refuse a message_id too long for a header line, and keep every header line within 998 characters', async () => {
    const base = readFileSync(path.join(notesDir, 'OSSN-0100.md'), 'utf8');
    const withId = (id: string) => base.replace('\nstatus: published\n', `\nstatus: published\nmessage_id: ${id}\n`);
    const long = parseNote('notes/OSSN-0100.md', withId(`${'a'.repeat(1500)}@lists.example.net`), { config, now: testNow });
    const errors = long.messages.filter((m) => m.severity === 'error');
    expect(errors.map((m) => `${m.line}:${m.column} ${m.ruleId}`)).toEqual(['6:13 schema-type']);
    expect(errors[0]!.message).toContain('is 1520 characters long (angle brackets included); a Message-ID may have at most 250');
    // 250 characters with the angle brackets is still an id.
    const longest = `${'a'.repeat(248 - '@lists.example.net'.length)}@lists.example.net`;
    const fits = parseNote('notes/OSSN-0100.md', withId(longest), { config, now: testNow });
    expect(fits.messages.filter((m) => m.severity === 'error')).toEqual([]);
    const advisory = { ...fits.advisory!, title: `${'x'.repeat(1500)} and more` };
    const raw = serializeAnnouncement(composeAnnouncement(advisory, config, { date: testNow, preview: false, audience: announce }));
    const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
    for (const line of head.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
    const parsed = await simpleParser(raw);
    expect(parsed.references).toEqual([`<${longest}>`, parsed.inReplyTo]);
    expect(parsed.subject).toContain(`${'x'.repeat(1500)} and more`);
  });

  it('encode a non-ASCII subject and body (quoted-printable, "From " escaped)', async () => {
    const { raw, announcement } = render('OSSN-0102.md');
    expect(raw).toMatch(/^Subject: \[OSSN-0102\] =\?UTF-8\?Q\?/m);
    expect(raw).toContain('Content-Transfer-Encoding: quoted-printable');
    expect(raw).toMatch(/^=46rom the logs/m);
    expect(raw).not.toMatch(/[^\x00-\x7f]/);
    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe('[OSSN-0102] Überprüfung der Zertifikate fehlt im Nova-Proxy — certificate checks missing');
    expect(parsed.text).toBe(announcement.text);
  });

  it.skipIf(!!pythonMissing)('encode a non-ASCII display name so that mail readers show it whole, Python\u2019s email package among them', async () => {
    const names = ['Équipe de sécurité, Example Cloud', 'Équipe de sécurité de l\u2019infrastructure nuagique, Example Cloud Computing GmbH'];
    for (const name of names) {
      const from = testConfig({ from: `${name} <security@example.org>` });
      const raw = serializeAnnouncement(composeAnnouncement(fixtureAdvisory('OSSN-0100.md', from), from, { date: testNow, preview: false, audience: announce }));
      expect((await simpleParser(raw)).from?.value[0]?.name).toBe(name);
      expect(pythonDisplayName(raw), raw.slice(0, raw.indexOf('\r\nTo:'))).toBe(name);
    }
  });

  it.skipIf(!!pythonMissing)('split a display name too long for one encoded word only between whole characters, and decode it back exactly', async () => {
    const names = [
      '株式会社エグザンプル・クラウド・コンピューティング情報セキュリティ緊急対応チーム事務局',
      `${'👨‍👩‍👧‍👦'.repeat(6)}セキュリティ${'e\u0301'.repeat(30)}チーム`,
      'Équipe de sécurité «Nuagique» l’infrastructure-sécurisée-numérique-européenne, Example',
    ];
    for (const name of names) {
      const from = testConfig({ from: `${name} <security@example.org>` });
      const raw = serializeAnnouncement(composeAnnouncement(fixtureAdvisory('OSSN-0100.md', from), from, { date: testNow, preview: false, audience: announce }));
      expect((await simpleParser(raw)).from?.value[0]?.name).toBe(name);
      const read = pythonEncodedWords(raw, 'getaddresses([m["From"]])[0][0]');
      expect(read.decoded).toBe(name);
      expect(read.words.length).toBeGreaterThan(1);
      expectWholeCharacters(name, read);
    }
  });

  it.skipIf(!!pythonMissing)('encode a non-ASCII subject in words that split no character, folded within 78 columns, and decode it back exactly', async () => {
    const titles = [
      'OpenStack Compute（Nova）のライブマイグレーション機能で認証情報が平文のままログファイルに記録される脆弱性について',
      `Family ${'👨‍👩‍👧'.repeat(5)} cafe\u0301 re\u0301sume\u0301 ${'👨‍👩‍👧‍👦'.repeat(4)}${'e\u0301'.repeat(20)} done`,
    ];
    for (const title of titles) {
      const subject = `[OSSN-0100 UPDATE 2] ${title}`;
      const raw = serializeAnnouncement(composeAnnouncement({ ...fixtureAdvisory('OSSN-0100.md'), title }, config, { date: testNow, preview: false, audience: announce }));
      const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
      for (const line of head.split('\r\n')) expect(line.length, line).toBeLessThanOrEqual(78);
      expect((await simpleParser(raw)).subject).toBe(subject);
      expect(pythonHeader(raw, 'Subject')).toBe(subject);
      const read = pythonEncodedWords(raw, 'm["Subject"]');
      expect(read.words.length).toBeGreaterThan(1);
      expectWholeCharacters(subject, read);
    }
  });

  it.skipIf(!!pythonMissing)('encode a title that looks like an encoded word, so readers show it as written and not what it would decode to', async () => {
    const titles = ['Mail readers decode =?UTF-8?B?SGk=?= in a subject', 'Innocent =?UTF-8?Q?=0D=0ABcc:_everyone@example.org?=', 'Größe =?UTF-8?Q?x?= des Puffers'];
    for (const title of titles) {
      const advisory = { ...fixtureAdvisory('OSSN-0100.md'), title };
      const raw = serializeAnnouncement(composeAnnouncement(advisory, config, { date: testNow, preview: false, audience: announce }));
      const subject = `[OSSN-0100 UPDATE 2] ${title}`;
      expect((await simpleParser(raw)).subject).toBe(subject);
      expect(pythonHeader(raw, 'Subject')).toBe(subject);
    }
    const from = testConfig({ from: 'Team =?UTF-8?B?SGk=?= <security@example.org>' });
    const raw = serializeAnnouncement(composeAnnouncement(fixtureAdvisory('OSSN-0100.md', from), from, { date: testNow, preview: false, audience: announce }));
    expect(pythonDisplayName(raw)).toBe('Team =?UTF-8?B?SGk=?=');
  });

  it('are refused when a value carries a control character', () => {
    const advisory = fixtureAdvisory('OSSN-0100.md');
    const evil = { ...advisory, title: 'Innocent\r\nBcc: everyone@example.org' };
    expect(() => composeAnnouncement(evil, config, { date: testNow, preview: false })).toThrow(HeraldError);
    try {
      composeAnnouncement(evil, config, { date: testNow, preview: false });
    } catch (error) {
      expect((error as HeraldError).messages[0]).toMatchObject({ ruleId: 'header-control-char', file: advisory.source.path });
    }
    const badTemplate = testConfig({ subject: '{{title}}' });
    const bell = { ...advisory, title: 'Ring \u0007 the bell' };
    expect(() => composeAnnouncement(bell, badTemplate, { date: testNow, preview: false })).toThrow(/control character/);
  });
});

describe('the rendered file', () => {
  it('is deterministic: the same note gives the same bytes at any clock, dated by its revision', () => {
    const advisory = fixtureAdvisory('OSSN-0100.md');
    const first = String(renderer.renderNote!(advisory, context())[0]!.contents);
    const again = String(renderer.renderNote!(fixtureAdvisory('OSSN-0100.md'), context())[0]!.contents);
    expect(again).toBe(first);
    const later = String(renderer.renderNote!(advisory, { ...context(), now: new Date('2030-01-01T00:00:00Z') })[0]!.contents);
    // The build caches this file by the note's content, so the clock must not reach it;
    // `herald send` dates the messages it sends.
    expect(later).toBe(first);
    const lastDate = advisory.revisions.at(-1)?.date ?? advisory.date;
    expect(first).toMatch(new RegExp(`^Date: .*${new Date(`${lastDate}T00:00:00Z`).toUTCString().slice(5, 16)}`, 'm'));
    const preview = String(renderer.renderNote!(advisory, { ...context(), preview: true, now: new Date('2030-01-01T00:00:00Z') })[0]!.contents);
    expect(preview).toMatch(/^Date: .*2030/m);
  });

  it('is written as mail/<ID>.eml, addressed to the note\u2019s first list', async () => {
    const [file] = renderer.renderNote!(fixtureAdvisory('OSSN-0100.md'), context());
    expect(file!.path).toBe('mail/OSSN-0100.eml');
    const parsed = await simpleParser(String(file!.contents));
    expect(parsed.to).toMatchObject({ value: [{ address: 'security-announce@lists.example.org' }] });
  });

  it('says PRIVATE PREVIEW in the subject and the body of a preview, with its own Message-ID', async () => {
    const advisory = fixtureAdvisory('OSSN-0104.md');
    const preview = await simpleParser(String(renderer.renderNote!(advisory, context(true))[0]!.contents));
    const normal = await simpleParser(String(renderer.renderNote!(advisory, context(false))[0]!.contents));
    expect(preview.subject).toBe('[PRIVATE PREVIEW] [OSSN-0104] An embargoed note');
    expect(preview.text?.startsWith('*** PRIVATE PREVIEW - NOT FOR DISTRIBUTION ***')).toBe(true);
    expect(preview.text?.trimEnd().split('\n').at(-3)).toBe('*** PRIVATE PREVIEW - NOT FOR DISTRIBUTION ***');
    expect(preview.messageId).not.toBe(normal.messageId);
  });

  it('adds an HTML alternative from the same content when configured, sanitized', async () => {
    const html = testConfig({ html_alternative: true });
    const [file] = renderer.renderNote!(fixtureAdvisory('2014-04-10-heartbleed-post.md', html), { config: html, now: testNow, preview: true, all: [] });
    const parsed = await simpleParser(String(file!.contents));
    expect(String(file!.contents)).toMatch(/Content-Type: multipart\/alternative;\s+boundary="=_herald_[0-9a-f]{24}"/);
    expect(parsed.text).toContain('Upgrade OpenSSL in each.');
    expect(parsed.html).toContain('<li>Upgrade OpenSSL in each.</li>');
    expect(parsed.html).not.toContain('<script');
    expect(parsed.html).toContain('PRIVATE PREVIEW');
  });

  it('shows no image in the HTML part: each is a link named by its alt text, so opening the mail fetches nothing; the text part gives the same link', async () => {
    const html = testConfig({ html_alternative: true });
    const source = readFileSync(path.join(notesDir, 'OSSN-0100.md'), 'utf8');
    const images =
      'Seen from outside: ![the open port](https://tracker.example.com/p.gif?u=1 "port scan")\n\n' +
      'By reference: ![diagram][d]; raw: <img src="https://tracker.example.com/raw.gif" alt="raw pixel"> and <img src="https://tracker.example.com/noalt.gif">.\n\n' +
      '[d]: https://tracker.example.com/d.png\n';
    const { advisory } = parseNote('notes/OSSN-0100.md', source.replace('## Summary\n', `## Summary\n\n${images}\n`), { config: html, now: testNow });
    const [file] = renderer.renderNote!(advisory!, { config: html, now: testNow, preview: false, all: [] });
    const parsed = await simpleParser(String(file!.contents));
    expect(parsed.html).not.toMatch(/<img\b/);
    expect(parsed.html).toContain('<a href="https://tracker.example.com/p.gif?u=1" title="port scan">the open port</a>');
    expect(parsed.html).toContain('<a href="https://tracker.example.com/d.png">diagram</a>');
    expect(parsed.html).toContain('<a href="https://tracker.example.com/raw.gif">raw pixel</a>');
    expect(parsed.html).toContain('<a href="https://tracker.example.com/noalt.gif">https://tracker.example.com/noalt.gif</a>');
    // The text part leads to each image as the HTML part does; it had only the alt text, and nothing for an image without one.
    const text = parsed.text!.replace(/\s+/g, ' ');
    expect(text).toContain('Seen from outside: [image: the open port] <https://tracker.example.com/p.gif?u=1>');
    expect(text).toContain('By reference: [image: diagram] <https://tracker.example.com/d.png>; raw: [image: raw pixel] <https://tracker.example.com/raw.gif> and https://tracker.example.com/noalt.gif.');
    // Markdown alone takes the direct path to text: the same words.
    const plain = parseNote('notes/OSSN-0100.md', source.replace('## Summary\n', '## Summary\n\nSeen: ![the open port](https://tracker.example.com/p.gif?u=1) and ![](https://tracker.example.com/noalt.gif), not ![x](javascript:alert(1)).\n'), { config: html, now: testNow });
    const [plainFile] = renderer.renderNote!(plain.advisory!, { config: html, now: testNow, preview: false, all: [] });
    expect((await simpleParser(String(plainFile!.contents))).text!.replace(/\s+/g, ' ')).toContain('Seen: [image: the open port] <https://tracker.example.com/p.gif?u=1> and https://tracker.example.com/noalt.gif, not [image: x].');
    // An image whose source the sanitizer drops is its alt text in both parts, written in Markdown or in raw HTML.
    const unsafe = parseNote('notes/OSSN-0100.md', source.replace('## Summary\n', '## Summary\n\nNot ![md pixel](javascript:alert(1)) nor <img src="javascript:alert(1)" alt="raw pixel"> nor <img src="data:image/gif;base64,R0lGOD">.\n'), { config: html, now: testNow });
    const unsafeMail = await simpleParser(String(renderer.renderNote!(unsafe.advisory!, { config: html, now: testNow, preview: false, all: [] })[0]!.contents));
    expect(unsafeMail.text!.replace(/\s+/g, ' ')).toContain('Not [image: md pixel] nor [image: raw pixel] nor .');
    expect(String(unsafeMail.html).replace(/<[^>]+>/g, '').replace(/\s+/g, ' ')).toContain('Not md pixel nor raw pixel nor .');
    expect(String(unsafeMail.html)).not.toMatch(/javascript:|data:image/);
  });

  it('gives the note\u2019s headings in the HTML part the site\u2019s ids, and its links to them lead there; the text part shows their text', async () => {
    const html = testConfig({ html_alternative: true });
    const source = readFileSync(path.join(notesDir, 'OSSN-0100.md'), 'utf8');
    const { advisory } = parseNote('notes/OSSN-0100.md', source.replace('## Summary\n', '## Summary\n\nSee [the discussion](#discussion).\n'), { config: html, now: testNow });
    const [file] = renderer.renderNote!(advisory!, { config: html, now: testNow, preview: false, all: [] });
    const parsed = await simpleParser(String(file!.contents));
    expect(parsed.html).toContain('<h2 id="section-discussion">Discussion</h2>');
    expect(parsed.html).toContain('<a href="#section-discussion">the discussion</a>');
    expect(parsed.text).toContain('See the discussion.');
  });
});

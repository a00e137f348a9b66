/**
 * The pure parts of SMTP (RFC 5321) that herald's client needs: replies
 * read from a byte stream, EHLO capabilities, envelope commands, the
 * message data made safe for DATA (CRLF line ends, dot-stuffed, ended by
 * `.`), and AUTH PLAIN's and LOGIN's encodings. No sockets here.
 */

/** One server reply; `text` is every line as received (code included), joined by newlines. */
export interface SmtpReply {
  code: number;
  text: string;
}

/** A reply line that is not `NNN text` or `NNN-text`, or a reply without end: the peer does not speak SMTP. */
export class SmtpProtocolError extends Error {
  constructor(line: string, what = 'a line that is not an SMTP reply') {
    super(`the server sent ${what}: ${JSON.stringify(line.slice(0, 80))}`);
    this.name = 'SmtpProtocolError';
  }
}

/**
 * The most a reply may hold, in characters, lines and the partial line
 * included. RFC 5321 keeps a reply line within 512 octets, and EHLO's few
 * dozen lines stay far below this; past it the server is not answering.
 */
export const maxReplyChars = 64 * 1024;

/**
 * Splits received text into replies. Multi-line replies (`250-…` lines
 * then `250 …`) become one reply; a partial line waits for the next chunk.
 */
export class ReplyReader {
  private partial = '';
  private lines: string[] = [];
  /** Characters in `lines`. */
  private held = 0;

  /** Feeds received text; calls `onReply` for each complete reply, in order. Throws SmtpProtocolError. */
  push(chunk: string, onReply: (reply: SmtpReply) => void): void {
    const text = this.partial === '' ? chunk : this.partial + chunk;
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
      start = end + 1;
      const code = replyCode(line);
      if (code === undefined) throw new SmtpProtocolError(line);
      if (line.charCodeAt(3) === 45 /* - */) {
        this.lines.push(line);
        this.held += line.length + 1;
        if (this.held > maxReplyChars) throw new SmtpProtocolError(line, `a reply of more than ${maxReplyChars / 1024} KiB without its last line`);
        continue;
      }
      let full = line;
      if (this.lines.length > 0) {
        this.lines.push(line);
        full = this.lines.join('\n');
        this.lines = [];
        this.held = 0;
      }
      onReply({ code, text: full });
    }
    this.partial = start === text.length ? '' : text.slice(start);
    if (this.held + this.partial.length > maxReplyChars) throw new SmtpProtocolError(this.partial, `a reply of more than ${maxReplyChars / 1024} KiB without its last line`);
  }
}

function replyCode(line: string): number | undefined {
  if (line.length < 3) return undefined;
  const a = line.charCodeAt(0) - 48;
  const b = line.charCodeAt(1) - 48;
  const c = line.charCodeAt(2) - 48;
  if (a < 2 || a > 5 || b < 0 || b > 9 || c < 0 || c > 9) return undefined;
  if (line.length > 3 && line[3] !== ' ' && line[3] !== '-') return undefined;
  return a * 100 + b * 10 + c;
}

/** EHLO's reply as keyword → parameters (`AUTH` → `PLAIN LOGIN`); the first line is the greeting, not a capability. */
export function parseCapabilities(ehlo: SmtpReply): Map<string, string> {
  const capabilities = new Map<string, string>();
  for (const line of ehlo.text.split('\n').slice(1)) {
    const [keyword = '', ...rest] = line.slice(4).trim().split(/\s+/);
    if (keyword !== '') capabilities.set(keyword.toUpperCase(), rest.join(' ').toUpperCase());
  }
  return capabilities;
}

/**
 * A reverse-path or forward-path address. Refuses anything that could
 * end the command early or smuggle another one (CR, LF, `<`, `>`, spaces).
 */
export function envelopeAddress(address: string): string | undefined {
  return /^[^\s<>]*$/.test(address) ? address : undefined;
}

const nonAscii = /[^\x00-\x7f]/;

/** True when an address needs SMTPUTF8 (RFC 6531). */
export function needsUtf8(address: string): boolean {
  return nonAscii.test(address);
}

/** The three commands of one transaction's envelope, ready to write (CRLF-ended, in one string). */
export function envelopeCommands(from: string, to: string, utf8: boolean): string {
  return `MAIL FROM:<${from}>${utf8 ? ' SMTPUTF8' : ''}\r\nRCPT TO:<${to}>\r\nDATA\r\n`;
}

const dataCache = new WeakMap<Buffer, Buffer>();

/**
 * The message as DATA carries it: bare LF made CRLF, a line starting with
 * `.` given a second one (RFC 5321 4.5.2), a final CRLF if missing, then
 * `.` CRLF. Cached per message buffer: every recipient shares the result.
 */
export function dataSection(message: Buffer): Buffer {
  const cached = dataCache.get(message);
  if (cached) return cached;
  const parts: Buffer[] = [];
  let start = 0;
  let lineStart = 0;
  for (let index = 0; index <= message.length; index += 1) {
    if (index === lineStart && message[index] === 0x2e) {
      parts.push(message.subarray(start, index), dot);
      start = index;
    }
    if (index === message.length) break;
    if (message[index] === 0x0a) {
      if (index === 0 || message[index - 1] !== 0x0d) {
        parts.push(message.subarray(start, index), crlf);
        start = index + 1;
      }
      lineStart = index + 1;
    }
  }
  parts.push(message.subarray(start));
  const last = message.length;
  const endsWithNewline = last > 0 && message[last - 1] === 0x0a;
  parts.push(endsWithNewline ? terminator : Buffer.concat([crlf, terminator]));
  const data = Buffer.concat(parts);
  dataCache.set(message, data);
  return data;
}

const dot = Buffer.from('.');
const crlf = Buffer.from('\r\n');
const terminator = Buffer.from('.\r\n');

/** AUTH PLAIN's initial response (RFC 4616): authorization identity empty. */
export function authPlain(user: string, password: string): string {
  return Buffer.from(`\u0000${user}\u0000${password}`, 'utf8').toString('base64');
}

/** One AUTH LOGIN step: the user name or the password, base64. */
export function authLoginStep(value: string): string {
  return Buffer.from(value, 'utf8').toString('base64');
}

/**
 * The pure SMTP pieces: replies split across packets and over several
 * lines (and one without end), EHLO capabilities, and the data section (CRLF, dot-stuffing, the
 * final dot).
 */
import { describe, expect, it } from 'vitest';
import { dataSection, envelopeAddress, parseCapabilities, ReplyReader, SmtpProtocolError, type SmtpReply } from '../../src/publish/mail/smtp-protocol.ts';

function read(chunks: string[]): SmtpReply[] {
  const reader = new ReplyReader();
  const replies: SmtpReply[] = [];
  for (const chunk of chunks) reader.push(chunk, (reply) => replies.push(reply));
  return replies;
}

describe('SMTP replies', () => {
  it('joins multi-line replies and waits for a line cut between packets', () => {
    expect(read(['250-mail.example.org Hello\r\n250-PIPE', 'LINING\r\n250 SIZE 1000\r\n25', '0 2.0.0 Ok\r\n354 go ahead\n'])).toEqual([
      { code: 250, text: '250-mail.example.org Hello\n250-PIPELINING\n250 SIZE 1000' },
      { code: 250, text: '250 2.0.0 Ok' },
      { code: 354, text: '354 go ahead' },
    ]);
    expect(read(['221\r\n'])).toEqual([{ code: 221, text: '221' }]);
  });

  it('refuses a line that is not a reply', () => {
    expect(() => read(['HTTP/1.1 400 Bad Request\r\n'])).toThrow(SmtpProtocolError);
    expect(() => read(['250x\r\n'])).toThrow(SmtpProtocolError);
  });

  it('refuses a reply that grows past 64 KiB without its last line, in lines or in one line, and takes a long one below it', () => {
    const line = `250-${'x'.repeat(500)}\r\n`;
    expect(read([line.repeat(100), '250 end\r\n'])).toHaveLength(1);
    expect(() => read(Array.from({ length: 140 }, () => line))).toThrow(/a reply of more than 64 KiB without its last line/);
    expect(() => read(Array.from({ length: 70 }, () => 'x'.repeat(1000)).map((chunk, i) => (i === 0 ? `250 ${chunk}` : chunk)))).toThrow(SmtpProtocolError);
  });

  it('reads EHLO capabilities after the greeting line', () => {
    const capabilities = parseCapabilities({ code: 250, text: '250-mx Hello\n250-PIPELINING\n250-auth PLAIN login\n250 STARTTLS' });
    expect([...capabilities]).toEqual([['PIPELINING', ''], ['AUTH', 'PLAIN LOGIN'], ['STARTTLS', '']]);
  });

  it('refuses envelope addresses that could smuggle a command', () => {
    expect(envelopeAddress('a@example.org')).toBe('a@example.org');
    expect(envelopeAddress('a@example.org>\r\nRCPT TO:<b@example.org')).toBeUndefined();
  });
});

describe('the data section', () => {
  it('dot-stuffs, makes bare LF CRLF, ends with CRLF . CRLF, and is made once per message', () => {
    const message = Buffer.from('.first\r\nsecond\nthird\r\n.\r\n..two');
    const data = dataSection(message);
    expect(data.toString()).toBe('..first\r\nsecond\r\nthird\r\n..\r\n...two\r\n.\r\n');
    expect(dataSection(message)).toBe(data);
    expect(dataSection(Buffer.from('a\r\n')).toString()).toBe('a\r\n.\r\n');
    expect(dataSection(Buffer.alloc(0)).toString()).toBe('\r\n.\r\n');
  });
});

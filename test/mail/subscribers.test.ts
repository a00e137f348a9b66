/**
 * Direct subscribers: the CSV is checked row by row with positions, and
 * interests pick which notes a subscriber gets.
 */
import { describe, expect, it } from 'vitest';
import { HeraldError } from '../../src/errors/message.ts';
import { interestNames, parseCsv, parseSubscribers, wantsAdvisory } from '../../src/publish/mail/subscribers.ts';
import { fixtureAdvisory } from './support/notes.ts';

describe('the subscribers file', () => {
  it('reads RFC 4180 CSV: quotes, doubled quotes, commas and CRLF', () => {
    expect(parseCsv('email,products\r\n"a@x.org","libvirt; ""nova"", x"\r\nb@x.org,\r\n').map((r) => r.fields)).toEqual([
      ['email', 'products'],
      ['a@x.org', 'libvirt; "nova", x'],
      ['b@x.org', ''],
    ]);
  });

  it('normalizes interests and keeps the row line', () => {
    const subscribers = parseSubscribers('email,products\nalice@example.org, LibVirt ;Nova\n\nbob@example.org,\n', 'subs.csv');
    expect(subscribers).toEqual([
      { email: 'alice@example.org', products: ['libvirt', 'nova'], line: 2 },
      { email: 'bob@example.org', products: [], line: 4 },
    ]);
  });

  it('reports every bad row with its line, and sends to nobody', () => {
    const text = 'email,products\nnot-an-address,x\ngood@example.org,\nGOOD@example.org,y\n"evil@example.org\r\nBcc: x@y.org",\n';
    try {
      parseSubscribers(text, 'subs.csv');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(HeraldError);
      const messages = (error as HeraldError).messages;
      expect(messages.map((m) => [m.ruleId, m.line])).toEqual([
        ['subscribers-invalid', 2],
        ['subscribers-invalid', 4],
        ['subscribers-invalid', 5],
      ]);
      expect(messages[1]!.message).toContain('already listed on line 3');
    }
    expect(() => parseSubscribers('address\nx@y.org\n', 'subs.csv')).toThrow(/first row must name the columns/);
  });
});

describe('interests', () => {
  it('match an affected product, package, vendor or word of a product name', () => {
    const names = interestNames(fixtureAdvisory('OSSN-0100.md'));
    const wants = (products: string[]) => wantsAdvisory({ email: 'x@example.org', products, line: 2 }, names);
    expect(wants([])).toBe(true);
    expect(wants(['libvirt'])).toBe(true);
    expect(wants(['libvirt-bin'])).toBe(true);
    expect(wants(['nova'])).toBe(true);
    expect(wants(['openstack compute (nova)'])).toBe(true);
    expect(wants(['glance'])).toBe(false);
    expect(wants(['glance', 'openstack'])).toBe(true);
  });
});

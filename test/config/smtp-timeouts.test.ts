/** `mail.smtp.timeouts`: seconds, with RFC 5321's waits by default, and every mistake located. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { configMessages as messagesOf } from '../support/config-messages.ts';

const withTimeouts = (lines: string) => `mail:\n  transport: smtp\n  smtp:\n    host: smtp.example.org\n    timeouts:\n${lines}`;

describe('mail.smtp.timeouts', () => {
  it('defaults to 30 s to connect and for the greeting, 5 min per command, 3 min for data to be taken, 10 min for the final dot and per message', () => {
    expect(parseConfig('mail:\n  smtp:\n    host: smtp.example.org\n', 'herald.config.yaml').mail.smtp?.timeouts).toEqual({ connect: 30, greeting: 30, command: 300, data: 180, final_dot: 600, message: 600 });
  });

  it('takes each setting, and keeps the defaults of the others', () => {
    const config = parseConfig(withTimeouts('      greeting: 300\n      data: 60\n      final_dot: 900\n'), 'herald.config.yaml');
    expect(config.mail.smtp?.timeouts).toEqual({ connect: 30, greeting: 300, command: 300, data: 60, final_dot: 900, message: 600 });
  });

  it('refuses a wrong type, a value out of range and an unknown key, each at its line and column', () => {
    const messages = messagesOf(withTimeouts('      connect: 0\n      greeting: "30"\n      command: 1.5\n      final_dot: 3601\n      finaldot: 600\n      message: 100000\n'));
    expect(messages.map((m) => ({ at: `${m.line}:${m.column}`, ruleId: m.ruleId, message: m.message }))).toEqual([
      { at: '6:16', ruleId: 'config-invalid', message: '"mail.smtp.timeouts.connect" must be at least 1 second (received number 0)' },
      { at: '7:17', ruleId: 'config-invalid', message: '"mail.smtp.timeouts.greeting" must be a number (received string "30")' },
      { at: '8:16', ruleId: 'config-invalid', message: '"mail.smtp.timeouts.command" must be a whole number of seconds (received number 1.5)' },
      { at: '9:18', ruleId: 'config-invalid', message: '"mail.smtp.timeouts.final_dot" must be at most 3600 seconds (an hour) (received number 3601)' },
      { at: '11:16', ruleId: 'config-invalid', message: '"mail.smtp.timeouts.message" must be at most 86400 seconds (a day) (received number 100000)' },
      { at: '10:7', ruleId: 'config-invalid', message: 'Unknown field "finaldot" in mail.smtp.timeouts; did you mean "final_dot"?' },
    ]);
    expect(messages.every((m) => m.file === 'herald.config.yaml' && m.hint)).toBe(true);
  });
});

/** A secret written into the config is refused with what to do instead, and never repeated in the message. */
import { describe, expect, it } from 'vitest';
import { configMessages as messagesOf } from '../support/config-messages.ts';

describe('secrets in herald.config.yaml', () => {
  it.each([
    ['mail:\n  smtp: { host: smtp.example.org, user: herald, password: hunter2 }\n', 2, 49, 'password', 'mail.smtp'],
    ['wiki:\n  password: hunter2\n', 2, 3, 'password', 'wiki'],
  ])('refuses %j, pointing at the field and to its _env twin', (text, line, column, key, where) => {
    const [found, ...rest] = messagesOf(text);
    expect(rest).toEqual([]);
    expect(found).toMatchObject({ line, column, ruleId: 'config-invalid', message: `Unknown field "${key}" in ${where}: herald reads secrets only from the environment, never from a file` });
    expect(found!.hint).toContain(`set "${key}_env" to the name of an environment variable`);
    expect(JSON.stringify(found)).not.toContain('hunter2');
  });

  it('still suggests the nearest field for a plain typo', () => {
    expect(messagesOf('wiki:\n  pasword_env: X\n')[0]!.message).toBe('Unknown field "pasword_env" in wiki; did you mean "password_env"?');
  });
});

/**
 * The mail tests' own notes (test/mail/fixtures/notes) and config, loaded
 * through the real loader so the tests see exactly what `herald send` sees.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { configSchema, type Config } from '../../../src/config/schema.ts';
import { parseNote } from '../../../src/model/load.ts';
import type { Advisory } from '../../../src/model/types.ts';

export const fixturesDir = path.resolve(import.meta.dirname, '../fixtures');
export const notesDir = path.join(fixturesDir, 'notes');

/** A clock reading after every fixture note's dates, before the embargoed one's. */
export const testNow = new Date('2024-02-01T12:00:00Z');

type MailInput = Partial<Omit<Config['mail'], 'smtp' | 'signing' | 'dkim' | 'subscribers' | 'retry'>> & Record<string, unknown>;

/** The test config: two lists, one-click unsubscribe on the first; `mail` merges over it. */
export function testConfig(mail: MailInput = {}): Config {
  return configSchema.parse({
    site: { title: 'Example Security Notes', base_url: 'https://security.example.org/' },
    mail: {
      from: 'Example Security Team <security@example.org>',
      domain: 'security.example.org',
      lists: [
        { name: 'announce', address: 'security-announce@lists.example.org', unsubscribe: 'https://lists.example.org/unsubscribe/announce', description: 'Security announcements' },
        { name: 'discuss', address: 'security-discuss@lists.example.org', unsubscribe: 'mailto:security-discuss-leave@lists.example.org' },
      ],
      ...mail,
    },
  });
}

/** Parses one fixture note; fails the test on any error message. */
export function fixtureAdvisory(file: string, config: Config = testConfig()): Advisory {
  const full = path.join(notesDir, file);
  const parsed = parseNote(path.relative(process.cwd(), full), readFileSync(full), { config, now: testNow });
  const errors = parsed.messages.filter((m) => m.severity === 'error');
  if (errors.length > 0 || !parsed.advisory) throw new Error(`fixture ${file} has errors: ${errors.map((m) => `${m.ruleId} ${m.message}`).join('; ')}`);
  return parsed.advisory;
}

/** A temporary folder, removed by the returned function. */
export async function temporaryDir(prefix = 'herald-mail-'): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

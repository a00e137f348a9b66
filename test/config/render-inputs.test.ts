/**
 * The build cache is keyed by the config only as far as rendering and lint
 * read it (`renderInputs`): every setting left out is changed here, and no
 * output, lint message or cache key may change; a setting that a renderer
 * reads changes the key.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { globalKey } from '../../src/build/cache.ts';
import { renderAdvisories } from '../../src/build/render-all.ts';
import { selectForBuild } from '../../src/build/select.ts';
import { renderInputs } from '../../src/config/render-inputs.ts';
import { configSchema, type Config } from '../../src/config/schema.ts';
import { loadNotes } from '../../src/model/load.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const now = new Date('2026-01-15T12:00:00Z');

type Raw = Record<string, Record<string, unknown>>;

/** Every setting only publishing reads, each given a valid value other than the bundled config's. */
const publishingChanges: Record<string, Record<string, unknown>> = {
  mail: {
    envelope_from: 'bounces@example.net',
    transport: 'smtp',
    outbox: 'elsewhere',
    ledger: 'state/other-ledger.jsonl',
    smtp: { host: 'smtp.example.net', port: 465, tls: 'implicit', user: 'herald', password_env: 'SMTP_PASSWORD', pool_size: 2, rate_limit: 5 },
    signing: { mode: 'pgp-mime', key_env: 'ANNOUNCE_KEY', passphrase_env: 'ANNOUNCE_PASSPHRASE' },
    dkim: { domain: 'example.net', selector: 'herald', key_env: 'DKIM_KEY' },
    retry: { attempts: 9, initial_delay_ms: 10, max_delay_ms: 100 },
  },
  wiki: { api_url: 'https://wiki.example.net/w/api.php', user: 'Bot@herald', password_env: 'OTHER_WIKI_PASSWORD', ledger: 'state/other-wiki.json', maxlag: 9, retries: 1 },
  csaf: { signing_key_env: 'CSAF_KEY', signing_passphrase_env: 'CSAF_PASSPHRASE' },
  github: { repository: 'example/advisories', api_url: 'https://github.example.net/api/v3' },
};

describe('the config settings the build cache is keyed by', () => {
  let raw: Raw;
  let base: Config;
  let changed: Config;

  beforeAll(async () => {
    raw = parseYaml(await readFile(path.join(repo, 'herald.config.yaml'), 'utf8')) as Raw;
    base = configSchema.parse(raw);
    const merged: Raw = { ...raw };
    for (const [section, settings] of Object.entries(publishingChanges)) merged[section] = { ...raw[section], ...settings };
    changed = configSchema.parse(merged);
  });

  async function build(config: Config) {
    const { advisories, messages } = await loadNotes([path.join(repo, 'notes')], { config, now, cwd: repo });
    return { messages, files: renderAdvisories(selectForBuild(advisories, now, false), { config, now, preview: false }) };
  }

  it('leaves out exactly the settings changed above, and each changed setting changes no output and no message', async () => {
    for (const [section, settings] of Object.entries(publishingChanges)) {
      const kept = renderInputs(changed)[section] as Record<string, unknown> | undefined;
      const left = Object.keys(changed[section as keyof Config]).filter((key) => !kept || !(key in kept));
      expect(left.sort(), section).toEqual(Object.keys(settings).sort());
    }
    expect(globalKey(changed, false)).toBe(globalKey(base, false));
    const [before, after] = [await build(base), await build(changed)];
    expect(before.files.length).toBeGreaterThan(50);
    expect(after.messages).toEqual(before.messages);
    expect(after.files.map((file) => file.path)).toEqual(before.files.map((file) => file.path));
    for (const [index, file] of after.files.entries()) expect(Buffer.from(file.contents).equals(Buffer.from(before.files[index]!.contents)), file.path).toBe(true);
  });

  it.each([
    ['site', { title: 'Another title' }],
    ['ids', { prefix: 'OSSA' }],
    ['mail', { from: 'Other <other@example.org>' }],
    ['mail', { html_alternative: true }],
    ['wiki', { page_name: 'Notes/{{id}}' }],
    ['wiki', { code: 'pre' }],
    ['osv', { prefix: 'EXAMPLE' }],
    ['csaf', { publisher_name: 'Another team' }],
  ])('changes the key when %s gets %o, which the outputs show', (section, settings) => {
    const config = configSchema.parse({ ...raw, [section]: { ...raw[section], ...settings } });
    expect(globalKey(config, false)).not.toBe(globalKey(base, false));
  });
});

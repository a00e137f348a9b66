/**
 * The build cache is keyed by the config only as far as rendering and lint
 * read it: every setting only publishing reads is changed here, and no
 * output, lint message or key may change; every setting only aggregate
 * files show is changed, and no note's own output, digest, summary or lint
 * message may change (nor `globalKey`, which renders every note again); a
 * setting that a note's outputs show changes `globalKey`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { aggregateKey, globalKey } from '../../src/build/cache.ts';
import { runNoteJob } from '../../src/build/note-job.ts';
import { renderAdvisories } from '../../src/build/render-all.ts';
import { selectForBuild } from '../../src/build/select.ts';
import { noteInputs, renderInputs } from '../../src/config/render-inputs.ts';
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
    smtp: { host: 'smtp.example.net', port: 465, tls: 'implicit', user: 'herald', password_env: 'SMTP_PASSWORD', pool_size: 2, rate_limit: 5, timeouts: { greeting: 300, final_dot: 900, message: 1800 } },
    signing: { mode: 'pgp-mime', key_env: 'ANNOUNCE_KEY', passphrase_env: 'ANNOUNCE_PASSPHRASE' },
    dkim: { domain: 'example.net', selector: 'herald', key_env: 'DKIM_KEY' },
    retry: { attempts: 9, initial_delay_ms: 10, max_delay_ms: 100 },
  },
  wiki: { api_url: 'https://wiki.example.net/w/api.php', user: 'Bot@herald', password_env: 'OTHER_WIKI_PASSWORD', ca_file: 'wiki-ca.pem', ledger: 'state/other-wiki.json', maxlag: 9, retries: 1 },
  csaf: { signing_key_env: 'CSAF_KEY', signing_passphrase_env: 'CSAF_PASSPHRASE' },
  github: { repository: 'example/advisories', api_url: 'https://github.example.net/api/v3' },
  publish: { max_announcements: 3 },
  // Not publishing's, but no output reads it either: how much the build cache keeps.
  cache: { unused_mib: 0 },
};

/** Every rendering setting only aggregate files show (the index page, feeds, security.txt, the wiki index, provider-metadata.json). */
const aggregateChanges: Record<string, Record<string, unknown>> = {
  site: { description: 'Another description', security_txt: { contact: ['mailto:other@example.net'] } },
  wiki: { page_name: 'Notes/{{id}}', index_page: 'Another_Index', max_page_kib: 1 },
  csaf: { list_on_aggregators: false, mirror_on_aggregators: false },
};

function merged(raw: Raw, changes: Record<string, Record<string, unknown>>): Config {
  const config: Raw = { ...raw };
  for (const [section, settings] of Object.entries(changes)) config[section] = { ...raw[section], ...settings };
  return configSchema.parse(config);
}

/** The settings of each section that `inputs` leaves out of `config`. */
function leftOut(config: Config, inputs: (config: Config) => Record<string, unknown>, sections: readonly string[]): Record<string, string[]> {
  return Object.fromEntries(
    sections.map((section) => {
      const kept = inputs(config)[section] as Record<string, unknown> | undefined;
      return [section, Object.keys(config[section as keyof Config]).filter((key) => !kept || !(key in kept)).sort()];
    }),
  );
}

const sorted = (changes: Record<string, Record<string, unknown>>) => Object.fromEntries(Object.entries(changes).map(([section, settings]) => [section, Object.keys(settings).sort()]));

describe('the config settings the build cache is keyed by', () => {
  let raw: Raw;
  let base: Config;
  let changed: Config;

  beforeAll(async () => {
    raw = parseYaml(await readFile(path.join(repo, 'herald.config.yaml'), 'utf8')) as Raw;
    base = configSchema.parse(raw);
    changed = merged(raw, publishingChanges);
  });

  async function build(config: Config) {
    const { advisories, messages } = await loadNotes([path.join(repo, 'notes')], { config, now, cwd: repo });
    return { messages, files: renderAdvisories(selectForBuild(advisories, now, false), { config, now, preview: false }) };
  }

  it('leaves out exactly the publishing settings changed above, and each changed setting changes no output and no message', async () => {
    const left = Object.entries(leftOut(changed, renderInputs, Object.keys(changed))).filter(([, keys]) => keys.length > 0);
    expect(Object.fromEntries(left)).toEqual(sorted(publishingChanges));
    expect(globalKey(changed, false)).toBe(globalKey(base, false));
    expect(aggregateKey(changed, false)).toBe(aggregateKey(base, false));
    const [before, after] = [await build(base), await build(changed)];
    expect(before.files.length).toBeGreaterThan(50);
    expect(after.messages).toEqual(before.messages);
    expect(after.files.map((file) => file.path)).toEqual(before.files.map((file) => file.path));
    for (const [index, file] of after.files.entries()) expect(Buffer.from(file.contents).equals(Buffer.from(before.files[index]!.contents)), file.path).toBe(true);
  });

  it('keys the notes without exactly the aggregate settings changed above, and each changes no note\u2019s own output', () => {
    const aggregate = merged(raw, aggregateChanges);
    // What `renderInputs` keeps and `noteInputs` leaves out, section by section.
    const keys = (inputs: Record<string, unknown>, section: string) => Object.keys((inputs[section] ?? {}) as object);
    const aggregateOnly = Object.fromEntries(
      Object.keys(renderInputs(aggregate))
        .map((section) => [section, keys(renderInputs(aggregate), section).filter((key) => !keys(noteInputs(aggregate), section).includes(key)).sort()] as const)
        .filter(([, left]) => left.length > 0),
    );
    expect(aggregateOnly).toEqual(sorted(aggregateChanges));
    expect(globalKey(aggregate, false)).toBe(globalKey(base, false));
    expect(aggregateKey(aggregate, false)).not.toBe(aggregateKey(base, false));
    const notesDir = path.join(repo, 'notes');
    const jobs = (config: Config) =>
      readdirSync(notesDir)
        .filter((file) => file.endsWith('.md'))
        .map((file) => runNoteJob(`notes/${file}`, readFileSync(path.join(notesDir, file)), 'hash', { config, now: now.toISOString(), preview: false }));
    const [before, after] = [jobs(base), jobs(aggregate)];
    expect(before.some((job) => job.outputs.length > 5)).toBe(true);
    for (const [index, job] of after.entries()) {
      const old = before[index]!;
      expect([job.messages, job.summary, job.digests]).toEqual([old.messages, old.summary, old.digests]);
      expect(job.outputs.map((file) => [file.path, file.sha256])).toEqual(old.outputs.map((file) => [file.path, file.sha256]));
    }
  });

  it.each([
    ['site', { title: 'Another title' }],
    ['ids', { prefix: 'OSSA' }],
    ['mail', { from: 'Other <other@example.org>' }],
    ['mail', { html_alternative: true }],
    ['wiki', { code: 'pre' }],
    ['osv', { prefix: 'EXAMPLE' }],
    ['csaf', { publisher_name: 'Another team' }],
    // Lint reads it (list-none), and lint messages are kept per note.
    ['publish', { announce_from: '2020-01-01' }],
  ])('changes the key of every note when %s gets %o, which the notes\u2019 outputs show', (section, settings) => {
    const config = configSchema.parse({ ...raw, [section]: { ...raw[section], ...settings } });
    expect(globalKey(config, false)).not.toBe(globalKey(base, false));
    expect(aggregateKey(config, false)).not.toBe(aggregateKey(base, false));
  });
});

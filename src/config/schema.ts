/**
 * Schema of `herald.config.yaml`. Validated once by `loadConfig`, with the
 * same located errors as notes; everything else trusts `Config`.
 * Keys are snake_case in the file and stay so in the parsed object.
 */
import { z } from 'zod';
import { isoDate } from '../model/schema.ts';

const noControl = /^[^\u0000-\u001f\u007f]*$/;
const headerSafe = z.string().regex(noControl, 'must not contain line breaks or control characters');
const httpsUrl = z.url({ protocol: /^https$/, error: 'must be an https:// URL' });
const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name (A-Z, 0-9, _)');

export const mailingListSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes'),
  address: z.email(),
  /** RFC 2919 list identifier, e.g. `openstack-announce.lists.openstack.org`; derived from the address when absent. */
  list_id: headerSafe.optional(),
  /** https one-click unsubscribe URL, or a mailto: address. */
  unsubscribe: headerSafe.regex(/^(https:\/\/|mailto:)\S+$/, 'must be an https:// URL or a mailto: address').optional(),
  description: headerSafe.optional(),
});

/** Whole seconds from 1 to `max`, for a timeout (`what` says which, in the message). */
const seconds = (max: number, what: string) =>
  z
    .number()
    .int('must be a whole number of seconds')
    .min(1, 'must be at least 1 second')
    .max(max, `must be at most ${max} seconds (${what})`);

/**
 * How long herald waits for an SMTP server, in seconds. RFC 5321 4.5.3.2
 * asks a client to wait at least 5 minutes for MAIL and RCPT and 10 for the
 * answer to the final dot: a server that has the whole message may take
 * that long to deliver it, and giving up then leaves it uncertain. Before
 * the final dot has left, giving up is safe: `data` bounds a transfer the
 * server stopped taking.
 */
export const smtpTimeoutsSchema = z.strictObject({
  connect: seconds(600, '10 minutes').default(30).describe('Seconds to open the TCP connection, and for each TLS handshake.'),
  greeting: seconds(3600, 'an hour').default(30).describe("Seconds from connecting to the server's 220 greeting."),
  command: seconds(3600, 'an hour').default(300).describe('Seconds for the answer to each command: EHLO, STARTTLS, AUTH, MAIL FROM, RCPT TO, DATA, RSET.'),
  data: seconds(3600, 'an hour')
    .default(180)
    .describe("Seconds the server may go without taking any of a message's data (RFC 5321's data block: 3 minutes). A message whose data stalls so is retried: its final dot never left, so the server cannot have it whole."),
  final_dot: seconds(3600, 'an hour')
    .default(600)
    .describe("Seconds for the answer to a message's final dot, from the moment its last byte has left (RFC 5321 asks for at least 600: giving up sooner leaves a message the server may be delivering uncertain)."),
  message: seconds(86400, 'a day')
    .default(600)
    .describe("Seconds one message may take over all its attempts: no retry starts after them (an attempt under way ends by the other timeouts). A message given up on is failed (one whose final dot was sent is never retried: it is uncertain at once)."),
});

export const smtpSchema = z
  .strictObject({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(587),
    /** `starttls` (port 587), `implicit` TLS (port 465), or `none` (needs allow_plaintext). */
    tls: z.enum(['starttls', 'implicit', 'none']).default('starttls'),
    /** Send even when the server offers no TLS; herald warns on every run. */
    allow_plaintext: z.boolean().default(false),
    /** A PEM file of CA certificates the relay's TLS is trusted by, besides Node's own (a private CA, a self-signed relay). */
    ca_file: z.string().optional(),
    /** Name announced in EHLO; defaults to the host name. */
    helo: z.string().regex(/^[A-Za-z0-9.-]+$/, 'must be a host name').optional(),
    user: z.string().optional(),
    /** Name of the environment variable holding the SMTP password; never the password itself. */
    password_env: envName.optional(),
    /** Simultaneous SMTP connections. */
    pool_size: z.number().int().min(1).max(64).default(4),
    /** Messages per second at most; 0 means no limit. */
    rate_limit: z.number().min(0).default(0),
    timeouts: smtpTimeoutsSchema.default(smtpTimeoutsSchema.parse({})).describe('How long herald waits for the server, in seconds (docs/mail.md).'),
  })
  .refine((smtp) => smtp.tls !== 'none' || smtp.allow_plaintext, { path: ['tls'], error: '`tls: none` sends in clear text: set `allow_plaintext: true` to accept that' })
  .refine((smtp) => smtp.password_env === undefined || smtp.user !== undefined, { path: ['password_env'], error: 'a password needs `user` too' });

/** A secret read from a file or from an environment variable, never from the command line. */
const exactlyOneKeySource = (value: { key_file?: string | undefined; key_env?: string | undefined }) => (value.key_file === undefined) !== (value.key_env === undefined);
const keySourceError = { path: ['key_file'], error: 'give exactly one of `key_file` or `key_env`' };

export const signingSchema = z
  .strictObject({
    /** `inline` cleartext signature (as DSA/USN mails), or `pgp-mime` (RFC 3156). */
    mode: z.enum(['inline', 'pgp-mime']).default('inline'),
    /** Armored OpenPGP secret key (a v4 curve25519 key is what herald generates in docs/mail.md). */
    key_file: z.string().optional(),
    /** Environment variable holding the armored secret key. */
    key_env: envName.optional(),
    /** Environment variable holding the key's passphrase, when it has one. */
    passphrase_env: envName.optional(),
  })
  .refine(exactlyOneKeySource, keySourceError);

export const dkimSchema = z
  .strictObject({
    domain: z.string().regex(/^[A-Za-z0-9.-]+$/, 'must be a domain name'),
    selector: z.string().regex(/^[A-Za-z0-9._-]+$/, 'must be a DNS label'),
    /** PEM RSA private key. */
    key_file: z.string().optional(),
    key_env: envName.optional(),
  })
  .refine(exactlyOneKeySource, keySourceError);

/** Direct subscribers: herald delivers to each, as a list server would. */
export const subscribersSchema = z.strictObject({
  /** CSV with a header row `email,products`; products separated by `;`, empty = every note. */
  file: z.string().min(1),
  /** Name used by `herald send --list`. */
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes').default('subscribers'),
  /** The To: header of what subscribers receive (each gets it by envelope), like a list address. */
  address: z.email(),
  list_id: headerSafe.optional(),
  unsubscribe: headerSafe.regex(/^(https:\/\/|mailto:)\S+$/, 'must be an https:// URL or a mailto: address').optional(),
  description: headerSafe.optional(),
});

export const retrySchema = z.strictObject({
  /** Attempts per message on 4xx replies and lost connections, the first included. */
  attempts: z.number().int().min(1).max(100).default(5),
  /** Delay before the first retry; doubled for each next one. */
  initial_delay_ms: z.number().int().min(0).default(1000),
  max_delay_ms: z.number().int().min(0).default(60_000),
});

export const mailSchema = z
  .strictObject({
    from: headerSafe.default('Security Team <security@example.org>'),
    reply_to: headerSafe.optional(),
    /** MAIL FROM (where bounces go); defaults to the From address. */
    envelope_from: z.email().optional(),
    /** Domain used in Message-IDs. */
    domain: z.string().max(253, 'must be a domain name of at most 253 characters').regex(/^[A-Za-z0-9.-]+$/, 'must be a domain name').default('example.org'),
    /** Handlebars template of the subject; sees id, title, revision, update, withdrawn, severity, cve. */
    subject: headerSafe.default('[{{id}}{{#if update}} UPDATE {{revision}}{{/if}}] {{#if withdrawn}}WITHDRAWN: {{/if}}{{title}}'),
    lists: z.array(mailingListSchema).default([]),
    /** `file` writes .eml files to `outbox`; `smtp` sends through `smtp`. */
    transport: z.enum(['file', 'smtp']).default('file'),
    outbox: z.string().default('outbox'),
    /** Append-only record of every delivery, so a re-run never sends twice. */
    ledger: z.string().default('state/mail-ledger.jsonl'),
    smtp: smtpSchema.optional(),
    signing: signingSchema.optional(),
    dkim: dkimSchema.optional(),
    subscribers: subscribersSchema.optional(),
    retry: retrySchema.default(retrySchema.parse({})),
    /** `Auto-Submitted: auto-generated` (RFC 3834), so auto-responders stay quiet. */
    auto_submitted: z.boolean().default(true),
    html_alternative: z.boolean().default(false),
  })
  .refine((mail) => mail.transport !== 'smtp' || mail.smtp !== undefined, { path: ['smtp'], error: '`transport: smtp` needs an `smtp:` section' })
  .refine((mail) => new Set(mail.lists.map((l) => l.name)).size === mail.lists.length, { path: ['lists'], error: 'list names must be unique' })
  .refine((mail) => !mail.subscribers || !mail.lists.some((l) => l.name === mail.subscribers!.name), {
    path: ['subscribers', 'name'],
    error: 'the subscribers name must differ from every list name',
  });

/** Characters MediaWiki forbids in page titles. */
const wikiTitleForbidden = /[#<>[\]|{}\u0000-\u001f\u007f]/;
const wikiPlaceholder = /\{\{(id|slug|prefix|year)\}\}/g;

/**
 * The wiki's action API endpoint. A bot password travels to it, so it must
 * be https, except on loopback where tests run a wiki of their own.
 */
const wikiApiUrl = z.url().refine((value) => {
  const url = new URL(value);
  return url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname));
}, 'must be an https:// URL (plain http only on 127.0.0.1, localhost or [::1])');

export const wikiSchema = z.strictObject({
  /** The action API endpoint, e.g. `https://wiki.openstack.org/w/api.php`. */
  api_url: wikiApiUrl.optional(),
  /** Bot password user, `User@appid` (Special:BotPasswords). */
  user: z.string().regex(/^[^@\s][^@]*@[^@\s]+$/, 'must be a bot password user name, User@appid').optional(),
  /** Name of the environment variable holding the bot password; never the password itself. */
  password_env: envName.default('HERALD_WIKI_PASSWORD'),
  /**
   * A PEM file of CA certificates (relative to the working directory) that the wiki's certificate is
   * trusted by besides Node's own CAs, for a wiki on a private CA; read by `wiki push` and `publish`.
   */
  ca_file: z.string().min(1).optional(),
  /** Page name of an advisory; placeholders {{id}}, {{slug}}, {{prefix}} (ids.prefix), {{year}}. */
  page_name: z
    .string()
    .min(1)
    .refine((value) => !wikiTitleForbidden.test(value.replace(wikiPlaceholder, '')), 'must be a wiki page name: no # < > [ ] | { } except the placeholders {{id}}, {{slug}}, {{prefix}}, {{year}}')
    .refine((value) => /\{\{(id|slug)\}\}/.test(value), 'must contain {{id}} or {{slug}}, so that every advisory has a page of its own')
    .default('{{prefix}}/{{id}}'),
  /** Page name of the index of every advisory. */
  index_page: z.string().min(1).regex(/^[^#<>[\]|{}\u0000-\u001f\u007f]+$/, 'must be a wiki page name: no # < > [ ] | { }').default('Security_Notes'),
  /**
   * The longest page the wiki accepts, in KiB: MediaWiki's `$wgMaxArticleSize`
   * (2048 by default). An index page that would be longer is split into a
   * page per year, `<index_page>/<year>`.
   */
  max_page_kib: z.number().int().min(1).max(1048576).default(2048),
  /** How code blocks are written: `syntaxhighlight` (needs the SyntaxHighlight extension) or `pre`. */
  code: z.enum(['syntaxhighlight', 'pre']).default('syntaxhighlight'),
  /** Where `herald wiki push` keeps the revision it last wrote on each page (relative to the working directory). */
  ledger: z.string().min(1).default('state/wiki-ledger.json'),
  /** Seconds of database replication lag at which the wiki should refuse herald's requests (the `maxlag` parameter). */
  maxlag: z.number().int().min(1).max(60).default(5),
  /** Retries of a request after a network error, a 5xx/429 answer or a maxlag refusal. */
  retries: z.number().int().min(0).max(10).default(5),
});

export const githubSchema = z.strictObject({
  /** `owner/name`; defaults to $GITHUB_REPOSITORY. */
  repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'must be owner/name').optional(),
  /** Defaults to $GITHUB_API_URL, then https://api.github.com. */
  api_url: z.url().optional(),
});

/** `/.well-known/security.txt` (RFC 9116); each value becomes one line of that file. */
export const securityTxtSchema = z.strictObject({
  /** How to report a vulnerability: `mailto:`, `https://` or `tel:` URIs, most preferred first. */
  contact: z.array(headerSafe.regex(/^(mailto:|https:\/\/|tel:)\S+$/, 'must be a mailto:, https:// or tel: URI')).min(1),
  /** When the file goes stale, an ISO 8601 date-time; defaults to the build's date plus 364 days. */
  expires: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time, e.g. 2030-01-01T00:00:00Z' }).optional(),
  /** Where your OpenPGP key is. */
  encryption: httpsUrl.optional(),
  /** Your disclosure policy. */
  policy: httpsUrl.optional(),
  /** Languages reports may be written in, comma-separated (e.g. `en, de`). */
  preferred_languages: z.string().regex(/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*(\s*,\s*[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*)*$/, 'must be language tags separated by commas, e.g. "en, de"').default('en'),
});

export const siteSchema = z.strictObject({
  /** Shown in every page's header and title, and as the feeds' title. */
  title: headerSafe.default('Security Notes'),
  /** One sentence under the index heading and in the feeds. */
  description: headerSafe.default('Security notes and advisories'),
  /** Where the site is published: absolute URLs (feeds, sitemap, canonical links) start here, and its path prefixes every link. */
  base_url: httpsUrl
    .refine((url) => !/[?#]/.test(url), 'must be where the site is served, without a query or a fragment (every page URL is made from it)')
    .default('https://security.example.org/'),
  /** Omit to publish no security.txt. */
  security_txt: securityTxtSchema.optional(),
});

/** The build cache (`.herald-cache/`, or `--cache`): how much it keeps that no build uses now. */
export const cacheSchema = z.strictObject({
  unused_mib: z
    .number()
    .int('must be a whole number of MiB')
    .min(0, 'must be 0 (keep no unused entry) or more')
    .max(1048576, 'must be at most 1048576 (1 TiB)')
    .optional()
    .describe(
      'MiB the build cache keeps of entries no build uses now (an edited note\'s old entry, those of another branch, config or template), most recently used first; as much again for the search parts. Unset: as much as the entries in use take, or 64 MiB when that is more. 0 keeps none: the cache holds one build\'s entries (a CI cache that only builds the default branch).',
    ),
});

export const configSchema = z.strictObject({
  site: siteSchema.default(siteSchema.parse({})),
  ids: z.strictObject({
    prefix: z.string().regex(/^[A-Z][A-Z0-9]{1,15}$/, 'must be upper-case letters and digits, e.g. OSSN').default('OSSN'),
  }).default({ prefix: 'OSSN' }),
  mail: mailSchema.default(mailSchema.parse({})),
  wiki: wikiSchema.default(wikiSchema.parse({})),
  github: githubSchema.default({}),
  publish: z.strictObject({
    /**
     * The day herald took over the announcements, `YYYY-MM-DD`, for an archive
     * announced by hand before. `herald publish` counts an announcement as made
     * before herald when the advisory's latest date (its last revision's, else
     * its publication date) is before this day and no embargo kept it private
     * until this day, and does not make it again. Unset, every announcement
     * without its GitHub release is made.
     */
    announce_from: isoDate.optional(),
    /**
     * The most announcements one `herald publish` run makes. More due at once
     * usually means something is wrong (releases that cannot be seen, an
     * archive adopted without `announce_from`), so the run stops before it
     * mails anyone; `--max-announcements` allows a larger batch once.
     */
    max_announcements: z.number().int().min(1).max(100000).default(25),
  }).default({ max_announcements: 25 }),
  osv: z.strictObject({
    /**
     * A home-database prefix registered with OSV (e.g. `OPENSTACK`): ids become
     * `<prefix>-0007`. Unset, ids are private: `x_OSSN-0007`.
     */
    prefix: z.string().regex(/^[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]$/, 'must be letters, digits and dashes, e.g. OPENSTACK').optional(),
  }).default({}),
  checklists: z.strictObject({
    /** Namespace of OVAL ids in the OVAL export (reverse domain name, e.g. `org.example.security`); defaults to the site's host name reversed. */
    oval_namespace: z.string().regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'must be a reverse domain name such as org.example.security').optional(),
  }).default({}),
  csaf: z
    .strictObject({
      publisher_name: z.string().min(1).default('Example Security Team'),
      /** CSAF publisher category: `vendor` for a product's own security team, `coordinator` for a CERT. */
      publisher_category: z.enum(['coordinator', 'discoverer', 'other', 'translator', 'user', 'vendor']).default('vendor'),
      publisher_namespace: httpsUrl.default('https://security.example.org'),
      /** How to reach the publisher, e.g. `security@example.org`. */
      contact_details: z.string().min(1).optional(),
      /** Whether CSAF aggregators may list and mirror the documents (provider-metadata.json). */
      list_on_aggregators: z.boolean().default(true),
      mirror_on_aggregators: z.boolean().default(true),
      /** Armored OpenPGP secret key that signs every document (`.asc`): a file, or an environment variable. */
      signing_key_file: z.string().min(1).optional(),
      signing_key_env: envName.optional(),
      /** Environment variable holding the key's passphrase, when it has one. */
      signing_passphrase_env: envName.optional(),
    })
    .refine((csaf) => csaf.signing_key_file === undefined || csaf.signing_key_env === undefined, {
      path: ['signing_key_file'],
      error: 'give at most one of `signing_key_file` or `signing_key_env`',
    })
    .default({ publisher_name: 'Example Security Team', publisher_category: 'vendor', publisher_namespace: 'https://security.example.org', list_on_aggregators: true, mirror_on_aggregators: true }),
  cache: cacheSchema.default({}),
});

export type Config = z.infer<typeof configSchema>;
export type MailingList = z.infer<typeof mailingListSchema>;
export type SmtpConfig = z.infer<typeof smtpSchema>;
export type SmtpTimeoutsConfig = z.infer<typeof smtpTimeoutsSchema>;
export type SubscribersConfig = z.infer<typeof subscribersSchema>;

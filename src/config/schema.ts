/**
 * Schema of `herald.config.yaml`. Validated once by `loadConfig`, with the
 * same located errors as notes; everything else trusts `Config`.
 * Keys are snake_case in the file and stay so in the parsed object.
 */
import { z } from 'zod';

const noControl = /^[^\u0000-\u001f\u007f]*$/;
const headerSafe = z.string().regex(noControl, 'must not contain line breaks or control characters');
const httpsUrl = z.url({ protocol: /^https$/, error: 'must be an https:// URL' });
const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name (A-Z, 0-9, _)');

export const mailingListSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes'),
  address: z.email(),
  /** RFC 2919 list identifier, e.g. `openstack-announce.lists.openstack.org`. */
  list_id: headerSafe.optional(),
  /** https one-click unsubscribe URL, or a mailto: address. */
  unsubscribe: headerSafe.optional(),
  description: headerSafe.optional(),
});

export const smtpSchema = z.strictObject({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(587),
  /** `starttls` (port 587), `implicit` TLS (port 465), or `none` (needs allow_plaintext). */
  tls: z.enum(['starttls', 'implicit', 'none']).default('starttls'),
  allow_plaintext: z.boolean().default(false),
  /** Accept a self-signed certificate from this PEM file (tests, private relays). */
  ca_file: z.string().optional(),
  user: z.string().optional(),
  /** Name of the environment variable holding the SMTP password; never the password itself. */
  password_env: envName.optional(),
  pool_size: z.number().int().min(1).max(64).default(4),
  /** Messages per second at most; 0 means no limit. */
  rate_limit: z.number().min(0).default(0),
});

export const signingSchema = z.strictObject({
  /** `inline` cleartext signature (as DSA/USN mails), or `pgp-mime` (RFC 3156). */
  mode: z.enum(['inline', 'pgp-mime']).default('inline'),
  key_file: z.string().optional(),
  key_env: envName.optional(),
  passphrase_env: envName.optional(),
});

export const dkimSchema = z.strictObject({
  domain: z.string().min(1),
  selector: z.string().min(1),
  key_file: z.string().optional(),
  key_env: envName.optional(),
});

export const mailSchema = z.strictObject({
  from: headerSafe.default('Security Team <security@example.org>'),
  reply_to: headerSafe.optional(),
  /** Domain used in Message-IDs. */
  domain: z.string().regex(/^[a-z0-9.-]+$/i, 'must be a domain name').default('example.org'),
  /** Handlebars template of the subject; sees id, title, revision, update, withdrawn. */
  subject: headerSafe.default('[{{id}}{{#if update}} UPDATE {{revision}}{{/if}}] {{#if withdrawn}}WITHDRAWN: {{/if}}{{title}}'),
  lists: z.array(mailingListSchema).default([]),
  transport: z.enum(['file', 'smtp']).default('file'),
  outbox: z.string().default('outbox'),
  smtp: smtpSchema.optional(),
  signing: signingSchema.optional(),
  dkim: dkimSchema.optional(),
  /** CSV of direct subscribers: `email,products` (products separated by `;`, empty = all). */
  subscribers_csv: z.string().optional(),
  html_alternative: z.boolean().default(false),
});

export const wikiSchema = z.strictObject({
  api_url: z.url().optional(),
  /** Bot password user, `User@appid`. */
  user: z.string().optional(),
  password_env: envName.default('HERALD_WIKI_PASSWORD'),
  /** Handlebars template of a page name; sees id. */
  page_name: z.string().default('OSSN/{{id}}'),
  index_page: z.string().default('Security_Notes'),
  code: z.enum(['syntaxhighlight', 'pre']).default('syntaxhighlight'),
});

export const githubSchema = z.strictObject({
  /** `owner/name`; defaults to $GITHUB_REPOSITORY. */
  repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'must be owner/name').optional(),
  /** Defaults to $GITHUB_API_URL, then https://api.github.com. */
  api_url: z.url().optional(),
});

export const securityTxtSchema = z.strictObject({
  contact: z.array(z.string().min(1)).min(1),
  expires: z.string().optional(),
  encryption: z.string().optional(),
  policy: z.string().optional(),
  preferred_languages: z.string().default('en'),
});

export const siteSchema = z.strictObject({
  title: headerSafe.default('Security Notes'),
  description: z.string().default('Security notes and advisories'),
  base_url: httpsUrl.default('https://security.example.org/'),
  security_txt: securityTxtSchema.optional(),
});

export const configSchema = z.strictObject({
  site: siteSchema.default(siteSchema.parse({})),
  ids: z.strictObject({
    prefix: z.string().regex(/^[A-Z][A-Z0-9]{1,15}$/, 'must be upper-case letters and digits, e.g. OSSN').default('OSSN'),
  }).default({ prefix: 'OSSN' }),
  mail: mailSchema.default(mailSchema.parse({})),
  wiki: wikiSchema.default(wikiSchema.parse({})),
  github: githubSchema.default({}),
  osv: z.strictObject({
    /** OSV id prefix; herald's ids are private unless you have a registered one. */
    prefix: z.string().optional(),
  }).default({}),
  csaf: z.strictObject({
    publisher_name: z.string().default('Example Security Team'),
    publisher_namespace: httpsUrl.default('https://security.example.org'),
    signing_key_env: envName.optional(),
  }).default({ publisher_name: 'Example Security Team', publisher_namespace: 'https://security.example.org' }),
});

export type Config = z.infer<typeof configSchema>;
export type MailingList = z.infer<typeof mailingListSchema>;

/**
 * `/.well-known/security.txt` (RFC 9116) from `site.security_txt` in the
 * config, with the `CSAF:` line that points CSAF aggregators at the
 * provider metadata the build publishes; no file at all when the section
 * is absent.
 */
import type { RenderContext, OutputFile } from '../types.ts';
import { providerMetadataUrl } from '../csaf/layout.ts';
import { absoluteUrl, siteRoot } from './urls.ts';

/** RFC 9116 requires `Expires`, and recommends less than a year ahead. */
const defaultLifetimeDays = 364;

export function securityTxt(context: RenderContext): OutputFile | null {
  const settings = context.config.site.security_txt;
  if (!settings) return null;
  const expires = settings.expires ?? new Date(Date.UTC(context.now.getUTCFullYear(), context.now.getUTCMonth(), context.now.getUTCDate() + defaultLifetimeDays)).toISOString().replace('.000Z', 'Z');
  const lines = [
    ...settings.contact.map((contact) => `Contact: ${contact}`),
    `Expires: ${expires}`,
    ...(settings.encryption ? [`Encryption: ${settings.encryption}`] : []),
    ...(settings.policy ? [`Policy: ${settings.policy}`] : []),
    `Preferred-Languages: ${settings.preferred_languages}`,
    `Canonical: ${absoluteUrl(context.config, '.well-known/security.txt')}`,
    // Where CSAF aggregators find the provider (CSAF 2.0, requirement 8): the build publishes it beside this file.
    `CSAF: ${providerMetadataUrl(context.config)}`,
  ];
  return { path: `${siteRoot}/.well-known/security.txt`, contents: `${lines.join('\n')}\n` };
}

/**
 * What is wrong with the configured `Expires`, if anything: RFC 9116 wants
 * it in the future, and less than a year ahead. The default (the build's
 * day plus 364 days) never is.
 */
export function securityTxtExpiryProblem(context: Pick<RenderContext, 'config' | 'now'>): string | undefined {
  const expires = context.config.site.security_txt?.expires;
  if (expires === undefined) return undefined;
  const at = Date.parse(expires);
  if (at <= context.now.getTime()) return `site.security_txt.expires (${expires}) has passed: the site's security.txt is published expired, and RFC 9116 has readers take it as stale`;
  if (at - context.now.getTime() > 366 * 24 * 3600 * 1000) return `site.security_txt.expires (${expires}) is more than a year ahead: RFC 9116 recommends less, so that stale contacts age out`;
  return undefined;
}

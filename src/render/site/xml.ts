/**
 * Escaping for the XML the site writes (Atom, sitemap). Text from notes may
 * hold characters XML 1.0 forbids outright (most C0 controls, lone
 * surrogates); those are dropped, since no escape makes them legal.
 */
const forbidden = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for an XML element or a double- or single-quoted attribute. */
export function escapeXml(text: string): string {
  return text.replace(forbidden, '').replace(/[&<>"']/g, (char) => entities[char]!);
}

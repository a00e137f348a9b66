/** A GitHub Security Advisory's page in GitHub's advisory database. */
export function ghsaUrl(ghsa: string): string {
  return `https://github.com/advisories/${encodeURIComponent(ghsa)}`;
}

/** Blog posts are accepted as written; lint says which fields would make one first-class. */
import type { NoteRule } from '../rule.ts';

export const postStructure: NoteRule = ({ advisory, field, report }) => {
  if (advisory.kind !== 'post') return;
  const missing: string[] = [];
  if (advisory.affects.length === 0) missing.push('affects (the products and versions concerned)');
  if (advisory.verify.length === 0) missing.push('verify (checks operators can run)');
  if (!advisory.severity) missing.push('severity');
  if (advisory.references.length === 0) missing.push('references');
  if (advisory.cve.length === 0 && advisory.tags.length === 0) missing.push('cve or tags');
  if (missing.length > 0) {
    report('post-not-structured', `Blog post is published as written; add ${missing.join(', ')} to make it a first-class advisory`, field([]), 'These fields feed the checklist, the affected-products table, feeds per product and the OSV/CSAF exports.');
  }
};

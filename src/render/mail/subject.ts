/**
 * The Subject: from the `mail.subject` template. A private preview is
 * marked whatever the template says, since a template cannot be trusted
 * to remember it.
 */
import type { Advisory } from '../../model/types.ts';
import type { Edition } from './identity.ts';
import { compileSubject } from './templates.ts';

const compiled = new Map<string, (view: object) => string>();

/** What a subject template sees. */
export interface SubjectView {
  id: string;
  title: string;
  revision: number;
  update: boolean;
  withdrawn: boolean;
  severity: string;
  cve: string;
  kind: Advisory['kind'];
}

/** The Subject: of an edition, from `mail.subject`; `[PRIVATE PREVIEW]` first in a preview. */
export function renderSubject(template: string, advisory: Advisory, edition: Edition, preview: boolean): string {
  let render = compiled.get(template);
  if (!render) {
    render = compileSubject(template);
    compiled.set(template, render);
  }
  const view: SubjectView = {
    id: advisory.id,
    title: advisory.title,
    revision: edition.revision,
    update: edition.revision > 0,
    withdrawn: edition.withdrawn,
    severity: advisory.severity ?? '',
    cve: advisory.cve.join(', '),
    kind: advisory.kind,
  };
  // Only spaces collapse: a control character must survive to be refused by the header check.
  const subject = render(view).replace(/ {2,}/g, ' ').trim();
  return preview ? `[PRIVATE PREVIEW] ${subject}` : subject;
}

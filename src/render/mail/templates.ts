/**
 * The mail's Handlebars templates (`templates/mail/`), read and compiled
 * once when the module loads: rendering is then a function call, never a
 * file read. The text template is compiled without HTML escaping (it is
 * plain text); the HTML one escapes everything but sanitized fragments.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { packageRoot } from '../../package-root.ts';

/** `templates/mail/` at the repository root. */
export const templateDir = path.join(packageRoot, 'templates/mail');

const handlebars = Handlebars.create();

function read(file: string): string {
  return readFileSync(path.join(templateDir, file), 'utf8');
}

/** What the text template sees: blocks already laid out in 72 columns. */
export interface TextView {
  preview: boolean;
  banner: string;
  headline: string;
  title: string;
  rule: string;
  facts: string;
  notice: string;
  sections: { heading: string; body: string }[];
}

/** What the HTML template sees; `sections[].html` is sanitized, everything else is escaped. */
export interface HtmlView {
  preview: boolean;
  bannerText: string;
  subject: string;
  headline: string;
  title: string;
  facts: { label: string; value: string }[];
  notice: string;
  sections: { heading: string; html: string }[];
}

const text = handlebars.compile<TextView>(read('announcement.txt.hbs'), { strict: true, noEscape: true });
const html = handlebars.compile<HtmlView>(read('announcement.html.hbs'), { strict: true });

/** The compiled mail templates. */
export const templates = {
  text: (view: TextView): string => text(view),
  html: (view: HtmlView): string => html(view),
};

/** Compiles a subject template from the config (no HTML escaping: a subject is text). */
export function compileSubject(source: string): (view: object) => string {
  const template = handlebars.compile(source, { noEscape: true });
  return (view) => template(view);
}

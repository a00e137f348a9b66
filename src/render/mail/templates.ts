/**
 * The mail's Handlebars templates (`templates/mail/`), made into functions
 * once when the module loads (`template-compile.ts`): rendering is then a function call, never a
 * file read. The text template is compiled without HTML escaping (it is
 * plain text); the HTML one escapes everything but sanitized fragments.
 */
import Handlebars from 'handlebars';
import { heraldTemplate, mailHtmlOptions, mailTextOptions } from '../template-compile.ts';

const handlebars = Handlebars.create();

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
  facts: { label: string; value: string; href?: string }[];
  notice: string;
  sections: { heading: string; html: string }[];
}

const text = heraldTemplate<TextView>(handlebars, 'mail/announcement.txt.hbs', mailTextOptions);
const html = heraldTemplate<HtmlView>(handlebars, 'mail/announcement.html.hbs', mailHtmlOptions);

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

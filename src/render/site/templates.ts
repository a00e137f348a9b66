/**
 * The site's Handlebars templates, read and compiled once when the module
 * loads: rendering a page is then a function call, never a file read.
 * Templates get view models (plain data from `views.ts`), which Handlebars
 * escapes; the only unescaped values are the sanitized note body and the
 * page content the layout wraps.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { packageRoot } from '../../package-root.ts';
import type { AdvisoryView, LayoutView } from './views.ts';

/** `templates/site/` at the repository root. */
export const templateDir = path.join(packageRoot, 'templates/site');

const handlebars = Handlebars.create();

// `strict` turns a misspelt field into an error instead of an empty string;
// `preventIndent` keeps partials from re-indenting the contents of <pre>.
const compileOptions = { strict: true, preventIndent: true } as const;

function read(file: string): string {
  return readFileSync(path.join(templateDir, file), 'utf8');
}

for (const file of readdirSync(path.join(templateDir, 'partials')).sort()) {
  if (file.endsWith('.hbs')) handlebars.registerPartial(file.slice(0, -'.hbs'.length), handlebars.compile(read(`partials/${file}`), compileOptions));
}

function compile<View>(file: string): (view: View) => string {
  const template = handlebars.compile(read(file), compileOptions);
  return (view) => template(view);
}

/**
 * Page templates by name; each renders the content of `<main>` except
 * `layout` and `redirect`. The small pages take plain objects built next to
 * their call.
 */
export const templates = {
  layout: compile<LayoutView>('layout.hbs'),
  listing: compile<object>('listing.hbs'),
  facetIndex: compile<object>('facet-index.hbs'),
  advisory: compile<AdvisoryView>('advisory.hbs'),
  idIndex: compile<object>('id-index.hbs'),
  search: compile<object>('search.hbs'),
  notFound: compile<object>('not-found.hbs'),
  redirect: compile<object>('redirect.hbs'),
};

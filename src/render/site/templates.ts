/**
 * The site's Handlebars templates (`templates/site/`), made into functions
 * once when the module loads (`template-compile.ts`): rendering a page is
 * then a function call, never a file read.
 * Templates get view models (plain data from `views.ts`), which Handlebars
 * escapes; the only unescaped values are the sanitized note body and the
 * page content the layout wraps.
 */
import Handlebars from 'handlebars';
import { heraldTemplate, siteOptions, sitePartials } from '../template-compile.ts';
import type { AdvisoryView, LayoutView } from './views.ts';

const handlebars = Handlebars.create();

for (const name of sitePartials()) handlebars.registerPartial(name, heraldTemplate(handlebars, `site/partials/${name}.hbs`, siteOptions));

function compile<View>(file: string): (view: View) => string {
  const template = heraldTemplate<View>(handlebars, `site/${file}`, siteOptions);
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

/**
 * herald's own Handlebars templates (`templates/site/`, `templates/mail/`),
 * each with the options it is compiled with, and the one way they are
 * made into functions. From the sources, a template is compiled from its
 * file on its first call. The compiled bundle (`npm run compile`) carries
 * every one precompiled (`precompiledModule`, in place of
 * `precompiled-templates.ts`): compiling them was about 150 ms of a build
 * worker's start-up and 60 ms of the main thread's listings, on the path
 * of a one-note rebuild. The compiled code runs only while templates/ is
 * as it was compiled (bin/compiled.js), so both give the same bytes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { packageRoot } from '../package-root.ts';
import { precompiledTemplates } from './precompiled-templates.ts';

/** `templates/` at the repository root. */
const templatesDir = path.join(packageRoot, 'templates');

// `strict` turns a misspelt field into an error instead of an empty string;
// `preventIndent` keeps partials from re-indenting the contents of <pre>.
export const siteOptions = { strict: true, preventIndent: true } as const;
/** The mail's text is plain text: no HTML escaping. */
export const mailTextOptions = { strict: true, noEscape: true } as const;
export const mailHtmlOptions = { strict: true } as const;

type Options = typeof siteOptions | typeof mailTextOptions | typeof mailHtmlOptions;

/** The site's partials, by name (`templates/site/partials/<name>.hbs`). */
export function sitePartials(): string[] {
  return readdirSync(path.join(templatesDir, 'site/partials'))
    .filter((file) => file.endsWith('.hbs'))
    .map((file) => file.slice(0, -'.hbs'.length))
    .sort();
}

/** Every template herald compiles, by its path under templates/, with its options. */
export function heraldTemplates(): [string, Options][] {
  const site = readdirSync(path.join(templatesDir, 'site')).filter((file) => file.endsWith('.hbs'));
  return [
    ...sitePartials().map((name): [string, Options] => [`site/partials/${name}.hbs`, siteOptions]),
    ...site.sort().map((file): [string, Options] => [`site/${file}`, siteOptions]),
    ['mail/announcement.txt.hbs', mailTextOptions],
    ['mail/announcement.html.hbs', mailHtmlOptions],
  ];
}

/** A precompiled template's name: its file and its options, so that one compiled with other options is never taken. */
function specName(file: string, options: Options): string {
  return `${file} ${JSON.stringify(options)}`;
}

/** A template of templates/ as a function of its view, for `handlebars` (an environment with its partials). */
export function heraldTemplate<View>(handlebars: typeof Handlebars, file: string, options: Options): HandlebarsTemplateDelegate<View> {
  const name = specName(file, options);
  const spec = precompiledTemplates[name];
  if (spec) return handlebars.template<View>(spec as TemplateSpecification);
  // In the compiled bundle every template is precompiled: a miss is herald's own mistake, said at once.
  if (Object.keys(precompiledTemplates).length > 0) throw new Error(`the compiled bundle has no precompiled template ${name}`);
  // A copy: Handlebars adds its defaults to the options object it is given.
  return handlebars.compile<View>(readFileSync(path.join(templatesDir, file), 'utf8'), { ...options });
}

/** The module the compiled bundle has in place of precompiled-templates.ts: every template of `heraldTemplates`, precompiled. */
export function precompiledModule(): string {
  const entries = heraldTemplates().map(([file, options]) => `  ${JSON.stringify(specName(file, options))}: ${Handlebars.precompile(readFileSync(path.join(templatesDir, file), 'utf8'), { ...options })},`);
  return `export const precompiledTemplates = {\n${entries.join('\n')}\n};\n`;
}

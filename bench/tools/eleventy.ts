/**
 * Eleventy building only the site from the same notes: one page per note
 * through a layout, and an index listing them all. Markdown goes through
 * Eleventy's own markdown-it with bare-URL linking turned on (as GFM does
 * in herald) and without a Liquid pass over the Markdown, which the notes
 * do not need.
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CommandSpec } from '../measure.ts';
import { repoRoot } from './herald.ts';
import type { Tool, ToolOptions, ToolProject, WatchSpec } from './types.ts';

const packageDir = path.join(repoRoot, 'node_modules', '@11ty', 'eleventy');
const eleventyBin = path.join(packageDir, 'cmd.cjs');

const config = `export default function (eleventyConfig) {
  eleventyConfig.amendLibrary('md', (md) => md.set({ linkify: true }));
  return {
    dir: { input: 'src', output: '_site', includes: '_includes' },
    markdownTemplateEngine: false,
    htmlTemplateEngine: 'njk',
  };
}
`;

const layout = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ id }}: {{ title }}</title></head>
<body>
<header><a href="/">Security notes</a></header>
<main>
<h1>{{ id }}: {{ title }}</h1>
<p>Published {{ page.date.toISOString().slice(0, 10) }}{% if severity %}, severity {{ severity }}{% endif %}</p>
{{ content | safe }}
</main>
</body>
</html>
`;

const index = `---
permalink: /index.html
---
<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Security notes</title></head>
<body>
<h1>Security notes</h1>
<ul>
{%- for note in collections.advisory | reverse %}
<li><a href="{{ note.url }}">{{ note.data.id }}</a> {{ note.data.title }} ({{ note.date.toISOString().slice(0, 10) }})</li>
{%- endfor %}
</ul>
</body>
</html>
`;

const directoryData = JSON.stringify({ layout: 'note.njk', tags: 'advisory' }, null, 2);

function eleventyEnv(options: ToolOptions): Record<string, string> {
  return options.nodeOptions ? { NODE_OPTIONS: options.nodeOptions } : {};
}

class EleventyProject implements ToolProject {
  constructor(
    private readonly dir: string,
    private readonly options: ToolOptions,
  ) {}

  async setUp(corpus: string): Promise<void> {
    const src = path.join(this.dir, 'src');
    await mkdir(path.join(src, '_includes'), { recursive: true });
    await cp(corpus, path.join(src, 'advisories'), { recursive: true });
    await writeFile(path.join(this.dir, 'eleventy.config.mjs'), config);
    await writeFile(path.join(src, '_includes', 'note.njk'), layout);
    await writeFile(path.join(src, 'index.njk'), index);
    await writeFile(path.join(src, 'advisories', 'advisories.11tydata.json'), directoryData);
  }

  async clean(): Promise<void> {
    await rm(path.join(this.dir, '_site'), { recursive: true, force: true });
    await rm(path.join(this.dir, '.cache'), { recursive: true, force: true });
  }

  build(): CommandSpec {
    // --quiet: otherwise Eleventy prints one line per file written, which is not what is measured.
    return { command: process.execPath, node: true, args: [eleventyBin, '--config=eleventy.config.mjs', '--quiet'], cwd: this.dir, env: eleventyEnv(this.options), timeoutMs: this.options.timeoutMs };
  }

  notePath(id: string): string {
    return path.join(this.dir, 'src', 'advisories', `${id}.md`);
  }

  async watch(): Promise<WatchSpec> {
    return {
      // --watch without --serve: the dev server would listen on every interface.
      command: { command: process.execPath, node: true, args: [eleventyBin, '--config=eleventy.config.mjs', '--quiet', '--watch', '--incremental'], cwd: this.dir, env: eleventyEnv(this.options) },
      ready: /Watching/,
      probe: (id) => ({ file: path.join(this.dir, '_site', 'advisories', id, 'index.html') }),
      mode: 'eleventy --watch --incremental',
    };
  }
}

export const eleventy: Tool = {
  name: 'Eleventy',
  scope: 'site only: one page per note through a layout, and an index',
  async unavailable() {
    return existsSync(eleventyBin) ? undefined : 'not installed (npm install -D @11ty/eleventy@3)';
  },
  async version() {
    return (JSON.parse(await readFile(path.join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
  },
  project: (dir, options) => new EleventyProject(dir, options),
};

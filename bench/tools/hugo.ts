/**
 * Hugo (Debian's `hugo`) building only the site from the same notes: one
 * page per note through a layout, and an index listing them all; sections,
 * taxonomies, feeds and sitemaps are turned off so it does no more than
 * Eleventy does. Measured with Chroma code highlighting (Hugo's default)
 * and without.
 */
import { spawnSync } from 'node:child_process';
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CommandSpec } from '../measure.ts';
import type { Tool, ToolOptions, ToolProject, WatchSpec } from './types.ts';

function siteConfig(highlight: boolean): string {
  return `baseURL = "https://security.example.org/"
title = "Security notes"
disableKinds = ["taxonomy", "term", "section", "RSS", "sitemap", "robotsTXT", "404"]
disablePathToLower = true
[markup.highlight]
codeFences = ${highlight}
`;
}

const single = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ .Params.id }}: {{ .Title }}</title></head>
<body>
<header><a href="/">Security notes</a></header>
<main>
<h1>{{ .Params.id }}: {{ .Title }}</h1>
<p>Published {{ .Date.Format "2006-01-02" }}{{ with .Params.severity }}, severity {{ . }}{{ end }}</p>
{{ .Content }}
</main>
</body>
</html>
`;

const home = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Security notes</title></head>
<body>
<h1>Security notes</h1>
<ul>
{{- range (where .Site.RegularPages "Section" "advisories").ByDate.Reverse }}
<li><a href="{{ .RelPermalink }}">{{ .Params.id }}</a> {{ .Title }} ({{ .Date.Format "2006-01-02" }})</li>
{{- end }}
</ul>
</body>
</html>
`;

function hugoVersion(): string | undefined {
  const result = spawnSync('hugo', ['version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

class HugoProject implements ToolProject {
  constructor(
    private readonly dir: string,
    private readonly options: ToolOptions,
    private readonly highlight: boolean,
  ) {}

  async setUp(corpus: string): Promise<void> {
    await mkdir(path.join(this.dir, 'layouts', '_default'), { recursive: true });
    await cp(corpus, path.join(this.dir, 'content', 'advisories'), { recursive: true });
    await writeFile(path.join(this.dir, 'hugo.toml'), siteConfig(this.highlight));
    await writeFile(path.join(this.dir, 'layouts', '_default', 'single.html'), single);
    await writeFile(path.join(this.dir, 'layouts', 'index.html'), home);
  }

  async clean(): Promise<void> {
    for (const folder of ['public', 'resources']) await rm(path.join(this.dir, folder), { recursive: true, force: true });
  }

  build(): CommandSpec {
    return { command: 'hugo', args: ['--quiet'], cwd: this.dir, timeoutMs: this.options.timeoutMs };
  }

  notePath(id: string): string {
    return path.join(this.dir, 'content', 'advisories', `${id}.md`);
  }

  async watch(port: number): Promise<WatchSpec> {
    return {
      command: { command: 'hugo', args: ['server', '--bind', '127.0.0.1', '--port', String(port), '--disableLiveReload'], cwd: this.dir },
      ready: /Web Server is available/,
      probe: (id) => ({ url: `http://127.0.0.1:${port}/advisories/${id}/` }),
      mode: 'hugo server (in memory, default fast render)',
    };
  }
}

function hugoTool(highlight: boolean): Tool {
  return {
    name: highlight ? 'Hugo' : 'Hugo (no highlighting)',
    scope: `site only: one page per note through a layout, and an index; code highlighting ${highlight ? 'on (default)' : 'off'}`,
    async unavailable() {
      return hugoVersion() ? undefined : 'hugo is not installed (Debian package hugo)';
    },
    async version() {
      return hugoVersion() ?? 'absent';
    },
    project: (dir, options) => new HugoProject(dir, options, highlight),
  };
}

export const hugo = hugoTool(true);
export const hugoNoHighlight = hugoTool(false);

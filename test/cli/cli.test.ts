import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createProgram } from '../../src/cli/main.ts';
import { processContext } from '../../src/cli/context.ts';
import { runCli } from '../support/cli.ts';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import sarifSchema from '@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json' with { type: 'json' };

interface SarifLog {
  runs: { tool: { driver: { name: string; rules: { id: string }[] } }; results: { ruleId: string; ruleIndex: number; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[] }[] }[];
}

const repo = path.resolve(import.meta.dirname, '../..');
const broken = path.join(repo, 'test/fixtures/broken');
const work = mkdtempSync(path.join(tmpdir(), 'herald-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every command and subcommand path, e.g. ['wiki', 'push']. */
function commandPaths(): string[][] {
  const paths: string[][] = [];
  const walk = (command: ReturnType<typeof createProgram>, prefix: string[]) => {
    for (const sub of command.commands) {
      paths.push([...prefix, sub.name()]);
      walk(sub, [...prefix, sub.name()]);
    }
  };
  walk(createProgram(processContext()), []);
  return paths;
}

describe('herald CLI', () => {
  it('has --help on the program and on every command, with exit 0', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('Usage: herald');
    for (const command of commandPaths()) {
      const run = await runCli([...command, '--help']);
      expect(run.code, command.join(' ')).toBe(0);
      expect(run.stdout, command.join(' ')).toContain(`Usage: herald ${command.join(' ')}`);
      expect(run.stdout.split('\n')[2]?.trim().length, `${command.join(' ')} has a description`).toBeGreaterThan(10);
    }
  });

  it('exits 2 on usage errors', async () => {
    expect((await runCli(['no-such-command'])).code).toBe(2);
    expect((await runCli(['lint', '--no-such-option'])).code).toBe(2);
    const badFormat = await runCli(['lint', '--format', 'xml', 'notes'], { cwd: repo });
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toContain('unknown format "xml"');
    expect((await runCli(['lint', 'does/not/exist'], { cwd: repo })).code).toBe(2);
    // A number option given something else names the option, without a stack trace.
    for (const args of [['build', '--workers', 'x'], ['build', '--render-timeout', '-5'], ['serve', '--watch', '--poll', '10']]) {
      const run = await runCli(args, { cwd: repo });
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toMatch(new RegExp(`option '${args[args.length - 2]} <[a-z]+>' argument`));
      expect(run.stderr, args.join(' ')).not.toMatch(/internal error|\n\s+at /);
    }
  });

  it('lint: exit 0 on the bundled notes (warnings only)', async () => {
    const run = await runCli(['lint', 'notes'], { cwd: repo });
    expect(run.stderr).toMatch(/0 error\(s\)/);
    expect(run.code).toBe(0);
  });

  it('lint: given no paths, checks the --notes folder', async () => {
    // It checked notes/ whatever --notes said: a team whose notes live in advisories/ linted nothing of theirs.
    const dir = mkdtempSync(path.join(tmpdir(), 'herald-lint-notes-'));
    try {
      cpSync(path.join(repo, 'notes'), path.join(dir, 'advisories'), { recursive: true });
      cpSync(path.join(repo, 'herald.config.yaml'), path.join(dir, 'herald.config.yaml'));
      writeFileSync(path.join(dir, 'advisories/broken.md'), '---\nid: [\n---\n');
      const run = await runCli(['lint', '--notes', 'advisories', '--no-cache'], { cwd: dir });
      expect(run.stdout).toMatch(/^advisories\/broken\.md:2:/m);
      expect(run.stderr).toMatch(/^10 note\(s\) checked: 1 error\(s\)/m);
      expect(run.code).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lint: --max-warnings makes warnings count, and says so when they fail the run', async () => {
    const run = await runCli(['lint', 'notes', '--max-warnings', '0'], { cwd: repo });
    expect(run.stdout).toContain('warning');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('herald lint: 1 warning(s), more than --max-warnings 0 allows');
    const github = await runCli(['lint', 'notes', '--max-warnings', '0', '--format', 'github'], { cwd: repo });
    expect(github.code).toBe(1);
    expect(github.stdout).toContain('::error title=herald lint::1 warning(s), more than --max-warnings 0 allows\n');
    expect((await runCli(['lint', 'notes', '--max-warnings', '1'], { cwd: repo })).code).toBe(0);
  });

  it('lint: text format is path:line:column severity rule message, exit 1 on errors', async () => {
    const run = await runCli(['lint', '.'], { cwd: broken });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('bad-yaml/OSSN-0201.md:3:8  error  yaml-syntax  ');
    expect(run.stdout).not.toMatch(/\n\s+at /); // never a stack trace
  });

  it('build --json: a refused build is {ok: false, messages} on stdout only, exit 1, and the output is not made', async () => {
    const out = path.join(work, 'refused');
    const run = await runCli(['build', '--notes', 'plain-wording', '--out', out, '--json', '--no-cache'], { cwd: broken });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { ok: boolean; messages: { file: string; line: number; ruleId: string }[] };
    expect(report.ok).toBe(false);
    expect(report.messages.map((m) => `${m.file}:${m.line} ${m.ruleId}`)).toContain('plain-wording/OSSN-0206.md:3 schema-type');
    // Said once: the findings are in the JSON, not on stderr as well; stderr keeps what the JSON does not say.
    expect(run.stderr).not.toContain('schema-type');
    expect(run.stderr.trimEnd().split('\n').at(-1)).toMatch(/^herald: build refused: \d+ error\(s\) to fix; .*refused was left as it was$/);
    expect(existsSync(out)).toBe(false);
    // No herald.config.yaml in that folder: the build says it runs on the defaults.
    expect(run.stderr).toContain(`herald: no herald.config.yaml in ${broken}: using the defaults (site title "Security Notes", base URL https://security.example.org/, no mailing lists)`);
    const configured = await runCli(['build', '--notes', 'plain-wording', '--out', out, '--no-cache', '--config', 'bad-config/herald.config.yaml'], { cwd: broken });
    expect(configured.stderr).not.toContain('using the defaults');
  });

  it('build --json: says which way the listings and feeds were made (aggregates: made, kept, patched), nothing of them when nothing changed, and the files removed', async () => {
    const project = path.join(work, 'aggregates-project');
    cpSync(path.join(repo, 'notes'), path.join(project, 'notes'), { recursive: true });
    cpSync(path.join(repo, 'herald.config.yaml'), path.join(project, 'herald.config.yaml'));
    type Summary = { ok: boolean; rendered: number; removed: number; aggregates?: { made: number; kept: number; patched: boolean }; messages: { ruleId: string }[] };
    const build = async (): Promise<Summary> => {
      const run = await runCli(['build', '--json'], { cwd: project });
      expect(run.code, run.stderr).toBe(0);
      // The blog post's warning is in the summary's messages, and not said again on stderr.
      expect(run.stderr).not.toContain('post-not-structured');
      return JSON.parse(run.stdout) as Summary;
    };
    const cold = await build();
    expect(cold.messages.map((m) => m.ruleId)).toContain('post-not-structured');
    expect(cold.aggregates).toMatchObject({ kept: 0, patched: false });
    expect(cold.aggregates!.made).toBeGreaterThan(0);
    // An edit to a note's text alone: only the files that show it are made again, without the whole set's renderers.
    const note = path.join(project, 'notes/OSSN-0003.md');
    writeFileSync(note, readFileSync(note, 'utf8').replace('## Discussion\n', '## Discussion\n\nA sentence added by the test.\n'));
    const patched = await build();
    expect(patched.rendered).toBe(1);
    expect(patched.aggregates).toMatchObject({ patched: true });
    expect(patched.aggregates!.kept).toBeGreaterThan(0);
    // Nothing changed since: the build stops early, and makes no aggregate.
    const unchanged = await build();
    expect(unchanged.ok).toBe(true);
    expect(unchanged).not.toHaveProperty('aggregates');
    expect(unchanged.removed).toBe(0);
    // A note gone: its files are removed from the output, and the summary counts them.
    rmSync(note);
    const gone = await build();
    expect(gone.removed).toBeGreaterThan(0);
    expect(existsSync(path.join(project, 'dist/site/advisories/OSSN-0003/index.html'))).toBe(false);
  });

  it('build --preview goes to dist-preview unless --out says otherwise, never over the public dist', async () => {
    const project = path.join(work, 'preview-project');
    cpSync(path.join(repo, 'notes'), path.join(project, 'notes'), { recursive: true });
    cpSync(path.join(repo, 'herald.config.yaml'), path.join(project, 'herald.config.yaml'));
    expect((await runCli(['build', '--no-cache'], { cwd: project })).code).toBe(0);
    const publicIndex = readFileSync(path.join(project, 'dist/site/index.html'), 'utf8');
    expect((await runCli(['build', '--preview', '--no-cache'], { cwd: project })).code).toBe(0);
    expect(readFileSync(path.join(project, 'dist/site/index.html'), 'utf8')).toBe(publicIndex);
    expect(readFileSync(path.join(project, 'dist-preview/site/index.html'), 'utf8')).toContain('PRIVATE PREVIEW');
  });

  it('lint: json and github formats', async () => {
    const json = await runCli(['lint', '--format', 'json', '.'], { cwd: broken });
    const messages = JSON.parse(json.stdout) as { ruleId: string; file: string; line: number }[];
    expect(messages.some((m) => m.ruleId === 'frontmatter-engine' && m.file === 'js-frontmatter/OSSN-0202.md' && m.line === 1)).toBe(true);
    expect((await runCli(['lint', '--json', '.'], { cwd: broken })).stdout).toBe(json.stdout);
    const both = await runCli(['lint', '--json', '--format', 'sarif', '.'], { cwd: broken });
    expect([both.code, both.stderr]).toEqual([2, expect.stringContaining('--json and --format sarif ask for two formats')]);
    const github = await runCli(['lint', '--format', 'github', '.'], { cwd: broken });
    const lines = github.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^::error file=bad-yaml\/OSSN-0201\.md,line=3,col=8,title=yaml-syntax::/);
    expect(lines.filter((l) => l.startsWith('::error')).length).toBeLessThanOrEqual(10);
    expect(lines.at(-1)).toMatch(/^::notice title=herald lint::\d+ more error/);
  });

  it('lint: a SARIF 2.1.0 log that the official schema accepts, with every message json gives', async () => {
    const json = JSON.parse((await runCli(['lint', '--format', 'json', '.'], { cwd: broken })).stdout) as { ruleId: string; file: string; line: number; column: number; severity: string }[];
    const run = await runCli(['lint', '--format', 'sarif', '.'], { cwd: broken });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    const log = JSON.parse(run.stdout) as SarifLog;
    const validate = new Ajv04.default({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats.default(validate);
    const valid = validate.validate(sarifSchema, log);
    expect(validate.errors ?? [], 'valid SARIF 2.1.0').toEqual([]);
    expect(valid).toBe(true);
    const [run0] = log.runs;
    expect(run0!.tool.driver.name).toBe('herald');
    const placed = run0!.results.map((r) => {
      const location = r.locations[0]!.physicalLocation;
      return { ruleId: r.ruleId, severity: r.level, file: decodeURIComponent(location.artifactLocation.uri), line: location.region.startLine, column: location.region.startColumn };
    });
    expect(placed).toEqual(json.map(({ ruleId, severity, file, line, column }) => ({ ruleId, severity, file, line, column })));
    expect(run0!.results.every((r) => run0!.tool.driver.rules[r.ruleIndex]!.id === r.ruleId)).toBe(true);
  });

  it('reports an invalid config file with its line and rule id', async () => {
    const run = await runCli(['lint', '--config', path.join(broken, 'bad-config/herald.config.yaml'), 'notes'], { cwd: repo });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/herald\.config\.yaml:3:13 {2}error {2}config-invalid {2}"site\.base_url" must be an https:\/\/ URL/);
    expect(run.stderr).toMatch(/herald\.config\.yaml:7:7 {2}error {2}config-invalid {2}Unknown field "adress" in mail\.lists\[0\]; did you mean "address"\?/);
    // The misspelt "adress" is said once, by its "did you mean", not also as the missing "address".
    expect(run.stderr).not.toContain('"mail.lists[0].address" is missing');
    expect(run.stdout).toBe('');
    // Asked for a machine format, the same findings come on stdout instead, in the shape asked for, and are not said again on stderr.
    const json = await runCli(['lint', '--format', 'json', '--config', path.join(broken, 'bad-config/herald.config.yaml'), 'notes'], { cwd: repo });
    expect([json.code, json.stderr]).toEqual([1, '']);
    expect((JSON.parse(json.stdout) as { ruleId: string; line: number }[]).map((m) => `${m.line} ${m.ruleId}`)).toEqual(['3 config-invalid', '7 config-invalid']);
    const sarif = await runCli(['lint', '-f', 'sarif', '--config', path.join(broken, 'bad-config/herald.config.yaml'), 'notes'], { cwd: repo });
    expect([sarif.code, sarif.stderr]).toEqual([1, '']);
    expect((JSON.parse(sarif.stdout) as SarifLog).runs[0]!.results.map((r) => `${r.locations[0]!.physicalLocation.region.startLine} ${r.ruleId}`)).toEqual(['3 config-invalid', '7 config-invalid']);
    // lint --json is --format json, the same bare list; --format github annotates the config's lines.
    const lintJson = await runCli(['lint', '--json', '--config', path.join(broken, 'bad-config/herald.config.yaml'), 'notes'], { cwd: repo });
    expect([lintJson.stdout, lintJson.stderr]).toEqual([json.stdout, '']);
    const github = await runCli(['lint', '--format', 'github', '--config', path.join(broken, 'bad-config/herald.config.yaml'), 'notes'], { cwd: repo });
    expect([github.code, github.stderr]).toEqual([1, '']);
    expect(github.stdout.split('\n').filter(Boolean).map((line) => /^::error file=[^,]*herald\.config\.yaml,line=(\d+),.*title=config-invalid::/.exec(line)?.[1])).toEqual(['3', '7']);
    // Every other command's --json: {ok: false, messages} on stdout, nothing on stderr.
    for (const args of [['send', 'OSSN-0001', '--dry-run'], ['list'], ['build', '--out', path.join(work, 'bad-config-out')]]) {
      const run = await runCli([...args, '--json', '--config', path.join(broken, 'bad-config/herald.config.yaml')], { cwd: repo });
      expect([run.code, run.stderr], args[0]).toEqual([1, '']);
      expect(JSON.parse(run.stdout), args[0]).toMatchObject({ ok: false, messages: [{ line: 3, ruleId: 'config-invalid' }, { line: 7 }] });
    }
  });

  it('a --config file that is not there is a usage error (exit 2), naming it', async () => {
    const run = await runCli(['lint', '--config', 'no-such-config.yaml', 'notes'], { cwd: repo });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('herald: --config no-such-config.yaml: no such file in');
  });

  it('schema: prints the JSON Schema of notes (and blog posts) and config', async () => {
    const run = await runCli(['schema', 'note']);
    expect(run.code).toBe(0);
    type Definition = { properties: Record<string, unknown>; required: string[] };
    const schema = JSON.parse(run.stdout) as { if: unknown; $defs: { note: Definition; post: Definition } };
    expect(schema.if).toEqual({ required: ['id'] });
    expect(Object.keys(schema.$defs.note.properties)).toEqual(expect.arrayContaining(['id', 'title', 'verify', 'affects', 'embargo']));
    expect(schema.$defs.note.required).toEqual(expect.arrayContaining(['id', 'title', 'date', 'status']));
    expect(Object.keys(schema.$defs.post.properties)).toEqual(expect.arrayContaining(['layout', 'slug', 'published', 'verify']));
    expect(schema.$defs.post.required).toEqual(['title']);
    expect(JSON.parse((await runCli(['schema', 'config'])).stdout)).toMatchObject({ title: 'herald.config.yaml' });
    expect((await runCli(['schema', 'nope'])).code).toBe(2);
  });

  it('lint accepts a single file and a blog post as written', async () => {
    const file = path.join(work, '2015-06-01-a-post.md');
    writeFileSync(file, '---\nlayout: post\ntitle: "A post"\ncomments: true\n---\n<b>UPDATE 1:</b> text\n');
    const run = await runCli(['lint', file], { cwd: work });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('post-not-structured');
  });

  it('lint refuses a blog post whose slug is too long to name its files, from the file name or from `slug:`', async () => {
    const long = Array.from({ length: 10 }, () => 'averylongwordforaslug').join('-');
    const named = path.join(work, `2015-06-02-${long}.md`);
    writeFileSync(named, '---\nlayout: post\ntitle: "A post"\n---\ntext\n');
    const given = path.join(work, '2015-06-03-short.md');
    writeFileSync(given, `---\nlayout: post\ntitle: "A post"\nslug: ${long}-x\n---\ntext\n`);
    const run = await runCli(['lint', named, given], { cwd: work });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${path.basename(named)}:2:1  error  schema-type  Blog post slug (from the file name) is 219 characters long; the limit is 100: set a shorter \`slug:\``);
    expect(run.stdout).toContain('2015-06-03-short.md:4:7  error  schema-type  Blog post slug (from `slug:`) is 221 characters long; the limit is 100: set a shorter `slug:`');
  });
});

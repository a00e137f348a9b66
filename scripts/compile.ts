/**
 * Compiles herald's TypeScript into `dist-js/` (git-ignored) so the CLI and
 * the build's workers start without tsx: `npm run compile`, run by npm's
 * `prepare` on every `npm ci` and `npm install`. bin/compiled.js runs the
 * result only while its inputs are as they were here (stamp.json), else
 * the sources.
 *
 * esbuild bundles src/ into four entry points, `herald.js` (src/cli/main.ts),
 * `note-worker.js` (src/build/note-worker.ts), `serve-worker.js`
 * (src/serve/server-worker.ts) and `early-worker.js`
 * (src/build/early-worker.ts: bin/herald.js starts `herald build`'s first
 * worker with it before it loads the CLI; the pool, in herald.js's chunks,
 * takes it from the same module), plus shared chunks for
 * what they share and for what the commands import lazily. ES-module
 * packages are bundled in too: loading hundreds of small files (micromark,
 * mdast, zod) is most of a worker's start-up. CommonJS packages, and those
 * that find files of their own at run time, stay imports from node_modules,
 * but for the few every build loads on each thread (`bundledCommonJs`):
 * their 185 files cost the main thread and each worker about 90 ms of CPU
 * to find, read and compile one by one, 30 once bundled. herald's own
 * Handlebars templates are precompiled into the bundle
 * (src/render/template-compile.ts).
 * The output is flat: every file sits one level below the package root,
 * like src/package-root.ts, which finds templates/, site/ and the rest from
 * there.
 *
 * Usage: node bin/run-ts.js scripts/compile.ts
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';
import { compiledDir, sourceFingerprint, statFiles } from '../bin/compiled.js';
import { treeDigest } from '../src/build/sources-digest.ts';
import { packageRoot } from '../src/package-root.ts';
import { precompiledModule } from '../src/render/template-compile.ts';

/** ES-module packages that must stay in node_modules: they locate their own files (binaries) at run time. */
const neverBundled = new Set(['pagefind', 'openpgp']);

/**
 * CommonJS packages bundled all the same: every build loads them, on its
 * main thread and on each worker, and none reads files of its own at run
 * time (the build's tests compare a compiled build with the sources').
 */
const bundledCommonJs = new Set(['yaml', 'semver', 'handlebars', 'packageurl-js', '@renovatebot/pep440', 'extend', 'punycode.js', 'source-map']);

/** The nearest package.json above a resolved file: its package's name and module type. */
function packageOf(file: string): { name: string; esm: boolean; manifest: string } | undefined {
  for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    let json: { name?: string; type?: string };
    try {
      json = JSON.parse(readFileSync(manifest, 'utf8'));
    } catch {
      continue;
    }
    // Nested package.json files without a name only set the module type of a folder.
    if (json.name) return { name: json.name, esm: json.type === 'module', manifest };
  }
  return undefined;
}

const bundled = new Set<string>();

/** herald's own templates, precompiled into the bundle in place of the empty `precompiled-templates.ts`. */
const precompiledTemplates: Plugin = {
  name: 'precompiled-templates',
  setup(compile) {
    compile.onLoad({ filter: /[\\/]src[\\/]render[\\/]precompiled-templates\.ts$/ }, () => ({ contents: precompiledModule(), loader: 'js' }));
  },
};

/** Bundles ES-module packages and `bundledCommonJs`, and leaves other CommonJS ones (and `neverBundled`) external. */
const esModulePackagesOnly: Plugin = {
  name: 'es-module-packages-only',
  setup(compile) {
    compile.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.path.startsWith('node:') || args.pluginData === 'resolving') return undefined;
      const resolved = await compile.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'resolving' });
      if (resolved.errors.length > 0 || resolved.external) return { path: args.path, external: true };
      const owner = packageOf(resolved.path);
      const esm = resolved.path.endsWith('.mjs') || (owner?.esm === true && !resolved.path.endsWith('.cjs'));
      if (!owner || !(esm || bundledCommonJs.has(owner.name)) || neverBundled.has(owner.name)) return { path: args.path, external: true };
      bundled.add(path.relative(packageRoot, owner.manifest));
      return resolved;
    });
  },
};

// Taken before bundling: a file edited while esbuild runs then differs from
// the stamp, and the next run takes the sources.
const sources = sourceFingerprint();
const digest = treeDigest(path.join(packageRoot, 'src'));

const staging = `${compiledDir}.${process.pid}.tmp`;
rmSync(staging, { recursive: true, force: true });
mkdirSync(staging, { recursive: true });
await build({
  absWorkingDir: packageRoot,
  entryPoints: { herald: 'src/cli/main.ts', 'note-worker': 'src/build/note-worker.ts', 'serve-worker': 'src/serve/server-worker.ts', 'early-worker': 'src/build/early-worker.ts' },
  outdir: staging,
  entryNames: '[name]',
  chunkNames: '[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  plugins: [esModulePackagesOnly, precompiledTemplates],
  // Bundled CommonJS files (`bundledCommonJs`, and those reached through a package's ES-module wrapper) call require().
  banner: { js: "import { createRequire as __heraldCreateRequire } from 'node:module'; const require = __heraldCreateRequire(import.meta.url);" },
  sourcemap: 'linked',
  define: { HERALD_COMPILED_SOURCES_DIGEST: JSON.stringify(digest) },
  logLevel: 'warning',
});
const packages = [...bundled].sort();
const fingerprint = [...sources, ...statFiles(packages)];
// The stamp goes in last: a folder without one is never run.
writeFileSync(path.join(staging, 'stamp.json'), JSON.stringify({ digest, packages, fingerprint }) + '\n');
rmSync(compiledDir, { recursive: true, force: true });
renameSync(staging, compiledDir);
process.stderr.write(`herald: compiled src/ and ${packages.length} packages into ${path.relative(process.cwd(), compiledDir) || compiledDir}/\n`);

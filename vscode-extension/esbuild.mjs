// Bundles the extension and the processes it starts into dist/, one entry per concern.
// The debug adapter adds itself to ENTRIES (node) when it lands; webviews go to WEBVIEWS (browser).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const production = !process.argv.includes('--dev');

/** Node entries: [source, output name]. Each becomes one self-contained CommonJS file. */
export const ENTRIES = [
  ['src/extension.ts', 'extension'],
  ['src/server/main.ts', 'server'],
  ['src/cli/snip-main.ts', 'snip'],
  ['src/views/flow/flow-model.ts', 'flow-model'],
];

/** Webview scripts: [source, output name] under dist/webview/. */
export const WEBVIEWS = [
  ['src/webview/trace.ts', 'trace'],
  ['src/webview/flow.ts', 'flow'],
];

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
  legalComments: 'none',
};

rmSync(path.join(here, 'dist'), { recursive: true, force: true });
await Promise.all([
  ...ENTRIES.map(([src, out]) =>
    build({
      ...common,
      entryPoints: [path.resolve(here, src)],
      outfile: path.join(here, 'dist', `${out}.js`),
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: ['vscode'],
      // The language server and CLI sources are ES modules that test `import.meta.url` only to detect
      // being run directly; in a bundle they never are, so an empty import.meta is right.
      logOverride: { 'empty-import-meta': 'silent' },
    }),
  ),
  ...WEBVIEWS.map(([src, out]) =>
    build({
      ...common,
      entryPoints: [path.resolve(here, src)],
      outfile: path.join(here, 'dist', 'webview', `${out}.js`),
      platform: 'browser',
      target: 'es2022',
      format: 'iife',
    }),
  ),
]);
mkdirSync(path.join(here, 'dist', 'webview'), { recursive: true });
for (const css of WEBVIEWS.map(([, out]) => `${out}.css`)) copyFileSync(path.join(here, 'src', 'webview', css), path.join(here, 'dist', 'webview', css));

// Snippets come from the language's own tables: bundle the builder, run it, keep only its output.
const builder = path.join(here, 'dist', '.build-snippets.cjs');
await build({ ...common, minify: false, entryPoints: [path.join(here, 'src', 'snippets', 'build-snippets.ts')], outfile: builder, platform: 'node', target: 'node20', format: 'cjs' });
const snippets = createRequire(import.meta.url)(builder).buildSnippets();
rmSync(builder);
mkdirSync(path.join(here, 'dist', 'snippets'), { recursive: true });
for (const [lang, table] of Object.entries(snippets)) writeFileSync(path.join(here, 'dist', 'snippets', `${lang}.json`), JSON.stringify(table, null, 2) + '\n');

// The Snipstudio .vsix for tests in real VS Code: built with the root's `npm run package` when it is
// missing or older than any source it bundles (the extension, and the language server it carries), so
// `npm test` on a fresh clone tests what is in the tree, never a stale package.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from './tool-paths.js';

const root = packageRoot();
export const EXTENSION_DIR = path.join(root, 'vscode-extension');

/** What ends up in the .vsix: the extension, and the server and CLI bundled from the package's code. */
const SOURCE_DIRS = ['vscode-extension', 'language', 'runtime', 'lsp', 'samples', 'index.ts', 'package.json'];
const IGNORED = new Set(['node_modules', 'dist', 'out', '.vscode-test', 'test-artifacts']);

/** True when the extension's folder is in this tree (it comes from the vscode branch). */
export function hasExtensionSources(): boolean {
  return existsSync(path.join(EXTENSION_DIR, 'package.json'));
}

/** Where `npm run package` writes the .vsix: vscode-extension/snipstudio-<version>.vsix. */
export function vsixPath(): string {
  const pkg = JSON.parse(readFileSync(path.join(EXTENSION_DIR, 'package.json'), 'utf8')) as { name: string; version: string };
  return path.join(EXTENSION_DIR, `${pkg.name}-${pkg.version}.vsix`);
}

function newestSource(dir: string): number {
  if (!statSync(dir).isDirectory()) return statSync(dir).mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (IGNORED.has(entry.name) || entry.name.endsWith('.vsix')) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** True when the .vsix is missing or older than a source it is built from. */
export function vsixIsStale(vsix = vsixPath()): boolean {
  if (!existsSync(vsix)) return true;
  const built = statSync(vsix).mtimeMs;
  return SOURCE_DIRS.some((d) => existsSync(path.join(root, d)) && newestSource(path.join(root, d)) > built);
}

function npmRunPackage(): Promise<void> {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  return new Promise((resolve, reject) =>
    execFile(npm, ['run', 'package'], { cwd: root, timeout: 600_000, maxBuffer: 32 << 20 }, (err, stdout, stderr) =>
      err ? reject(new Error(`npm run package failed: ${err.message}\n${stdout}${stderr}`)) : resolve(),
    ),
  );
}

/**
 * The path of an up-to-date .vsix, building it first when needed. Test files running in parallel
 * take turns through a lock folder, so the package is built once.
 */
export async function ensureVsix(): Promise<string> {
  const vsix = vsixPath();
  if (!vsixIsStale(vsix)) return vsix;
  const lock = path.join(root, 'test-artifacts', '.vsix-build.lock');
  mkdirSync(path.dirname(lock), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another test file is building: wait for it (a lock older than 10 minutes is a dead run's).
      try {
        if (Date.now() - statSync(lock).mtimeMs > 600_000) rmdirSync(lock);
      } catch {
        /* released meanwhile */
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    if (vsixIsStale(vsix)) await npmRunPackage();
  } finally {
    rmdirSync(lock);
  }
  if (!existsSync(vsix)) throw new Error(`npm run package did not write ${path.relative(root, vsix)}`);
  return vsix;
}

/** A command's title in the palette ("Category: Title"), read from the extension's manifest. */
export function paletteTitle(command: string): string {
  const pkg = JSON.parse(readFileSync(path.join(EXTENSION_DIR, 'package.json'), 'utf8')) as {
    contributes?: { commands?: { command: string; title: string; category?: string }[] };
  };
  const entry = pkg.contributes?.commands?.find((c) => c.command === command);
  if (entry === undefined) throw new Error(`the extension contributes no command ${command}`);
  return entry.category ? `${entry.category}: ${entry.title}` : entry.title;
}

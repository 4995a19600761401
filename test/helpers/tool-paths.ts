// Where the system tools of the real-VS-Code tests are: code-server in the versioned tools cache that
// scripts/setup-vscode-tools.sh fills, and Debian's chromium. No test-runner imports here, so the
// VS Code benchmark can use it too.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The code-server version the tests and the setup script agree on. */
export const CODE_SERVER_VERSION = '4.100.3';

/** The package root, found from this file whether it runs from the sources or from dist/. */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'snipstudio') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('snipstudio package root not found');
    dir = up;
  }
}

/** The tools cache folder, shared with scripts/setup-vscode-tools.sh. */
export function toolsDir(): string {
  return process.env.SNIP_TOOLS_DIR || path.join(homedir(), '.cache', 'snipstudio-tools');
}

/** The code-server entry script when a complete setup is in the cache, else undefined. */
export function codeServerBin(): string | undefined {
  const dest = path.join(toolsDir(), `code-server-${CODE_SERVER_VERSION}`);
  // The marker is written last by the setup script: without it the folder may be half made.
  if (!existsSync(path.join(dest, '.setup-complete'))) return undefined;
  const bin = path.join(dest, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  return existsSync(bin) ? bin : undefined;
}

/** Debian's chromium, the browser playwright-core drives (playwright's own download is not used). */
export function chromiumBin(): string | undefined {
  for (const candidate of [process.env.SNIP_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  return undefined;
}

// The one convention for suites that need a system tool (neovim, code-server, chromium): when the tool
// is missing the suite skips and says which command sets it up, so `npm test` stays runnable with Node
// alone; with SNIP_REQUIRE_TOOLS=1 (what .ci/run sets) a missing tool is a failing test instead, so CI
// cannot go green by skipping.
import { execFileSync } from 'node:child_process';
import { describe, test } from 'vitest';

export { chromiumBin, codeServerBin, CODE_SERVER_VERSION, toolsDir } from './tool-paths.js';

/** The setup command for code-server and chromium, named by every skip message about them. */
export const SETUP_VSCODE_TOOLS = 'bash scripts/setup-vscode-tools.sh';
/** How neovim gets installed (Debian); .ci/run does it. */
export const SETUP_NEOVIM = 'apt-get install -y --no-install-recommends neovim';

/** How PostgreSQL and redis-server get installed (Debian binaries only; no system service). */
export const SETUP_DB_TOOLS = 'bash scripts/setup-db-tools.sh';

/** True when SNIP_REQUIRE_TOOLS=1: a missing tool fails instead of skipping. */
export function toolsRequired(): boolean {
  return process.env.SNIP_REQUIRE_TOOLS === '1';
}

/**
 * Decides whether a tool-dependent suite runs. Returns true when the tool is available. When it is
 * not, it returns false (guard the suite with `describe.skipIf(!run)`) and either prints a skip
 * message naming `setupCmd`, or, under SNIP_REQUIRE_TOOLS=1, registers a failing test saying the same.
 * Call it at module level (it may register a describe block).
 */
export function requireTool(name: string, available: boolean, setupCmd: string): boolean {
  if (available) return true;
  const message = `${name} is not installed; set it up with: ${setupCmd}`;
  if (toolsRequired()) {
    describe(`required tool: ${name}`, () => {
      test(`${name} is installed (SNIP_REQUIRE_TOOLS=1)`, () => {
        throw new Error(message);
      });
    });
  } else {
    console.warn(`skipping tests that need ${name}: ${message}`);
  }
  return false;
}

/** True when `command --version`-style probing of an executable on PATH succeeds. */
export function hasCommand(command: string, args: string[] = ['--version']): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

// A reusable harness for tests in real VS Code: code-server (from the tools cache) on a free loopback
// port with a fresh user-data and extensions folder, a .vsix installed with --install-extension, and
// Debian's chromium driven by playwright-core. Every run lives in one temporary root (code-server's own
// data, VS Code's user data and logs, the browser profile), so a test can search all of it afterwards.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Frame, type Locator, type Page } from 'playwright-core';
import { chromiumBin, codeServerBin, packageRoot } from './tool-paths.js';
import { freePort } from '../../devtools/free-port.js';


/** Where screenshots go: git-ignored, kept after the run as test artifacts. */
export const ARTIFACTS_DIR = path.join(packageRoot(), 'test-artifacts', 'vscode');

export interface CodeServerOptions {
  /** The folder VS Code opens. */
  workspace: string;
  /** .vsix files installed before start. */
  vsix?: string[];
  /** Extra user settings merged over the quiet defaults. */
  settings?: Record<string, unknown>;
  /** User keybindings (keybindings.json): also how a test calls a hidden command with arguments. */
  keybindings?: { key: string; command: string; args?: unknown }[];
  /** Extra environment for the server (and so the extension host). */
  env?: Record<string, string>;
}

export interface CodeServer {
  url: string;
  port: number;
  workspace: string;
  /** The temporary root holding everything below. */
  tempRoot: string;
  userDataDir: string;
  extensionsDir: string;
  /** VS Code's log folder (inside the user data). */
  logsDir: string;
  /** Server output so far (stdout + stderr), for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** Settings that keep a test run quiet and offline: no telemetry, updates, trust prompt or welcome page. */
const QUIET_SETTINGS: Record<string, unknown> = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'chat.commandCenter.enabled': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'npm.autoDetect': 'off',
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.hover.delay': 200,
  'window.commandCenter': false,
  'files.autoSave': 'off',
  'remote.autoForwardPorts': false,
};


function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(file, args, { env, timeout: 120_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${path.basename(file)} ${args.join(' ')} failed: ${err.message}\n${stdout}${stderr}`)) : resolve(stdout + stderr),
    ),
  );
}

/** Starts code-server on a fresh user-data dir with the given extensions installed. Stop it with `stop()`. */
export async function startCodeServer(opts: CodeServerOptions): Promise<CodeServer> {
  const bin = codeServerBin();
  if (bin === undefined) throw new Error('code-server is not set up: run bash scripts/setup-vscode-tools.sh');
  const tempRoot = mkdtempSync(path.join(tmpdir(), 'snip-vscode-'));
  const userDataDir = path.join(tempRoot, 'user-data');
  const extensionsDir = path.join(tempRoot, 'extensions');
  const home = path.join(tempRoot, 'home');
  for (const d of [userDataDir, extensionsDir, home, path.join(userDataDir, 'User')]) mkdirSync(d, { recursive: true });
  writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...opts.settings }, null, 2));
  if (opts.keybindings) writeFileSync(path.join(userDataDir, 'User', 'keybindings.json'), JSON.stringify(opts.keybindings, null, 2));
  const port = await freePort();
  const config = path.join(tempRoot, 'config.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  // code-server keeps its own state under XDG folders: point them into the temporary root too.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_STATE_HOME: path.join(home, '.local', 'state'),
    // Set by vitest; VS Code's extension host would otherwise inherit them.
    NODE_OPTIONS: '',
    VITEST: '',
    ...opts.env,
  };
  const common = ['--config', config, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  for (const vsix of opts.vsix ?? []) await run(process.execPath, [bin, ...common, '--install-extension', vsix], env);

  const args = [
    bin,
    ...common,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    opts.workspace,
  ];
  const child: ChildProcess = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      // code-server forks a child (the actual server): end the whole process group we started.
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const killer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }, 5000);
      await exited;
      clearTimeout(killer);
    }
  };
  try {
    await waitForHealth(url, child, () => out);
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    url,
    port,
    workspace: opts.workspace,
    tempRoot,
    userDataDir,
    extensionsDir,
    logsDir: path.join(userDataDir, 'logs'),
    output: () => out,
    stop,
  };
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`code-server exited (${child.exitCode}):\n${output()}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`code-server did not answer /healthz:\n${output()}`);
}

/** Removes the server's temporary root (call after `stop()`, once any leak search is done). */
export function removeCodeServerDirs(server: CodeServer): void {
  rmSync(server.tempRoot, { recursive: true, force: true });
}

export interface Workbench {
  context: BrowserContext;
  page: Page;
  /** The browser profile folder (inside the server's temporary root). */
  profileDir: string;
  close(): Promise<void>;
}

/** Opens the workbench in Debian's chromium (headless) and waits until it is drawn. */
export async function openWorkbench(server: CodeServer): Promise<Workbench> {
  const executablePath = chromiumBin();
  if (executablePath === undefined) throw new Error('chromium is not installed: run bash scripts/setup-vscode-tools.sh');
  const profileDir = path.join(server.tempRoot, 'browser-profile');
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath,
    headless: true,
    // Root has no sandbox here; no GPU on a CI machine.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    viewport: { width: 1400, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(30_000);
  await page.goto(`${server.url}/?folder=${encodeURIComponent(server.workspace)}`);
  await page.locator('.monaco-workbench').waitFor();
  // The status bar appears once the workbench has restored its parts.
  await page.locator('.statusbar').waitFor();
  return { context, page, profileDir, close: () => context.close() };
}

/** Runs a command by its palette title through F1 (the quick input filters, Enter runs the match). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor();
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  await row.waitFor();
  await row.click();
}

/** Opens a workspace file through quick open (Control+P) and waits for its editor. */
export async function openFile(page: Page, relPath: string): Promise<Locator> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor();
  await input.fill(relPath);
  // The list filters as it is typed: wait until the first row is the file (a stale list would open
  // whatever was recently used), then open it.
  const first = page.locator('.quick-input-widget .monaco-list-row').first();
  await first.filter({ hasText: path.basename(relPath) }).waitFor();
  await first.click();
  const tab = page.locator('.tabs-container .tab.active', { hasText: path.basename(relPath) });
  await tab.waitFor();
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await editor.locator('.view-lines').waitFor();
  return editor;
}

/** Moves the cursor of the active editor to a 1-based line and column with "Go to Line/Column". */
export async function goToLine(page: Page, line: number, column = 1): Promise<void> {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor();
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden' });
}

/**
 * The innermost frame of a webview whose document holds `selector`. Webviews in code-server are an
 * iframe (the host) holding another iframe (the content), so this walks every frame of the page.
 */
export async function webviewFrame(page: Page, selector: string, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      try {
        if ((await frame.locator(selector).count()) > 0) return frame;
      } catch {
        /* the frame went away while navigating */
      }
    }
    if (Date.now() > deadline) throw new Error(`no webview frame holds ${selector}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Saves a screenshot under test-artifacts/vscode/ (git-ignored) and returns its path. */
export async function saveScreenshot(target: Page | Locator, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await target.screenshot({ path: file });
  return file;
}

/** The visible text of an editor, with Monaco's non-breaking spaces turned back into spaces. */
export async function editorText(editor: Locator): Promise<string> {
  return (await editor.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
}

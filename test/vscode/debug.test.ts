// Issue 11 in real VS Code (code-server + chromium, the harness of the extension tests): a breakpoint
// set by clicking the gutter, F5 with no launch.json, the paused line highlighted and the Variables
// view showing the script's values. A screenshot of the paused workbench is kept in test-artifacts/.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { openFile, openWorkbench, removeCodeServerDirs, saveScreenshot, startCodeServer, type CodeServer, type Workbench } from '../helpers/code-server.js';
import { ensureVsix, hasExtensionSources } from '../helpers/extension-vsix.js';
import { chromiumBin, codeServerBin } from '../helpers/tool-paths.js';
import { requireTool, SETUP_VSCODE_TOOLS } from '../helpers/tools.js';

const tools =
  requireTool('code-server', codeServerBin() !== undefined, SETUP_VSCODE_TOOLS) &&
  requireTool('chromium', chromiumBin() !== undefined, SETUP_VSCODE_TOOLS);
const extension = hasExtensionSources();

const SCRIPT = ['greeting = "Hello"', 'count = 41', 'count = count + 1', 'TRACE "{greeting} {count}"', ''].join('\n');

describe.skipIf(!tools || !extension)('debugging in real VS Code', () => {
  let dir: string;
  let server: CodeServer | undefined;
  let wb: Workbench | undefined;
  let page: Page;

  beforeAll(async () => {
    const vsix = await ensureVsix();
    dir = mkdtempSync(path.join(tmpdir(), 'snip-vscode-debug-'));
    writeFileSync(path.join(dir, 'debug.snip'), SCRIPT);
    server = await startCodeServer({ workspace: dir, vsix: [vsix], settings: { 'debug.openDebug': 'openOnDebugBreak', 'debug.toolBarLocation': 'docked' } });
    wb = await openWorkbench(server);
    page = wb.page;
  }, 600_000);

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && wb) await saveScreenshot(page, 'debug-failed').catch(() => undefined);
  });

  afterAll(async () => {
    await wb?.close();
    await server?.stop();
    if (server) removeCodeServerDirs(server);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('a gutter breakpoint, F5, the paused line and the Variables view', async () => {
    const editor = await openFile(page, 'debug.snip');
    // The language must be known (the extension is active) before F5 can pick its debugger.
    await page.locator('.statusbar-item', { hasText: 'Snippet' }).first().waitFor();

    // Click the glyph margin beside line 3: VS Code sets a breakpoint there.
    const lineNumber = editor.locator('.margin .line-numbers', { hasText: /^3$/ });
    await lineNumber.waitFor();
    const margin = await editor.locator('.margin').first().boundingBox();
    const line = await lineNumber.boundingBox();
    if (!margin || !line) throw new Error('the editor margin is not laid out');
    await page.mouse.move(margin.x + 8, line.y + line.height / 2);
    await page.mouse.click(margin.x + 8, line.y + line.height / 2);
    await editor.locator('.codicon-debug-breakpoint').first().waitFor();

    await editor.locator('.view-lines').click();
    await page.keyboard.press('F5');

    // Paused on line 3: the top stack frame's line is highlighted, the glyph shows the frame.
    const paused = editor.locator('.debug-top-stack-frame-line');
    await paused.first().waitFor({ timeout: 90_000 });
    await editor.locator('.codicon-debug-stackframe').first().waitFor();
    // The highlight sits on line 3 (measured now: code lenses may have moved the lines meanwhile).
    const pausedBox = await paused.first().boundingBox();
    const line3 = await lineNumber.boundingBox();
    expect(pausedBox).not.toBeNull();
    expect(Math.abs(pausedBox!.y - line3!.y)).toBeLessThan(line3!.height / 2);

    // The Variables view shows the Script scope expanded with the values at that point.
    const count = page.locator('.debug-variables .monaco-list-row', { hasText: 'count' }).first();
    await count.waitFor();
    await expect.poll(async () => (await count.innerText()).replace(/\s+/g, ' ')).toMatch(/count\s*[:=]?\s*41/);
    const greeting = page.locator('.debug-variables .monaco-list-row', { hasText: 'greeting' }).first();
    expect((await greeting.innerText()).replace(/\s+/g, ' ')).toContain('"Hello"');
    await saveScreenshot(page, 'debug-paused');

    // Continue: the run ends and VS Code leaves debug mode.
    await page.keyboard.press('F5');
    await paused.first().waitFor({ state: 'detached' });
  }, 300_000);
});

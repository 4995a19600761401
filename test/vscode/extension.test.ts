// Issue 10 in real VS Code: code-server 4.100.3 + Debian chromium driven by playwright-core, the
// built .vsix installed with --install-extension, a workspace with the samples and a hub. One server
// and one browser for the whole file; the secret test runs last because it stops both before it
// searches every file they wrote. Screenshots go to test-artifacts/vscode/ (git-ignored).
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { findBuiltin } from '../../language/catalog.js';
import { parseStudio } from '../../language/parse.js';
import { runScript } from '../../runtime/run-script.js';
import {
  editorText,
  goToLine,
  openFile,
  openWorkbench,
  removeCodeServerDirs,
  runCommand,
  saveScreenshot,
  startCodeServer,
  webviewFrame,
  type CodeServer,
  type Workbench,
} from '../helpers/code-server.js';
import { ensureVsix, hasExtensionSources, paletteTitle } from '../helpers/extension-vsix.js';
import { searchForSecret } from '../helpers/leak-search.js';
import { makeSnipWorkspace, type SnipWorkspace } from '../helpers/snip-workspace.js';
import { chromiumBin, codeServerBin, packageRoot } from '../helpers/tool-paths.js';
import { requireTool, SETUP_VSCODE_TOOLS } from '../helpers/tools.js';

const tools =
  requireTool('code-server', codeServerBin() !== undefined, SETUP_VSCODE_TOOLS) &&
  requireTool('chromium', chromiumBin() !== undefined, SETUP_VSCODE_TOOLS);
const extension = hasExtensionSources();
if (!extension) console.warn('skipping the VS Code extension tests: vscode-extension/ is not in this tree');

/** Hidden commands are called through keybindings (the palette hides them; keybindings carry args). */
const SELF_TEST_KEY = 'ctrl+alt+shift+f10';
const HUB_FOCUS_KEY = 'ctrl+alt+shift+f9';
const SELF_TEST_FILES = ['broken.studio', 'complete.snip', 'samples/hello.studio'];

interface SelfTestReport {
  activationMs: number;
  serverReady: boolean;
  files: Record<string, { diagnostics: { code: string; message: string; line: number; severity: string }[]; completion: string[]; hover: string; symbols: string[] }>;
  semanticTokensLegend: { tokenTypes: string[]; tokenModifiers: string[] };
}

/** Labels and 1-based lines of a .studio file's actions, from our own parser. */
function actionsOf(file: string): { label: string; line: number }[] {
  const { value } = parseStudio(readFileSync(file, 'utf8'));
  return value.actions.map((a) => ({ label: a.label.name, line: a.label.range.start.line }));
}

function snip(args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [path.join(packageRoot(), 'bin', 'snip.js'), ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) =>
      err ? reject(new Error(`snip ${args.join(' ')}: ${err.message}\n${stdout}${stderr}`)) : resolve(stdout),
    ),
  );
}

/** Waits for the quick input titled `title` and returns its text field. */
async function quickInput(page: Page, title: string) {
  await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor();
  return page.locator('.quick-input-widget input.input');
}

describe.skipIf(!tools || !extension)('Snipstudio in real VS Code', () => {
  let ws: SnipWorkspace;
  let server: CodeServer | undefined;
  let wb: Workbench | undefined;
  let page: Page;

  beforeAll(async () => {
    const vsix = await ensureVsix();
    ws = await makeSnipWorkspace();
    server = await startCodeServer({
      workspace: ws.dir,
      vsix: [vsix],
      settings: { 'snipstudio.run.inputs': { 'samples/hello.studio': { name: 'Ada' } } },
      keybindings: [
        { key: SELF_TEST_KEY, command: 'snipstudio.selfTest', args: { files: SELF_TEST_FILES, positions: { 'complete.snip': { line: 3, character: 15 } } } },
        { key: HUB_FOCUS_KEY, command: 'snipstudio.hub.focus' },
      ],
    });
    wb = await openWorkbench(server);
    page = wb.page;
  }, 600_000);

  // A failing step leaves a picture of the workbench beside the other artifacts.
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && wb) {
      await saveScreenshot(page, `failed-${ctx.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => undefined);
    }
  });

  afterAll(async () => {
    await wb?.close();
    await server?.stop();
    if (server) removeCodeServerDirs(server);
    if (ws) rmSync(ws.dir, { recursive: true, force: true });
  });

  test('the self-test command reports API-level results from inside VS Code', async () => {
    const out = path.join(ws.dir, '.snip-selftest.json');
    // The hidden command is bound to a key; it exists once the extension has activated, so press
    // until a report appears, then start over with one press so no two self-tests overlap.
    await openFile(page, 'complete.snip');
    await expect
      .poll(
        async () => {
          await page.keyboard.press('Control+Alt+Shift+F10');
          return existsSync(out);
        },
        { timeout: 90_000, interval: 5000 },
      )
      .toBe(true);
    await new Promise((r) => setTimeout(r, 3000));
    rmSync(out, { force: true });
    await page.keyboard.press('Control+Alt+Shift+F10');
    let report: SelfTestReport | undefined;
    await expect
      .poll(
        () => {
          try {
            report = JSON.parse(readFileSync(out, 'utf8')) as SelfTestReport;
            return true;
          } catch {
            return false; // not written yet, or being written
          }
        },
        { timeout: 60_000 },
      )
      .toBe(true);
    if (report === undefined) throw new Error('no self-test report');
    expect(report.serverReady).toBe(true);
    expect(report.activationMs).toBeGreaterThanOrEqual(0);
    expect(Object.keys(report.files).sort()).toEqual([...SELF_TEST_FILES].sort());
    expect(report.files['broken.studio']!.diagnostics).toEqual([
      { code: 'SNIP2003', message: "unknown function 'uppper'; did you mean 'upper'?", line: 8, severity: 'error' },
    ]);
    expect(report.files['complete.snip']!.diagnostics).toEqual([]);
    // At the start of an expression: the script's variables and the built-ins.
    expect(report.files['complete.snip']!.completion).toEqual(expect.arrayContaining(['word', 'loud', 'upper', 'lower', 'left']));
    expect(report.files['complete.snip']!.hover).toContain(findBuiltin('upper')!.description);
    const hello = actionsOf(path.join(ws.dir, 'samples/hello.studio')).map((a) => a.label);
    expect(report.files['samples/hello.studio']!.symbols).toEqual(expect.arrayContaining(hello));
    expect(report.semanticTokensLegend.tokenTypes.length).toBeGreaterThan(0);
  }, 120_000);

  test('a script with an error shows the squiggle and the Problems entry', async () => {
    const editor = await openFile(page, 'broken.studio');
    await expect.poll(() => editorText(editor)).toContain('uppper(name)');
    await editor.locator('.squiggly-error').first().waitFor();
    await page.keyboard.press('Control+Shift+M');
    const entry = page.locator('.markers-panel .monaco-list-row', { hasText: "unknown function 'uppper'" });
    await entry.first().waitFor();
    expect(await entry.first().innerText()).toContain('SNIP2003');
    await saveScreenshot(page, 'problems');
  }, 120_000);

  test('completion offers a built-in and hover shows its documentation', async () => {
    const editor = await openFile(page, 'complete.snip');
    await expect.poll(() => editorText(editor)).toContain('ASSIGN loud = upper(');
    // Hover on `upper` (line 3, inside the name) through the keyboard: no mouse coordinates involved.
    await goToLine(page, 3, 17);
    await runCommand(page, 'Show or Focus Hover');
    const hover = page.locator('.monaco-hover:not(.hidden)').first();
    await expect.poll(() => hover.innerText(), { timeout: 30_000 }).toContain(findBuiltin('upper')!.description);
    await page.keyboard.press('Escape');
    // Completion on a new line after typing the start of a built-in's name.
    await goToLine(page, 4, 27);
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('ASSIGN shout = upp');
    await page.keyboard.press('Control+Space');
    const rows = page.locator('.suggest-widget .monaco-list-row');
    await rows.first().waitFor();
    await expect.poll(async () => (await rows.allInnerTexts()).some((t) => /^upper\b/.test(t.trim()))).toBe(true);
    await saveScreenshot(page, 'completion');
    await page.keyboard.press('Escape');
    // Leave the file as it was, so later tests see no unsaved editor.
    await runCommand(page, 'File: Revert File');
  }, 120_000);

  test('Run with Trace fills the trace view with the run’s actions', async () => {
    const file = path.join(ws.dir, 'samples/hello.studio');
    // What the runtime itself reports for the same run: the rows must show these actions.
    const expected = new Set<number>();
    await runScript(file, { inputs: { name: 'Ada' }, onTrace: (e) => void (e.type === 'action' && e.line !== undefined && expected.add(e.line)) });
    const skipped = actionsOf(file).find((a) => a.label === 'default_name')!;
    expect(expected.size).toBeGreaterThan(0);
    expect(expected.has(skipped.line)).toBe(false);

    await openFile(page, 'samples/hello.studio');
    await runCommand(page, paletteTitle('snipstudio.runWithTrace'));
    // One input box per PARAM, prefilled from the snipstudio.run.inputs setting.
    await quickInput(page, 'Run hello.studio');
    expect(await page.locator('.quick-input-widget input.input').inputValue()).toBe('Ada');
    await page.keyboard.press('Enter');
    const frame = await webviewFrame(page, '.trace-row', 60_000);
    const lines = async (f: Frame) => (await f.locator('.trace-row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-line'))))) as number[];
    await expect
      .poll(async () => {
        const ls = await lines(frame);
        return [...expected].every((l) => ls.includes(l));
      })
      .toBe(true);
    const shown = await lines(frame);
    for (const l of expected) expect(shown).toContain(l);
    expect(shown).not.toContain(skipped.line);
    const seqs = (await frame.locator('.trace-row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-seq'))))) as number[];
    expect(new Set(seqs).size).toBe(seqs.length);
    // A clean picture for the README: no panel, no notification over the view.
    if (await page.locator('.part.panel').isVisible()) await runCommand(page, 'View: Toggle Panel Visibility');
    if (await page.locator('.notifications-toasts .notification-toast').count()) await runCommand(page, 'Notifications: Clear All Notifications');
    await page.keyboard.press('Escape');
    await saveScreenshot(page, 'trace-view');
  }, 120_000);

  test('the flow diagram shows every action of the sample', async () => {
    const rel = 'samples/agent-lookup.studio';
    const actions = actionsOf(path.join(ws.dir, rel));
    await openFile(page, rel);
    await runCommand(page, paletteTitle('snipstudio.showFlowDiagram'));
    const frame = await webviewFrame(page, 'g.flow-node', 60_000);
    await expect
      .poll(async () => (await frame.locator('g.flow-node').evaluateAll((ns) => ns.map((n) => n.getAttribute('data-label')))).sort())
      .toEqual(actions.map((a) => a.label).sort());
    expect(await frame.locator('g.flow-edge').count()).toBeGreaterThanOrEqual(actions.length - 1);
    await saveScreenshot(page, 'flow-diagram');
  }, 120_000);

  test('the hub tree shows the connection and expands', async () => {
    await page.keyboard.press('Control+Alt+Shift+F9');
    const hub = page.locator('.part.sidebar .pane').filter({ has: page.locator('.pane-header', { hasText: /snipstudio hub/i }) });
    await hub.locator('.monaco-list-row').first().waitFor();
    // Give the hub the sidebar's height: collapse the explorer's other sections.
    const others = page.locator('.part.sidebar .pane-header[aria-expanded="true"]').filter({ hasNotText: /snipstudio hub/i });
    for (let i = 0; i < 6 && (await others.count()) > 0; i++) await others.first().click();
    const rows = hub.locator('.monaco-list-row');
    const connection = rows.filter({ hasText: 'Agents API' }).first();
    await connection.waitFor();
    // Expand every collapsed row, however the tree groups the connection's secrets and requests.
    const collapsed = hub.locator('.monaco-list-row[aria-expanded="false"]');
    for (let i = 0; i < 12 && (await collapsed.count()) > 0; i++) {
      const before = await rows.count();
      await collapsed.first().click();
      await expect.poll(() => rows.count()).toBeGreaterThan(before);
    }
    await rows.filter({ hasText: 'List agents' }).first().waitFor();
    expect(await connection.getAttribute('aria-expanded')).toBe('true');
    // The secrets are listed by name only.
    for (const secret of ['client_id', 'client_secret', 'INSTANCEURI']) await rows.filter({ hasText: secret }).first().waitFor();
    expect(await hub.innerText()).not.toContain('demo-secret');
    await saveScreenshot(page.locator('.part.sidebar'), 'hub-tree');
  }, 120_000);

  test('a secret added through the masked input box is written nowhere in plain text', async () => {
    const name = 'e2e_token';
    const value = `s3cr3t-${process.pid}-${Date.now().toString(36)}-vAlUe`;
    await runCommand(page, paletteTitle('snipstudio.hub.addSecret'));
    await quickInput(page, 'Connection');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Agents API' }).first().click();
    await (await quickInput(page, 'New secret of Agents API')).fill(name);
    await page.keyboard.press('Enter');
    const field = await quickInput(page, `Set secret "${name}" of Agents API`);
    // The box is masked: a password field, so the value is never drawn.
    expect(await field.getAttribute('type')).toBe('password');
    await field.fill(value);
    await page.keyboard.press('Enter');
    await page.locator('.notifications-toasts', { hasText: `secret "${name}" of Agents API saved` }).waitFor();
    // The hub has the secret (names and fingerprints only are listed).
    await expect.poll(() => snip(['hub', 'secret', 'list', 'Agents API', '--hub', ws.hubDir], ws.dir), { timeout: 30_000 }).toContain(name);
    const srv = server!;
    await wb!.close();
    wb = undefined;
    await srv.stop();
    const { hits, filesSearched } = searchForSecret([srv.userDataDir, srv.logsDir, ws.dir, srv.tempRoot], value);
    expect(filesSearched).toBeGreaterThan(10);
    expect(statSync(srv.logsDir).isDirectory()).toBe(true);
    expect(hits).toEqual([]);
  }, 120_000);
});

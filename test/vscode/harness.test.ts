// The harness itself, in real VS Code (code-server + chromium): a probe .vsix installs offline, the
// workbench opens a workspace file through quick open, and a palette command runs inside the extension
// host. Independent of the Snipstudio extension, so a harness failure is told apart from an extension one.
import { existsSync, mkdtempSync, readFileSync, rmSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { editorText, openFile, openWorkbench, removeCodeServerDirs, runCommand, startCodeServer, type CodeServer, type Workbench } from '../helpers/code-server.js';
import { chromiumBin, codeServerBin, requireTool, SETUP_VSCODE_TOOLS } from '../helpers/tools.js';
import { packVsix } from '../helpers/vsix.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/vscode');
const run =
  requireTool('code-server', codeServerBin() !== undefined, SETUP_VSCODE_TOOLS) &&
  requireTool('chromium', chromiumBin() !== undefined, SETUP_VSCODE_TOOLS);

describe.skipIf(!run)('code-server harness', () => {
  let tmp: string;
  let server: CodeServer;
  let wb: Workbench;

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(tmpdir(), 'snip-harness-'));
    const workspace = path.join(tmp, 'workspace');
    cpSync(path.join(fixtures, 'harness-workspace'), workspace, { recursive: true });
    const vsix = path.join(tmp, 'harness.vsix');
    packVsix(path.join(fixtures, 'harness-ext'), vsix);
    server = await startCodeServer({ workspace, vsix: [vsix] });
    wb = await openWorkbench(server);
  }, 180_000);

  afterAll(async () => {
    await wb?.close();
    await server?.stop();
    if (server) removeCodeServerDirs(server);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('installs a .vsix, opens a file and runs a palette command in the extension host', async () => {
    expect(existsSync(path.join(server.extensionsDir, 'snipstudio-test.harness-0.0.1', 'package.json'))).toBe(true);
    const editor = await openFile(wb.page, 'probe.snip');
    await expect.poll(() => editorText(editor)).toContain('hello from the harness');
    await runCommand(wb.page, 'Snip Harness: Write Marker');
    const marker = path.join(server.workspace, '.harness-marker.json');
    // The extension host writes the file while we poll: read it until it parses whole.
    const read = (): unknown => {
      try {
        return JSON.parse(readFileSync(marker, 'utf8'));
      } catch {
        return undefined;
      }
    };
    await expect.poll(read, { timeout: 30_000 }).toEqual({ vscodeVersion: '1.100.3', activeFile: 'probe.snip' });
  }, 120_000);
});

// The language server learns of hub changes through watched-file notifications, as the extension
// sends them (synchronize.fileEvents on the hub folder), and a pulling client like VS Code is asked
// to pull again (workspace/diagnostic/refresh), so hub-aware diagnostics stay current.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection } from 'vscode-languageserver-protocol/node';
import { main } from '../../runtime/cli/main.js';
import { fakeIO } from '../cli/fake-io.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const KEY = { SNIP_HUB_KEY: Buffer.alloc(32, 9).toString('base64') };
let dir: string;

async function hub(...args: string[]): Promise<void> {
  const io = { ...fakeIO(dir), env: KEY };
  expect(await main(['hub', ...args, '--hub', 'hub', '--json'], io), io.stderrText()).toBe(0);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'snip-hubrefresh-'));
  await hub('init');
  await hub('template', 'create', 'T', '--application', 'A', '--auth', 'none', '--verbs', 'GET');
  // A hub without connections counts as no hub (no hub-aware checks): start with one.
  await hub('connection', 'create', 'Other API', '--template', 'T');
  writeFileSync(path.join(dir, 'later.studio'), 'BEGIN start -> auth\nCONNECTAUTH auth (connectName = "Later API")\n  -> done\nEND done\n');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hub changes reach the language server', () => {
  it('re-reads the hub on a watched-file change and asks the pulling client to refresh', async () => {
    const child = spawn(process.execPath, [path.join(root, 'bin/snip.js'), 'lsp', '--stdio'], { cwd: dir, env: { PATH: process.env.PATH ?? '', ...KEY }, stdio: ['pipe', 'pipe', 'pipe'] });
    const c: ProtocolConnection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    let refreshed!: () => void;
    const refresh = new Promise<void>((r) => (refreshed = r));
    c.onRequest('workspace/diagnostic/refresh', () => {
      refreshed();
      return null;
    });
    c.onRequest('client/registerCapability', () => null);
    c.listen();
    const rootUri = pathToFileURL(dir).href;
    await c.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'w' }],
      capabilities: { textDocument: { diagnostic: { dynamicRegistration: false } }, workspace: { diagnostics: { refreshSupport: true }, didChangeWatchedFiles: { dynamicRegistration: false } } },
      initializationOptions: { hubDir: path.join(dir, 'hub') },
    });
    await c.sendNotification('initialized', {});
    const uri = pathToFileURL(path.join(dir, 'later.studio')).href;
    await c.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'studio', version: 1, text: 'BEGIN start -> auth\nCONNECTAUTH auth (connectName = "Later API")\n  -> done\nEND done\n' } });
    const pull = async () => ((await c.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as { items: { code: string }[] }).items.map((d) => d.code);
    expect(await pull()).toEqual(['SNIP4002']);

    await hub('connection', 'create', 'Later API', '--template', 'T');
    const changed = pathToFileURL(path.join(dir, 'hub', 'connections', 'later-api.json')).href;
    await c.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: changed, type: 1 }] });
    await refresh;
    expect(await pull()).toEqual([]);

    await c.sendRequest('shutdown');
    await c.sendNotification('exit');
    c.dispose();
  });
});

// A real LSP client for tests: spawns `node bin/snip.js lsp --stdio` and talks to it with the
// vscode-languageserver-protocol client side over stdio (initialize, didOpen, didChange, requests).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type InitializeResult,
  type ClientCapabilities,
} from 'vscode-languageserver-protocol/node';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A running server and its client connection. */
export interface LspClient {
  connection: ProtocolConnection;
  initialize: InitializeResult;
  /** Every publishDiagnostics notification received, in order. */
  published: PublishDiagnosticsParams[];
  /** Resolves with the next diagnostics published for `uri` that satisfy `accept`. */
  nextDiagnostics(uri: string, accept?: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams>;
  /** Opens a document with `text`. */
  open(uri: string, text: string, languageId?: string): void;
  /** Sends one incremental change. */
  change(uri: string, version: number, range: { start: { line: number; character: number }; end: { line: number; character: number } }, text: string): void;
  /** Shuts the server down and waits for the process to end. */
  close(): Promise<number | null>;
  stderr: () => string;
}

export interface StartOptions {
  /** The workspace folder. */
  rootDir: string;
  /** Ask for pull diagnostics (then the server does not push). */
  pull?: boolean;
  initializationOptions?: Record<string, unknown>;
  env?: Record<string, string>;
}

/** Starts the built server (`npm run build` first) on a workspace folder. */
export async function startLspClient(options: StartOptions): Promise<LspClient> {
  if (!existsSync(path.join(root, 'dist/lsp/server.js'))) throw new Error('run `npm run build` before this test (the server runs dist/)');
  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'bin/snip.js'), 'lsp', '--stdio'], {
    cwd: options.rootDir,
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d) => (err += String(d)));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const published: PublishDiagnosticsParams[] = [];
  const waiters: { uri: string; accept: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.push(p);
    for (const w of [...waiters]) {
      if (w.uri === p.uri && w.accept(p)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(p);
      }
    }
  });
  connection.onRequest('workspace/configuration', () => []);
  connection.onRequest('client/registerCapability', () => null);
  connection.listen();
  const capabilities: ClientCapabilities = {
    textDocument: {
      synchronization: { dynamicRegistration: false },
      completion: { completionItem: { snippetSupport: true } },
      hover: { contentFormat: ['markdown', 'plaintext'] },
      rename: { prepareSupport: true },
      publishDiagnostics: { relatedInformation: true },
      ...(options.pull ? { diagnostic: { dynamicRegistration: false } } : {}),
    },
    workspace: { workspaceFolders: true },
  };
  const rootUri = pathToFileURL(options.rootDir).href;
  const initialize = (await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri,
    workspaceFolders: [{ uri: rootUri, name: path.basename(options.rootDir) }],
    capabilities,
    initializationOptions: options.initializationOptions ?? {},
  })) as InitializeResult;
  await connection.sendNotification('initialized', {});
  return {
    connection,
    initialize,
    published,
    stderr: () => err,
    nextDiagnostics(uri, accept = () => true) {
      return new Promise((resolve) => waiters.push({ uri, accept, resolve }));
    },
    open(uri, text, languageId = uri.endsWith('.studio') ? 'snip-studio' : 'snip') {
      void connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    },
    change(uri, version, range, text) {
      void connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
    },
    async close() {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      try {
        await connection.sendRequest('shutdown');
        await connection.sendNotification('exit');
      } catch {
        child.kill();
      }
      const code = await exited;
      connection.dispose();
      return code;
    },
  };
}

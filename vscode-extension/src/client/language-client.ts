// Starts the language server as a Node child process of the extension host and connects to it over
// IPC (the usual client/server split), or runs an installed `snip lsp --stdio` when the
// `snipstudio.server.path` setting names one.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { readSettings, workspaceRoot } from '../settings';

export const DOCUMENT_SELECTOR = [
  { scheme: 'file', language: 'snip' },
  { scheme: 'file', language: 'studio' },
  { scheme: 'untitled', language: 'snip' },
  { scheme: 'untitled', language: 'studio' },
];

function serverOptions(extensionPath: string, hubFolder: string | undefined): ServerOptions {
  const s = readSettings();
  const env = { ...process.env, ...(hubFolder ? { SNIP_HUB: hubFolder } : {}) };
  if (s.serverPath) {
    // The client appends `--stdio` for this transport.
    return { command: s.serverPath, args: ['lsp'], transport: TransportKind.stdio, options: { env, cwd: workspaceRoot() } };
  }
  const module = path.join(extensionPath, 'dist', 'server.js');
  return {
    run: { module, transport: TransportKind.ipc, options: { env } },
    debug: { module, transport: TransportKind.ipc, options: { env, execArgv: ['--nolazy', '--inspect=6019'] } },
  };
}

/** Creates (not starts) the client; the caller owns start, stop and restart. */
export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const hubFolder = readSettings().hubFolder;
  const root = workspaceRoot();
  // Hub files tell the server about connections and requests; scripts about cross-file names. The
  // server re-reads the hub on any .json change it is told about, so watch the hub folder only.
  const watchers = [vscode.workspace.createFileSystemWatcher('**/*.{snip,studio}')];
  if (hubFolder) {
    const base = root && !path.relative(root, hubFolder).startsWith('..') ? root : hubFolder;
    const rel = path.relative(base, hubFolder).split(path.sep).join('/');
    watchers.push(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(base, rel ? `${rel}/**/*.json` : '**/*.json')));
  }
  context.subscriptions.push(...watchers);
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    synchronize: { fileEvents: watchers },
    initializationOptions: { hubDir: hubFolder },
    outputChannel: output,
    traceOutputChannel: output,
  };
  return new LanguageClient('snipstudio', 'Snipstudio Language Server', serverOptions(context.extensionPath, hubFolder), clientOptions);
}

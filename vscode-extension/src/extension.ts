// Activation and wiring only: starts the language client, the status bar, and registers each
// feature's commands and views (one module per feature under client/, commands/, views/).
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { setExtensionRoot } from './cli/snip-process';
import { createLanguageClient } from './client/language-client';
import { selfTest, type SelfTestArgs } from './commands/self-test';
import { readSettings, workspaceRoot } from './settings';
import { StatusBar } from './status-bar';

let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  setExtensionRoot(context.extensionPath);
  const output = vscode.window.createOutputChannel('Snipstudio');
  const serverLog = vscode.window.createOutputChannel('Snipstudio Language Server', { log: true });
  const status = new StatusBar();
  context.subscriptions.push(output, serverLog, status);
  status.setHub(readSettings().hubFolder, workspaceRoot());

  const startClient = (): LanguageClient => {
    const c = createLanguageClient(context, serverLog);
    c.onDidChangeState((e) => status.setServer(e.newState === State.Running ? 'running' : e.newState === State.Starting ? 'starting' : 'stopped'));
    // Not awaited: activation must stay fast; the client queues requests until the server is up.
    c.start().catch((e: unknown) => output.appendLine(`Language server failed to start: ${e instanceof Error ? e.message : String(e)}`));
    return c;
  };
  client = startClient();
  const currentClient = (): LanguageClient => client!;

  let activationMs = 0;
  context.subscriptions.push(
    vscode.commands.registerCommand('snipstudio.restartServer', async () => {
      status.setServer('starting');
      const old = client;
      client = undefined;
      await old?.dispose().catch(() => undefined);
      client = startClient();
    }),
    vscode.commands.registerCommand('snipstudio.selfTest', (args?: SelfTestArgs) => selfTest({ client: currentClient, activationMs }, args ?? {})),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('snipstudio.hub.folder')) status.setHub(readSettings().hubFolder, workspaceRoot());
      if (e.affectsConfiguration('snipstudio.server.path') || e.affectsConfiguration('snipstudio.hub.folder')) {
        void vscode.commands.executeCommand('snipstudio.restartServer');
      }
    }),
  );
  activationMs = Math.round((performance.now() - started) * 100) / 100;
}

export async function deactivate(): Promise<void> {
  await client?.stop().catch(() => undefined);
}

// Activation and wiring only: starts the language client and the status bar, and registers each
// feature's commands and views (one module per feature under client/, commands/, views/).
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { setExtensionRoot } from './cli/snip-process';
import { createLanguageClient, DOCUMENT_SELECTOR } from './client/language-client';
import { WorkspaceCheck } from './commands/check-workspace';
import { RunCodeLens } from './commands/code-lens';
import * as hubCommands from './commands/hub-commands';
import { openTraceFile } from './commands/open-trace';
import { runScriptCommand, targetScript, type RunDeps } from './commands/run';
import { selfTest, type SelfTestArgs } from './commands/self-test';
import { readSettings, workspaceRoot } from './settings';
import { StatusBar } from './status-bar';
import { FlowPanels } from './views/flow/flow-panel';
import { HubView } from './views/hub/hub-view';
import type { HubItem } from './views/hub/tree-model';
import { TracePanel } from './views/trace/trace-panel';
import { ValueDecorations } from './views/trace/value-decorations';

let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  setExtensionRoot(context.extensionPath);
  const output = vscode.window.createOutputChannel('Snipstudio');
  const serverLog = vscode.window.createOutputChannel('Snipstudio Language Server', { log: true });
  const status = new StatusBar();
  const trace = new TracePanel(context.extensionUri);
  const decorations = new ValueDecorations();
  const flows = new FlowPanels(context.extensionUri);
  const check = new WorkspaceCheck(output);
  const hubView = new HubView();
  context.subscriptions.push(output, serverLog, status, trace, decorations, flows, check, hubView);
  context.subscriptions.push(vscode.window.createTreeView('snipstudio.hub', { treeDataProvider: hubView, showCollapseAll: true }));
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

  const runDeps: RunDeps = {
    state: context.workspaceState,
    output,
    trace,
    decorations,
    status,
    onRunFinished: (file, traceFileName, events) => flows.runFinished(file, traceFileName, events),
  };
  let activationMs = 0;
  const command = (id: string, f: (...args: unknown[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, f));

  // Arguments: (uri?, inputs?) and (uri?, level?, inputs?); menus pass the uri only.
  command('snipstudio.run', (arg, inputs) => runScriptCommand(runDeps, arg, undefined, inputs));
  command('snipstudio.runWithTrace', (arg, level, inputs) =>
    runScriptCommand(runDeps, arg, level === 'actions' || level === 'statements' ? level : readSettings().traceLevel, inputs),
  );
  command('snipstudio.runWithStatementTrace', (arg, inputs) => runScriptCommand(runDeps, arg, 'statements', inputs));
  command('snipstudio.checkWorkspace', () => check.run());
  command('snipstudio.format', async (arg) => {
    const uri = targetScript(arg);
    if (uri) await vscode.window.showTextDocument(uri);
    await vscode.commands.executeCommand('editor.action.formatDocument');
  });
  command('snipstudio.openTraceFile', (arg) => openTraceFile(trace, arg));
  // Export commands take an optional target (a Uri or a path) instead of asking with a save dialog.
  const target = (t: unknown) => (t instanceof vscode.Uri ? t : typeof t === 'string' && t ? vscode.Uri.file(t) : undefined);
  command('snipstudio.exportTrace', (to) => trace.export(target(to)));
  command('snipstudio.showLastTrace', () => trace.show());
  command('snipstudio.showFlowDiagram', async (arg) => {
    const uri = targetScript(arg);
    if (!uri || !/\.studio$/i.test(uri.fsPath)) {
      void vscode.window.showWarningMessage('Snipstudio: open a .studio file to see its flow diagram.');
      return;
    }
    await flows.show(uri);
    return true;
  });
  command('snipstudio.exportFlowSvg', (arg, to) => flows.exportSvg(arg, target(to)));
  command('snipstudio.restartServer', async () => {
    status.setServer('starting');
    const old = client;
    client = undefined;
    await old?.dispose().catch(() => undefined);
    client = startClient();
  });
  command('snipstudio.hub.refresh', () => hubView.refresh());
  command('snipstudio.hub.addSecret', (item) => hubCommands.addSecret(hubView, item as HubItem | undefined));
  command('snipstudio.hub.test', (item) => hubCommands.test(item as HubItem | undefined));
  command('snipstudio.hub.toggleActive', (item) => hubCommands.toggleActive(hubView, item as HubItem | undefined));
  command('snipstudio.hub.delete', (item) => hubCommands.remove(hubView, item as HubItem | undefined));
  command('snipstudio.hub.copyExamplePayload', (item) => hubCommands.copyExamplePayload(item as HubItem | undefined));
  command('snipstudio.selfTest', (args) => selfTest({ client: currentClient, activationMs }, (args as SelfTestArgs | undefined) ?? {}));
  context.subscriptions.push(
    vscode.languages.registerCodeLensProvider(DOCUMENT_SELECTOR, new RunCodeLens()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('snipstudio.hub.folder')) {
        status.setHub(readSettings().hubFolder, workspaceRoot());
        hubView.watch();
        hubView.refresh();
      }
      if (e.affectsConfiguration('snipstudio.server.path') || e.affectsConfiguration('snipstudio.hub.folder')) {
        void vscode.commands.executeCommand('snipstudio.restartServer');
      }
    }),
  );
  activationMs = Math.round((performance.now() - started) * 100) / 100;
  // An end-to-end run may ask for the self-test without driving the UI: SNIPSTUDIO_SELFTEST=1, or
  // the command's argument as JSON, in the environment of the extension host.
  const auto = process.env.SNIPSTUDIO_SELFTEST;
  if (auto) {
    let args: SelfTestArgs = {};
    try {
      if (auto.trim().startsWith('{')) args = JSON.parse(auto) as SelfTestArgs;
    } catch {
      output.appendLine('SNIPSTUDIO_SELFTEST is not valid JSON; running the self-test with defaults.');
    }
    void vscode.commands.executeCommand('snipstudio.selfTest', args);
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop().catch(() => undefined);
}

// Status bar: the language server's state, the hub folder, and the result of the last run.
import * as path from 'node:path';
import * as vscode from 'vscode';

export class StatusBar implements vscode.Disposable {
  private readonly server = vscode.window.createStatusBarItem('snipstudio.server', vscode.StatusBarAlignment.Left, 10);
  private readonly hub = vscode.window.createStatusBarItem('snipstudio.hub', vscode.StatusBarAlignment.Left, 9);
  private readonly run = vscode.window.createStatusBarItem('snipstudio.lastRun', vscode.StatusBarAlignment.Left, 8);

  constructor() {
    this.server.name = 'Snipstudio server';
    this.server.command = 'snipstudio.restartServer';
    this.hub.name = 'Snipstudio hub';
    this.hub.command = 'snipstudio.hub.focus';
    this.run.name = 'Snipstudio last run';
    this.run.command = 'snipstudio.showLastTrace';
    this.setServer('starting');
    this.server.show();
  }

  setServer(state: 'starting' | 'running' | 'stopped'): void {
    const icon = state === 'running' ? '$(check)' : state === 'starting' ? '$(loading~spin)' : '$(error)';
    this.server.text = `${icon} Snip`;
    this.server.tooltip = `Snipstudio language server: ${state} (click to restart)`;
  }

  setHub(folder: string | undefined, root: string | undefined): void {
    if (!folder) {
      this.hub.hide();
      return;
    }
    const shown = root && !path.relative(root, folder).startsWith('..') ? path.relative(root, folder) || '.' : folder;
    this.hub.text = `$(plug) ${shown}`;
    this.hub.tooltip = `Snipstudio hub folder: ${shown}`;
    this.hub.show();
  }

  setLastRun(text: string, ok: boolean): void {
    this.run.text = `${ok ? '$(pass)' : '$(error)'} ${text}`;
    this.run.tooltip = 'Last Snipstudio run (click to show its trace)';
    this.run.show();
  }

  dispose(): void {
    this.server.dispose();
    this.hub.dispose();
    this.run.dispose();
  }
}

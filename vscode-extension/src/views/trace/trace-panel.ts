// The trace view: one webview panel that shows the current (or a loaded) run. Events are sent in
// batches, at most every 50 ms, so a fast run does not flood the webview with one message per event.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { webviewHtml } from '../webview-html';
import { toJsonl, type TraceEvent } from './rows';

const BODY = `<header>
  <span id="title"></span>
  <input id="filter" type="search" placeholder="Filter (label, action, variable, value, message)" aria-label="Filter">
  <button id="export" title="Export the trace as JSON Lines">Export…</button>
  <span id="status"></span>
</header>
<div id="scroller"><div id="spacer"></div></div>
<div id="details" hidden></div>`;

export class TracePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private title = '';
  private events: TraceEvent[] = [];
  /** Events not yet sent to the webview. */
  private pending: TraceEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Relative file names in the trace are resolved against this folder. */
  private baseDir: string | undefined;

  constructor(private readonly extensionUri: vscode.Uri) {}

  /** Starts showing a new run (or a loaded trace). */
  reset(title: string, baseDir: string | undefined, reveal: boolean): void {
    this.title = title;
    this.baseDir = baseDir;
    this.events = [];
    this.pending = [];
    if (reveal) this.show();
    if (this.panel && this.ready) void this.panel.webview.postMessage({ type: 'reset', title });
  }

  push(e: TraceEvent): void {
    this.events.push(e);
    this.pending.push(e);
    if (!this.timer) this.timer = setTimeout(() => this.flush(), 50);
  }

  /** Every event of the current run so far. */
  all(): readonly TraceEvent[] {
    return this.events;
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.panel || !this.ready || !this.pending.length) return;
    void this.panel.webview.postMessage({ type: 'events', events: this.pending });
    this.pending = [];
  }

  show(): void {
    if (this.panel) {
      this.panel.reveal(undefined, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel('snipstudio.trace', 'Snipstudio Trace', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview')],
    });
    this.panel = panel;
    this.ready = false;
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, 'trace', 'Snipstudio Trace', BODY);
    panel.webview.onDidReceiveMessage((m: { type: string; fileName?: string; line?: number; column?: number }) => {
      if (m.type === 'ready') {
        this.ready = true;
        void panel.webview.postMessage({ type: 'reset', title: this.title });
        this.pending = [...this.events];
        this.flush();
      } else if (m.type === 'open' && m.fileName && m.line) {
        void this.open(m.fileName, m.line, m.column ?? 1);
      } else if (m.type === 'export') {
        void vscode.commands.executeCommand('snipstudio.exportTrace');
      }
    });
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.ready = false;
    });
  }

  private async open(fileName: string, line: number, column: number): Promise<void> {
    const file = path.isAbsolute(fileName) ? fileName : path.resolve(this.baseDir ?? '', fileName);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const pos = new vscode.Position(Math.max(0, line - 1), Math.max(0, column - 1));
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos), viewColumn: vscode.ViewColumn.One });
  }

  /** Writes the current trace as JSON Lines (schema v1) to `to`, or where the user says; returns the file. */
  async export(to?: vscode.Uri): Promise<vscode.Uri | undefined> {
    if (!this.events.length) {
      void vscode.window.showInformationMessage('Snipstudio: there is no trace to export yet.');
      return undefined;
    }
    const target = to ?? await vscode.window.showSaveDialog({
      defaultUri: this.baseDir ? vscode.Uri.file(path.join(this.baseDir, 'trace.jsonl')) : undefined,
      filters: { 'JSON Lines trace': ['jsonl'] },
    });
    if (!target) return undefined;
    await vscode.workspace.fs.writeFile(target, Buffer.from(toJsonl(this.events), 'utf8'));
    return target;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.panel?.dispose();
  }
}

// The flow diagram: one webview panel per .studio file, redrawn when the file is saved and when a
// run of it finishes (its path highlighted). The parser is loaded from dist/flow-model.js on first
// use, so activation stays fast.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { webviewHtml } from '../webview-html';
import { runPath, type TraceEvent } from '../trace/rows';
import type { FlowGraph } from './graph';

type FlowModel = { buildFlowGraph(source: string): FlowGraph };

const BODY = `<header><span id="status">Laying out…</span></header><div id="canvas"></div>`;

export class FlowPanels implements vscode.Disposable {
  private readonly panels = new Map<string, { panel: vscode.WebviewPanel; ready: boolean; path?: { visited: [string, number][]; edges: [string, number][] }; pendingSvg?: (svg: string) => void }>();
  private model: FlowModel | undefined;
  /** The path of the last run of each file, kept for a diagram opened after the run. */
  private readonly lastPaths = new Map<string, { visited: [string, number][]; edges: [string, number][] }>();
  private readonly sub: vscode.Disposable;

  constructor(private readonly extensionUri: vscode.Uri) {
    this.sub = vscode.workspace.onDidSaveTextDocument((d) => {
      if (this.panels.has(d.uri.fsPath)) void this.redraw(d.uri.fsPath);
    });
  }

  private load(): FlowModel {
    // A plain require of a sibling bundle; esbuild leaves a computed path alone.
    const file = path.join(this.extensionUri.fsPath, 'dist', 'flow-model.js');
    this.model ??= (require as (id: string) => FlowModel)(file);
    return this.model;
  }

  async show(uri: vscode.Uri): Promise<void> {
    const file = uri.fsPath;
    const existing = this.panels.get(file);
    if (existing) {
      existing.panel.reveal(undefined, true);
      await this.redraw(file);
      return;
    }
    const panel = vscode.window.createWebviewPanel('snipstudio.flow', `Flow: ${path.basename(file)}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview')],
    });
    const entry: { panel: vscode.WebviewPanel; ready: boolean; path?: { visited: [string, number][]; edges: [string, number][] }; pendingSvg?: (svg: string) => void } = {
      panel,
      ready: false,
      path: this.lastPaths.get(file),
    };
    this.panels.set(file, entry);
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, 'flow', 'Flow diagram', BODY);
    panel.webview.onDidReceiveMessage(async (m: { type: string; line?: number; svg?: string }) => {
      if (m.type === 'ready') {
        entry.ready = true;
        await this.redraw(file);
      } else if (m.type === 'open' && m.line) {
        const doc = await vscode.workspace.openTextDocument(uri);
        const pos = new vscode.Position(m.line - 1, 0);
        await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos), viewColumn: vscode.ViewColumn.One });
      } else if (m.type === 'svg' && typeof m.svg === 'string') {
        entry.pendingSvg?.(m.svg);
        entry.pendingSvg = undefined;
      }
    });
    panel.onDidDispose(() => this.panels.delete(file));
  }

  private async redraw(file: string): Promise<void> {
    const entry = this.panels.get(file);
    if (!entry?.ready) return;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const graph = this.load().buildFlowGraph(doc.getText());
    await entry.panel.webview.postMessage({ type: 'graph', graph, path: entry.path });
  }

  /** Highlights the path of a finished run in the diagram of its file, if one is open. */
  runFinished(file: string, traceFileName: string, events: readonly TraceEvent[]): void {
    // Only this file's actions: a RUNSUB subscript's actions are in the trace too.
    let p = runPath(events, traceFileName);
    if (!p.visited.size) p = runPath(events); // a file outside the workspace is named differently
    const path = { visited: [...p.visited], edges: [...p.edges] };
    this.lastPaths.set(file, path);
    const entry = this.panels.get(file);
    if (!entry) return;
    entry.path = path;
    if (entry.ready) void entry.panel.webview.postMessage({ type: 'path', path: entry.path });
  }

  /** Writes the diagram of the active flow panel (or the given file's) as SVG to `to`, or where the user says. */
  async exportSvg(arg: unknown, to?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const file = arg instanceof vscode.Uri ? arg.fsPath : [...this.panels].find(([, e]) => e.panel.active)?.[0] ?? [...this.panels.keys()][0];
    const entry = file ? this.panels.get(file) : undefined;
    if (!file || !entry?.ready) {
      void vscode.window.showInformationMessage('Snipstudio: open a flow diagram first (Snipstudio: Show Flow Diagram).');
      return undefined;
    }
    const svg = await new Promise<string>((resolve) => {
      entry.pendingSvg = resolve;
      void entry.panel.webview.postMessage({ type: 'export' });
    });
    if (!svg) return undefined;
    const target = to ?? await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(file.replace(/\.studio$/i, '') + '.svg'),
      filters: { SVG: ['svg'] },
    });
    if (target) await vscode.workspace.fs.writeFile(target, Buffer.from(svg, 'utf8'));
    return target;
  }

  dispose(): void {
    this.sub.dispose();
    for (const e of this.panels.values()) e.panel.dispose();
  }
}

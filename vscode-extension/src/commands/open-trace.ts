// Open Trace File: a saved JSON Lines trace (`snip run --trace-format jsonl --trace-out FILE`, or an
// export from the trace view) shown in the trace view; lines that are not schema-1 events are skipped.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseTrace } from '../views/trace/rows';
import type { TracePanel } from '../views/trace/trace-panel';
import { workspaceRoot } from '../settings';

export async function openTraceFile(trace: TracePanel, arg: unknown): Promise<void> {
  let uri = arg instanceof vscode.Uri ? arg : undefined;
  if (!uri) {
    const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'JSON Lines trace': ['jsonl', 'json', 'txt'] }, openLabel: 'Open Trace' });
    uri = picked?.[0];
  }
  if (!uri) return;
  const text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
  const { events, skipped } = parseTrace(text);
  if (!events.length) {
    void vscode.window.showErrorMessage(`Snipstudio: ${path.basename(uri.fsPath)} holds no trace events (JSON Lines schema v1).`);
    return;
  }
  // File names in a trace are relative to where `snip run` ran: usually the workspace folder.
  trace.reset(path.basename(uri.fsPath), workspaceRoot() ?? path.dirname(uri.fsPath), true);
  for (const e of events) trace.push(e);
  trace.flush();
  if (skipped) void vscode.window.showWarningMessage(`Snipstudio: skipped ${skipped} line(s) that are not trace events.`);
}

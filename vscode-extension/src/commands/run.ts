// Run and Run with Trace: the bundled `snip run` (the same runtime code as the CLI) as a child
// process, its JSON Lines trace read line by line from stderr into the trace view while the run goes.
// Other output goes to the "Snipstudio" output channel; the result shows in a notification.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runSnip } from '../cli/snip-process';
import { readSettings, workspaceRoot, type TraceLevel } from '../settings';
import type { StatusBar } from '../status-bar';
import { parseTraceLine, type TraceEvent } from '../views/trace/rows';
import type { TracePanel } from '../views/trace/trace-panel';
import type { ValueDecorations } from '../views/trace/value-decorations';
import { askInputs } from './run-inputs';

/** How many events of one run the view and the decorations keep. */
const MAX_EVENTS = 200_000;

export interface RunDeps {
  state: vscode.Memento;
  output: vscode.OutputChannel;
  trace: TracePanel;
  decorations: ValueDecorations;
  status: StatusBar;
  /** Called with every finished run (the flow diagram highlights its path). */
  onRunFinished: (file: string, traceFileName: string, events: readonly TraceEvent[]) => void;
}

/** The script a command applies to: its argument (CodeLens, explorer, editor title) or the active editor. */
export function targetScript(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  const doc = vscode.window.activeTextEditor?.document;
  return doc && /\.(snip|studio)$/i.test(doc.fileName) ? doc.uri : undefined;
}

function summary(end: TraceEvent | undefined, code: number): { text: string; ok: boolean } {
  if (end?.type === 'end') {
    const ms = `${(end.durationMs ?? 0).toFixed(1)} ms`;
    if (end.outcome === 'completed' && code === 0) return { text: `completed in ${ms}`, ok: true };
    return { text: `${end.outcome ?? 'error'}${end.endError ? `: ${end.endError.code} ${end.endError.message}` : ''} (${ms})`, ok: false };
  }
  return { text: code === 2 ? 'did not compile (see Problems)' : `failed (exit code ${code})`, ok: false };
}

/** What a run command resolves with (for callers such as tests; people see the notification). */
export interface RunOutcome {
  ok: boolean;
  exitCode: number;
  outcome: string;
  events: number;
}

/**
 * Runs a script; `level` undefined is a plain Run (the trace is still recorded, at statement level,
 * for the decorations). `given` inputs (an object of names to values) skip the input boxes.
 */
export async function runScriptCommand(deps: RunDeps, arg: unknown, level: TraceLevel | undefined, given?: unknown): Promise<RunOutcome | undefined> {
  const uri = targetScript(arg);
  if (!uri) {
    void vscode.window.showWarningMessage('Snipstudio: open a .snip or .studio file to run it.');
    return undefined;
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  if (doc.isDirty) await doc.save();
  const root = workspaceRoot() ?? path.dirname(uri.fsPath);
  const rel = path.relative(root, uri.fsPath).split(path.sep).join('/');
  const settings = readSettings();
  const inputs =
    typeof given === 'object' && given !== null && !Array.isArray(given)
      ? { values: Object.fromEntries(Object.entries(given).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])) }
      : await askInputs(deps.state, uri.fsPath, rel, doc.getText(), settings.inputs[rel]);
  if (inputs === 'cancelled') return undefined;

  const args = ['run', rel, `--trace=${level ?? 'statements'}`, '--trace-format', 'jsonl', '--print-vars'];
  if (inputs && 'file' in inputs) args.push('--inputs', inputs.file);
  else if (inputs) for (const [k, v] of Object.entries(inputs.values)) args.push('--input', `${k}=${v}`);
  if (settings.hubFolder) args.push('--hub', settings.hubFolder);
  if (settings.timeoutMs) args.push('--timeout', String(settings.timeoutMs));
  if (settings.maxSteps) args.push('--max-steps', String(settings.maxSteps));

  const title = `${path.basename(uri.fsPath)} · ${new Date().toLocaleTimeString()}`;
  deps.trace.reset(title, root, level !== undefined);
  deps.decorations.clear();
  deps.output.appendLine(`▶ snip run ${rel}${level ? ` (trace: ${level})` : ''}`);
  const events: TraceEvent[] = [];
  let end: TraceEvent | undefined;
  let dropped = 0;
  const controller = new AbortController();
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: `Snipstudio: running ${path.basename(uri.fsPath)}`, cancellable: true },
    (_progress, token) => {
      token.onCancellationRequested(() => controller.abort());
      return runSnip(args, {
        cwd: root,
        signal: controller.signal,
        onStderrLine: (line) => {
          const e = parseTraceLine(line);
          if (!e) {
            if (line.trim()) deps.output.appendLine(line);
            return;
          }
          if (e.type === 'end') end = e;
          if (e.type === 'message') deps.output.appendLine(`${e.fileName ?? rel}:${e.line ?? 0}: trace: ${e.message ?? ''}`);
          // A long loop can emit millions of events: keep the first MAX_EVENTS and the end.
          if (events.length >= MAX_EVENTS && e.type !== 'end') {
            if (++dropped === 1) deps.output.appendLine(`(the trace view keeps the first ${MAX_EVENTS.toLocaleString('en')} events of a run)`);
            return;
          }
          events.push(e);
          deps.trace.push(e);
        },
      });
    },
  );
  deps.trace.flush();
  if (result.stdout.trim()) deps.output.appendLine(`variables: ${result.stdout.trim()}`);
  const s = summary(end, result.code);
  deps.output.appendLine(`■ ${rel}: ${s.text}${dropped ? ` (${dropped.toLocaleString('en')} trace events not kept)` : ''}`);
  deps.status.setLastRun(`${path.basename(uri.fsPath)}: ${s.ok ? 'ok' : 'failed'}`, s.ok);
  deps.decorations.show(events, root);
  deps.onRunFinished(uri.fsPath, rel, events);
  const message = `Snipstudio: ${path.basename(uri.fsPath)} ${s.text}`;
  // Not awaited: the command finishes with the run, not when the notification is dismissed.
  void (s.ok ? vscode.window.showInformationMessage(message, 'Show Trace', 'Show Output') : vscode.window.showErrorMessage(message, 'Show Trace', 'Show Output')).then((choice) => {
    if (choice === 'Show Trace') deps.trace.show();
    else if (choice === 'Show Output') deps.output.show(true);
  });
  return { ok: s.ok, exitCode: result.code, outcome: end?.outcome ?? 'error', events: events.length };
}

// Typed access to the extension's settings (contributes.configuration in package.json).
import * as path from 'node:path';
import * as vscode from 'vscode';

export type TraceLevel = 'actions' | 'statements';

export interface Settings {
  /** The hub folder, absolute; undefined when there is no workspace folder. */
  hubFolder: string | undefined;
  traceLevel: TraceLevel;
  maxSteps: number | undefined;
  timeoutMs: number | undefined;
  /** Inputs per script, keyed by workspace-relative path (forward slashes). */
  inputs: Record<string, Record<string, unknown>>;
  /** An installed `snip` to run the language server with, instead of the bundled one. */
  serverPath: string | undefined;
}

/** The first workspace folder, which hub, inputs and relative paths are based on. */
export function workspaceRoot(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration('snipstudio');
  const root = workspaceRoot();
  const hub = c.get<string>('hub.folder', '').trim();
  const num = (key: string): number | undefined => {
    const v = c.get<number | null>(key, null);
    return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
  };
  return {
    hubFolder: hub ? (path.isAbsolute(hub) || !root ? hub : path.join(root, hub)) : root ? path.join(root, 'hub') : undefined,
    traceLevel: c.get<string>('trace.level', 'actions') === 'statements' ? 'statements' : 'actions',
    maxSteps: num('run.maxSteps'),
    timeoutMs: num('run.timeoutMs'),
    inputs: c.get<Record<string, Record<string, unknown>>>('run.inputs', {}) ?? {},
    serverPath: c.get<string>('server.path', '').trim() || undefined,
  };
}

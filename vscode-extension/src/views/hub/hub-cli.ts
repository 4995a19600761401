// Hub operations through the bundled `snip hub ... --json` (the runtime's hub code, as the CLI uses
// it), run in the workspace folder so "used by" checks see the workspace's scripts.
import * as vscode from 'vscode';
import { runSnip } from '../../cli/snip-process';
import { readSettings, workspaceRoot } from '../../settings';
import type { HubConnection, HubSnapshot, HubTemplate } from './tree-model';

/** A failure keeps the CLI's whole JSON answer (`raw`): a failed test still reports its details. */
export type HubResult<T> = { ok: true; value: T } | { ok: false; code: string; message: string; raw?: unknown };

/** `snip hub ARGS --hub DIR --json`; `stdin` carries a secret value (never argv). */
export async function hub<T>(args: string[], stdin?: string): Promise<HubResult<T>> {
  const s = readSettings();
  const full = [...args, '--json', ...(s.hubFolder ? ['--hub', s.hubFolder] : [])];
  const r = await runSnip(['hub', ...full], { cwd: workspaceRoot(), stdin });
  let parsed: unknown;
  try {
    parsed = JSON.parse(r.stdout);
  } catch {
    // Usage errors are plain text on stderr (their first line says what is wrong).
    return { ok: false, code: `exit ${r.code}`, message: r.stderr.split('\n')[0]?.replace(/^snip hub: /, '') || `snip hub failed (exit code ${r.code})` };
  }
  const err = (parsed as { error?: { code?: string; message?: string } } | null)?.error;
  if (r.code !== 0 && err) return { ok: false, code: err.code ?? '', message: err.message ?? '', raw: parsed };
  return { ok: true, value: parsed as T };
}

/** Reads everything the tree shows: templates, connections, and each connection's details. */
export async function readHub(): Promise<HubSnapshot> {
  if (!workspaceRoot() && !readSettings().hubFolder) return { templates: [], connections: [], error: 'Open a folder to see its hub.' };
  const [templates, connections] = await Promise.all([hub<HubTemplate[]>(['template', 'list']), hub<HubConnection[]>(['connection', 'list'])]);
  if (!templates.ok) return { templates: [], connections: [], error: templates.message };
  if (!connections.ok) return { templates: templates.value, connections: [], error: connections.message };
  // Details one connection at a time, two at once: the machine may be small.
  const details: HubConnection[] = [];
  const queue = [...connections.value];
  await Promise.all(
    [0, 1].map(async () => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        const shown = await hub<HubConnection>(['connection', 'show', c.name]);
        details.push(shown.ok ? shown.value : c);
      }
    }),
  );
  return { templates: templates.value, connections: details };
}

export function showHubError(what: string, r: { code: string; message: string }): void {
  void vscode.window.showErrorMessage(`Snipstudio: ${what} failed: ${r.code ? `${r.code} ` : ''}${r.message}`);
}

// The hub tree's context actions, each one `snip hub ... --json`: Test (a manual request, or the
// connection's authentication), Activate/Deactivate, Add or Replace Secret, Delete, Copy Example
// Payload. A secret value travels from a password box to the CLI's stdin and nowhere else: not argv,
// not settings, logs, output or messages (anything shown is scrubbed of it in case a tool echoes it).
import * as vscode from 'vscode';
import { hub, showHubError } from '../views/hub/hub-cli';
import type { HubView } from '../views/hub/hub-view';
import { scrub } from '../views/hub/secret-scrub';
import type { HubItem } from '../views/hub/tree-model';

async function pickConnection(item: HubItem | undefined): Promise<string | undefined> {
  if (item?.connection) return item.connection;
  const list = await hub<{ name: string }[]>(['connection', 'list']);
  if (!list.ok) {
    showHubError('Listing connections', list);
    return undefined;
  }
  return vscode.window.showQuickPick(list.value.map((c) => c.name), { title: 'Connection' });
}

export async function addSecret(view: HubView, item: HubItem | undefined): Promise<void> {
  const connection = await pickConnection(item);
  if (!connection) return;
  const name =
    item?.kind === 'secret' && item.name
      ? item.name
      : await vscode.window.showInputBox({ title: `New secret of ${connection}`, prompt: 'Secret name (spaces and special characters are fine)', ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'A name is needed') });
  if (!name) return;
  const value = await vscode.window.showInputBox({
    title: `${item?.kind === 'secret' ? 'Replace' : 'Set'} secret "${name}" of ${connection}`,
    prompt: 'The value is encrypted in the hub and never shown again',
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v ? undefined : 'The value is empty'),
  });
  if (!value) return;
  const r = await hub<unknown>(['secret', 'set', connection, name], value);
  if (!r.ok) showHubError(`Setting secret "${name}"`, { code: r.code, message: scrub(r.message, value) });
  else void vscode.window.showInformationMessage(`Snipstudio: secret "${name}" of ${connection} saved.`);
  view.refresh();
}

/** Shows a (masked) test answer in an untitled JSON editor. */
async function showJson(value: unknown): Promise<void> {
  const doc = await vscode.workspace.openTextDocument({ language: 'json', content: JSON.stringify(value, null, 2) + '\n' });
  await vscode.window.showTextDocument(doc, { preview: false });
}

export async function test(item: HubItem | undefined): Promise<void> {
  if (!item?.connection) return;
  const isRequest = item.kind === 'request' && item.name;
  if (isRequest && !item.contextValue.startsWith('request.manual')) {
    void vscode.window.showInformationMessage('Snipstudio: only manual requests can be tested from the hub; a studio request needs a script payload.');
    return;
  }
  const args = isRequest ? ['request', 'test', item.connection, item.name!] : ['auth', 'test', item.connection];
  const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Testing ${isRequest ? `request "${item.name}"` : `authentication of ${item.connection}`}…` }, () => hub<unknown>(args));
  // A failed test still answers with JSON (status, masked details): show it either way.
  await showJson(r.ok ? r.value : (r.raw ?? { error: { code: r.code, message: r.message } }));
}

export async function toggleActive(view: HubView, item: HubItem | undefined): Promise<void> {
  if (item?.kind !== 'request' || !item.connection || !item.name) return;
  const activate = item.contextValue.endsWith('.inactive');
  const r = await hub<unknown>(['request', activate ? 'activate' : 'deactivate', item.connection, item.name]);
  if (!r.ok) showHubError(`${activate ? 'Activating' : 'Deactivating'} "${item.name}"`, r);
  view.refresh();
}

export async function remove(view: HubView, item: HubItem | undefined): Promise<void> {
  if (!item?.connection || !item.name) return;
  const what = item.kind === 'secret' ? `secret "${item.name}" of ${item.connection}` : item.kind === 'request' ? `request "${item.name}" of ${item.connection}` : `connection "${item.name}"`;
  const ok = await vscode.window.showWarningMessage(`Delete ${what}?`, { modal: true }, 'Delete');
  if (ok !== 'Delete') return;
  const args =
    item.kind === 'secret' ? ['secret', 'delete', item.connection, item.name] : item.kind === 'request' ? ['request', 'delete', item.connection, item.name] : ['connection', 'delete', item.name];
  const r = await hub<unknown>(args);
  // Refused while scripts use it: the CLI's message lists them.
  if (!r.ok) showHubError(`Deleting ${what}`, r);
  view.refresh();
}

export async function copyExamplePayload(item: HubItem | undefined): Promise<void> {
  if (item?.kind !== 'request' || !item.connection || !item.name) return;
  const r = await hub<{ examplePayload?: unknown; exampleSnippet?: string }>(['request', 'show', item.connection, item.name]);
  if (!r.ok) {
    showHubError(`Reading "${item.name}"`, r);
    return;
  }
  if (r.value.examplePayload === undefined) {
    void vscode.window.showInformationMessage(`Snipstudio: "${item.name}" is a manual request; only studio requests take a payload.`);
    return;
  }
  await vscode.env.clipboard.writeText(JSON.stringify(r.value.examplePayload, null, 2));
  void vscode.window.showInformationMessage(`Snipstudio: example payload of "${item.name}" copied.`);
}

// The hub tree's model (vscode-extension/src/views/hub/tree-model.ts) over what the real CLI reports
// for a real hub made in a temporary folder, including the leak check: a secret's value appears
// nowhere in the tree, not even as its length.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../runtime/cli/main.js';
import { fakeIO } from '../cli/fake-io.js';
import { hubTree, type HubConnection, type HubItem, type HubTemplate } from '../../vscode-extension/src/views/hub/tree-model.js';
import { scrub } from '../../vscode-extension/src/views/hub/secret-scrub.js';

const SECRET = 'Zq9-very-secret-value-77';
let dir: string;

async function hub(args: string[], stdin?: string): Promise<unknown> {
  const io = { ...fakeIO(dir), readStdin: async () => stdin, env: { SNIP_HUB_KEY: Buffer.alloc(32, 7).toString('base64') } };
  const code = await main(['hub', ...args, '--hub', 'hub', '--json'], io);
  expect(code, io.stderrText()).toBe(0);
  return JSON.parse(io.stdoutText());
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'snip-hubtree-'));
  await hub(['init']);
  await hub(['template', 'create', 'Agents', '--application', 'Agents', '--auth', 'oauth2-client-credentials', '--verbs', 'GET,POST']);
  await hub(['template', 'create', 'Open', '--application', 'Open data', '--auth', 'none', '--verbs', 'GET']);
  await hub(['connection', 'create', 'Agents API', '--template', 'Agents', '--timeout', '5000']);
  await hub(['connection', 'create', 'Weather', '--template', 'Open']);
  await hub(['secret', 'set', 'Agents API', 'client secret'], SECRET);
  await hub(['request', 'add', 'Agents API', 'Lookup', '--trigger', 'studio']);
  await hub(['request', 'add', 'Agents API', 'Ping', '--trigger', 'manual', '--url', 'http://127.0.0.1:9/ping', '--method', 'GET', '--inactive']);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function snapshot() {
  const templates = (await hub(['template', 'list'])) as HubTemplate[];
  const list = (await hub(['connection', 'list'])) as HubConnection[];
  const connections: HubConnection[] = [];
  for (const c of list) connections.push((await hub(['connection', 'show', c.name])) as HubConnection);
  return { templates, connections };
}

const flat = (items: HubItem[]): HubItem[] => items.flatMap((i) => [i, ...flat(i.children ?? [])]);

describe('hub tree model', () => {
  it('shows templates, connections with status, timeout and auth kind, secrets by name, requests by trigger and state', async () => {
    const tree = hubTree(await snapshot());
    expect(tree.map((i) => `${i.label} (${i.description})`)).toEqual(['Templates (2)', 'Connections (2)']);
    const [templates, connections] = tree;
    expect(templates!.children!.map((t) => `${t.label}: ${t.description}`)).toEqual(['Agents: OAuth 2.0 client credentials · GET, POST', 'Open: no auth · GET']);
    const agents = connections!.children!.find((c) => c.label === 'Agents API')!;
    expect(agents.description).toBe('pending · 5000 ms · OAuth 2.0 client credentials');
    expect(agents.contextValue).toBe('connection.pending');
    const [secrets, requests] = agents.children!;
    expect(secrets!.children!.map((s) => [s.label, s.contextValue, s.connection])).toEqual([['client secret', 'secret', 'Agents API']]);
    expect(requests!.children!.map((r) => `${r.label} ${r.contextValue} ${r.description}`)).toEqual([
      'Lookup request.studio.active studio',
      'Ping request.manual.inactive manual GET · inactive',
    ]);
    const ids = flat(tree).map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('never holds a secret value or its length', async () => {
    const s = await snapshot();
    const text = JSON.stringify(hubTree(s));
    expect(text).not.toContain(SECRET);
    expect(JSON.stringify(s)).not.toContain(SECRET);
    const secret = flat(hubTree(s)).find((i) => i.kind === 'secret')!;
    expect(Object.values(secret).join(' ')).not.toMatch(new RegExp(`\\b${SECRET.length}\\b|[•*]{${SECRET.length}}`));
  });

  it('says why when the hub cannot be read, and leaves an empty hub to the welcome text', () => {
    expect(hubTree({ templates: [], connections: [] })).toEqual([]);
    expect(hubTree({ templates: [], connections: [], error: 'no hub in hub/' })).toEqual([
      { id: 'message', kind: 'message', label: 'no hub in hub/', contextValue: 'message', icon: 'info' },
    ]);
  });

  it('scrubs a secret value from any text shown after a hub operation', () => {
    expect(scrub(`failed near ${SECRET} and ${SECRET}`, SECRET)).toBe('failed near *** and ***');
    expect(scrub('nothing here', SECRET)).toBe('nothing here');
  });
});

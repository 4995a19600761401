// `snip dap` with the integration hub, through the real DebugClient against the local demo API:
// a breakpoint on a CONNECTREQUEST action line stops before the request and the Hub scope shows
// the connection (status, secrets by name only); every message the adapter sent during a run that
// echoes its secrets and token back (variables, evaluate, TRACE output, trace events, an error's
// stop, `_ERR` and exception info) is masked.
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FileHubStore } from '../../runtime/hub/file-store.js';
import { startDemoApi, type DemoApi } from '../../samples/demo-api/index.js';
import { childrenOf, launchWith, scopeVariables, startAdapter, stopped, workspace, type Recorded } from './dap-client.js';

const SECRETS: Record<string, string> = {
  client_id: 'demo-client',
  client_secret: 'demo-secret',
  password: 'pa55-W0rd "quoted" & more',
  pin: 'P1n-42!',
};

const SCRIPT = [
  'SCRIPT "Hub debug"', // 1
  'BEGIN start -> build', // 2
  'SNIPPET build {', // 3
  '  DYNAMIC p', // 4
  '  ASSIGN p.URL = "[[INSTANCEURI]]/echo/[[pin]]"', // 5
  '  ASSIGN p.HTTPMETHOD = "POST"', // 6
  '  ASSIGN p.BODY = "pass=[[password]]&cs=[[client_secret]]&id=[[client_id]]"', // 7
  '  ASSIGN j = p.asjson()', // 8
  '}', // 9
  '  -> auth', // 10
  'CONNECTAUTH auth (connectName = "Leaky")', // 11
  '  OnSuccess -> call', // 12
  'CONNECTREQUEST call (connectName = "Leaky", requestName = "Echo", requestPayload = j)', // 13
  '  OnSuccess -> show', // 14
  'SNIPPET show {', // 15
  '  ASSIGN echoed = requestBody.asjson()', // 16
  '  TRACE echoed', // 17
  '  TRACE "auth: {authHeadersList.Authorization} note: {note}"', // 18
  '  note.throw()', // 19
  '}', // 20
  '  -> done', // 21
  'END done', // 22
  '',
].join('\n');

let api: DemoApi;
let ws: Awaited<ReturnType<typeof workspace>>;
let dap: Recorded;

beforeAll(async () => {
  api = await startDemoApi();
  ws = await workspace({ 'hub.studio': SCRIPT });
  const store = new FileHubStore({ dir: path.join(ws.dir, 'hub'), env: {} });
  await store.init();
  await store.createTemplate({ name: 'T', application: 'Leak', authType: 'oauth2-client-credentials', verbs: ['GET', 'POST'] });
  await store.createConnection({ name: 'Leaky', template: 'T', timeoutMs: 5000 });
  await store.setSecret('Leaky', 'INSTANCEURI', api.url);
  for (const [k, v] of Object.entries(SECRETS)) await store.setSecret('Leaky', k, v);
  await store.updateConnection('Leaky', { auth: { url: '[[INSTANCEURI]]/oauth/token', method: 'POST', headers: {}, query: {} } });
  await store.addRequest('Leaky', { name: 'Echo', trigger: 'studio' });
});
afterAll(async () => {
  await api.close();
  await ws.dispose();
});
afterEach(async () => {
  await dap.client.stop();
});

/** Every form in which a secret could show. */
function forbidden(): string[] {
  const forms = new Set<string>();
  for (const v of [...Object.values(SECRETS), api.url]) {
    forms.add(v);
    forms.add(encodeURIComponent(v));
    forms.add(new URLSearchParams({ v }).toString().slice(2));
    forms.add(JSON.stringify(v).slice(1, -1));
    forms.add(JSON.stringify(JSON.stringify(v)).slice(2, -2));
    forms.add(Buffer.from(v).toString('base64'));
  }
  return [...forms];
}

function expectNoLeak(text: string): void {
  for (const f of forbidden()) if (text.includes(f)) throw new Error(`a DAP message leaks ${JSON.stringify(f).slice(0, 6)}…`);
  // Tokens are random: every bearer credential shown must be masked or a handle (tokens are
  // handles inside scripts, substituted only at send time).
  for (const m of text.matchAll(/Bearer\s+(?!token\b)([^\s"\\,}]+)/g)) expect(m[1]).toMatch(/^(?:\*\*\*\*|\[\[token:[0-9a-f]{16}\]\])$/);
}

describe('hub', () => {
  it('stops before CONNECTREQUEST with the connection in the Hub scope, and no message carries a secret', async () => {
    dap = await startAdapter(ws.dir);
    const program = ws.file('hub.studio');
    // An input that happens to hold a secret value: the runtime keeps it as is, the adapter must mask it.
    const inputs = { note: `pin is ${SECRETS.pin}, password is ${SECRETS.password}` };
    await launchWith(dap.client, { program, hub: 'hub', trace: 'statements', inputs }, async () => {
      await dap.client.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: 13 }, { line: 18 }] });
      await dap.client.setExceptionBreakpointsRequest({ filters: ['uncaught'] });
    });
    const before = await stopped(dap);
    expect(before.top).toMatchObject({ line: 13, name: 'call (CONNECTREQUEST)' });
    // The request has not run yet.
    expect((await scopeVariables(dap.client, before.top.id, 'Script')).has('requestBody')).toBe(false);
    const hub = await scopeVariables(dap.client, before.top.id, 'Hub');
    const leaky = hub.get('Leaky')!;
    expect(leaky.value).toMatch(/used in this run/);
    const details = await childrenOf(dap.client, leaky);
    expect(details.get('used in this run')?.value).toBe('yes');
    expect(details.get('requests')?.value).toBe('Echo');
    const secrets = await childrenOf(dap.client, details.get('secrets')!);
    expect([...secrets.keys()].sort()).toEqual(['INSTANCEURI', 'client_id', 'client_secret', 'password', 'pin']);
    for (const s of secrets.values()) expect(s.value).toBe('(secret)');

    await dap.client.continueRequest({ threadId: 1 });
    const after = await stopped(dap);
    expect(after.top.line).toBe(18);
    // The echo carried the secrets back: they show masked in variables, watches and expansions.
    const vars = await scopeVariables(dap.client, after.top.id, 'Script');
    expect(vars.get('echoed')?.value).toContain('****');
    const body = await childrenOf(dap.client, vars.get('requestBody')!);
    expect(body.size).toBeGreaterThan(0);
    for (const v of body.values()) if (v.variablesReference > 0) await childrenOf(dap.client, v);
    expect(vars.get('note')?.value).toBe('"pin is ****, password is ****"');
    for (const expression of ['note', 'echoed', 'authHeadersList.Authorization', 'p.URL', 'requestBody']) {
      await dap.client.evaluateRequest({ expression, frameId: after.top.id, context: 'repl' });
    }
    const system = await scopeVariables(dap.client, after.top.id, 'System');
    expect(system.get('__httpstatuscode')?.value).toBe('"200"');

    // An error whose message carries the secret values: masked in the stop, _ERR and exception info.
    await dap.client.continueRequest({ threadId: 1 });
    const failed = await stopped(dap);
    expect(failed.event.body.reason).toBe('exception');
    expect(failed.top.line).toBe(19);
    expect((await scopeVariables(dap.client, failed.top.id, 'System')).get('_ERR')?.value).toContain('pin is ****');
    const info = await dap.client.exceptionInfoRequest({ threadId: 1 });
    expect(info.body.exceptionId).toBe('SNIP3013');
    expect(info.body.description).toContain('password is ****');
    await Promise.all([dap.client.continueRequest({ threadId: 1 }), dap.terminated]);

    const all = dap.messages();
    expect(all).toMatch(/auth: Bearer \[\[token:[0-9a-f]{16}\]\] note: pin is \*\*\*\*/);
    expect(all).toContain('token-fetch');
    expectNoLeak(all);
  });
});

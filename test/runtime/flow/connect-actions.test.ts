// CONNECTAUTH, CONNECTREQUEST and REST API against the demo API on 127.0.0.1, with a real file hub
// (encrypted secrets) in a temporary folder: branches, outputs, status variables, token events,
// every refusal of the hub on OnError with `_ERR`, timeouts on OnTimeout, and no secret in traces.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileHubStore } from '../../../runtime/hub/file-store.js';
import { HubServices } from '../../../runtime/hub/services.js';
import { runScript, type RunScriptOptions } from '../../../runtime/run-script.js';
import type { ActionEvent, HubEvent, TraceEvent } from '../../../runtime/trace/events.js';
import { startDemoApi, type DemoApi } from '../../../samples/demo-api/index.js';
import { startScriptedServer, type ScriptedServer } from '../hub/token-server.js';

let api: DemoApi;
let dir: string;
let store: FileHubStore;

const SECRETS = { client_id: 'demo-client', client_secret: 'demo-secret' };

beforeAll(async () => {
  api = await startDemoApi();
  dir = await mkdtemp(path.join(tmpdir(), 'snip-connect-'));
  store = new FileHubStore({ dir: path.join(dir, 'hub'), env: {} });
  await store.createTemplate({ name: 'Demo OAuth', application: 'Demo', authType: 'oauth2-client-credentials', verbs: ['GET', 'POST'] });
  await store.createTemplate({ name: 'Tenant headers', application: 'Demo', authType: 'custom-headers', verbs: ['GET'], authHeaders: [{ name: 'X-Tenant', required: true }] });
  await store.createTemplate({ name: 'Open', application: 'Demo', authType: 'none', verbs: ['GET', 'POST'] });

  await store.createConnection({ name: 'Agents API', template: 'Demo OAuth', timeoutMs: 5000 });
  await store.setSecret('Agents API', 'INSTANCEURI', api.url);
  for (const [k, v] of Object.entries(SECRETS)) await store.setSecret('Agents API', k, v);
  await store.updateConnection('Agents API', { auth: { url: '[[INSTANCEURI]]/oauth/token', method: 'POST', headers: {}, query: {} } });
  await store.addRequest('Agents API', { name: 'Lookup agent', trigger: 'studio' });
  await store.addRequest('Agents API', { name: 'List agents', trigger: 'manual', url: '[[INSTANCEURI]]/agents', method: 'GET' });
  await store.addRequest('Agents API', { name: 'Retired', trigger: 'studio' });
  await store.setRequestActive('Agents API', 'Retired', false);

  await store.createConnection({ name: 'Other', template: 'Open' });
  await store.setSecret('Other', 'OTHER KEY', 'other-connection-secret');
  await store.addRequest('Other', { name: 'Any', trigger: 'studio' });

  await store.createConnection({ name: 'Tenant API', template: 'Tenant headers' });
  await store.addRequest('Tenant API', { name: 'Any', trigger: 'studio' });

  await store.createConnection({ name: 'Locked', template: 'Open', resourceDomain: 'https://api.example.test/v1' });
  await store.addRequest('Locked', { name: 'Any', trigger: 'studio' });

  await store.createConnection({ name: 'Slow auth', template: 'Demo OAuth', timeoutMs: 300 });
  for (const [k, v] of Object.entries(SECRETS)) await store.setSecret('Slow auth', k, v);
  await store.updateConnection('Slow auth', { auth: { url: `${api.url}/oauth/token`, method: 'POST', headers: {}, query: {} } });
});

afterAll(async () => {
  await api.close();
  await rm(dir, { recursive: true, force: true });
});

/** A flow: BEGIN -> `first`, with END ok / bad / slow for OnSuccess / OnError / OnTimeout. */
function flow(actions: string): string {
  return `PARAMS payload\nBEGIN start -> first\n${actions}\nEND ok\nEND bad\nEND slow\n`;
}
const WIRED = '  OnSuccess -> ok\n  OnError -> bad\n  OnTimeout -> slow';

async function run(source: string, options: RunScriptOptions & { payload?: unknown } = {}) {
  const hub = options.hub === undefined ? new HubServices(store) : (options.hub as HubServices);
  const inputs = { ...options.inputs, ...(options.payload !== undefined ? { payload: JSON.stringify(options.payload) } : {}) };
  const r = await runScript(source, { fileName: 't.studio', collectTrace: true, hub, masker: hub.mask, ...options, inputs });
  await hub.close();
  const trace = r.trace ?? [];
  const actions = trace.filter((e: TraceEvent): e is ActionEvent => e.type === 'action');
  const hubEvents = trace.filter((e: TraceEvent): e is HubEvent => e.type === 'hub');
  return { ...r, actions, hubEvents, path: actions.map((a) => `${a.label}:${a.branch ?? '-'}`), text: JSON.stringify(trace) + JSON.stringify(r.variables) };
}

const lookup = (url: string, extra: Record<string, unknown> = {}) => ({ URL: url, HTTPMETHOD: 'GET', ...extra });
const REQUEST = `CONNECTREQUEST first (connectName = "Agents API", requestName = "Lookup agent", requestPayload = payload)\n${WIRED}`;

describe('CONNECTREQUEST', () => {
  it('sends a studio request with a secret in the URL and gives the JSON body as a dynamic object', async () => {
    const r = await run(flow(REQUEST), { payload: lookup('[[INSTANCEURI]]/agents/A-100') });
    expect(r.error).toBeUndefined();
    expect(r.path).toEqual(['start:Default', 'first:OnSuccess', 'ok:-']);
    expect(r.variables['requestBody']).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace', accountId: 'A-100' });
    expect(r.variables['__httpstatuscode']).toBe('200');
    expect(r.variables['__httpstatusdescription']).toBe('OK');
    expect(r.variables['requestProxy']).toMatchObject({ StatusCode: '200' });
    expect((r.variables['requestHeadersList'] as Record<string, string>)['content-type']).toMatch(/json/);
    expect(r.hubEvents.map((e) => e.what)).toEqual(['request', 'token-fetch', 'response']);
    expect(r.hubEvents[0]!.detail).toContain('[[INSTANCEURI]]/agents/A-100');
    expect(r.text).not.toContain(api.url.replace('http://', ''));
    expect(r.text).not.toContain('demo-secret');
  });

  it('sends a manual request by name (no payload)', async () => {
    const r = await run(flow(`CONNECTREQUEST first (connectName = "Agents API", requestName = "List agents")\n${WIRED}`));
    expect(r.path.at(-1)).toBe('ok:-');
    expect(r.variables['requestBody']).toHaveLength(3);
  });

  it('reuses the token across requests of a run and marks the connection authorized', async () => {
    const before = api.stats.tokenRequests;
    const src = `PARAMS payload\nBEGIN start -> a\nCONNECTREQUEST a (connectName = "Agents API", requestName = "Lookup agent", requestPayload = payload)\n  OnSuccess -> b\nCONNECTREQUEST b (connectName = "Agents API", requestName = "List agents")\n  OnSuccess -> ok\nEND ok\n`;
    const r = await run(src, { payload: lookup('[[INSTANCEURI]]/agents/1002') });
    expect(r.path).toEqual(['start:Default', 'a:OnSuccess', 'b:OnSuccess', 'ok:-']);
    expect(api.stats.tokenRequests - before).toBe(1);
    expect(r.hubEvents.filter((e) => e.what.startsWith('token')).map((e) => e.what)).toEqual(['token-fetch', 'token-reuse']);
    expect((await store.getConnection('Agents API')).status).toBe('authorized');
  });

  it('takes OnError on a non-2xx answer, keeping the body and the status', async () => {
    const r = await run(flow(REQUEST), { payload: lookup('[[INSTANCEURI]]/agents/NOPE') });
    expect(r.path).toEqual(['start:Default', 'first:OnError', 'bad:-']);
    expect(r.variables['_ERR']).toBe('HTTP 404 Not Found');
    expect(r.variables['__httpstatuscode']).toBe('404');
    expect(r.variables['requestBody']).toMatchObject({ error: 'not found' });
    expect(r.variables['requestErrorDetails']).toMatchObject({ code: 'SNIP4015', status: '404' });
  });

  it('renames outputs with the ...VarName properties', async () => {
    const src = flow(`CONNECTREQUEST first (connectName = "Agents API", requestName = "Lookup agent", requestPayload = payload, requestBodyVarName = agent, requestHeadersListVarName = "hdrs")\n${WIRED}`);
    const r = await run(src, { payload: lookup('[[INSTANCEURI]]/agents/1003') });
    expect(r.variables['agent']).toMatchObject({ firstName: 'Grace' });
    expect(r.variables['hdrs']).toBeDefined();
    expect(r.variables['requestBody']).toBeUndefined();
  });

  it('builds the payload in a SNIPPET with the HYPHENPLACEHOLDER convention', async () => {
    const src =
      'BEGIN start -> build\nSNIPPET build {\n  DYNAMIC p\n  ASSIGN p.URL = "[[INSTANCEURI]]/echo"\n  ASSIGN p.HTTPMETHOD = "POST"\n' +
      '  ASSIGN p.HEADERS.XHYPHENPLACEHOLDERTRACEHYPHENPLACEHOLDERID = "t-1"\n  ASSIGN p.BODY = "hello"\n  ASSIGN j = p.asjson()\n' +
      '  ASSIGN j = j.replace("HYPHENPLACEHOLDER", "-")\n}\n  -> first\n' +
      `CONNECTREQUEST first (connectName = "Agents API", requestName = "Lookup agent", requestPayload = j)\n${WIRED}\nEND ok\nEND bad\nEND slow\n`;
    const r = await run(src);
    expect(r.path.at(-1)).toBe('ok:-');
    const echoed = r.variables['requestBody'] as { method: string; headers: Record<string, string>; body: string };
    expect(echoed.method).toBe('POST');
    expect(echoed.headers['x-trace-id']).toBe('t-1');
    expect(echoed.body).toBe('hello');
    // The echo holds the bearer token: masked before the script could see it.
    expect(echoed.headers['authorization']).toBe('Bearer ****');
  });

  const refusals: [string, string, string, Record<string, unknown>, string, RegExp][] = [
    ['an unknown secret', 'Agents API', 'Lookup agent', lookup('[[NOPE]]/agents'), 'SNIP4008', /NOPE/],
    ['a secret of another connection', 'Agents API', 'Lookup agent', lookup('[[OTHER KEY]]/agents'), 'SNIP4008', /OTHER KEY/],
    ['a verb outside the template', 'Agents API', 'Lookup agent', lookup('[[INSTANCEURI]]/agents', { HTTPMETHOD: 'DELETE' }), 'SNIP4005', /DELETE/],
    ['a missing required header', 'Tenant API', 'Any', lookup('http://127.0.0.1:1/x'), 'SNIP4006', /X-Tenant/],
    ['a URL outside the resource domain', 'Locked', 'Any', lookup('https://evil.example.test/v1/x'), 'SNIP4018', /outside the resource domain/],
    ['a non-https URL with a resource domain', 'Locked', 'Any', lookup('http://api.example.test/v1/x'), 'SNIP4018', /not https/],
    ['an unknown connection', 'Nobody', 'Any', lookup('http://127.0.0.1:1/x'), 'SNIP4002', /Nobody/],
  ];
  for (const [what, conn, request, payload, code, message] of refusals) {
    it(`refuses ${what} on OnError with _ERR and requestErrorDetails (${code})`, async () => {
      const r = await run(flow(`CONNECTREQUEST first (connectName = "${conn}", requestName = "${request}", requestPayload = payload)\n${WIRED}`), { payload });
      expect(r.path).toEqual(['start:Default', 'first:OnError', 'bad:-']);
      expect(String(r.variables['_ERR'])).toMatch(message);
      expect(r.variables['requestErrorDetails']).toMatchObject({ code });
      expect(r.actions[1]!.error).toBe(r.variables['_ERR']);
      expect(r.text).not.toContain('other-connection-secret');
    });
  }

  it('refuses an inactive request', async () => {
    const r = await run(flow(`CONNECTREQUEST first (connectName = "Agents API", requestName = "Retired", requestPayload = payload)\n${WIRED}`), { payload: lookup('[[INSTANCEURI]]/agents') });
    expect(r.path.at(-1)).toBe('bad:-');
    expect(String(r.variables['_ERR'])).toMatch(/inactive/);
    expect(r.variables['requestErrorDetails']).toMatchObject({ code: 'SNIP4007' });
  });

  it('refuses a studio request without a payload, and a payload on a manual request', async () => {
    const a = await run(flow(`CONNECTREQUEST first (connectName = "Agents API", requestName = "Lookup agent")\n${WIRED}`));
    expect(String(a.variables['_ERR'])).toMatch(/studio request: pass a requestPayload/);
    const b = await run(flow(`CONNECTREQUEST first (connectName = "Agents API", requestName = "List agents", requestPayload = payload)\n${WIRED}`), { payload: lookup('[[INSTANCEURI]]/agents') });
    expect(String(b.variables['_ERR'])).toMatch(/manual request/);
  });

  it('takes OnError for a response over the 32 KB cap', async () => {
    const r = await run(flow(REQUEST), { payload: lookup('[[INSTANCEURI]]/big', { QUERYPARAMETERS: { bytes: '40000' } }) });
    expect(r.path.at(-1)).toBe('bad:-');
    expect(r.variables['requestErrorDetails']).toMatchObject({ code: 'SNIP4016' });
  });

  it('says how to configure a hub when the run has none', async () => {
    const r = await runScript(flow(REQUEST), { fileName: 't.studio', inputs: { payload: '{}' } });
    expect(r.variables['_ERR']).toMatch(/no integration hub/);
  });
});

describe('CONNECTAUTH', () => {
  it('authenticates and writes masked outputs', async () => {
    const r = await run(flow(`CONNECTAUTH first (connectName = "Agents API")\n${WIRED}`));
    expect(r.path).toEqual(['start:Default', 'first:OnSuccess', 'ok:-']);
    // Tokens are handles (issue 9): usable by the requests of the run, worthless as text.
    expect(r.variables['authHeadersList']).toEqual({ Authorization: expect.stringMatching(/^Bearer \[\[token:[0-9a-f]{16}\]\]$/) });
    expect(r.variables['authBody']).toMatchObject({ access_token: expect.stringMatching(/^\[\[token:[0-9a-f]{16}\]\]$/), token_type: 'Bearer' });
    expect(r.variables['__httpstatuscode']).toBe('200');
    expect(r.hubEvents.map((e) => e.what)).toContain('token-fetch');
  });

  it('takes OnError with authErrorDetails when the token endpoint refuses', async () => {
    await store.createConnection({ name: 'Bad client', template: 'Demo OAuth' });
    await store.setSecret('Bad client', 'client_id', 'demo-client');
    await store.setSecret('Bad client', 'client_secret', 'wrong-secret-value');
    await store.updateConnection('Bad client', { auth: { url: `${api.url}/oauth/token`, method: 'POST', headers: {}, query: {} } });
    const r = await run(flow(`CONNECTAUTH first (connectName = "Bad client", authErrorDetailsVarName = why)\n${WIRED}`));
    expect(r.path.at(-1)).toBe('bad:-');
    expect(r.variables['why']).toMatchObject({ code: 'SNIP4017', status: '401' });
    expect(r.variables['__httpstatuscode']).toBe('401');
    expect(r.text).not.toContain('wrong-secret-value');
    expect((await store.getConnection('Bad client')).status).toBe('pending');
  });

  it('takes OnTimeout when the token endpoint is slower than the connection timeout', async () => {
    api.control.tokenDelayMs = 1500;
    try {
      const r = await run(flow(`CONNECTAUTH first (connectName = "Slow auth")\n${WIRED}`));
      expect(r.path).toEqual(['start:Default', 'first:OnTimeout', 'slow:-']);
      expect(r.variables['authErrorDetails']).toMatchObject({ code: 'SNIP4012' });
    } finally {
      api.control.tokenDelayMs = 0;
    }
  });
});

describe('REST API', () => {
  const rest = (props: string) => flow(`RESTAPI first (${props})\n${WIRED}`);
  it('calls a JSON endpoint and puts status, headers and body in resultSet', async () => {
    const r = await run(rest(`URL = "${api.url}/echo?x=1", Verb = "POST", Headers = hdrs, Body = body`), { inputs: { hdrs: '{"X-Demo":"yes"}', body: '{"a":1}' } });
    expect(r.path.at(-1)).toBe('ok:-');
    const rs = r.variables['resultSet'] as { statusCode: string; body: { method: string; headers: Record<string, string>; body: string; query: Record<string, string> } };
    expect(rs.statusCode).toBe('200');
    expect(rs.body.method).toBe('POST');
    expect(rs.body.headers['x-demo']).toBe('yes');
    expect(rs.body.headers['content-type']).toBe('application/json');
    expect(rs.body.body).toBe('{"a":1}');
    expect(rs.body.query).toEqual({ x: '1' });
  });
  it('refuses a timeout above 90000 ms', async () => {
    const r = await run(rest(`URL = "${api.url}/echo", TimeoutMs = 90001`));
    expect(r.path.at(-1)).toBe('bad:-');
    expect(String(r.variables['_ERR'])).toMatch(/90000/);
  });
  it('takes OnError for a non-JSON response and for a 5xx', async () => {
    const a = await run(rest(`URL = "${api.url}/big?bytes=100"`));
    expect(String(a.variables['_ERR'])).toMatch(/JSON responses only/);
    const b = await run(rest(`URL = "${api.url}/status/503"`));
    expect(b.path.at(-1)).toBe('bad:-');
    expect(b.variables['__httpstatuscode']).toBe('503');
  });
  it('ends the run at once when it is aborted during a call', async () => {
    const controller = new AbortController();
    const r = await runScript(rest(`URL = "${api.url}/slow?ms=3000", TimeoutMs = 20000`), {
      fileName: 't.studio',
      signal: controller.signal,
      onTrace: (e) => {
        if (e.type === 'hub' && e.what === 'request') controller.abort();
      },
    });
    expect(r.error).toMatchObject({ code: 'SNIP3015' });
    expect(r.trace).toBeUndefined();
  });
  it('takes OnError over the 32 KB cap and OnTimeout past TimeoutMs', async () => {
    const a = await run(rest(`URL = "${api.url}/big?bytes=40000"`));
    expect(String(a.variables['_ERR'])).toMatch(/32768-byte limit/);
    const b = await run(rest(`URL = "${api.url}/slow?ms=1500", TimeoutMs = 200`));
    expect(b.path).toEqual(['start:Default', 'first:OnTimeout', 'slow:-']);
  });
});

// Issue 9, item 1: a token with characters JSON escapes (`\/`, `\u002b`) from a real token endpoint.
describe('token handles', () => {
  const TOKEN = 'tk/9Q+zR8=vX_lQ';
  let tok: ScriptedServer;
  beforeAll(async () => {
    tok = await startScriptedServer();
    tok.answer = (req) =>
      req.url.startsWith('/token')
        ? { body: `{"access_token":"${TOKEN.replaceAll('/', '\\/').replace('+', '\\u002b')}","token_type":"bearer","expires_in":3600,"refresh_token":"rf\\/77-refresh"}` }
        : { body: JSON.stringify({ ok: true, got: req.headers.authorization === `Bearer ${TOKEN}`, path: req.url, ...(req.url.includes('echo') ? { auth: req.headers.authorization } : {}) }) };
    await store.createConnection({ name: 'Escaped', template: 'Demo OAuth', timeoutMs: 5000 });
    for (const [k, v] of Object.entries(SECRETS)) await store.setSecret('Escaped', k, v);
    await store.updateConnection('Escaped', { auth: { url: `${tok.url}/token`, method: 'POST', headers: {}, query: {} } });
    await store.addRequest('Escaped', { name: 'Any', trigger: 'studio' });
  });
  afterAll(() => tok.close());

  /** Every way the token could show: raw, escaped, encoded, and what the script's transforms make of it. */
  function forms(): string[] {
    const out = new Set<string>();
    for (const v of [TOKEN, 'rf/77-refresh']) {
      out.add(v).add(v.replaceAll('/', '\\/')).add(encodeURIComponent(v)).add(v.toUpperCase()).add(v.replaceAll('/', ''));
      for (const k of [0, 1, 2]) out.add(Buffer.from(`${'B'.repeat(k)}${v}`).toString('base64').slice(k + 2, -4));
      out.add([...v].map((c) => c.charCodeAt(0)).join(','));
    }
    return [...out];
  }

  const transforms =
    'SNIPPET play {\n' +
    '  ASSIGN h = authHeadersList.Authorization\n  ASSIGN up = h.upper()\n  ASSIGN bare = h.replace("Bearer ", "")\n' +
    '  ASSIGN slashless = bare.replace("/", "")\n  ASSIGN b64 = base64encode(h)\n  ASSIGN b64t = base64encode(authBody.access_token)\n' +
    '  ASSIGN rtok = authBody.refresh_token\n' +
    '  FOR i = 1 TO h.length() {\n    codes = "{codes}{asc(mid(h, i, 1))},"\n  }\n' +
    '  DYNAMIC p\n  ASSIGN p.URL = "{base}/api/items"\n  ASSIGN p.HTTPMETHOD = "GET"\n  ASSIGN p.HEADERS.Authorization = h\n  ASSIGN j = p.asjson()\n}\n';

  it('CONNECTAUTH writes handles; no transform of them reveals the token; CONNECTREQUEST sends the real one', async () => {
    const hub = new HubServices(store);
    const src =
      'PARAMS base\nBEGIN start -> auth\nCONNECTAUTH auth (connectName = "Escaped")\n  OnSuccess -> play\n  OnError -> bad\n' +
      transforms + '  -> call\n' +
      `CONNECTREQUEST call (connectName = "Escaped", requestName = "Any", requestPayload = j)\n${WIRED}\nEND ok\nEND bad\nEND slow\n`;
    const r = await run(src, { hub, inputs: { base: tok.url } });
    expect(r.path.at(-1)).toBe('ok:-');
    expect(r.variables['requestBody']).toMatchObject({ ok: 'true', got: 'true', path: '/api/items' });
    expect(tok.seen.at(-1)!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(r.variables['rtok']).toMatch(/^\[\[refresh-token:[0-9a-f]{16}\]\]$/);
    // What the script holds, unmasked, and the whole trace: no form of either token.
    const raw = JSON.stringify(r.variables) + r.text;
    for (const f of forms()) expect(raw).not.toContain(f);
  });

  it('a handle goes only where its connection allows (SNIP4030), named by the rule, and resolves there', async () => {
    const hub = new HubServices(store);
    const src = (url: string) =>
      'PARAMS base\nBEGIN start -> auth\nCONNECTAUTH auth (connectName = "Escaped")\n  OnSuccess -> play\n' +
      transforms.replace('"{base}/api/items"', `"${url}"`) + '  -> call\n' +
      `CONNECTREQUEST call (connectName = "Other", requestName = "Any", requestPayload = j)\n${WIRED}\nEND ok\nEND bad\nEND slow\n`;
    const before = api.stats.byRoute['GET /echo'] ?? 0;
    const refused = await run(src(`${api.url}/echo`), { hub, inputs: { base: tok.url } });
    expect(refused.path.at(-1)).toBe('bad:-');
    expect(refused.variables['requestErrorDetails']).toMatchObject({ code: 'SNIP4030' });
    expect(String(refused.variables['_ERR'])).toContain("the token of 'Escaped'");
    expect(String(refused.variables['_ERR'])).toContain('origin of its authentication URL');
    expect(api.stats.byRoute['GET /echo'] ?? 0).toBe(before);
    // Through another connection but to the token's own origin: allowed.
    const allowed = await run(src(`${tok.url}/api/other`), { inputs: { base: tok.url } });
    expect(allowed.variables['requestBody']).toMatchObject({ got: 'true' });
  });

  it('REST API resolves handles towards allowed destinations only', async () => {
    const src = (url: string) =>
      'PARAMS base\nBEGIN start -> auth\nCONNECTAUTH auth (connectName = "Escaped")\n  OnSuccess -> hdrs\n' +
      'SNIPPET hdrs {\n  DYNAMIC hh\n  ASSIGN hh.Authorization = authHeadersList.Authorization\n}\n  -> first\n' +
      `RESTAPI first (URL = "${url}", Headers = hh)\n${WIRED}\nEND ok\nEND bad\nEND slow\n`;
    const ok = await run(src(`${tok.url}/api/rest`));
    expect(ok.path.at(-1)).toBe('ok:-');
    expect(ok.variables['resultSet']).toMatchObject({ body: { got: 'true' } });
    const refused = await run(src(`${api.url}/echo`));
    expect(refused.path.at(-1)).toBe('bad:-');
    expect(String(refused.variables['_ERR'])).toContain("refused to send the token of 'Escaped'");
    for (const f of forms()) expect(JSON.stringify(refused.variables) + refused.text).not.toContain(f);
  });

  it('GetRESTProxy resolves a handle towards its connection\'s destinations, masks echoes, refuses elsewhere', async () => {
    const src = (url: string) =>
      'PARAMS base\nBEGIN start -> auth\nCONNECTAUTH auth (connectName = "Escaped")\n  OnSuccess -> p\n' +
      `SNIPPET p {\n  ASSIGN proxy = GetRESTProxy()\n  proxy.AddHeader("Authorization", authHeadersList.Authorization)\n` +
      `  ASSIGN res = proxy.MakeRestRequest("${url}", "", 0, "GET")\n  ASSIGN code = proxy.StatusCode\n  ASSIGN why = proxy.StatusDescription\n}\n  -> done\nEND done\n`;
    const ok = await run(src(`${tok.url}/api/echo`));
    expect(ok.variables['code']).toBe('200');
    expect(ok.variables['res']).toMatchObject({ got: 'true', path: '/api/echo', auth: 'Bearer ****' });
    expect(tok.seen.at(-1)!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const before = api.stats.byRoute['GET /echo'] ?? 0;
    const refused = await run(src(`${api.url}/echo`));
    expect(refused.variables['code']).toBe('-1');
    expect(String(refused.variables['why'])).toContain("refused to send the token of 'Escaped'");
    expect(api.stats.byRoute['GET /echo'] ?? 0).toBe(before);
    for (const f of forms()) expect(JSON.stringify([ok.variables, refused.variables]) + ok.text).not.toContain(f);
  });

  it('a handle not given by this run resolves to nothing (SNIP4032)', async () => {
    const r = await run(flow(`CONNECTREQUEST first (connectName = "Escaped", requestName = "Any", requestPayload = payload)\n${WIRED}`), {
      payload: { URL: `${tok.url}/api/x`, HEADERS: { Authorization: 'Bearer [[token:0123456789abcdef]]' } },
    });
    expect(r.path.at(-1)).toBe('bad:-');
    expect(r.variables['requestErrorDetails']).toMatchObject({ code: 'SNIP4032' });
  });
});

describe('Retry-After on the connect actions', () => {
  let busy: ScriptedServer;
  beforeAll(async () => {
    busy = await startScriptedServer();
  });
  afterAll(() => busy.close());

  it('CONNECTREQUEST takes OnError with _ERR naming a Retry-After too long for the timeout', async () => {
    busy.answer = { status: 429, body: '{"slow":"down"}', headers: { 'retry-after': '120' } };
    const r = await run(flow(`CONNECTREQUEST first (connectName = "Other", requestName = "Any", requestPayload = payload)\n${WIRED}`), { payload: { URL: `${busy.url}/x` } });
    expect(r.path.at(-1)).toBe('bad:-');
    expect(String(r.variables['_ERR'])).toMatch(/^HTTP 429 Too Many Requests \(Retry-After 120 s does not fit in the \d+ ms left of the 10000 ms timeout\)$/);
  });

  it('REST API retries a 503 once when its Retry-After fits', async () => {
    busy.seen.length = 0;
    busy.answer = (_req, n) => (n === 1 ? { status: 503, body: '{}', headers: { 'retry-after': '0' } } : { body: '{"ok":1}' });
    const r = await run(flow(`RESTAPI first (URL = "${busy.url}/y")\n${WIRED}`));
    expect(r.path.at(-1)).toBe('ok:-');
    expect(busy.seen).toHaveLength(2);
  });
});

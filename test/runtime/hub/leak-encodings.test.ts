// The leak suite, issue 9: a real server echoes every credential it receives in every encoding
// servers and URL handling produce (JSON `\/` and `\uXXXX` escapes, percent-encoding in both cases,
// HTML entities, lower case, base64 at each offset in both alphabets); a flow then transforms
// everything the CONNECT actions wrote. No form of any secret or token may appear in a response,
// a variable (unmasked), the trace or an error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileHubStore } from '../../../runtime/hub/file-store.js';
import { HubServices } from '../../../runtime/hub/services.js';
import { HubSession, type ConnectionView } from '../../../runtime/hub/send.js';
import { runScript } from '../../../runtime/run-script.js';
import { startScriptedServer, type ScriptedServer, type Seen } from './token-server.js';

const TOKEN = 'at/9+Zq==K_-x~';
const REFRESH = 'rt/3+Yp';
const SECRETS = { client_id: 'cid-leak', client_secret: 'cs/ecret+leak', 'api key': 'k3y with spaces & "quotes"/+=', password: 'Pässwörd/ü<1>' };

/** Every encoding of `t` an echo may use. */
function encodings(t: string): string[] {
  const utf16 = (s: string) => s.split('').map((c) => (/[A-Za-z0-9]/.test(c) ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)).join('');
  const out = [
    JSON.stringify(t),
    JSON.stringify(t).replaceAll('/', '\\/'),
    utf16(t),
    encodeURIComponent(t),
    encodeURIComponent(t).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    new URLSearchParams({ v: t }).toString(),
    [...t].map((c) => `&#${c.codePointAt(0)};`).join(''),
    [...t].map((c) => `&#x${c.codePointAt(0)!.toString(16)};`).join(''),
    t.toLowerCase(),
  ];
  for (const k of [0, 1, 2]) for (const a of ['base64', 'base64url'] as const) out.push(Buffer.from(`${'~'.repeat(k)}${t}`).toString(a));
  return out;
}

/** What must not appear: each value raw, upper-cased, as character codes, and in its stable encoded forms. */
function forbidden(values: string[]): string[] {
  const out = new Set<string>();
  for (const v of values) {
    out.add(v).add(v.toUpperCase()).add(v.toLowerCase()).add([...v].map((c) => c.charCodeAt(0)).join(','));
    out.add(JSON.stringify(v).slice(1, -1)).add(encodeURIComponent(v)).add(encodeURIComponent(v).toLowerCase());
    for (const k of [0, 1, 2]) {
      const b = Buffer.from(`${'~'.repeat(k)}${v}`).toString('base64');
      out.add(b.slice(k + 1, -3)).add(b.slice(k + 1, -3).replaceAll('+', '-').replaceAll('/', '_'));
    }
  }
  return [...out].filter((f) => f.length >= 4);
}

let srv: ScriptedServer;
beforeAll(async () => {
  srv = await startScriptedServer();
  srv.answer = (req: Seen) => {
    if (req.url.startsWith('/token')) {
      return { body: `{"access_token":"${TOKEN.replaceAll('/', '\\/').replace('+', '\\u002B')}","refresh_token":"${REFRESH.replaceAll('/', '\\/')}","token_type":"bearer"}` };
    }
    // What the server decoded (path segments, query values, headers, body fields), each in every
    // encoding; the raw URL as received; and everything as JSON, nested once and twice.
    const u = new URL(req.url, 'http://echo.invalid');
    const decoded = [
      ...u.pathname.split('/').map(decodeURIComponent),
      ...u.searchParams.values(),
      ...Object.values(req.headers).map(String),
      req.body,
      ...Object.values((() => { try { return JSON.parse(req.body) as Record<string, string>; } catch { return {}; } })()).map(String),
    ].filter((v) => v.length > 0);
    const got = JSON.stringify({ url: req.url, headers: req.headers, body: req.body });
    const lines = [req.url, got, JSON.stringify(got), JSON.stringify(JSON.stringify(got)), ...decoded.flatMap(encodings)];
    return { type: 'text/plain', body: lines.join('\n'), headers: { 'x-echo': Buffer.from(`Bearer ${String(req.headers.authorization)}`).toString('base64') } };
  };
});
afterAll(() => srv.close());

function conn(): ConnectionView {
  return {
    hub: 'leak-enc',
    name: 'Leaky',
    authKind: 'oauth2-client-credentials',
    verbs: ['GET', 'POST'],
    requiredHeaders: [],
    timeoutMs: 5000,
    auth: { url: `${srv.url}/token` },
    secrets: new Map(Object.entries(SECRETS)),
    requests: [{ name: 'Echo', trigger: 'studio', active: true }],
  };
}

const payload = () =>
  JSON.stringify({
    URL: `${srv.url}/echo/[[api key]]?k=[[api key]]&p=[[password]]`,
    HTTPMETHOD: 'POST',
    HEADERS: { 'X-Key': '[[api key]]', 'X-Secret': '[[client_secret]]' },
    BODY: { password: '[[password]]', key: '[[api key]]' },
  });

describe('leaks through encodings', () => {
  it('an echo of every credential in every encoding comes back masked', async () => {
    const s = new HubSession();
    const res = await s.sendStudio(conn(), 'Echo', payload());
    expect(res.status).toBe(200);
    // The echo really carried the credentials: the server saw them in clear.
    const seen = srv.seen.at(-1)!;
    expect(seen.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(seen.headers['x-key']).toBe(SECRETS['api key']);
    expect(new URL(seen.url, 'http://x').searchParams.get('p')).toBe(SECRETS.password);
    const out = JSON.stringify(res);
    expect(out).toContain('****');
    for (const f of forbidden([...Object.values(SECRETS), TOKEN, REFRESH])) expect(out, f).not.toContain(f);
  });
});

describe('script transforms of everything the CONNECT actions write', () => {
  let dir: string;
  let store: FileHubStore;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'snip-leak-enc-'));
    store = new FileHubStore({ dir: path.join(dir, 'hub'), env: {} });
    await store.createTemplate({ name: 'OAuth', application: 'Leak', authType: 'oauth2-client-credentials', verbs: ['GET', 'POST'] });
    await store.createConnection({ name: 'Leaky', template: 'OAuth', timeoutMs: 5000 });
    for (const [k, v] of Object.entries(SECRETS)) await store.setSecret('Leaky', k, v);
    await store.updateConnection('Leaky', { auth: { url: `${srv.url}/token`, method: 'POST', headers: {}, query: {} } });
    await store.addRequest('Leaky', { name: 'Echo', trigger: 'studio' });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('upper(), replace(), base64, urldecode and character codes of every output reveal nothing', async () => {
    const hub = new HubServices(store);
    // Character codes only of the CONNECTAUTH outputs: the echo is too long for a 32K string of codes.
    const transforms = (name: string, expr: string, codes = true) =>
      `  ASSIGN ${name}_t = ${expr}\n  ASSIGN ${name}_up = ${name}_t.upper()\n  ASSIGN ${name}_rep = ${name}_t.replace("[[", "").replace("]]", "").replace("\\\\/", "/")\n` +
      `  ASSIGN ${name}_b64 = base64encode(${name}_t)\n  ASSIGN ${name}_url = urldecode(${name}_t)\n` +
      (codes ? `  FOR i = 1 TO ${name}_t.length() {\n    ${name}_codes = "{${name}_codes}{asc(mid(${name}_t, i, 1))},"\n  }\n` : '');
    const src =
      'PARAMS payload\nBEGIN start -> auth\nCONNECTAUTH auth (connectName = "Leaky")\n  OnSuccess -> call\n' +
      'CONNECTREQUEST call (connectName = "Leaky", requestName = "Echo", requestPayload = payload)\n  OnSuccess -> play\n  OnError -> play\n' +
      'SNIPPET play {\n' +
      transforms('hdr', 'authHeadersList.Authorization') +
      transforms('tok', 'authBody.access_token') +
      transforms('rtok', 'authBody.refresh_token') +
      transforms('body', 'authBody.asjson()') +
      transforms('resp', 'requestBody', false) +
      transforms('rhdr', 'requestHeadersList.asjson()', false) +
      '}\n  -> done\nEND done\n';
    const r = await runScript(src, { fileName: 'leak.studio', collectTrace: true, hub, masker: hub.mask, inputs: { payload: payload() } });
    await hub.close();
    expect(r.error).toBeUndefined();
    expect(r.variables['_ERR'] ?? '').toBe('');
    expect(String(r.variables['hdr_t'])).toMatch(/^Bearer \[\[token:[0-9a-f]{16}\]\]$/);
    expect(String(r.variables['resp_t'])).toContain('****');
    expect(srv.seen.at(-1)!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const everything = JSON.stringify(r.variables) + JSON.stringify(r.trace);
    for (const f of forbidden([...Object.values(SECRETS), TOKEN, REFRESH])) expect(everything, f).not.toContain(f);
  });
});

// The leak suite: a server echoes every header, query parameter and body back; no secret value,
// token or basic credential may appear in what the hub returns, reports or throws.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { HubSession, type ConnectionView } from '../../../runtime/hub/send.js';
import type { TokenEvent } from '../../../runtime/hub/token-cache.js';
import { startDemoApi, type DemoApi } from '../../../samples/demo-api/index.js';

let api: DemoApi;
beforeAll(async () => {
  api = await startDemoApi();
});
afterAll(() => api.close());

const SECRETS = {
  client_id: 'demo-client',
  client_secret: 'demo-secret',
  username: 'agent.smith',
  password: 'demo-password',
  'api key': 'k3y with spaces & "quotes"/+=',
  pin: 'P1n-42!',
};

function conn(kind: ConnectionView['authKind'], base: string): ConnectionView {
  return {
    hub: 'leak',
    name: `Leaky ${kind}`,
    authKind: kind,
    verbs: ['GET', 'POST'],
    requiredHeaders: [],
    timeoutMs: 5000,
    auth: kind === 'custom-headers' ? { headers: { 'X-API-Key': '[[api key]]' } } : kind === 'basic' ? { url: `${base}/me` } : { url: `${base}/oauth/token` },
    secrets: new Map(Object.entries(SECRETS)),
    requests: [{ name: 'Echo', trigger: 'studio', active: true }],
  };
}

/** Every form a leaked value could take in the echoed JSON. */
function forbidden(extra: string[]): string[] {
  const values = [...Object.values(SECRETS), `${SECRETS.username}:${SECRETS.password}`, ...extra];
  const forms = new Set<string>();
  for (const v of values) {
    forms.add(v);
    forms.add(encodeURIComponent(v));
    forms.add(JSON.stringify(v).slice(1, -1));
    forms.add(Buffer.from(v).toString('base64'));
  }
  return [...forms];
}

const echoPayload = (base: string) =>
  JSON.stringify({
    URL: `${base}/echo/[[pin]]?secret=[[client_secret]]`,
    HTTPMETHOD: 'POST',
    HEADERS: { 'X-Pin': '[[pin]]', 'Content-Type': 'application/json' },
    QUERYPARAMETERS: { key: '[[api key]]' },
    BODY: { password: '[[password]]', key: '[[api key]]' },
  });

describe('no secret leaks through an echoing server', () => {
  for (const kind of ['basic', 'oauth2-client-credentials', 'oauth2-password', 'custom-headers'] as const) {
    it(`${kind}: response body, headers and trace events are masked`, async () => {
      const s = new HubSession();
      const events: TokenEvent[] = [];
      const res = await s.sendStudio(conn(kind, api.url), 'Echo', echoPayload(api.url), (e) => events.push(e));
      expect(res.status).toBe(200);
      const echoed = res.json as { headers: Record<string, string>; query: Record<string, string>; body: string; path: string };
      // The echo really carried credentials (masked now): the test would be vacuous otherwise.
      expect(echoed.headers.authorization ?? echoed.headers['x-api-key']).toContain('****');
      expect(echoed.headers['x-pin']).toBe('****');
      expect(echoed.query.key).toBe('****');
      expect(echoed.path).toBe('/echo/****');
      const token = s.tokens.peek({ hub: 'leak', connection: `Leaky ${kind}` })?.accessToken;
      if (kind.startsWith('oauth2')) expect(token).toBeTruthy();
      const output = JSON.stringify({ res, events });
      for (const f of forbidden(token ? [token] : [])) expect(output).not.toContain(f);
    });
  }

  it('errors are masked: refused connection with secrets in the URL, and auth failure bodies', async () => {
    const s = new HubSession();
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', () => r()));
    const port = (dead.address() as { port: number }).port;
    await new Promise<void>((r) => dead.close(() => r()));
    const c = conn('custom-headers', api.url);
    const e1 = await s.sendStudio(c, 'Echo', JSON.stringify({ URL: `http://127.0.0.1:${port}/[[pin]]/x`, HEADERS: { 'X-Pin': '[[pin]]' } })).catch((e: Error) => e);
    expect(e1).toBeInstanceOf(Error);
    const c2 = conn('oauth2-client-credentials', api.url);
    c2.auth = { url: `${api.url}/echo`, body: 'grant_type=client_credentials&client_secret=[[client_secret]]&pin=[[pin]]' };
    const e2 = await s.sendStudio(c2, 'Echo', echoPayload(api.url)).catch((e: Error & { response?: unknown }) => e);
    expect(e2).toBeInstanceOf(Error);
    const text = JSON.stringify([(e1 as Error).message, (e2 as Error).message, (e2 as { response?: unknown }).response]);
    expect(text).toContain('****');
    for (const f of forbidden([])) expect(text).not.toContain(f);
  });

  it('the session masker hides every token obtained', async () => {
    const s = new HubSession();
    const c = conn('oauth2-client-credentials', api.url);
    const auth = await s.authenticate(c);
    const token = auth.token!.accessToken;
    expect(s.mask(`Bearer ${token}`)).toBe('Bearer ****');
    expect(s.mask(`t=${encodeURIComponent(token)}`)).toBe('t=****');
  });
});

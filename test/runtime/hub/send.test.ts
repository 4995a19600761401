// Sending requests of a connection against the demo API: token reuse, expiry, 401 refresh,
// single-flight, the shared timeout budget, and every refusal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubSession, type ConnectionView, type RequestView } from '../../../runtime/hub/send.js';
import { TokenCache, type TokenEvent } from '../../../runtime/hub/token-cache.js';
import { SnipError } from '../../../runtime/errors.js';
import { startDemoApi, type DemoApi } from '../../../samples/demo-api/index.js';

let api: DemoApi;
beforeAll(async () => {
  api = await startDemoApi({ tokenLifetimeSeconds: 300 });
});
afterAll(() => api.close());

let n = 0;
function oauthConn(overrides: Partial<ConnectionView> = {}, requests: RequestView[] = []): ConnectionView {
  return {
    hub: 'test',
    name: `Agents API ${++n}`,
    authKind: 'oauth2-client-credentials',
    verbs: ['GET', 'POST'],
    requiredHeaders: [],
    timeoutMs: 5000,
    auth: { url: `${api.url}/oauth/token` },
    secrets: new Map([['client_id', 'demo-client'], ['client_secret', 'demo-secret'], ['INSTANCEURI', api.url]]),
    requests: [
      { name: 'Lookup agent', trigger: 'studio', active: true },
      { name: 'List agents', trigger: 'manual', active: true, method: 'GET', url: '[[INSTANCEURI]]/agents' },
      ...requests,
    ],
    ...overrides,
  };
}

const payload = (p: Record<string, unknown>) => JSON.stringify(p);

async function refusal(p: Promise<unknown>): Promise<SnipError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(SnipError);
  return e as SnipError;
}

describe('HubSession', () => {
  it('sends a studio request with the token attached and parses JSON', async () => {
    const s = new HubSession();
    const res = await s.sendStudio(oauthConn(), 'Lookup agent', payload({ URL: '[[INSTANCEURI]]/agents/1002', HTTPMETHOD: 'GET', HEADERS: { 'Content-Type': 'application/json' } }));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: '1002', lastName: 'Turing' });
  });

  it('sends a manual request by name; POST with body and query parameters', async () => {
    const s = new HubSession();
    const conn = oauthConn({}, [{ name: 'Create contact', trigger: 'manual', active: true, method: 'POST', url: '[[INSTANCEURI]]/contacts', mediaType: 'application/json', body: '{"name":"New One"}' }]);
    const listed = await s.sendManual(conn, 'List agents');
    expect(Array.isArray(listed.json)).toBe(true);
    const created = await s.sendManual(conn, 'Create contact');
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: 'New One' });
  });

  it('reuses the token: N requests, one token request, events fetch then reuse', async () => {
    const s = new HubSession();
    const conn = oauthConn();
    const before = api.stats.tokenRequests;
    const events: TokenEvent[] = [];
    for (let i = 0; i < 5; i++) await s.sendManual(conn, 'List agents', (e) => events.push(e));
    expect(api.stats.tokenRequests - before).toBe(1);
    expect(events.map((e) => e.what)).toEqual(['token-fetch', 'token-reuse', 'token-reuse', 'token-reuse', 'token-reuse']);
  });

  it('single-flight: 50 concurrent requests cause one token request', async () => {
    const s = new HubSession();
    const conn = oauthConn();
    const before = api.stats.tokenRequests;
    const all = await Promise.all(Array.from({ length: 50 }, () => s.sendManual(conn, 'List agents')));
    expect(all.every((r) => r.status === 200)).toBe(true);
    expect(api.stats.tokenRequests - before).toBe(1);
  });

  it('refreshes an expired token (clock moved past expires_in minus skew)', async () => {
    let now = Date.now();
    const s = new HubSession({ tokens: new TokenCache({ now: () => now }) });
    const conn = oauthConn();
    const before = api.stats.tokenRequests;
    const events: TokenEvent[] = [];
    await s.sendManual(conn, 'List agents', (e) => events.push(e));
    now += 280_000;
    await s.sendManual(conn, 'List agents', (e) => events.push(e));
    expect(api.stats.tokenRequests - before).toBe(2);
    expect(events.map((e) => e.what)).toEqual(['token-fetch', 'token-refresh']);
  });

  it('on 401 refreshes once and retries once', async () => {
    const s = new HubSession();
    const conn = oauthConn();
    await s.sendManual(conn, 'List agents');
    const before = api.stats.tokenRequests;
    api.control.revokeTokens();
    const events: TokenEvent[] = [];
    const res = await s.sendManual(conn, 'List agents', (e) => events.push(e));
    expect(res.status).toBe(200);
    expect(api.stats.tokenRequests - before).toBe(1);
    expect(events.map((e) => e.what)).toEqual(['token-reuse', 'token-refresh']);
  });

  it('gives up after one retry when the server keeps answering 401', async () => {
    const s = new HubSession();
    const conn = oauthConn({}, [{ name: 'Always 401', trigger: 'manual', active: true, method: 'GET', url: '[[INSTANCEURI]]/status/401' }]);
    const before = api.stats.byRoute['GET /status/401'] ?? 0;
    const res = await s.sendManual(conn, 'Always 401');
    expect(res.status).toBe(401);
    expect(api.stats.byRoute['GET /status/401']! - before).toBe(2);
  });

  it('returns 5xx as a response', async () => {
    const s = new HubSession();
    api.control.failStatus = 502;
    api.control.failCount = 1;
    const res = await s.sendManual(oauthConn(), 'List agents');
    expect(res.status).toBe(502);
    expect(res.statusText).toBe('Bad Gateway');
  });

  it('one budget covers authentication and request: a slow token endpoint is SNIP4012', async () => {
    const s = new HubSession();
    api.control.tokenDelayMs = 1500;
    try {
      const e = await refusal(s.sendManual(oauthConn({ timeoutMs: 300 }), 'List agents'));
      expect(e.code).toBe('SNIP4012');
      expect(e.message).toContain('300 ms');
    } finally {
      api.control.tokenDelayMs = 0;
    }
  });

  it('a request setting its own Authorization keeps it', async () => {
    const s = new HubSession();
    const res = await s.sendStudio(oauthConn(), 'Lookup agent', payload({ URL: `${api.url}/echo`, HEADERS: { Authorization: 'Custom abc123' } }));
    expect((res.json as { headers: Record<string, string> }).headers.authorization).toBe('Custom abc123');
  });

  it('works with custom-header auth and no authentication request', async () => {
    const s = new HubSession();
    const conn = oauthConn({ authKind: 'custom-headers', auth: { headers: { 'X-API-Key': '[[key]]' } }, requiredHeaders: ['X-API-Key'], secrets: new Map([['key', 'demo-api-key'], ['INSTANCEURI', api.url]]) });
    const res = await s.sendManual(conn, 'List agents');
    expect(res.status).toBe(200);
  });
});

describe('HubSession refusals', () => {
  const s = new HubSession();
  const cases: [string, () => Promise<unknown>, string][] = [
    ['verb outside the template', () => s.sendStudio(oauthConn(), 'Lookup agent', payload({ URL: `${api.url}/agents`, HTTPMETHOD: 'DELETE' })), 'SNIP4005'],
    ['missing required header', () => s.sendManual(oauthConn({ authKind: 'custom-headers', auth: { headers: {} }, requiredHeaders: ['X-API-Key'] }), 'List agents'), 'SNIP4006'],
    ['inactive request', () => s.sendManual(oauthConn({}, [{ name: 'Off', trigger: 'manual', active: false, url: `${api.url}/agents` }]), 'Off'), 'SNIP4007'],
    ['unknown secret', () => s.sendStudio(oauthConn(), 'Lookup agent', payload({ URL: '[[NOPE]]/agents' })), 'SNIP4008'],
    ['non-https with a resource domain', () => s.sendStudio(oauthConn({ resourceDomain: 'https://127.0.0.1' }), 'Lookup agent', payload({ URL: `${api.url}/agents` })), 'SNIP4018'],
    ['outside the resource domain', () => s.sendStudio(oauthConn({ resourceDomain: 'https://api.example.test/v1' }), 'Lookup agent', payload({ URL: 'https://evil.example.test/v1/agents' })), 'SNIP4018'],
    ['path outside the resource domain', () => s.sendStudio(oauthConn({ resourceDomain: 'https://api.example.test/v1' }), 'Lookup agent', payload({ URL: 'https://api.example.test/v10/agents' })), 'SNIP4018'],
    ['payload not JSON', () => s.sendStudio(oauthConn(), 'Lookup agent', '{URL:'), 'SNIP4019'],
    ['payload without URL', () => s.sendStudio(oauthConn(), 'Lookup agent', payload({ HTTPMETHOD: 'GET' })), 'SNIP4019'],
    ['client certificate without OAuth', () => s.sendManual(oauthConn({ authKind: 'custom-headers', auth: { headers: {} }, tls: { cert: 'C', key: 'K' } }), 'List agents'), 'SNIP4020'],
    ['client certificate with an http auth URL', () => s.sendManual(oauthConn({ tls: { cert: 'C', key: 'K' } }), 'List agents'), 'SNIP4020'],
    ['unknown request', () => s.sendManual(oauthConn(), 'Nope'), 'SNIP4002'],
  ];
  for (const [what, run, code] of cases) {
    it(`refuses: ${what} (${code}) without sending`, async () => {
      const before = api.stats.tokenRequests;
      const e = await refusal(run());
      expect(e.code).toBe(code);
      expect(api.stats.tokenRequests).toBe(before);
    });
  }

  it('substitutes only from the bound connection', async () => {
    const a = oauthConn({ secrets: new Map([['only in a', 'value-a'], ['client_id', 'demo-client'], ['client_secret', 'demo-secret']]) });
    const b = oauthConn();
    await s.sendStudio(a, 'Lookup agent', payload({ URL: `${api.url}/echo`, HEADERS: { 'X-A': '[[only in a]]' } }));
    const e = await refusal(s.sendStudio(b, 'Lookup agent', payload({ URL: `${api.url}/echo`, HEADERS: { 'X-A': '[[only in a]]' } })));
    expect(e.code).toBe('SNIP4008');
    expect(e.message).not.toContain('value-a');
  });

  it('accepts URLs under the resource domain', async () => {
    const { checkResourceDomain } = await import('../../../runtime/hub/send.js');
    const conn = { name: 'C', resourceDomain: 'https://api.example.test/v1' };
    expect(() => checkResourceDomain(conn, new URL('https://api.example.test/v1/agents'))).not.toThrow();
    expect(() => checkResourceDomain(conn, new URL('https://eu.api.example.test/v1'))).not.toThrow();
    expect(() => checkResourceDomain({ name: 'C', resourceDomain: 'api.example.test' }, new URL('https://api.example.test/x'))).not.toThrow();
  });
});

describe('testManualRequest / testAuthentication', () => {
  it('reports a manual request masked, and an auth test with token events', async () => {
    const { testManualRequest, testAuthentication, formatProbe } = await import('../../../runtime/hub/probe.js');
    const conn = oauthConn({}, [{ name: 'Echo secret', trigger: 'manual', active: true, method: 'POST', url: '[[INSTANCEURI]]/echo', body: 'secret=[[client_secret]]' }]);
    const source = { connectionView: () => conn };
    const r = await testManualRequest(source, conn.name, 'Echo secret');
    expect(r.ok).toBe(true);
    const text = formatProbe(r);
    expect(text).toContain('HTTP 200 OK');
    expect(text).toContain('secret=****');
    expect(text).not.toContain('demo-secret');
    const a = await testAuthentication(source, conn.name);
    expect(a.ok).toBe(true);
    expect(a.events.map((e) => e.what)).toEqual(['token-fetch']);
    expect(formatProbe(a)).toContain('"access_token":"****"');
    const bad = await testManualRequest(source, conn.name, 'Lookup agent');
    expect(bad.ok).toBe(false);
    expect(bad.error?.code).toBe('SNIP4019');
    const refused = await testAuthentication({ connectionView: () => ({ ...conn, secrets: new Map([['client_id', 'demo-client'], ['client_secret', 'wrong-secret']]) }) }, conn.name);
    expect(refused.error?.code).toBe('SNIP4017');
    expect(refused.status).toBe(401);
    expect(formatProbe(refused)).not.toContain('wrong-secret');
  });
});

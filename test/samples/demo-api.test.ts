// The offline demo API itself: token grants, bearer checks, REST data, echo, BYOC endpoints, faults.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startDemoApi, type DemoApi } from '../../samples/demo-api/index.js';

let api: DemoApi;
beforeAll(async () => {
  api = await startDemoApi({ tokenLifetimeSeconds: 1 });
});
afterAll(() => api.close());

async function call(method: string, path: string, opts: { headers?: Record<string, string>; body?: string } = {}) {
  const res = await request(`${api.url}${path}`, { method: method as 'GET', headers: opts.headers ?? {}, body: opts.body });
  const text = await res.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, json, text };
}

const form = { 'content-type': 'application/x-www-form-urlencoded' };

async function token(): Promise<string> {
  const r = await call('POST', '/oauth/token', { headers: form, body: 'grant_type=client_credentials&client_id=demo-client&client_secret=demo-secret' });
  return (r.json as { access_token: string }).access_token;
}

describe('demo API', () => {
  it('listens on 127.0.0.1 with a free port', () => {
    expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('issues tokens for both grants and refuses bad credentials', async () => {
    const cc = await call('POST', '/oauth/token', { headers: form, body: 'grant_type=client_credentials&client_id=demo-client&client_secret=demo-secret' });
    expect(cc.status).toBe(200);
    expect(cc.json).toMatchObject({ token_type: 'Bearer', expires_in: 1 });
    const basicClient = Buffer.from('demo-client:demo-secret').toString('base64');
    const pw = await call('POST', '/oauth/token', { headers: { ...form, authorization: `Basic ${basicClient}` }, body: 'grant_type=password&username=agent.smith&password=demo-password' });
    expect(pw.status).toBe(200);
    expect((await call('POST', '/oauth/token', { headers: form, body: 'grant_type=client_credentials&client_id=demo-client&client_secret=x' })).status).toBe(401);
    expect((await call('POST', '/oauth/token', { headers: form, body: 'grant_type=password&username=agent.smith&password=x' })).status).toBe(400);
    expect((await call('POST', '/oauth/token', { headers: form, body: 'grant_type=implicit' })).status).toBe(400);
    const json = await call('POST', '/1.0/token', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'client_credentials', client_id: 'demo-client', client_secret: 'demo-secret' }) });
    expect(json.status).toBe(200);
  });

  it('checks bearer tokens (401 without, expired or revoked)', async () => {
    expect((await call('GET', '/agents')).status).toBe(401);
    const t = await token();
    expect((await call('GET', '/agents', { headers: { authorization: `Bearer ${t}` } })).status).toBe(200);
    api.control.revokeTokens();
    expect((await call('GET', '/agents', { headers: { authorization: `Bearer ${t}` } })).status).toBe(401);
    expect((await call('GET', '/agents', { headers: { authorization: 'Bearer made-up' } })).status).toBe(401);
  });

  it('serves agents and contacts: list, by id, search, create, 404', async () => {
    const h = { 'x-api-key': 'demo-api-key' };
    const list = await call('GET', '/agents', { headers: h });
    expect((list.json as unknown[]).length).toBe(3);
    expect((await call('GET', '/agents/A-200', { headers: h })).json).toMatchObject({ firstName: 'Alan' });
    expect((await call('GET', '/agents?q=hopper', { headers: h })).json).toHaveLength(1);
    expect((await call('GET', '/agents/9999', { headers: h })).status).toBe(404);
    const created = await call('POST', '/contacts', { headers: { ...h, 'content-type': 'application/json' }, body: '{"name":"Ada"}' });
    expect(created.status).toBe(201);
    expect((await call('GET', '/contacts', { headers: h })).json).toHaveLength(3);
    expect((await call('POST', '/contacts', { headers: h, body: 'nope' })).status).toBe(400);
  });

  it('echoes method, headers, query and body without auth', async () => {
    const r = await call('PUT', '/echo/a?x=1', { headers: { 'x-secret': 'hello' }, body: 'payload' });
    expect(r.json).toMatchObject({ method: 'PUT', path: '/echo/a', query: { x: '1' }, body: 'payload' });
    expect((r.json as { headers: Record<string, string> }).headers['x-secret']).toBe('hello');
  });

  it('BYOC-style: channels, inbound and outbound messages, recipient validation', async () => {
    const h = { 'x-api-key': 'demo-api-key', 'content-type': 'application/json' };
    expect((await call('GET', '/1.0/channels', { headers: h })).json).toHaveLength(2);
    expect((await call('POST', '/1.0/recipients/validate', { headers: h, body: '{"recipient":"+15550100001"}' })).status).toBe(200);
    expect((await call('POST', '/1.0/recipients/validate', { headers: h, body: '{"recipient":"call me"}' })).status).toBe(400);
    const sent = await call('POST', '/1.0/channels/sms-main/outbound/messages', { headers: h, body: '{"recipient":"+15550100001","text":"hi"}' });
    expect(sent.status).toBe(201);
    await call('POST', '/1.0/channels/sms-main/inbound/messages', { headers: h, body: '{"recipient":"+15550100002","text":"yo"}' });
    expect((await call('GET', '/1.0/channels/sms-main/outbound/messages', { headers: h })).json).toHaveLength(1);
    expect((await call('GET', '/1.0/channels/nope', { headers: h })).status).toBe(404);
  });

  it('can fail on demand and counts requests', async () => {
    const h = { 'x-api-key': 'demo-api-key' };
    api.control.failStatus = 500;
    api.control.failCount = 1;
    expect((await call('GET', '/agents', { headers: h })).status).toBe(500);
    expect((await call('GET', '/agents', { headers: h })).status).toBe(200);
    expect(api.stats.byRoute['GET /agents']).toBeGreaterThanOrEqual(2);
    expect(api.stats.tokenRequests).toBeGreaterThan(0);
  });
});

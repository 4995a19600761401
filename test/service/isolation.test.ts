// Tenants are isolated: a token of one tenant never runs the other's scripts, reads or cancels its
// runs, reaches its script routes, or sees or changes its hub. Every route is tried across tenants.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startFixture, type Fixture } from './fixture.js';

let f: Fixture;
let acmeRun: string;
let acmeAdmin: string;
let globexRun: string;
let globexAdmin: string;

beforeAll(async () => {
  f = await startFixture();
  [acmeRun, acmeAdmin, globexRun, globexAdmin] = await Promise.all([
    f.token(f.clients.acmeRun),
    f.token(f.clients.acmeAdmin),
    f.token(f.clients.globexRun),
    f.token(f.clients.globexAdmin),
  ]);
});
afterAll(async () => {
  await f?.close();
});

describe('cross-tenant attempts', () => {
  it('cannot run a script that only the other tenant has', async () => {
    expect((await call(`${f.url}/v1/scripts/acme-only/runs`, { token: acmeRun, body: {} })).body.status).toBe('completed');
    const r = await call(`${f.url}/v1/scripts/acme-only/runs`, { token: globexRun, body: {} });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('SNIP6008');
    const list = await call(`${f.url}/v1/scripts`, { token: globexRun });
    expect(list.body.scripts).not.toContain('acme-only');
  });

  it('cannot read or cancel the other tenant\'s runs (404, as if they did not exist)', async () => {
    const start = await call(`${f.url}/v1/scripts/slow/runs?mode=async`, { token: acmeRun, body: { inputs: { ms: 3000 } } });
    expect(start.status).toBe(202);
    const loc = `${f.url}/v1/runs/${start.body.id}`;
    const read = await call(loc, { token: globexRun });
    expect(read.status).toBe(404);
    expect(read.body.error.code).toBe('SNIP6010');
    const del = await call(loc, { token: globexAdmin, method: 'DELETE' });
    expect(del.status).toBe(404);
    // Still running for its owner, then cancelled by its owner.
    expect((await call(loc, { token: acmeRun })).body.status).toMatch(/queued|running/);
    expect((await call(loc, { token: acmeRun, method: 'DELETE' })).body.status).toBe('cancelled');
  });

  it('runs each tenant through its own hub connection and upstream credentials, with its own token cache', async () => {
    const a = await call(`${f.url}/v1/scripts/lookup/runs`, { token: acmeRun, body: {} });
    const g = await call(`${f.url}/v1/scripts/lookup/runs`, { token: globexRun, body: {} });
    expect(a.body.outputs.status).toBe('ok');
    expect(g.body.outputs.status).toBe('ok');
    // Same connection name in both hubs: two tokens fetched, one per tenant, never shared.
    const metrics = (await call(`${f.url}/metrics`)).text;
    expect(metrics).toContain('snip_upstream_token_fetches_total{tenant="acme",connection="Agents API",kind="token-fetch"} 1');
    expect(metrics).toContain('snip_upstream_token_fetches_total{tenant="globex",connection="Agents API",kind="token-fetch"} 1');
    const acmeTenant = f.service.ctx.tenants.get('acme')!;
    const globexTenant = f.service.ctx.tenants.get('globex')!;
    expect(acmeTenant.tokens).not.toBe(globexTenant.tokens);
    expect(acmeTenant.store.id).not.toBe(globexTenant.store.id);
  });

  it('cannot use the other tenant\'s guarded script routes; public routes need no token', async () => {
    const own = await call(`${f.url}/t/acme/channels/sms/messages?q=1`, { token: acmeRun, body: { text: 'hi' } });
    expect(own.status).toBe(201);
    expect(own.body).toEqual({ channel: 'sms', text: 'hi', q: '1' });
    expect(own.headers.get('x-handled-by')).toBe('route.snip');
    const other = await call(`${f.url}/t/acme/channels/sms/messages`, { token: globexRun, body: { text: 'hi' } });
    expect(other.status).toBe(404);
    const none = await call(`${f.url}/t/acme/channels/sms/messages`, { body: { text: 'hi' } });
    expect(none.status).toBe(401);
    const hook = await call(`${f.url}/t/globex/hooks/web`, { body: { text: 'signed elsewhere' } });
    expect(hook.status).toBe(201);
    expect(hook.body.channel).toBe('web');
  });

  it('sees and changes only its own hub', async () => {
    const put = await call(`${f.url}/v1/hub/connections/Agents%20API/secrets/extra`, { token: acmeAdmin, method: 'PUT', body: { value: 'acme-only-value-93' } });
    expect(put.status).toBe(200);
    expect(put.text).not.toContain('acme-only-value-93');
    const mine = await call(`${f.url}/v1/hub/connections/Agents%20API/secrets`, { token: acmeAdmin });
    expect(mine.body.secrets.map((s: { name: string }) => s.name)).toContain('extra');
    const theirs = await call(`${f.url}/v1/hub/connections/Agents%20API/secrets`, { token: globexAdmin });
    expect(theirs.body.secrets.map((s: { name: string }) => s.name)).not.toContain('extra');
    // globex deletes its own connection: acme's is untouched.
    await call(`${f.url}/v1/hub/connections`, { token: globexAdmin, method: 'POST', body: { name: 'Temp', template: 'Demo REST API' } });
    expect((await call(`${f.url}/v1/hub/connections/Temp`, { token: acmeAdmin })).status).toBe(404);
    expect((await call(`${f.url}/v1/hub/connections/Temp`, { token: globexAdmin, method: 'DELETE' })).status).toBe(204);
    expect((await call(`${f.url}/v1/hub/connections/Agents%20API`, { token: acmeAdmin })).status).toBe(200);
  });
});

describe('hub admin API', () => {
  it('manages templates (immutable), connections, secrets (write-only) and requests with the hub rules', async () => {
    const t = await call(`${f.url}/v1/hub/templates`, { token: acmeAdmin, body: { name: 'Plain', application: 'x', authType: 'none', verbs: ['GET'] } });
    expect(t.status).toBe(201);
    const dup = await call(`${f.url}/v1/hub/templates`, { token: acmeAdmin, body: { name: 'Plain', application: 'x', authType: 'none', verbs: ['GET'] } });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('SNIP4004');
    const change = await call(`${f.url}/v1/hub/templates/Plain`, { token: acmeAdmin, method: 'PUT', body: { application: 'y' } });
    expect(change.status).toBe(405);
    const c = await call(`${f.url}/v1/hub/connections`, { token: acmeAdmin, body: { name: 'Plain one', template: 'Plain' } });
    expect(c.status).toBe(201);
    const s = await call(`${f.url}/v1/hub/connections/Plain%20one/secrets/apiKey`, { token: acmeAdmin, method: 'PUT', body: { value: 'k-123-secret-value' } });
    expect(s.status).toBe(200);
    expect(s.body).toMatchObject({ name: 'apiKey', fingerprint: expect.any(String) });
    const get = await call(`${f.url}/v1/hub/connections/Plain%20one`, { token: acmeAdmin });
    expect(get.body.secrets).toEqual(['apiKey']);
    expect(get.text).not.toContain('k-123-secret-value');
    expect((await call(`${f.url}/v1/hub/connections/Plain%20one/secrets/apiKey`, { token: acmeAdmin })).status).toBe(404);
    const r = await call(`${f.url}/v1/hub/connections/Plain%20one/requests`, { token: acmeAdmin, body: { name: 'List', trigger: 'manual', url: 'http://127.0.0.1:9/x', method: 'GET' } });
    expect(r.status).toBe(201);
    const bad = await call(`${f.url}/v1/hub/connections/Plain%20one/requests`, { token: acmeAdmin, body: { name: 'Bad', trigger: 'manual', method: 'DELETE', url: 'http://127.0.0.1:9/x' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toMatch(/^SNIP40\d\d$/);
    const missing = await call(`${f.url}/v1/hub/connections/Nope`, { token: acmeAdmin });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('SNIP4002');
  });

  it('needs the admin scope', async () => {
    expect((await call(`${f.url}/v1/hub/templates`, { token: acmeRun })).status).toBe(403);
    expect((await call(`${f.url}/v1/hub/templates`)).status).toBe(401);
  });
});

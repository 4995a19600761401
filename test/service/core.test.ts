// The service core over real HTTP on 127.0.0.1: the token endpoint, bearer checks, sync and async
// runs with cancel, upstream calls through the tenant's hub, and bad input answered as clear errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startFixture, type Fixture } from './fixture.js';

let f: Fixture;
let acme: string;

beforeAll(async () => {
  f = await startFixture();
  acme = await f.token(f.clients.acmeRun);
});
afterAll(async () => {
  await f?.close();
});

describe('POST /1.0/token', () => {
  it('issues a bearer token for form fields, HTTP Basic and JSON', async () => {
    const c = f.clients.acmeRun;
    const form = await call(`${f.url}/1.0/token`, {
      raw: new URLSearchParams({ grant_type: 'client_credentials', client_id: c.id, client_secret: c.secret }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(200);
    expect(form.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'run' });
    expect(form.body.access_token).toMatch(/^snipat_/);
    expect(form.headers.get('cache-control')).toBe('no-store');
    const basic = await call(`${f.url}/1.0/token`, {
      raw: 'grant_type=client_credentials',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${c.id}:${c.secret}`).toString('base64')}` },
    });
    expect(basic.status).toBe(200);
    const json = await call(`${f.url}/1.0/token`, { body: { grant_type: 'client_credentials', client_id: c.id, client_secret: c.secret } });
    expect(json.status).toBe(200);
    expect(new Set([form.body.access_token, basic.body.access_token, json.body.access_token]).size).toBe(3);
  });

  it('refuses a wrong secret, an unknown client, a wrong grant type and a scope beyond the client', async () => {
    const c = f.clients.acmeRun;
    const wrong = await call(`${f.url}/1.0/token`, { body: { grant_type: 'client_credentials', client_id: c.id, client_secret: 'nope' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('SNIP6013');
    const unknown = await call(`${f.url}/1.0/token`, { body: { grant_type: 'client_credentials', client_id: 'who', client_secret: 'x' } });
    expect(unknown.status).toBe(401);
    const grant = await call(`${f.url}/1.0/token`, { body: { grant_type: 'password', client_id: c.id, client_secret: c.secret } });
    expect(grant.status).toBe(400);
    expect(grant.body.error.code).toBe('SNIP6014');
    const scope = await call(`${f.url}/1.0/token`, { body: { grant_type: 'client_credentials', client_id: c.id, client_secret: c.secret, scope: 'admin' } });
    expect(scope.status).toBe(400);
    expect(scope.body.error.code).toBe('SNIP6020');
  });

  it('stores client secrets only as scrypt hashes', async () => {
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(f.service.ctx.clients.file, 'utf8');
    for (const c of Object.values(f.clients)) {
      expect(text).toContain(c.id);
      expect(text).not.toContain(c.secret);
    }
    expect(text).toMatch(/"secretHash": "scrypt\$16384\$8\$1\$/);
  });
});

describe('bearer checks', () => {
  it('answers 401 with WWW-Authenticate without a token, with a forged one and with a malformed header', async () => {
    const none = await call(`${f.url}/v1/scripts`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="snip"');
    expect(none.body.error.code).toBe('SNIP6006');
    const forged = await call(`${f.url}/v1/scripts`, { token: `snipat_${'A'.repeat(43)}` });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('www-authenticate')).toContain('invalid_token');
    const malformed = await call(`${f.url}/v1/scripts`, { headers: { authorization: 'Token abc' } });
    expect(malformed.status).toBe(401);
  });

  it('answers 403 when the token lacks the scope', async () => {
    const r = await call(`${f.url}/v1/hub/connections`, { token: acme });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('SNIP6007');
  });

  it('lists the tenant\'s scripts', async () => {
    const r = await call(`${f.url}/v1/scripts`, { token: acme });
    expect(r.status).toBe(200);
    expect(r.body.scripts).toContain('acme-only');
    expect(r.body.scripts).toContain('echo');
  });
});

describe('runs', () => {
  it('runs a script synchronously with inputs and answers its outputs', async () => {
    const r = await call(`${f.url}/v1/scripts/echo/runs`, { token: acme, body: { inputs: { name: 'Ada' } } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'completed', script: 'echo', outputs: { greeting: 'Hello, Ada!' } });
    expect(r.body.trace).toBeUndefined();
    expect(r.body.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('returns the trace when asked, each event carrying the request id', async () => {
    const r = await call(`${f.url}/v1/scripts/echo/runs`, { token: acme, body: { inputs: { name: 'Ada' }, trace: true }, headers: { 'x-request-id': 'req-trace-1' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-request-id')).toBe('req-trace-1');
    const types = r.body.trace.map((e: { type: string }) => e.type);
    expect(types.at(-1)).toBe('end');
    expect(r.body.trace.every((e: { requestId: string }) => e.requestId === 'req-trace-1')).toBe(true);
    expect(JSON.stringify(r.body.trace)).toContain('greeting built');
  });

  it('calls the upstream through the tenant hub and carries x-request-id onto the upstream request', async () => {
    const r = await call(`${f.url}/v1/scripts/headers/runs`, { token: acme, body: {}, headers: { 'x-request-id': 'req-upstream-42' } });
    expect(r.status).toBe(200);
    expect(r.body.outputs.status).toBe('ok');
    const echoed = JSON.parse(r.body.outputs.echoed);
    expect(echoed.headers['x-request-id']).toBe('req-upstream-42');
    // The upstream token the hub sent is masked in what the service answers.
    expect(echoed.headers.authorization).not.toMatch(/Bearer [A-Za-z0-9_-]{20,}/);
    const lookup = await call(`${f.url}/v1/scripts/lookup/runs`, { token: acme, body: {} });
    expect(lookup.body.outputs).toMatchObject({ status: 'ok', agentName: 'Ada Lovelace' });
  });

  it('answers a failed run with its status and error', async () => {
    const r = await call(`${f.url}/v1/scripts/busy/runs`, { token: acme, body: {} });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('failed');
    expect(r.body.error.code).toMatch(/^SNIP3\d{3}$/);
    expect(r.body.error.message).toMatch(/step/i);
    expect(r.body.outputs).toEqual({});
  });

  it('starts an async run (202 + Location), reads it, and cancels it while its upstream call is in flight', async () => {
    const before = f.api.stats.byRoute['GET /slow'] ?? 0;
    const start = await call(`${f.url}/v1/scripts/slow/runs?mode=async`, { token: acme, body: { inputs: { ms: 25000 } } });
    expect(start.status).toBe(202);
    const location = start.headers.get('location');
    expect(location).toBe(`/v1/runs/${start.body.id}`);
    // Wait until the upstream has the request (the run is inside CONNECTREQUEST).
    while ((f.api.stats.byRoute['GET /slow'] ?? 0) === before) await new Promise((r) => setTimeout(r, 20));
    const read = await call(`${f.url}${location}`, { token: acme });
    expect(read.status).toBe(200);
    expect(read.body.status).toBe('running');
    const cancelled = await call(`${f.url}${location}`, { token: acme, method: 'DELETE' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(cancelled.body.finishedAt).toBeDefined();
    const again = await call(`${f.url}${location}`, { token: acme, method: 'DELETE' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('SNIP6021');
  });

  it('recompiles a script when its file changes, and only then', async () => {
    const { writeFile } = await import('node:fs/promises');
    const path = await import('node:path');
    const reg = f.service.ctx.tenants.get('acme')!.scripts;
    await call(`${f.url}/v1/scripts/acme-only/runs`, { token: acme, body: {} });
    const n = reg.compiles;
    await call(`${f.url}/v1/scripts/acme-only/runs`, { token: acme, body: {} });
    expect(reg.compiles).toBe(n);
    await writeFile(path.join(f.dir, 'acme', 'scripts', 'acme-only.snip'), 'ASSIGN who = "acme, changed"\n');
    const r = await call(`${f.url}/v1/scripts/acme-only/runs`, { token: acme, body: {} });
    expect(r.body.outputs.who).toBe('acme, changed');
    expect(reg.compiles).toBe(n + 1);
  });
});

describe('bad input: one JSON error shape, the right status, never a stack trace', () => {
  const cases: [string, () => Promise<{ status: number; body: any; text: string }>, number, string][] = [
    ['malformed JSON', () => call(`${f.url}/v1/scripts/echo/runs`, { token: acme, raw: '{"inputs": ', headers: { 'content-type': 'application/json' } }), 400, 'SNIP6003'],
    ['wrong content type', () => call(`${f.url}/v1/scripts/echo/runs`, { token: acme, raw: '<x/>', headers: { 'content-type': 'application/xml' } }), 415, 'SNIP6004'],
    ['oversized body', () => call(`${f.url}/v1/scripts/echo/runs`, { token: acme, body: { inputs: { big: 'x'.repeat(1100 * 1024) } } }), 413, 'SNIP6005'],
    ['unknown script', () => call(`${f.url}/v1/scripts/nope/runs`, { token: acme, body: {} }), 404, 'SNIP6008'],
    ['path traversal', () => call(`${f.url}/v1/scripts/..%2F..%2Fetc%2Fpasswd/runs`, { token: acme, body: {} }), 400, 'SNIP6009'],
    ['dotted name', () => call(`${f.url}/v1/scripts/echo.snip/runs`, { token: acme, body: {} }), 400, 'SNIP6009'],
    ['unknown field', () => call(`${f.url}/v1/scripts/echo/runs`, { token: acme, body: { input: {} } }), 400, 'SNIP6002'],
    ['inputs not an object', () => call(`${f.url}/v1/scripts/echo/runs`, { token: acme, body: { inputs: [1] } }), 400, 'SNIP6002'],
    ['bad mode', () => call(`${f.url}/v1/scripts/echo/runs?mode=later`, { token: acme, body: {} }), 400, 'SNIP6002'],
    ['script that does not compile', () => call(`${f.url}/v1/scripts/broken/runs`, { token: acme, body: {} }), 422, 'SNIP6017'],
    ['unknown run', () => call(`${f.url}/v1/runs/00000000-0000-0000-0000-000000000000`, { token: acme }), 404, 'SNIP6010'],
    ['unknown route', () => call(`${f.url}/v2/whatever`), 404, 'SNIP6015'],
    ['token request as XML', () => call(`${f.url}/1.0/token`, { raw: '<x/>', headers: { 'content-type': 'text/xml' } }), 415, 'SNIP6004'],
  ];
  for (const [what, request, status, code] of cases) {
    it(what, async () => {
      const r = await request();
      expect(r.status).toBe(status);
      expect(r.body).toEqual({ error: { code, message: expect.any(String) } });
      expect(r.text).not.toMatch(/\bat .+\.(js|ts):\d+/);
      expect(r.text).not.toContain(f.dir);
    });
  }

  it('a rejected request leaves no run record behind', async () => {
    const before = f.service.ctx.runs.size;
    await call(`${f.url}/v1/scripts/echo/runs`, { token: acme, raw: '{', headers: { 'content-type': 'application/json' } });
    await call(`${f.url}/v1/scripts/nope/runs`, { token: acme, body: {} });
    expect(f.service.ctx.runs.size).toBe(before);
  });
});

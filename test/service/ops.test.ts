// Operations: health and readiness, Prometheus metrics, 429 with Retry-After under overload (runs
// and token requests), and the leak suite: no client secret, access token, upstream secret or
// upstream token in any response, log line, metric or error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startFixture, UPSTREAM, type Fixture } from './fixture.js';

let f: Fixture;
let acme: string;

beforeAll(async () => {
  f = await startFixture({
    limits: { maxConcurrentRuns: 2, maxConcurrentRunsPerTenant: 2, maxQueue: 1, run: { maxSteps: 20000 } },
    rateLimit: { perClient: 5, perAddress: 1000 },
  });
  acme = await f.token(f.clients.acmeAdmin);
});
afterAll(async () => {
  await f?.close();
});

describe('health, readiness, metrics', () => {
  it('answers /healthz and /readyz without a token', async () => {
    expect((await call(`${f.url}/healthz`)).body).toEqual({ status: 'ok' });
    const ready = await call(`${f.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ready');
  });

  it('exposes runs by script and status, durations, upstream requests, token fetches, in-flight runs and queue depth', async () => {
    await call(`${f.url}/v1/scripts/lookup/runs`, { token: acme, body: {} });
    await call(`${f.url}/v1/scripts/busy/runs`, { token: acme, body: {} });
    const m = await call(`${f.url}/metrics`);
    expect(m.status).toBe(200);
    expect(m.headers.get('content-type')).toContain('text/plain');
    expect(m.text).toContain('snip_runs_total{tenant="acme",script="lookup",status="completed"} 1');
    expect(m.text).toContain('snip_runs_total{tenant="acme",script="busy",status="failed"} 1');
    expect(m.text).toMatch(/snip_run_duration_seconds_count\{tenant="acme",script="lookup"\} 1/);
    expect(m.text).toContain('snip_upstream_requests_total{tenant="acme",connection="Agents API",status="200"} 1');
    expect(m.text).toMatch(/snip_upstream_token_fetches_total\{tenant="acme",connection="Agents API",kind="token-fetch"\} 1/);
    expect(m.text).toContain('snip_runs_in_flight 0');
    expect(m.text).toContain('snip_run_queue_depth 0');
    expect(m.text).toMatch(/snip_tokens_issued_total\{tenant="acme"\} \d+/);
  });
});

describe('limits', () => {
  it('queues past the concurrency limit, then refuses with 429 and Retry-After; queued runs still finish', async () => {
    const before = f.api.stats.byRoute['GET /slow'] ?? 0;
    const slow = () => call(`${f.url}/v1/scripts/slow/runs?mode=async`, { token: acme, body: { inputs: { ms: 400 } } });
    const a = await slow();
    const b = await slow();
    expect([a.status, b.status]).toEqual([202, 202]);
    // Both slots are taken once the upstream has both requests.
    while ((f.api.stats.byRoute['GET /slow'] ?? 0) < before + 2) await new Promise((r) => setTimeout(r, 10));
    const queued = await slow();
    expect(queued.status).toBe(202);
    expect(queued.body.status).toBe('queued');
    const refused = await call(`${f.url}/v1/scripts/echo/runs`, { token: acme, body: { inputs: { name: 'x' } } });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.body.error.code).toBe('SNIP6011');
    const asyncRefused = await slow();
    expect(asyncRefused.status).toBe(429);
    // None lost: every accepted run completes.
    for (const r of [a, b, queued]) {
      let view;
      do {
        view = (await call(`${f.url}/v1/runs/${r.body.id}`, { token: acme })).body;
        if (view.status === 'queued' || view.status === 'running') await new Promise((res) => setTimeout(res, 25));
      } while (view.status === 'queued' || view.status === 'running');
      expect(view.status).toBe('completed');
      expect(view.outputs.status).toBe('ok');
    }
    expect((await call(`${f.url}/metrics`)).text).toMatch(/snip_runs_refused_total\{tenant="acme"\} 2/);
  });

  it('rate-limits the token endpoint per client', async () => {
    const c = f.clients.globexRun;
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await call(`${f.url}/1.0/token`, { body: { grant_type: 'client_credentials', client_id: c.id, client_secret: 'wrong' } });
      statuses.push(r.status);
      if (r.status === 429) {
        expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
        expect(r.body.error.code).toBe('SNIP6012');
      }
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    // The right secret is refused too while the window lasts: guessing gains nothing.
    const right = await call(`${f.url}/1.0/token`, { body: { grant_type: 'client_credentials', client_id: c.id, client_secret: c.secret } });
    expect(right.status).toBe(429);
  });
});

describe('leaks', () => {
  it('shows no client secret, access token, upstream secret or upstream token in responses, logs, metrics or errors', async () => {
    const seen: string[] = [];
    const token = await f.token(f.clients.acmeRun);
    const record = async (p: Promise<{ text: string; headers: Headers }>) => {
      const r = await p;
      seen.push(r.text, JSON.stringify([...r.headers]));
      return r;
    };
    await record(call(`${f.url}/v1/scripts/headers/runs`, { token, body: { trace: 'statements' } }));
    await record(call(`${f.url}/v1/scripts/lookup/runs`, { token, body: { trace: true } }));
    await record(call(`${f.url}/v1/scripts/echo/runs`, { token, raw: `{"inputs": "${token}`, headers: { 'content-type': 'application/json' } }));
    await record(call(`${f.url}/v1/scripts/nope/runs?x=${token}`, { token, body: {} }));
    await record(call(`${f.url}/v1/scripts/echo/runs`, { token: `${token}x`, body: {} }));
    await record(call(`${f.url}/1.0/token`, { body: { grant_type: 'client_credentials', client_id: f.clients.acmeRun.id, client_secret: `${f.clients.acmeRun.secret}x` } }));
    await record(call(`${f.url}/v1/hub/connections/Agents%20API`, { token: acme }));
    await record(call(`${f.url}/v1/hub/connections/Agents%20API/secrets`, { token: acme }));
    await record(call(`${f.url}/t/acme/channels/sms/messages`, { token, body: { text: 'hello' } }));
    await record(call(`${f.url}/metrics`));
    const all = [...seen, ...f.logs].join('\n');
    expect(f.logs.length).toBeGreaterThan(5);
    const forbidden = [
      token,
      acme,
      ...Object.values(f.clients).map((c) => c.secret),
      UPSTREAM.acme.secret,
      UPSTREAM.globex.secret,
    ];
    for (const value of forbidden) expect(all).not.toContain(value);
    // The upstream access tokens: whatever the hub sent as Bearer never comes back.
    expect(all).not.toMatch(/Bearer [A-Za-z0-9_-]{20,}/);
    expect(all).not.toMatch(/\bat .+\.(js|ts):\d+:\d+/);
    // The token in a query string reached the request log only masked, by value shape.
    expect(f.logs.some((l) => l.includes('/v1/scripts/nope/runs?x=snipat_***'))).toBe(true);
  });
});

// The service's hot path after the cost cuts: a run nobody traces feeds the upstream metrics
// through the runtime's `onHub` option (no trace made), a traced run still answers its whole masked
// trace, metrics count each upstream status (and "error" without a response), and per-request log
// lines follow the log level. Real service, real demo API on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer } from '../../service/index.js';
import { loadConfig } from '../../service/config.js';
import { openFileHub } from '../../runtime/hub/services.js';
import { runScript } from '../../runtime/run-script.js';
import type { HubObservation } from '../../runtime/flow/engine.js';
import { UPSTREAM, call, lineCollector, startFixture, writeFixtureFiles, type Fixture } from './fixture.js';

let f: Fixture;
let acme: string;

beforeAll(async () => {
  f = await startFixture();
  acme = await f.token(f.clients.acmeRun);
});
afterAll(async () => {
  await f.close();
});

const metricsText = async () => (await call(`${f.url}/metrics`)).text;

describe('the run path', () => {
  it('tells the runtime onHub of hub events of an untraced run, and makes no trace', async () => {
    const hub = openFileHub({ dir: path.join(f.dir, 'acme', 'hub'), cwd: f.dir, env: {} });
    const seen: HubObservation[] = [];
    const result = await runScript(path.join(f.dir, 'acme', 'scripts', 'lookup.studio'), { hub, masker: hub.mask, onHub: (e) => seen.push(e) });
    await hub.close();
    expect(result.error).toBeUndefined();
    expect(result.outputs['status']).toBe('ok');
    expect(result.trace).toBeUndefined();
    expect(seen.map((e) => e.what)).toEqual(expect.arrayContaining(['request', 'response']));
    expect(seen.every((e) => e.connection === 'Agents API')).toBe(true);
    expect(seen.some((e) => e.what === 'response' && /^200\b/.test(e.detail))).toBe(true);
  });

  it('still answers the masked trace, each event with the request id, when the caller asks', async () => {
    const res = await call(`${f.url}/v1/scripts/lookup/runs`, { token: acme, body: { trace: true }, headers: { 'x-request-id': 'hot-path-1' } });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('completed');
    const trace = res.body.trace as { type: string; what?: string; requestId: string }[];
    expect(trace.filter((e) => e.type === 'action').length).toBeGreaterThanOrEqual(4);
    expect(trace.some((e) => e.type === 'hub' && e.what === 'request')).toBe(true);
    expect(trace.every((e) => e.requestId === 'hot-path-1')).toBe(true);
    expect(res.text).not.toContain(UPSTREAM.acme.secret);
    const statements = await call(`${f.url}/v1/scripts/lookup/runs`, { token: acme, body: { trace: 'statements' } });
    expect((statements.body.trace as { type: string }[]).some((e) => e.type === 'statement')).toBe(true);
    const untraced = await call(`${f.url}/v1/scripts/lookup/runs`, { token: acme, body: {} });
    expect(untraced.body.trace).toBeUndefined();
  });

  it('counts each upstream status by connection, and "error" for a request without a response', async () => {
    f.api.control.failStatus = 502;
    f.api.control.failCount = 1;
    const failed = await call(`${f.url}/v1/scripts/lookup/runs`, { token: acme, body: {} });
    expect(failed.body.outputs.status).toBe('failed');
    // A request cancelled in flight has no response: counted as "error".
    const slowBefore = f.api.stats.byRoute['GET /slow'] ?? 0;
    const start = await call(`${f.url}/v1/scripts/slow/runs?mode=async`, { token: acme, body: { inputs: { ms: 25000 } } });
    expect(start.status).toBe(202);
    const location = start.headers.get('location')!;
    // Wait until the upstream has the request (the run is inside CONNECTREQUEST).
    while ((f.api.stats.byRoute['GET /slow'] ?? 0) === slowBefore) await new Promise((r) => setTimeout(r, 20));
    const cancelled = await call(`${f.url}${location}`, { token: acme, method: 'DELETE' });
    expect(cancelled.body.status).toBe('cancelled');
    const text = await metricsText();
    expect(text).toContain('snip_upstream_requests_total{tenant="acme",connection="Agents API",status="502"} 1');
    expect(text).toContain('snip_upstream_requests_total{tenant="acme",connection="Agents API",status="error"} 1');
    expect(text).toMatch(/snip_runs_total\{tenant="acme",script="slow",status="cancelled"\} 1/);
    expect(text).not.toContain(UPSTREAM.acme.secret);
    expect(text).not.toContain(acme);
  });

  it('writes the request and run lines at info, and none above it', async () => {
    const runLines = f.logs.filter((l) => l.includes('"run finished"'));
    const requestLines = f.logs.filter((l) => l.includes('"msg":"request"'));
    expect(runLines.length).toBeGreaterThan(0);
    expect(requestLines.length).toBeGreaterThan(0);
    for (const l of f.logs) {
      expect(l).not.toContain(UPSTREAM.acme.secret);
      expect(l).not.toContain(acme);
    }

    const dir = mkdtempSync(path.join(tmpdir(), 'snip-hot-path-'));
    const lines: string[] = [];
    const logStream = lineCollector(lines);
    try {
      const file = await writeFixtureFiles(dir, f.api.url);
      const quiet = await createServer({ config: await loadConfig(file), logStream, logLevel: 'warn' });
      const url = await quiet.listen({ port: 0 });
      try {
        const res = await call(`${url}/v1/scripts/echo/runs`, { token: 'snipat_unknown', body: { inputs: { name: 'x' } } });
        expect(res.status).toBe(401);
        const { client, secret } = await quiet.ctx.clients.add('acme', ['run']);
        const tok = await fetch(`${url}/1.0/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.id, client_secret: secret }),
        });
        const token = ((await tok.json()) as { access_token: string }).access_token;
        const ok = await call(`${url}/v1/scripts/echo/runs`, { token, body: { inputs: { name: 'x' } } });
        expect(ok.body.outputs.greeting).toBe('Hello, x!');
      } finally {
        await quiet.close();
      }
      expect(lines.filter((l) => l.includes('"run finished"') || l.includes('"msg":"request"'))).toEqual([]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

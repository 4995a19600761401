// The service's own per-run path after the cost cuts (issue 13): the per-run upstream dispatcher
// (request id, cancellation) against a real HTTP server on 127.0.0.1, outputs masked in one walk,
// log lines batched per event-loop turn (masked, flushed on close), the one-shot token hash, and
// the idle GC that gives a load's memory back (real V8 collection, real service, metrics and logs
// checked for leaks).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, promises as fs } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Agent, request, type Dispatcher } from 'undici';
import { RunDispatcher, runDispatcher } from '../../service/upstream.js';
import { maskOutputs } from '../../service/executor.js';
import { maskingStream } from '../../service/app.js';
import { hashToken } from '../../service/token-store.js';
import { IdleCompactor, fullGcFunction } from '../../service/idle-gc.js';
import { createServer } from '../../service/index.js';
import { ScriptRegistry } from '../../service/script-registry.js';
import { DEFAULT_IDLE_GC_MS, loadConfig, resolveConfig } from '../../service/config.js';
import { startDemoApi } from '../../samples/demo-api/index.js';
import { UPSTREAM, call, lineCollector, writeFixtureFiles } from './fixture.js';

describe('the per-run upstream dispatcher', () => {
  let server: Server;
  let base: string;
  const seen: IncomingMessage['headers'][] = [];
  /** Requests to /hold are answered only when the test says so (or never). */
  const held: ServerResponse[] = [];
  let pool: Agent;

  beforeAll(async () => {
    server = createHttpServer((req, res) => {
      seen.push(req.headers);
      if (req.url === '/hold') {
        held.push(res);
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ok: true, path: req.url }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    pool = new Agent({ connections: 8 });
  });
  afterAll(async () => {
    for (const res of held) res.destroy();
    await pool.close();
    await new Promise((r) => server.close(r));
  });

  it("adds the run's x-request-id to every request, keeping the caller's headers", async () => {
    const ac = new AbortController();
    const d = runDispatcher(pool, 'req-abc', ac.signal);
    const res = await request(`${base}/one`, { dispatcher: d, headers: { authorization: 'Bearer up' } });
    expect(res.statusCode).toBe(200);
    expect(await res.body.json()).toEqual({ ok: true, path: '/one' });
    const h = seen[seen.length - 1]!;
    expect(h['x-request-id']).toBe('req-abc');
    expect(h['authorization']).toBe('Bearer up');
    // Array-form headers too.
    await (await request(`${base}/two`, { dispatcher: d, headers: ['x-a', '1'] })).body.text();
    expect(seen[seen.length - 1]!['x-request-id']).toBe('req-abc');
    expect(seen[seen.length - 1]!['x-a']).toBe('1');
  });

  it('aborts every request of the run in flight when the run is cancelled, and later ones at once', async () => {
    const ac = new AbortController();
    const d = runDispatcher(pool, 'req-cancel', ac.signal);
    const before = held.length;
    const a = request(`${base}/hold`, { dispatcher: d });
    const b = request(`${base}/hold`, { dispatcher: d });
    while (held.length < before + 2) await new Promise((r) => setTimeout(r, 10));
    ac.abort();
    await expect(a).rejects.toThrow(/cancelled/);
    await expect(b).rejects.toThrow(/cancelled/);
    await expect(request(`${base}/one`, { dispatcher: d })).rejects.toThrow(/cancelled/);
    // Another run's requests are not touched.
    const other = runDispatcher(pool, 'req-other', new AbortController().signal);
    expect((await request(`${base}/one`, { dispatcher: other })).statusCode).toBe(200);
  });

  it('speaks the newer handler API too (onRequestStart ... onResponseEnd), cancellation included', async () => {
    const ac = new AbortController();
    const d = new RunDispatcher(pool, 'req-new', ac.signal);
    const done = (path: string) =>
      new Promise<{ status?: number; body: string; error?: Error }>((resolve) => {
        let status: number | undefined;
        let body = '';
        const handler: Dispatcher.DispatchHandler = {
          onRequestStart() {},
          onResponseStart(_c, statusCode) {
            status = statusCode;
          },
          onResponseData(_c, chunk) {
            body += chunk.toString();
          },
          onResponseEnd() {
            resolve({ ...(status !== undefined ? { status } : {}), body });
          },
          onResponseError(_c, error) {
            resolve({ body, error });
          },
        };
        d.dispatch({ origin: base, path, method: 'GET', headers: {} }, handler);
      });
    const ok = await done('/new');
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ ok: true, path: '/new' });
    expect(seen[seen.length - 1]!['x-request-id']).toBe('req-new');
    const before = held.length;
    const pending = done('/hold');
    while (held.length < before + 1) await new Promise((r) => setTimeout(r, 10));
    ac.abort();
    expect((await pending).error?.message).toMatch(/cancelled/);
  });
});

describe('outputs masking in one walk', () => {
  const mask = (t: string) => t.replace(/hunter2/g, '****');

  it('answers the same object when nothing needs masking', () => {
    const outputs = { a: 'x', n: ['1', { b: 'y' }], empty: '' };
    expect(maskOutputs(outputs, mask)).toBe(outputs);
  });

  it('masks secrets and our credentials in nested strings and keys, copying only what changed', () => {
    const inner = { keep: 'fine' };
    const outputs = { a: 'pw hunter2', list: ['ok', 'x hunter2 y', inner], obj: { hunter2: 'v', other: 'snipat_abcDEF123' }, inner };
    const out = maskOutputs(outputs, mask) as Record<string, any>;
    expect(out).toEqual({ a: 'pw ****', list: ['ok', 'x **** y', inner], obj: { '****': 'v', other: 'snipat_***' }, inner });
    expect(Object.keys(out)).toEqual(['a', 'list', 'obj', 'inner']);
    expect(out['inner']).toBe(inner);
    expect(outputs.a).toBe('pw hunter2');
    expect(JSON.stringify(out)).not.toContain('hunter2');
    expect(JSON.stringify(out)).not.toContain('abcDEF123');
  });

  it('keeps a __proto__ key an own property, and answers nothing for absurd nesting', () => {
    const withProto = JSON.parse('{"__proto__": "hunter2", "b": "x"}') as Record<string, unknown>;
    const out = maskOutputs(withProto, mask);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.stringify(out)).toBe('{"__proto__":"****","b":"x"}');
    let deep: Record<string, unknown> = { s: 'hunter2' };
    for (let i = 0; i < 300; i++) deep = { d: deep };
    expect(maskOutputs(deep, mask)).toEqual({});
  });
});

describe('log lines batched per turn', () => {
  it('writes the lines of one turn in one masked write, and what is pending on flush', async () => {
    const writes: string[] = [];
    const out = new Writable({
      write(chunk: Buffer, _e, cb) {
        writes.push(chunk.toString('utf8'));
        cb();
      },
    });
    const s = maskingStream(out);
    s.write('{"msg":"one","url":"/x?t=snipat_secretTOKEN1"}\n');
    s.write('{"msg":"two","secret":"snipcs_clientSECRET2"}\n');
    expect(writes).toEqual([]);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(writes).toHaveLength(1);
    expect(writes[0]).toBe('{"msg":"one","url":"/x?t=snipat_***"}\n{"msg":"two","secret":"snipcs_***"}\n');
    s.write('{"msg":"three snipat_lastTOKEN3"}\n');
    s.flush();
    expect(writes).toHaveLength(2);
    expect(writes.join('')).not.toMatch(/secretTOKEN1|clientSECRET2|lastTOKEN3/);
  });
});

describe('bearer token hash', () => {
  it('is the SHA-256 (base64url) stored hashes were made with', () => {
    const t = 'snipat_example-token_123';
    expect(hashToken(t)).toBe(createHash('sha256').update(t).digest('base64url'));
  });
});

describe('idle GC', () => {
  it('is configured by idleGcMs: 30 s by default, 0 for off, never negative', () => {
    const tenants = { t: { scripts: 'scripts' } };
    expect(resolveConfig({ tenants }, '/srv').idleGcMs).toBe(DEFAULT_IDLE_GC_MS);
    expect(DEFAULT_IDLE_GC_MS).toBe(30_000);
    expect(resolveConfig({ tenants, idleGcMs: 0 }, '/srv').idleGcMs).toBe(0);
    expect(() => resolveConfig({ tenants, idleGcMs: -1 }, '/srv')).toThrow(/idleGcMs/);
  });

  it('collects once after the load, only when idle, no run in flight and the heap grew', async () => {
    let started = 0;
    let inFlight = 0;
    let heap = 100;
    let gcs = 0;
    const events: { heapBefore: number; heapAfter: number }[] = [];
    const c = new IdleCompactor({
      idleMs: 1000,
      started: () => started,
      inFlight: () => inFlight,
      heapSize: () => heap,
      gc: async () => {
        gcs++;
        heap = 110;
      },
      onCollect: (e) => events.push(e),
    });
    await c.tick(0);
    expect(gcs).toBe(0); // nothing ran yet
    started = 5;
    inFlight = 2;
    heap = 100 + 50 * 1024 * 1024;
    await c.tick(100); // a load is going on
    await c.tick(2000);
    expect(gcs).toBe(0); // runs in flight
    inFlight = 0;
    started = 6;
    await c.tick(2100); // a new run started: the idle period starts again
    await c.tick(2500);
    expect(gcs).toBe(0);
    await c.tick(3200);
    expect(gcs).toBe(1);
    expect(events).toEqual([{ heapBefore: 100 + 50 * 1024 * 1024, heapAfter: 110, ms: expect.any(Number) }]);
    await c.tick(9000);
    expect(gcs).toBe(1); // once per idle period
    started = 7;
    await c.tick(9100);
    heap = 120; // grew, but by less than the threshold
    await c.tick(20000);
    expect(gcs).toBe(1);
  });

  it("finds V8's memory-reducing collection in this node, and it does give a grown heap back", async () => {
    const gc = fullGcFunction();
    expect(gc).toBeDefined();
    let junk: unknown[] | undefined = [];
    for (let i = 0; i < 400_000; i++) junk.push({ i, s: `x${i}` });
    junk = undefined;
    await gc!();
    const { heapUsed } = process.memoryUsage();
    // Not a number to hit (vitest shares the heap), only that the 400k objects are gone.
    expect(junk).toBeUndefined();
    expect(heapUsed).toBeLessThan(1024 * 1024 * 1024);
  });

  it('runs in a service with idleGc on: counted in snip_idle_gc_total, logged with sizes only', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'snip-idle-gc-'));
    const api = await startDemoApi({
      credentials: { clients: { [UPSTREAM.acme.id]: UPSTREAM.acme.secret, [UPSTREAM.globex.id]: UPSTREAM.globex.secret } },
    });
    const lines: string[] = [];
    const logStream = lineCollector(lines);
    try {
      const file = await writeFixtureFiles(dir, api.url, { idleGcMs: 200 });
      const svc = await createServer({ config: await loadConfig(file), logStream, idleGc: true });
      const url = await svc.listen({ port: 0 });
      try {
        expect(svc.ctx.compactor?.available).toBe(true);
        const { client, secret } = await svc.ctx.clients.add('acme', ['run']);
        const tok = await fetch(`${url}/1.0/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.id, client_secret: secret }),
        });
        const token = ((await tok.json()) as { access_token: string }).access_token;
        // Grow the heap (this process is the service's), then run: the next idle period collects.
        let junk: unknown[] | undefined = [];
        for (let i = 0; i < 600_000; i++) junk.push({ i, s: `junk-${i}` });
        const r = await call(`${url}/v1/scripts/lookup/runs`, { token, body: {} });
        expect(r.body.status).toBe('completed');
        junk = undefined;
        expect(junk).toBeUndefined();
        const metricOf = async () => Number(/snip_idle_gc_total (\d+)/.exec((await call(`${url}/metrics`)).text)?.[1] ?? 0);
        while ((await metricOf()) < 1) await new Promise((res) => setTimeout(res, 100));
        expect(svc.ctx.compactor!.collections).toBeGreaterThanOrEqual(1);
        const metrics = (await call(`${url}/metrics`)).text;
        for (const v of [token, secret, UPSTREAM.acme.secret]) expect(metrics).not.toContain(v);
        await svc.close();
        const gcLine = lines.find((l) => l.includes('"msg":"idle gc"'));
        expect(gcLine).toBeDefined();
        expect(JSON.parse(gcLine!)).toMatchObject({ heapBeforeMb: expect.any(Number), heapAfterMb: expect.any(Number), ms: expect.any(Number) });
        for (const l of lines) for (const v of [token, secret, UPSTREAM.acme.secret]) expect(l).not.toContain(v);
      } finally {
        await svc.close();
      }
      // Off unless the host asks (an embedding host's process is its own).
      const quiet = await createServer({ config: await loadConfig(file) });
      expect(quiet.ctx.compactor).toBeUndefined();
      await quiet.close();
    } finally {
      await api.close();
      await fs.rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

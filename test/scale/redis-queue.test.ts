// Async runs on the BullMQ queue across real worker processes on one private redis-server: a worker
// killed (-9) with runs queued and in flight loses none (each accepted run ends completed, or failed
// with a reason), any worker answers GET for any run, a DELETE on another worker aborts the run's
// in-flight upstream request, Redis stopped and started again gives 503 + Retry-After and then
// recovers without a restart; and the onRunFinished hook hears every finished run.
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import { loadConfig } from '../../service/config.js';
import { createServer, type SnipService } from '../../service/index.js';
import type { RunView } from '../../service/run-registry.js';
import { SETUP_DB_TOOLS, requireTool } from '../helpers/tools.js';
import { redisAvailable, startRedis, type TestRedis } from '../helpers/redis-server.js';
import { QUEUE, UPSTREAM_CLIENT, build, call, settle, dumpRedis, holds, startUpstream, startWorker, stopWorker, writeScaleFiles, type ScaleFiles, type Upstream, type Worker } from './redis-fixture.js';

const run = requireTool('redis-server', redisAvailable(), SETUP_DB_TOOLS);

describe.skipIf(!run)('Redis run queue across worker processes', () => {
  let redis: TestRedis;
  let up: Upstream;
  let files: ScaleFiles;
  let workers: Worker[] = [];

  beforeAll(async () => {
    await build();
    redis = await startRedis();
    up = await startUpstream();
    files = await writeScaleFiles(up.url, { url: redis.url, queue: QUEUE });
    workers = await Promise.all([0, 1, 2].map(() => startWorker(files)));
  }, 180_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => stopWorker(w, 'SIGKILL')));
    await up?.close();
    await redis?.close();
    if (files) await fs.rm(files.dir, { recursive: true, force: true });
  });

  it('kill -9 of a worker with runs queued and in flight: every accepted run ends, none missing', async () => {
    const started = up.slowStarted;
    const accepted: string[] = [];
    for (let i = 0; i < 24; i++) {
      const w = workers[i % 3]!;
      const r = await call(`${w.url}/v1/scripts/slow/runs?mode=async`, { token: w.token, body: { inputs: { ms: 700 } } });
      expect(r.status).toBe(202);
      expect(r.headers.get('location')).toBe(`/v1/runs/${r.body.id}`);
      accepted.push(r.body.id as string);
    }
    // Every worker takes jobs (4 each); once the first worker runs some of them, it dies.
    await up.slowRequested(started + 8);
    const queue = new Queue('runs', { connection: { host: '127.0.0.1', port: redis.port }, prefix: 'snip:q' });
    const victim = `${hostname()}:${workers[0]!.child.pid}`;
    let lost: string[] = [];
    for (let i = 0; i < 400 && lost.length === 0; i++) {
      lost = (await queue.getActive()).filter((j) => j.processedBy === victim).map((j) => j.id!);
      if (lost.length === 0) await new Promise((res) => setTimeout(res, 10));
    }
    expect(lost.length).toBeGreaterThan(0);
    await stopWorker(workers[0]!, 'SIGKILL');
    const survivors = workers.slice(1);
    const outcomes = await Promise.all(accepted.map((id, i) => settle(survivors[i % 2]!, id)));
    const statuses: Record<string, number> = {};
    for (const o of outcomes) {
      expect(o.status).toBe(200);
      expect(['completed', 'failed']).toContain(o.body.status);
      if (o.body.status === 'failed') {
        expect(o.body.error?.code).toMatch(/^SNIP\d{4}$/);
        expect(o.body.error?.message).toBeTruthy();
      } else {
        expect(o.body.outputs?.status).toBe('ok');
      }
      statuses[o.body.status] = (statuses[o.body.status] ?? 0) + 1;
    }
    expect(Object.values(statuses).reduce((a, b) => a + b, 0)).toBe(24);
    // The dead worker's runs were taken over: run again by a survivor (second attempt), or failed as lost.
    for (const id of lost) {
      const job = (await queue.getJob(id))!;
      const o = outcomes[accepted.indexOf(id)]!.body;
      if (o.status === 'completed') {
        expect(job.attemptsStarted).toBeGreaterThanOrEqual(2);
        expect(job.processedBy).not.toBe(victim);
      } else expect(o.error?.code).toBe('SNIP6052');
    }
    // A run presumed dead on a loaded machine may still be running a second time: let it end, so the
    // next tests start with free workers.
    for (let i = 0; i < 600 && (await queue.getActiveCount()) > 0; i++) await new Promise((res) => setTimeout(res, 50));
    await queue.close();
    // The same run reads the same from either survivor.
    const again = await call(`${survivors[1]!.url}/v1/runs/${accepted[0]}`, { token: survivors[1]!.token });
    expect(again.body.status).toBe(outcomes[0]!.body.status);
    workers = survivors;
  }, 180_000);

  it('DELETE on another worker cancels a running async run and aborts its upstream request', async () => {
    const [a, b] = workers as [Worker, Worker];
    const aborted = up.slowAborted;
    const r = await call(`${a.url}/v1/scripts/slow/runs?mode=async`, { token: a.token, body: { inputs: { ms: 60000 } } });
    expect(r.status).toBe(202);
    await up.slowSeen([r.body.requestId as string]);
    const running = await call(`${b.url}/v1/runs/${r.body.id}`, { token: b.token });
    expect(running.body.status).toBe('running');
    const del = await call(`${b.url}/v1/runs/${r.body.id}`, { method: 'DELETE', token: b.token });
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ status: 'cancelled', error: { code: 'SNIP6023', message: 'the run was cancelled' } });
    for (let i = 0; i < 200 && up.slowAborted === aborted; i++) await new Promise((res) => setTimeout(res, 25));
    expect(up.slowAborted).toBe(aborted + 1);
    const ended = await call(`${a.url}/v1/runs/${r.body.id}`, { method: 'DELETE', token: a.token });
    expect(ended.status).toBe(409);
    expect(ended.body.error.code).toBe('SNIP6021');
    // Unknown and malformed ids are 404 on every worker.
    expect((await call(`${a.url}/v1/runs/00000000-0000-4000-8000-000000000000`, { token: a.token })).status).toBe(404);
    expect((await call(`${a.url}/v1/runs/not-a-run`, { token: a.token })).status).toBe(404);
  }, 60_000);

  it('DELETE of a run still waiting removes it at once; any worker then reads it cancelled', async () => {
    const [a, b] = workers as [Worker, Worker];
    // Two workers x 4 slots: once 8 runs are at the upstream, the other 2 wait.
    const ids: string[] = [];
    const requestIds: string[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await call(`${a.url}/v1/scripts/slow/runs?mode=async`, { token: a.token, body: { inputs: { ms: 60000 } } });
      ids.push(r.body.id as string);
      requestIds.push(r.body.requestId as string);
    }
    await new Promise<void>((resolve) => {
      const check = () => (requestIds.filter((id) => up.slowIds.has(id)).length >= 8 ? resolve() : setTimeout(check, 20));
      check();
    });
    const views = await Promise.all(ids.map((id) => call(`${b.url}/v1/runs/${id}`, { token: b.token })));
    const waiting = ids.filter((_, i) => views[i]!.body.status === 'queued');
    expect(waiting).toHaveLength(2);
    const del = await call(`${b.url}/v1/runs/${waiting[0]}`, { method: 'DELETE', token: b.token });
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ status: 'cancelled', error: { code: 'SNIP6023', message: 'the run was cancelled before it started' } });
    expect((await call(`${a.url}/v1/runs/${waiting[0]}`, { token: a.token })).body.status).toBe('cancelled');
    // The rest (running, or waiting) are cancelled too, from either worker: all end cancelled.
    const rest = await Promise.all(ids.filter((id) => id !== waiting[0]).map((id, i) => call(`${(i % 2 ? a : b).url}/v1/runs/${id}`, { method: 'DELETE', token: (i % 2 ? a : b).token })));
    for (const r of rest) expect(r.body).toMatchObject({ status: 'cancelled' });
  }, 60_000);

  it('Redis stopped: not ready and 503 + Retry-After for new runs; started again: recovers by itself', async () => {
    const w = workers[0]!;
    await redis.stop();
    let ready = await call(`${w.url}/readyz`);
    for (let i = 0; i < 400 && ready.status !== 503; i++) {
      await new Promise((res) => setTimeout(res, 25));
      ready = await call(`${w.url}/readyz`);
    }
    expect(ready.status).toBe(503);
    expect(ready.body.reason).toBe('redis unreachable');
    for (const mode of ['sync', 'async']) {
      const refused = await call(`${w.url}/v1/scripts/fetch/runs?mode=${mode}`, { token: w.token, body: { inputs: {} } });
      expect(refused.status).toBe(503);
      expect(refused.body.error.code).toBe('SNIP6050');
      expect(refused.headers.get('retry-after')).toBeTruthy();
    }
    expect((await call(`${w.url}/healthz`)).status).toBe(200);

    await redis.start();
    for (let i = 0; i < 400 && ready.status !== 200; i++) {
      await new Promise((res) => setTimeout(res, 25));
      ready = await call(`${w.url}/readyz`);
    }
    expect(ready.status).toBe(200);
    const sync = await call(`${w.url}/v1/scripts/fetch/runs`, { token: w.token, body: { inputs: {} } });
    expect(sync.body.status).toBe('completed');
    const queued = await call(`${w.url}/v1/scripts/fetch/runs?mode=async`, { token: w.token, body: { inputs: {} } });
    expect(queued.status).toBe(202);
    const done = await settle(workers[1]!, queued.body.id as string);
    expect(done.body.status).toBe('completed');
  }, 120_000);

  it('queued jobs and results hold no token or secret in clear', async () => {
    const traced = await call(`${workers[0]!.url}/v1/scripts/fetch/runs?mode=async`, { token: workers[0]!.token, body: { inputs: {}, trace: true } });
    expect((await settle(workers[1]!, traced.body.id as string)).body.trace?.length).toBeGreaterThan(0);
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    const dump = await dumpRedis(client);
    client.disconnect();
    expect(dump.keys.some((k) => k.startsWith('snip:q:runs:'))).toBe(true);
    const logs = workers.flatMap((w) => [...w.stdout, ...w.stderr]).join('\n');
    const answer = (await call(`${workers[0]!.url}/v1/runs/${traced.body.id}`, { token: workers[0]!.token })).text;
    expect(up.issued.length).toBeGreaterThan(0);
    for (const s of [...up.issued, UPSTREAM_CLIENT.secret, files.client.secret, ...workers.map((w) => w.token)]) {
      for (const text of [dump.text, logs, answer]) expect(holds(text, s)).toBe(false);
    }
  }, 60_000);
});

describe.skipIf(!run)('a run whose worker dies past maxStalled', () => {
  let redis: TestRedis;
  let up: Upstream;
  let files: ScaleFiles;
  const workers: Worker[] = [];

  beforeAll(async () => {
    await build();
    redis = await startRedis();
    up = await startUpstream();
    // maxStalled 0: a job whose worker died is not run again but failed with a reason.
    files = await writeScaleFiles(up.url, { url: redis.url, queue: { ...QUEUE, maxStalled: 0 } });
  }, 180_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => stopWorker(w, 'SIGKILL')));
    await up?.close();
    await redis?.close();
    if (files) await fs.rm(files.dir, { recursive: true, force: true });
  });

  it('ends failed with SNIP6052, readable from the surviving worker', async () => {
    const victim = await startWorker(files);
    workers.push(victim);
    const r = await call(`${victim.url}/v1/scripts/slow/runs?mode=async`, { token: victim.token, body: { inputs: { ms: 60000 } } });
    expect(r.status).toBe(202);
    await up.slowRequested(1);
    const survivor = await startWorker(files);
    workers.push(survivor);
    await stopWorker(victim, 'SIGKILL');
    const done = await settle(survivor, r.body.id as string);
    expect(done.body.status).toBe('failed');
    expect(done.body.error).toEqual({ code: 'SNIP6052', message: expect.stringMatching(/stopped/) });
    expect(done.body.finishedAt).toBeTruthy();
  }, 60_000);
});

describe.skipIf(!run)('onRunFinished hook (in-process service on Redis)', () => {
  let redis: TestRedis;
  let up: Upstream;
  let files: ScaleFiles;
  let service: SnipService;

  beforeAll(async () => {
    redis = await startRedis();
    up = await startUpstream();
    files = await writeScaleFiles(up.url, { url: redis.url, queue: QUEUE });
    service = await createServer({ config: await loadConfig(files.configFile) });
  }, 60_000);

  afterAll(async () => {
    await service?.close();
    await up?.close();
    await redis?.close();
    if (files) await fs.rm(files.dir, { recursive: true, force: true });
  });

  it('hears every finished async run with its final view and tenant', async () => {
    const url = await service.listen({ port: 0 });
    const heard: { view: RunView; tenant: string }[] = [];
    service.ctx.redis!.queue.onRunFinished = (view, tenant) => {
      heard.push({ view, tenant });
    };
    const tok = await call(`${url}/1.0/token`, { body: { grant_type: 'client_credentials', client_id: files.client.id, client_secret: files.client.secret } });
    const token = tok.body.access_token as string;
    const r = await call(`${url}/v1/scripts/fetch/runs?mode=async`, { token, body: { inputs: {} } });
    expect(r.status).toBe(202);
    const w = { url, token } as Worker;
    const done = await settle(w, r.body.id as string);
    expect(done.body.status).toBe('completed');
    expect(heard).toHaveLength(1);
    expect(heard[0]!.tenant).toBe('acme');
    expect(heard[0]!.view).toMatchObject({ id: r.body.id, status: 'completed', outputs: { status: 'ok' } });
  }, 60_000);

  it('a service started while Redis is down is not ready, then ready once Redis comes, and runs', async () => {
    await redis.stop();
    const late = await createServer({ config: await loadConfig(files.configFile) });
    try {
      const url = await late.listen({ port: 0 });
      expect((await call(`${url}/readyz`)).status).toBe(503);
      const tok = await call(`${url}/1.0/token`, { body: { grant_type: 'client_credentials', client_id: files.client.id, client_secret: files.client.secret } });
      const token = tok.body.access_token as string;
      const refused = await call(`${url}/v1/scripts/fetch/runs?mode=async`, { token, body: { inputs: {} } });
      expect(refused.status).toBe(503);
      expect(refused.body.error.code).toBe('SNIP6050');
      await redis.start();
      let ready = await call(`${url}/readyz`);
      for (let i = 0; i < 400 && ready.status !== 200; i++) {
        await new Promise((res) => setTimeout(res, 25));
        ready = await call(`${url}/readyz`);
      }
      expect(ready.status).toBe(200);
      const r = await call(`${url}/v1/scripts/fetch/runs?mode=async`, { token, body: { inputs: {} } });
      expect(r.status).toBe(202);
      const done = await settle({ url, token } as Worker, r.body.id as string);
      expect(done.body.status).toBe('completed');
    } finally {
      await late.close();
    }
  }, 60_000);
});

// `npm run bench -- scale`: the Redis side of scale-out. `snip serve` child processes run the
// payload script (SNIPPET -> CONNECTAUTH -> CONNECTREQUEST, one upstream call per run, the demo API
// as upstream) under autocannon, first with the embedded defaults (in-memory token cache), then
// with a private redis-server configured (shared token cache + queue) on 1 and on 3 workers.
// Reports, in one run: the per-run overhead of the Redis setup against the embedded default (runs/s
// and mean latency as ratios, at 1 and 15 connections), throughput with 1 and 3 workers (no target: the
// machine has 2 cores), and upstream token requests per 1,000 runs across 3 workers (goal: 1 per
// token lifetime). Skips with a message when redis-server is not installed.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, promises as fs, rmSync } from 'node:fs';
import { createServer as netServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
// autocannon ships no types; the small surface used here is typed below.
// @ts-expect-error no declaration file
import autocannonImport from 'autocannon';
import { FileHubStore } from '../runtime/hub/file-store.js';
import { loadHubDefinition, seedHub } from '../runtime/hub/seed.js';
import { startDemoApi } from '../samples/demo-api/index.js';
import { ClientStore } from '../service/client-store.js';

interface AcResult {
  requests: { total: number };
  latency: { average: number; p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
const autocannon = autocannonImport as (opts: Record<string, unknown>) => Promise<AcResult>;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DURATION_S = Number(process.env['SNIP_BENCH_SECONDS'] ?? 5);

const SCRIPT = `SCRIPT "scale lookup"
BEGIN start -> build
SNIPPET build {
  DYNAMIC requestPayload
  ASSIGN requestPayload.URL = "[[INSTANCEURI]]/agents/A-100"
  ASSIGN requestPayload.HTTPMETHOD = "GET"
  ASSIGN payloadJSON = requestPayload.asjson()
}
  Error -> failed
CONNECTAUTH auth (connectName = "Agents API")
  OnSuccess -> call
  OnError -> failed
  OnTimeout -> failed
CONNECTREQUEST call (connectName = "Agents API", requestName = "Lookup agent", requestPayload = payloadJSON)
  OnSuccess -> ok
  OnError -> failed
  OnTimeout -> failed
SNIPPET ok {
  ASSIGN status = "ok"
}
  -> done
END done
SNIPPET failed {
  ASSIGN status = "failed"
}
  -> stop
END stop
`;

async function freePort(): Promise<number> {
  const s = netServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A private redis-server on a free loopback port, no persistence. */
async function startRedis(dir: string): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const sock = connect({ port, host: '127.0.0.1' });
      sock.once('connect', () => sock.write('PING\r\n'));
      sock.once('data', (d) => {
        sock.destroy();
        resolve(d.toString().startsWith('+PONG'));
      });
      sock.once('error', () => resolve(false));
    });
    if (ok) break;
    if (child.exitCode !== null) throw new Error('redis-server did not start');
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

interface Worker {
  child: ChildProcess;
  url: string;
  token: string;
}

async function startWorker(configFile: string, cwd: string, client: { id: string; secret: string }): Promise<Worker> {
  const child = spawn(process.execPath, [path.join(root, 'bin', 'snip.js'), 'serve', '--config', configFile, '--port', '0'], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`snip serve exited ${code}: ${err}`)));
  });
  const res = await request(`${url}/1.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret }).toString(),
  });
  const token = ((await res.body.json()) as { access_token: string }).access_token;
  return { child, url, token };
}

async function stopWorkers(ws: Worker[]): Promise<void> {
  await Promise.all(
    ws.map(async (w) => {
      const exited = new Promise((r) => w.child.once('exit', r));
      w.child.kill('SIGTERM');
      await exited;
    }),
  );
}

/** Load spread over `ws` (connections split evenly): runs, runs/s, mean latency, worst p99, failures. */
async function load(ws: Worker[], connections: number, seconds: number): Promise<{ runs: number; rps: number; mean: number; p99: number; bad: number }> {
  const per = Math.max(1, Math.round(connections / ws.length));
  const results = await Promise.all(
    ws.map((w) =>
      autocannon({
        url: `${w.url}/v1/scripts/lookup/runs`,
        connections: per,
        duration: seconds,
        timeout: 30,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${w.token}` },
        body: JSON.stringify({ inputs: {} }),
      }),
    ),
  );
  const runs = results.reduce((a, r) => a + r.requests.total, 0);
  const bad = results.reduce((a, r) => a + r.errors + r.timeouts + r.non2xx, 0);
  // Mean, not p50: autocannon's percentiles are whole milliseconds, too coarse at 1 connection.
  const mean = results.reduce((a, r) => a + r.latency.average, 0) / results.length;
  const p99 = Math.max(...results.map((r) => r.latency.p99));
  return { runs, rps: runs / seconds, mean, p99, bad };
}

export async function main(): Promise<void> {
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0) {
    process.stdout.write('\nscale: skipped: redis-server is not installed (bash scripts/setup-db-tools.sh)\n');
    return;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'snip-bench-scale-'));
  const api = await startDemoApi({ tokenLifetimeSeconds: 3600 });
  const redis = await startRedis(dir);
  let workers: Worker[] = [];
  try {
    await fs.mkdir(path.join(dir, 'scripts'), { recursive: true });
    await fs.writeFile(path.join(dir, 'scripts', 'lookup.studio'), SCRIPT);
    const store = new FileHubStore({ dir: path.join(dir, 'hub'), env: {} });
    await store.init();
    await seedHub(store, await loadHubDefinition(path.join(root, 'samples', 'hub', 'demo-hub.json'), { DEMO_URL: api.url }));
    const base = { stateDir: 'state', tenants: { bench: { scripts: 'scripts', hub: 'hub' } }, limits: { maxConcurrentRuns: 256, maxConcurrentRunsPerTenant: 256, maxQueue: 1024 } };
    const embeddedFile = path.join(dir, 'embedded.json');
    const redisFile = path.join(dir, 'redis.json');
    await fs.writeFile(embeddedFile, JSON.stringify(base));
    await fs.writeFile(redisFile, JSON.stringify({ ...base, redis: { url: redis.url } }));
    const { client, secret } = await new ClientStore(path.join(dir, 'state')).add('bench', ['run']);
    const creds = { id: client.id, secret };

    const rows: { setup: string; c: number; r: Awaited<ReturnType<typeof load>> }[] = [];
    const measure = async (setup: string, file: string, n: number, conns: number[]) => {
      workers = await Promise.all(Array.from({ length: n }, () => startWorker(file, dir, creds)));
      let total = (await load(workers, 8, 1)).runs; // warm-up: JIT, sockets, token
      for (const c of conns) {
        const r = await load(workers, c, DURATION_S);
        rows.push({ setup, c, r });
        total += r.runs;
      }
      await stopWorkers(workers);
      workers = [];
      return total;
    };
    await measure('embedded, 1 worker', embeddedFile, 1, [1, 15]);
    await measure('redis, 1 worker', redisFile, 1, [1, 15]);
    // Token requests across 3 fresh workers over an empty Redis: the first run of the set fetches.
    const redisClient = new (await import('ioredis')).Redis(redis.url);
    await redisClient.flushall();
    redisClient.disconnect();
    const tokensBefore = api.stats.tokenRequests;
    const runs3 = await measure('redis, 3 workers', redisFile, 3, [15]);
    const tokenRequests = api.stats.tokenRequests - tokensBefore;

    process.stdout.write(`\nscale: ${DURATION_S} s per row, payload script with one upstream call per run (snip serve child processes, autocannon + demo API here, 2 shared cores)\n\n`);
    process.stdout.write('setup | connections | runs/s | mean ms | p99 ms | failed\n--- | --- | --- | --- | --- | ---\n');
    for (const { setup, c, r } of rows) process.stdout.write(`${setup} | ${c} | ${r.rps.toFixed(0)} | ${r.mean.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.bad}\n`);
    const find = (setup: string, c: number) => rows.find((x) => x.setup === setup && x.c === c)!.r;
    process.stdout.write('\nratio | value\n--- | ---\n');
    for (const c of [1, 15]) {
      const e = find('embedded, 1 worker', c);
      const r = find('redis, 1 worker', c);
      process.stdout.write(`redis / embedded runs/s at ${c} connection(s) | ${(r.rps / e.rps).toFixed(2)}\n`);
      process.stdout.write(`redis / embedded mean latency at ${c} connection(s) | ${(r.mean / e.mean).toFixed(2)}\n`);
    }
    process.stdout.write(`3 workers / 1 worker runs/s at 15 connections (redis) | ${(find('redis, 3 workers', 15).rps / find('redis, 1 worker', 15).rps).toFixed(2)}\n`);
    process.stdout.write(`upstream token requests per 1,000 runs across 3 workers | ${((tokenRequests / Math.max(1, runs3)) * 1000).toFixed(3)} (${tokenRequests} for ${runs3} runs; goal 1 per token lifetime of 3600 s)\n`);
  } finally {
    if (workers.length > 0) await stopWorkers(workers).catch(() => undefined);
    await redis.stop();
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

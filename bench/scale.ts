// `npm run bench -- scale`: scale-out against the embedded default. `snip serve` child processes run
// the payload script (SNIPPET -> CONNECTAUTH -> CONNECTREQUEST, one upstream call per run, the demo
// API as upstream) under autocannon: with the embedded defaults (file hub, in-memory tokens), with a
// private redis-server (shared token cache + queue), and with a private PostgreSQL (hub, clients,
// access tokens, run records) plus that Redis, on 1 and on 3 workers, and as `snip serve --workers 2`. Reports, in one run: the per-run
// overhead of each setup against the embedded default (runs/s and mean latency as ratios, at 1 and 15
// connections), throughput with 1 and 3 workers (no target: the machine has 2 cores), and upstream
// token requests per 1,000 runs across 3 workers (goal: 1 per token lifetime). Skips with a message
// when redis-server or PostgreSQL is not installed.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, promises as fs, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
// autocannon ships no types; the small surface used here is typed below.
// @ts-expect-error no declaration file
import autocannonImport from 'autocannon';
import { FileHubStore, KEY_FILE } from '../runtime/hub/file-store.js';
import { loadHubDefinition, seedHub } from '../runtime/hub/seed.js';
import { startDemoApi } from '../samples/demo-api/index.js';
import { readFileBundle } from '../cli/hub/bundle.js';
import { postgresAvailable, startPgServer } from '../devtools/pg-server.js';
import { redisAvailable, startRedis } from '../devtools/redis-server.js';
import { ClientStore } from '../service/client-store.js';
import { PgClientStore } from '../service/pg/client-store.js';
import { Database } from '../service/pg/database.js';
import { PgHubStore } from '../service/pg/hub-store.js';
import { migrate } from '../service/pg/migrations.js';
import { PAYLOAD_SCRIPT } from './payload-script.js';

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

interface Worker {
  child: ChildProcess;
  url: string;
  token: string;
}

/** One `snip serve` (`clusterOf`: one `--workers N` primary, whose N workers share its port). */
async function startWorker(configFile: string, cwd: string, client: { id: string; secret: string }, clusterOf = 1): Promise<Worker> {
  const extra = clusterOf > 1 ? ['--workers', String(clusterOf)] : [];
  const child = spawn(process.execPath, [path.join(root, 'bin', 'snip.js'), 'serve', '--config', configFile, '--port', '0', ...extra], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const ready = clusterOf > 1 ? new RegExp(`${clusterOf} workers listening on (http:\\/\\/127\\.0\\.0\\.1:\\d+)`) : /listening on (http:\/\/127\.0\.0\.1:\d+)/;
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = ready.exec(err);
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
        body: JSON.stringify({ inputs: { target: '' } }),
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
  if (!redisAvailable() || !postgresAvailable) {
    process.stdout.write('\nscale: skipped: redis-server or PostgreSQL is not installed (bash scripts/setup-db-tools.sh)\n');
    return;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'snip-bench-scale-'));
  const api = await startDemoApi({ tokenLifetimeSeconds: 3600 });
  const [redis, pg] = await Promise.all([startRedis(), startPgServer()]);
  let workers: Worker[] = [];
  let db: Database | undefined;
  try {
    await fs.mkdir(path.join(dir, 'scripts'), { recursive: true });
    await fs.writeFile(path.join(dir, 'scripts', 'lookup.studio'), PAYLOAD_SCRIPT);
    const hubDir = path.join(dir, 'hub');
    const store = new FileHubStore({ dir: hubDir, env: {} });
    await store.init();
    await seedHub(store, await loadHubDefinition(path.join(root, 'samples', 'hub', 'demo-hub.json'), { DEMO_URL: api.url }));
    const base = { stateDir: 'state', tenants: { bench: { scripts: 'scripts', hub: 'hub' } }, limits: { maxConcurrentRuns: 256, maxConcurrentRunsPerTenant: 256, maxQueue: 1024 } };
    const embeddedFile = path.join(dir, 'embedded.json');
    const redisFile = path.join(dir, 'redis.json');
    const fullFile = path.join(dir, 'postgres-redis.json');
    // The PostgreSQL setup: a migrated database holding the same hub (moved as `snip hub export` does).
    const dbUrl = await pg.createDatabase('bench');
    db = new Database({ url: dbUrl });
    await migrate(db);
    await new PgHubStore({ db, tenant: 'bench', keyFile: path.join(hubDir, KEY_FILE) }).importBundle(await readFileBundle(store));
    await fs.writeFile(embeddedFile, JSON.stringify(base));
    await fs.writeFile(redisFile, JSON.stringify({ ...base, redis: { url: redis.url } }));
    await fs.writeFile(fullFile, JSON.stringify({ ...base, redis: { url: redis.url }, database: { url: dbUrl } }));
    const fileClient = await new ClientStore(path.join(dir, 'state')).add('bench', ['run']);
    const pgClient = await new PgClientStore(db).add('bench', ['run']);
    const fileCreds = { id: fileClient.client.id, secret: fileClient.secret };
    const pgCreds = { id: pgClient.client.id, secret: pgClient.secret };

    const rows: { setup: string; c: number; r: Awaited<ReturnType<typeof load>> }[] = [];
    const measure = async (setup: string, file: string, creds: { id: string; secret: string }, n: number, conns: number[], clusterOf = 1) => {
      workers = await Promise.all(Array.from({ length: n }, () => startWorker(file, dir, creds, clusterOf)));
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
    const EMB = 'embedded, 1 worker';
    const RED = 'redis, 1 worker';
    const FULL = 'postgres+redis, 1 worker';
    const FULL3 = 'postgres+redis, 3 workers';
    await measure(EMB, embeddedFile, fileCreds, 1, [1, 15]);
    await measure(RED, redisFile, fileCreds, 1, [1, 15]);
    await measure(FULL, fullFile, pgCreds, 1, [1, 15]);
    // Token requests across 3 fresh workers over an empty Redis: the first run of the set fetches.
    const redisClient = new (await import('ioredis')).Redis(redis.url);
    await redisClient.flushall();
    redisClient.disconnect();
    const tokensBefore = api.stats.tokenRequests;
    const runs3 = await measure(FULL3, fullFile, pgCreds, 3, [15]);
    const tokenRequests = api.stats.tokenRequests - tokensBefore;
    // `snip serve --workers 2`: one port, node:cluster hands connections to its workers in turn.
    const CLUSTER2 = 'postgres+redis, --workers 2 (one port)';
    await measure(CLUSTER2, fullFile, pgCreds, 1, [15], 2);

    process.stdout.write(`\nscale: ${DURATION_S} s per row, payload script with one upstream call per run (snip serve child processes, autocannon + demo API here, private PostgreSQL and redis-server on loopback, 2 shared cores)\n\n`);
    process.stdout.write('setup | connections | runs/s | mean ms | p99 ms | failed\n--- | --- | --- | --- | --- | ---\n');
    for (const { setup, c, r } of rows) process.stdout.write(`${setup} | ${c} | ${r.rps.toFixed(0)} | ${r.mean.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.bad}\n`);
    const find = (setup: string, c: number) => rows.find((x) => x.setup === setup && x.c === c)!.r;
    process.stdout.write('\nratio | value\n--- | ---\n');
    for (const [name, setup] of [['redis', RED], ['postgres+redis', FULL]] as const) {
      for (const c of [1, 15]) {
        const e = find(EMB, c);
        const r = find(setup, c);
        process.stdout.write(`${name} / embedded runs/s at ${c} connection(s) | ${(r.rps / e.rps).toFixed(2)}\n`);
        process.stdout.write(`${name} / embedded mean latency at ${c} connection(s) | ${(r.mean / e.mean).toFixed(2)}\n`);
      }
    }
    process.stdout.write(`3 workers / 1 worker runs/s at 15 connections (postgres+redis) | ${(find(FULL3, 15).rps / find(FULL, 15).rps).toFixed(2)}\n`);
    process.stdout.write(`--workers 2 / 1 worker runs/s at 15 connections (postgres+redis) | ${(find(CLUSTER2, 15).rps / find(FULL, 15).rps).toFixed(2)}\n`);
    process.stdout.write(`upstream token requests per 1,000 runs across 3 workers | ${((tokenRequests / Math.max(1, runs3)) * 1000).toFixed(3)} (${tokenRequests} for ${runs3} runs; goal 1 per token lifetime of 3600 s)\n`);
  } finally {
    if (workers.length > 0) await stopWorkers(workers).catch(() => undefined);
    await db?.close();
    await redis.close();
    await pg.stop();
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

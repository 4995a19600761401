// The whole scale-out setup at once: three `snip serve` worker processes on one private PostgreSQL
// (hub, service clients, access tokens, run records) and one private redis-server (upstream token
// cache, async run queue). A bearer token from one worker works on every other; 60 concurrent runs
// spread over the workers make the upstream see exactly one token request and, after a 401, exactly
// one refresh; kill -9 of a worker with async runs queued and in flight loses none, and every ended
// run is readable from PostgreSQL by any worker; no secret or token is stored in clear anywhere.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileBundle } from '../../cli/hub/bundle.js';
import { FileHubStore } from '../../runtime/hub/file-store.js';
import { Database } from '../../service/pg/database.js';
import { PgClientStore } from '../../service/pg/client-store.js';
import { PgHubStore } from '../../service/pg/hub-store.js';
import { migrate } from '../../service/pg/migrations.js';
import { postgresAvailable, startPgServer, type PgServer } from '../helpers/pg-server.js';
import { redisAvailable, startRedis, type TestRedis } from '../helpers/redis-server.js';
import { SETUP_DB_TOOLS, requireTool } from '../helpers/tools.js';
import { dumpAll } from './pg-fixture.js';
import { QUEUE, UPSTREAM_CLIENT, build, call, settle, dumpRedis, holds, startUpstream, startWorker, stopWorker, writeScaleFiles, type ScaleFiles, type Upstream, type Worker } from './redis-fixture.js';

const run = requireTool('postgres', postgresAvailable, SETUP_DB_TOOLS) && requireTool('redis-server', redisAvailable(), SETUP_DB_TOOLS);

describe.skipIf(!run)('scale-out: 3 workers on PostgreSQL + Redis', () => {
  let pg: PgServer;
  let redis: TestRedis;
  let up: Upstream;
  let files: ScaleFiles;
  let db: Database;
  let workers: Worker[] = [];
  const bearers: string[] = [];

  beforeAll(async () => {
    await build();
    [pg, redis, up] = await Promise.all([startPgServer(), startRedis(), startUpstream()]);
    const dbUrl = await pg.createDatabase('fullstack');
    files = await writeScaleFiles(up.url, { url: redis.url, queue: QUEUE }, { database: { url: dbUrl } });
    db = new Database({ url: dbUrl });
    await migrate(db);
    // The file hub the fixture seeded moves into PostgreSQL as `snip hub import` does (envelopes only).
    const hubDir = path.join(files.dir, 'acme', 'hub');
    await new PgHubStore({ db, tenant: 'acme', keyFile: path.join(hubDir, '.hubkey') }).importBundle(await readFileBundle(new FileHubStore({ dir: hubDir })));
    // With a database the service's clients live there too.
    const { client, secret } = await new PgClientStore(db).add('acme', ['run', 'admin']);
    files = { ...files, client: { id: client.id, secret } };
    workers = await Promise.all([0, 1, 2].map(() => startWorker(files)));
    bearers.push(...workers.map((w) => w.token));
  }, 240_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => stopWorker(w, 'SIGKILL')));
    await db?.close();
    await up?.close();
    await redis?.close();
    await pg?.stop();
    if (files) await fs.rm(files.dir, { recursive: true, force: true });
  });

  it('a bearer token issued by one worker is accepted by every worker (tokens live in PostgreSQL)', async () => {
    const [a, b, c] = workers as [Worker, Worker, Worker];
    for (const w of [b, c]) {
      const r = await call(`${w.url}/v1/scripts/fetch/runs`, { token: a.token, body: { inputs: {} } });
      expect(r.status).toBe(200);
      expect(r.body.status).toBe('completed');
    }
  }, 60_000);

  it('60 concurrent runs over 3 workers: one token request; after a 401, one refresh', async () => {
    // Every run so far (the first test's too) shares the one token fetched at the first run.
    const first = await Promise.all(
      Array.from({ length: 60 }, (_, i) => call(`${workers[i % 3]!.url}/v1/scripts/fetch/runs`, { token: workers[i % 3]!.token, body: { inputs: {} } })),
    );
    for (const r of first) expect(r.body.status).toBe('completed');
    expect(up.tokenRequests).toBe(1);

    up.revoke();
    const second = await Promise.all(
      Array.from({ length: 60 }, (_, i) => call(`${workers[i % 3]!.url}/v1/scripts/fetch/runs`, { token: workers[i % 3]!.token, body: { inputs: {} } })),
    );
    for (const r of second) expect(r.body.status).toBe('completed');
    expect(up.tokenRequests).toBe(2);
  }, 120_000);

  it('kill -9 of a worker with async runs queued and in flight: every run ends, and PostgreSQL holds each result', async () => {
    const started = up.slowStarted;
    const accepted: string[] = [];
    for (let i = 0; i < 18; i++) {
      const w = workers[i % 3]!;
      const r = await call(`${w.url}/v1/scripts/slow/runs?mode=async`, { token: w.token, body: { inputs: { ms: 600 } } });
      expect(r.status).toBe(202);
      accepted.push(r.body.id as string);
    }
    await up.slowRequested(started + 6);
    await stopWorker(workers[0]!, 'SIGKILL');
    const survivors = workers.slice(1);
    const outcomes = await Promise.all(accepted.map((id, i) => settle(survivors[i % 2]!, id)));
    for (const o of outcomes) {
      expect(o.status).toBe(200);
      expect(['completed', 'failed']).toContain(o.body.status);
      if (o.body.status === 'failed') expect(o.body.error?.code).toMatch(/^SNIP\d{4}$/);
    }
    // The records landed in PostgreSQL, with the status the API answered.
    for (let i = 0; i < 100; i++) {
      const rows = await db.query<{ n: string }>(`SELECT count(*) AS n FROM runs WHERE id = ANY($1) AND finished_at IS NOT NULL`, [accepted]);
      if (Number(rows.rows[0]!.n) === accepted.length) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    const rows = await db.query<{ id: string; status: string }>(`SELECT id, status FROM runs WHERE id = ANY($1)`, [accepted]);
    expect(rows.rows.length).toBe(accepted.length);
    const byId = new Map(rows.rows.map((r) => [r.id, r.status]));
    accepted.forEach((id, i) => expect(byId.get(id)).toBe(outcomes[i]!.body.status));
    workers = survivors;
  }, 180_000);

  it('no secret or token in clear in PostgreSQL, Redis, responses or worker logs', async () => {
    const client = new Redis({ host: '127.0.0.1', port: redis.port });
    const stored = `${await dumpAll(db)}\n${(await dumpRedis(client)).text}`;
    await client.quit();
    const logs = workers.map((w) => `${w.stdout.join('')}${w.stderr.join('')}`).join('\n');
    const values = [UPSTREAM_CLIENT.secret, files.client.secret, ...up.issued, ...bearers];
    expect(values.length).toBeGreaterThan(4);
    for (const v of values) {
      expect(holds(stored, v), 'a value stored in clear').toBe(false);
      expect(holds(logs, v), 'a value in a worker log').toBe(false);
    }
  }, 60_000);
});

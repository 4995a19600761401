// The shared token cache across real worker processes: three `snip serve` children on one private
// redis-server and one file hub. 60 concurrent runs spread over them cost the upstream exactly one
// token request; after the upstream revokes the token (every run then sees a 401 once), exactly one
// refresh. A worker killed (-9) while it holds the fetch lock blocks the others only until the
// lock expires. Nothing in Redis, the logs or the responses holds a token or secret in clear.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import { SETUP_DB_TOOLS, requireTool } from '../helpers/tools.js';
import { redisAvailable, startRedis, type TestRedis } from '../helpers/redis-server.js';
import { UPSTREAM_CLIENT, build, call, dumpRedis, holds, startUpstream, startWorker, stopWorker, writeScaleFiles, type ScaleFiles, type Upstream, type Worker } from './redis-fixture.js';

const run = requireTool('redis-server', redisAvailable(), SETUP_DB_TOOLS);

describe.skipIf(!run)('Redis token cache across 3 worker processes', () => {
  let redis: TestRedis;
  let up: Upstream;
  let files: ScaleFiles;
  let workers: Worker[] = [];
  let client: Redis;
  const responses: string[] = [];

  beforeAll(async () => {
    await build();
    redis = await startRedis();
    up = await startUpstream();
    // A lock long enough that a fetch on a loaded machine never outlives it (that would be a second fetch).
    files = await writeScaleFiles(up.url, { url: redis.url, lockMs: 5000 });
    workers = await Promise.all([0, 1, 2].map(() => startWorker(files)));
    client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  }, 180_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => stopWorker(w, 'SIGKILL')));
    client?.disconnect();
    await up?.close();
    await redis?.close();
    if (files) await fs.rm(files.dir, { recursive: true, force: true });
  });

  /** `n` concurrent runs of `fetch`, spread round-robin over `ws`. */
  async function burst(ws: Worker[], n: number) {
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) => {
        const w = ws[i % ws.length]!;
        return call(`${w.url}/v1/scripts/fetch/runs`, { token: w.token, body: { inputs: {} } });
      }),
    );
    for (const r of results) responses.push(r.text);
    return results;
  }

  it('60 concurrent runs over 3 workers: one token request; a revoked token: one refresh', async () => {
    const first = await burst(workers, 60);
    for (const r of first) {
      expect(r.status).toBe(200);
      expect(r.body.status).toBe('completed');
      expect(r.body.outputs.status).toBe('ok');
    }
    expect(up.tokenRequests).toBe(1);

    // The upstream revokes it: each worker's next run meets a 401, and one refresh serves all.
    up.revoke();
    const unauthorizedBefore = up.unauthorized;
    const second = await burst(workers, 60);
    for (const r of second) {
      expect(r.status).toBe(200);
      expect(r.body.outputs.status).toBe('ok');
    }
    expect(up.unauthorized).toBeGreaterThan(unauthorizedBefore);
    expect(up.tokenRequests).toBe(2);

    // The token lives on in Redis and in each process: more runs cost no token request.
    await burst(workers, 30);
    expect(up.tokenRequests).toBe(2);
  }, 120_000);

  it('a worker killed while holding the fetch lock blocks the others only until the lock expires', async () => {
    // Forget the token everywhere: a fresh worker set reads Redis, so drop the key itself too.
    for (const w of workers) await stopWorker(w, 'SIGTERM');
    const tokenKeys = await client.keys('snip:tok:acme:*');
    expect(tokenKeys.length).toBeGreaterThan(0);
    await client.del(...tokenKeys);
    workers = await Promise.all([0, 1, 2].map(() => startWorker(files)));
    const [a, b, c] = workers as [Worker, Worker, Worker];

    const before = up.tokenRequests;
    up.holdTokens = true;
    const doomed = call(`${a.url}/v1/scripts/fetch/runs`, { token: a.token, body: { inputs: {} } }).catch((e: Error) => e);
    await up.tokenRequested(before + 1);
    // Worker a holds the lock now, with a lifetime no longer than the configured 5 s.
    const lockKeys = await client.keys('snip:tok:acme:*:lock');
    expect(lockKeys).toHaveLength(1);
    const ttl = await client.pttl(lockKeys[0]!);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(5000);
    // Only a's request stays unanswered; the next fetcher gets a token.
    up.holdTokens = false;

    // b and c start waiting for a's token; then a dies without releasing its lock.
    const waiting = burst([b, c], 10);
    await stopWorker(a, 'SIGKILL');
    expect(await doomed).toBeInstanceOf(Error);
    const results = await waiting;
    for (const r of results) {
      expect(r.status).toBe(200);
      expect(r.body.outputs.status).toBe('ok');
    }
    // The dead worker's request, then exactly one more once its lock expired.
    expect(up.tokenRequests).toBe(before + 2);
    workers = [b, c];
  }, 120_000);

  it('no token or secret in clear in Redis, the logs or the responses', async () => {
    const dump = await dumpRedis(client);
    expect(dump.keys.some((k) => k.startsWith('snip:tok:acme:'))).toBe(true);
    const logs = workers.flatMap((w) => [...w.stdout, ...w.stderr]).join('\n');
    const all = [dump.text, logs, responses.join('\n')];
    const secrets = [...up.issued, UPSTREAM_CLIENT.secret, files.client.secret, ...workers.map((w) => w.token)];
    expect(up.issued.length).toBeGreaterThan(0);
    for (const s of secrets) for (const text of all) expect(holds(text, s)).toBe(false);
    // The stored token is an AES-GCM envelope, not the token.
    const stored = JSON.parse((await client.get(dump.keys.find((k) => /^snip:tok:acme:[^:]+:[^:]+$/.test(k))!))!) as Record<string, unknown>;
    expect(Object.keys(stored).sort()).toEqual(['data', 'iv', 'keyId', 'tag', 'until', 'v']);
  }, 60_000);
});

// RedisTokenCache against a real private redis-server, several instances standing for several
// processes (each with its own connection and in-process layer): one fetch for concurrent callers of
// every instance, failures not cached, compare-and-refresh once, unreadable entries (another key)
// refetched, a dead lock holder bounded by the lock's lifetime, and SNIP6051 while Redis is down.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SecretBox, generateKey, keyIdOf } from '../../runtime/hub/secret-box.js';
import type { Token, TokenKey } from '../../runtime/hub/token-cache.js';
import { RedisTokenCache } from '../../service/redis/token-cache.js';
import { SETUP_DB_TOOLS, requireTool } from '../helpers/tools.js';
import { redisAvailable, startRedis, type TestRedis } from '../helpers/redis-server.js';

const run = requireTool('redis-server', redisAvailable(), SETUP_DB_TOOLS);
const KEY: TokenKey = { hub: '/some/hub', connection: 'Agents API' };

function boxOf(): SecretBox {
  const key = generateKey();
  return new SecretBox([{ id: keyIdOf(key), key }], 'SNIP_HUB_KEY');
}

describe.skipIf(!run)('RedisTokenCache (several instances on one Redis)', () => {
  let redis: TestRedis;
  const clients: Redis[] = [];
  const box = boxOf();
  let fetches = 0;

  const client = () => {
    const c = new Redis(redis.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: () => 100 });
    c.on('error', () => undefined);
    clients.push(c);
    return c;
  };
  const cache = async (opts: { lockMs?: number; b?: SecretBox } = {}) => {
    const c = client();
    await new Promise<void>((r) => (c.status === 'ready' ? r() : c.once('ready', () => r())));
    return new RedisTokenCache({ redis: c, tenant: 'acme', box: async () => opts.b ?? box, lockMs: opts.lockMs ?? 2000, pollMs: 5 });
  };
  const fetcher = (delayMs = 50, fail = false) => async (): Promise<Token> => {
    fetches++;
    await new Promise((r) => setTimeout(r, delayMs));
    if (fail) throw new Error('token endpoint refused');
    return { accessToken: `tok-${fetches}-${Math.random().toString(36).slice(2)}`, tokenType: 'Bearer', expiresIn: 3600 };
  };

  beforeAll(async () => {
    redis = await startRedis();
  }, 30_000);
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await redis?.close();
  });
  beforeEach(async () => {
    fetches = 0;
    const c = client();
    await new Promise<void>((r) => (c.status === 'ready' ? r() : c.once('ready', () => r())));
    await c.flushall();
  });

  it('one fetch for concurrent callers of three instances; the token is stored encrypted', async () => {
    const caches = await Promise.all([cache(), cache(), cache()]);
    const tokens = await Promise.all(Array.from({ length: 30 }, (_, i) => caches[i % 3]!.get(KEY, fetcher())));
    expect(fetches).toBe(1);
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
    // Later calls are served by each instance's in-process layer.
    for (const c of caches) expect(c.peek(KEY)?.accessToken).toBe(tokens[0]!.accessToken);
    const raw = await clients[0]!.get(caches[0]!.tokenKey(caches[0]!.idOf(KEY)));
    expect(raw).not.toContain(tokens[0]!.accessToken);
    expect(JSON.parse(raw!).keyId).toBe(box.current.id);
  });

  it('a failed fetch is not cached; a 401 refreshes once for every instance', async () => {
    const [a, b] = await Promise.all([cache(), cache()]);
    await expect(a.get(KEY, fetcher(10, true))).rejects.toThrow('token endpoint refused');
    const t1 = await b.get(KEY, fetcher());
    expect(fetches).toBe(2);
    await a.get(KEY, fetcher());
    expect(fetches).toBe(2);
    // Both saw a 401 with t1: one refresh, both get the same new token.
    const [ra, rb] = await Promise.all([a.refresh(KEY, t1, fetcher()), b.refresh(KEY, t1, fetcher())]);
    expect(fetches).toBe(3);
    expect(ra.accessToken).toBe(rb.accessToken);
    expect(ra.accessToken).not.toBe(t1.accessToken);
    // A late 401 with t1 takes the refreshed token without a fetch.
    const c = await cache();
    expect((await c.refresh(KEY, t1, fetcher())).accessToken).toBe(ra.accessToken);
    expect(fetches).toBe(3);
  });

  it('an entry another key encrypted is unreadable: fetched again and overwritten', async () => {
    const other = await cache({ b: boxOf() });
    await other.get(KEY, fetcher());
    const mine = await cache();
    await mine.get(KEY, fetcher());
    expect(fetches).toBe(2);
  });

  it('a lock left by a dead holder delays the others at most its lifetime', async () => {
    const a = await cache({ lockMs: 400 });
    const id = a.idOf(KEY);
    // What a worker killed mid-fetch leaves: its lock, no token.
    await clients[0]!.set(`${a.tokenKey(id)}:lock`, 'dead-worker', 'PX', 400);
    const t = await a.get(KEY, fetcher());
    expect(t.accessToken).toMatch(/^tok-1-/);
    expect(fetches).toBe(1);
  });

  it('SNIP6051 while Redis is down (the in-process layer still serves what it holds)', async () => {
    const a = await cache();
    const held = await a.get(KEY, fetcher());
    await redis.stop();
    try {
      expect((await a.get(KEY, fetcher())).accessToken).toBe(held.accessToken);
      const b = new RedisTokenCache({ redis: a['redis'], tenant: 'acme', box: async () => box });
      await expect(b.get(KEY, fetcher())).rejects.toMatchObject({ code: 'SNIP6051' });
    } finally {
      await redis.start();
    }
  });
});

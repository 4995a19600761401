// The `redis` part of the service config (or SNIP_REDIS_URL): where Redis is, the key prefix, the
// token fetch lock's lifetime and the run queue's worker settings. Without it the service keeps its
// embedded defaults (in-memory token cache, async runs in the process).
import { ServiceError } from '../errors.js';

/** The resolved Redis settings. */
export interface RedisConfig {
  /** `redis://[user:password@]host:port[/db]`. */
  url: string;
  /** Prefix of every key and channel (default `snip`): several services may share one Redis. */
  prefix: string;
  /** Lifetime of a token fetch lock in ms (default 10 s): a dead fetcher blocks others at most this long. */
  lockMs: number;
  queue: {
    /** Async runs one worker process runs at once (default 16). */
    concurrency: number;
    /** Lock of a running job in ms (BullMQ lockDuration, default 30 s); renewed while the worker lives. */
    lockMs: number;
    /** How often workers look for jobs whose worker died (BullMQ stalledInterval, default 30 s). */
    stalledMs: number;
    /** A job whose worker died is run again this many times, then failed (default 1). */
    maxStalled: number;
  };
}

/** The JSON form. */
export interface RedisConfigInput {
  url?: string;
  prefix?: string;
  lockMs?: number;
  queue?: Partial<RedisConfig['queue']>;
}

const bad = (message: string) => new ServiceError(500, 'SNIP6054', message);

function count(v: unknown, field: string, fallback: number, min = 1): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw bad(`config: redis.${field} must be a whole number of ${min} or more`);
  return v;
}

/**
 * The Redis settings from the config's `redis` object, else from SNIP_REDIS_URL; undefined when
 * neither is set. @throws ServiceError SNIP6054 naming the field (never echoing the URL: it may hold a password).
 */
export function resolveRedisConfig(input: RedisConfigInput | undefined, env: Record<string, string | undefined>): RedisConfig | undefined {
  const url = input?.url ?? env.SNIP_REDIS_URL;
  if (url === undefined || url === '') {
    if (input !== undefined) throw bad('config: redis.url is required (or set SNIP_REDIS_URL)');
    return undefined;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw bad('config: redis.url is not a URL (redis://host:port)');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw bad('config: redis.url must start with redis:// or rediss://');
  const prefix = input?.prefix ?? 'snip';
  if (!/^[A-Za-z0-9_.-]{1,32}$/.test(prefix)) throw bad('config: redis.prefix must be 1-32 letters, digits, ".", "-" or "_"');
  const q = input?.queue ?? {};
  return {
    url,
    prefix,
    lockMs: count(input?.lockMs, 'lockMs', 10_000, 100),
    queue: {
      concurrency: count(q.concurrency, 'queue.concurrency', 16),
      lockMs: count(q.lockMs, 'queue.lockMs', 30_000, 200),
      stalledMs: count(q.stalledMs, 'queue.stalledMs', 30_000, 100),
      maxStalled: count(q.maxStalled, 'queue.maxStalled', 1, 0),
    },
  };
}

/** ioredis connection options from the URL (host, port, user, password, db, TLS for rediss://). */
export function connectionOptions(url: string): { host: string; port: number; username?: string; password?: string; db?: number; tls?: object } {
  const u = new URL(url);
  const db = u.pathname.replace(/^\//, '');
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(db && /^\d+$/.test(db) ? { db: Number(db) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

// The Redis side of a service process: one command connection (fails fast while Redis is down, so
// runs get 503 instead of hanging), one subscriber (token refreshes and run cancels announced by
// other processes), every tenant's token cache on Redis, and the async run queue. ioredis
// reconnects by itself; readiness follows the command connection's state.
import { Redis } from 'ioredis';
import { join } from 'node:path';
import { KEY_FILE } from '../../runtime/hub/file-store.js';
import { HubKeys } from '../../runtime/hub/hub-keys.js';
import type { SecretBox } from '../../runtime/hub/secret-box.js';
import type { ServiceContext } from '../context.js';
import type { Tenant } from '../tenants.js';
import { connectionOptions, type RedisConfig } from './config.js';
import { RunQueue } from './run-queue.js';
import { RedisTokenCache } from './token-cache.js';

export { RunQueue, type RunFinished } from './run-queue.js';
export { RedisTokenCache } from './token-cache.js';
export { requireRedis } from './ready.js';

/** The Redis part of a running service. */
export interface RedisSetup {
  config: RedisConfig;
  redis: Redis;
  queue: RunQueue;
  caches: Map<string, RedisTokenCache>;
  /** Whether Redis answers now (the command connection is up). */
  ready(): boolean;
  /** Drains the queue's worker within `drainMs`, then closes every connection. */
  close(drainMs: number): Promise<void>;
}

/** The key ring of a tenant's file hub: tokens in Redis are encrypted with it. */
function fileHubBox(tenant: Tenant): () => Promise<SecretBox> {
  const file = join(tenant.config.hubDir, KEY_FILE);
  const keys = new HubKeys(file, KEY_FILE, {}, () => undefined);
  // A token exists only after the connection's secrets were decrypted, so the key exists by then.
  return () => keys.box(false, async () => true);
}

/**
 * Connects the service to Redis: replaces every tenant's token cache with the shared one and starts
 * the run queue's worker. Waits up to `waitMs` for the first connection; a Redis that is down at
 * start leaves the service up but not ready until it comes.
 */
export async function attachRedis(ctx: ServiceContext, config: RedisConfig, waitMs = 3000): Promise<RedisSetup> {
  const options = { ...connectionOptions(config.url), retryStrategy: () => 500, enableOfflineQueue: false, maxRetriesPerRequest: 1 };
  const redis = new Redis(options);
  const sub = new Redis({ ...options, enableOfflineQueue: true, maxRetriesPerRequest: null });
  let up = false;
  redis.on('ready', () => {
    if (!up) ctx.log?.info({ redis: 'ready' }, 'redis connected');
    up = true;
  });
  redis.on('error', () => undefined);
  redis.on('close', () => {
    if (up) ctx.log?.warn({ redis: 'down' }, 'redis connection lost; runs are refused until it is back');
    up = false;
  });
  sub.on('error', () => undefined);

  const tokenChannel = `${config.prefix}:tok:changed`;
  const caches = new Map<string, RedisTokenCache>();
  const announce = (tenant: string, id: string) => void redis.publish(tokenChannel, JSON.stringify({ tenant, id })).catch(() => undefined);
  for (const t of ctx.tenants.values()) {
    const cache = new RedisTokenCache({ redis, tenant: t.name, box: fileHubBox(t), prefix: config.prefix, lockMs: config.lockMs, announce });
    caches.set(t.name, cache);
    t.tokens = cache;
  }
  const queue = new RunQueue(ctx, config, redis);
  sub.on('message', (channel: string, message: string) => {
    if (channel === queue.cancelChannel) queue.cancelLocal(message);
    else if (channel === tokenChannel) {
      try {
        const { tenant, id } = JSON.parse(message) as { tenant: string; id: string };
        caches.get(tenant)?.dropLocal(id);
      } catch {
        // Not ours: ignore.
      }
    }
  });
  // Not awaited: with Redis down at start it subscribes once connected (and again after each reconnect).
  void sub.subscribe(tokenChannel, queue.cancelChannel).catch(() => undefined);
  await new Promise<void>((resolve) => {
    if (redis.status === 'ready') return resolve();
    const timer = setTimeout(resolve, waitMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  queue.start();
  return {
    config,
    redis,
    queue,
    caches,
    ready: () => redis.status === 'ready',
    async close(drainMs: number) {
      await queue.close(drainMs);
      sub.disconnect();
      redis.disconnect();
    },
  };
}

// The one readiness rule of the Redis setup, kept free of ioredis/BullMQ imports so the routes can
// use it without loading them: while Redis is down, new runs are refused with 503 + Retry-After.
import type { ServiceContext } from '../context.js';
import { ServiceError } from '../errors.js';

/** @throws ServiceError SNIP6050 (503, Retry-After) while the configured Redis is unreachable. */
export function requireRedis(ctx: ServiceContext): void {
  if (ctx.redis && !ctx.redis.ready()) {
    throw new ServiceError(503, 'SNIP6050', 'Redis is unreachable: the service cannot take runs now; try again shortly', { 'retry-after': '2' });
  }
}

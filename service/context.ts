// What every plugin of one service instance shares: config, tenants, stores, the executor, the run
// registry, metrics and the draining flag. Passed to plugins as an option, so each route file
// states what it uses.
import type { FastifyBaseLogger } from 'fastify';
import type { Dispatcher } from 'undici';
import type { ClientDirectory, Scope } from './client-store.js';
import type { ServiceConfig } from './config.js';
import type { Executor } from './executor.js';
import type { IdleCompactor } from './idle-gc.js';
import type { ServiceMetrics } from './metrics.js';
import type { RateLimiter } from './rate-limit.js';
import type { RedisSetup } from './redis/index.js';
import type { RunGate } from './run-gate.js';
import type { RunRegistry } from './run-registry.js';
import type { Tenant } from './tenants.js';
import type { AccessTokens, Principal } from './token-store.js';
import type { Database } from './pg/database.js';

export interface ServiceContext {
  config: ServiceConfig;
  tenants: Map<string, Tenant>;
  clients: ClientDirectory;
  tokens: AccessTokens;
  rateLimiter: RateLimiter;
  gate: RunGate;
  executor: Executor;
  runs: RunRegistry;
  metrics: ServiceMetrics;
  /**
   * Where /metrics takes its text when not from `metrics.registry`: a worker of `snip serve
   * --workers` answers every worker's metrics summed, asked of the primary.
   */
  metricsText?: () => Promise<string>;
  pool: Dispatcher;
  /** The app's pino logger (set once the app is built). */
  log?: FastifyBaseLogger;
  /** Set once a drain began: new work is refused with 503. */
  draining: boolean;
  /** The PostgreSQL database, when one is configured (docs/scale-out.md). */
  database?: Database;
  /** Shared token cache and run queue, when the config names a Redis. */
  redis?: RedisSetup;
  /** The idle GC, when the host turned it on (service/idle-gc.ts). */
  compactor?: IdleCompactor;
}

/** Plugin options carrying the context. */
export interface PluginOptions {
  ctx: ServiceContext;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the bearer check. */
    principal?: Principal;
  }
}

export type { Scope };

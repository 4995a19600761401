// The service configuration: tenants (each with its scripts folder, its hub and optionally a routes
// file), limits, token lifetime, rate limits and run retention. Read from one JSON file; relative
// paths resolve against the file's folder. Every field has a default except the tenants.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { RunLimitsInput } from '../runtime/interpreter/limits.js';
import { ServiceError } from './errors.js';
import { resolveRedisConfig, type RedisConfig, type RedisConfigInput } from './redis/config.js';

/** One tenant: its scripts, its hub and its script-backed routes. */
export interface TenantConfig {
  name: string;
  /** Folder of `.studio` / `.snip` scripts (absolute). */
  scriptsDir: string;
  /** Folder of the tenant's embedded file hub (absolute); with a database it holds only the key file `.hubkey`. */
  hubDir: string;
  /** Routes file (absolute), when the tenant has script-backed routes. */
  routesFile?: string;
  /** At most this many runs of this tenant at once (default: `limits.maxConcurrentRunsPerTenant`). */
  maxConcurrentRuns?: number;
}

/** Limits of the whole process. */
export interface ServiceLimits {
  maxConcurrentRuns: number;
  maxConcurrentRunsPerTenant: number;
  /** Runs waiting for a slot; past it a run is refused with 429. */
  maxQueue: number;
  /** Request bodies larger than this are refused with 413. */
  bodyLimitBytes: number;
  /** A sync run is stopped after this long. */
  syncDeadlineMs: number;
  /** Per-run limits handed to the runtime (steps, time, string size). */
  run: RunLimitsInput;
}

/** The loaded, defaulted configuration. */
export interface ServiceConfig {
  /** Where clients are stored (absolute). */
  stateDir: string;
  tenants: Map<string, TenantConfig>;
  limits: ServiceLimits;
  /** Lifetime of issued access tokens in seconds. */
  tokenLifetimeSeconds: number;
  /** Token requests per minute per client id and per remote address. */
  rateLimit: { perClient: number; perAddress: number; windowMs: number };
  /** Run records kept: at most this many, none older than this. */
  runs: { maxRecords: number; maxAgeMs: number };
  /** On SIGTERM, in-flight runs get this long to finish. */
  drainMs: number;
  /**
   * Once no run started for this long (ms) and none is in flight, one full GC gives the heap a load
   * grew back to the system (service/idle-gc.ts); 0 turns it off. Applies where the host enables it
   * (`snip serve` does; `createServer({ idleGc: true })`).
   */
  idleGcMs: number;
  /** PostgreSQL for hubs, clients, tokens and runs (docs/scale-out.md); files and memory when absent. */
  database?: DatabaseConfig;
  /** Shared token cache and run queue (service/redis); absent: in-process defaults. */
  redis?: RedisConfig;
}

/** Where the service's PostgreSQL database is. */
export interface DatabaseConfig {
  /** `postgres://user@host:port/db` (from the config's `database.url` or SNIP_DATABASE_URL). */
  url: string;
  /** Connections per worker process (default 10). */
  poolSize?: number;
}

/** The JSON form of the config (what users write). */
export interface ServiceConfigInput {
  stateDir?: string;
  tenants: Record<string, { scripts: string; hub?: string; routes?: string; maxConcurrentRuns?: number }>;
  limits?: Partial<Omit<ServiceLimits, 'run'>> & { run?: RunLimitsInput };
  tokenLifetimeSeconds?: number;
  rateLimit?: Partial<ServiceConfig['rateLimit']>;
  runs?: Partial<ServiceConfig['runs']>;
  drainMs?: number;
  idleGcMs?: number;
  database?: { url?: string; poolSize?: number };
  redis?: RedisConfigInput;
}

export const DEFAULT_LIMITS: ServiceLimits = {
  maxConcurrentRuns: 64,
  maxConcurrentRunsPerTenant: 32,
  maxQueue: 256,
  bodyLimitBytes: 1024 * 1024,
  syncDeadlineMs: 30_000,
  run: { maxTimeMs: 30_000 },
};

/** Quiet time before the idle GC, ms. */
// 30 s: a full collection also drops optimized code V8 must rebuild (the first few hundred runs
// after it cost up to 4x), so it waits until the load is surely over, not for a pause within it.
export const DEFAULT_IDLE_GC_MS = 30_000;

/** Tenant names appear in paths and metric labels: keep them plain. */
export const TENANT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

const bad = (message: string) => new ServiceError(500, 'SNIP6001', message);

function positive(v: unknown, field: string, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw bad(`config: ${field} must be a positive whole number`);
  return v;
}

function nonNegative(v: unknown, field: string, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw bad(`config: ${field} must be a whole number of 0 or more`);
  return v;
}

/**
 * The database part: `database.url` of the config, else SNIP_DATABASE_URL; none means the
 * embedded default (file hubs, clients.json, tokens and runs in memory).
 */
function resolveDatabase(input: ServiceConfigInput['database'], env: Record<string, string | undefined>): DatabaseConfig | undefined {
  if (input !== undefined && (typeof input !== 'object' || input === null)) throw bad('config: database must be an object { url }');
  const url = input?.url ?? env.SNIP_DATABASE_URL;
  if (url === undefined || url === '') return undefined;
  if (typeof url !== 'string' || !/^postgres(ql)?:\/\//.test(url)) throw bad('config: database.url (or SNIP_DATABASE_URL) must be a postgres:// URL');
  const out: DatabaseConfig = { url };
  if (input?.poolSize !== undefined) out.poolSize = positive(input.poolSize, 'database.poolSize', 10);
  return out;
}

/**
 * Checks and defaults a config object; relative paths resolve against `baseDir`; `env` may give
 * SNIP_DATABASE_URL.
 * @throws ServiceError SNIP6001 naming the field.
 */
export function resolveConfig(input: ServiceConfigInput, baseDir: string, env: Record<string, string | undefined> = {}): ServiceConfig {
  if (typeof input !== 'object' || input === null || typeof input.tenants !== 'object' || input.tenants === null) {
    throw bad('config: "tenants" must be an object of tenant name to { scripts, hub, routes }');
  }
  const l = input.limits ?? {};
  const limits: ServiceLimits = {
    maxConcurrentRuns: positive(l.maxConcurrentRuns, 'limits.maxConcurrentRuns', DEFAULT_LIMITS.maxConcurrentRuns),
    maxConcurrentRunsPerTenant: positive(l.maxConcurrentRunsPerTenant, 'limits.maxConcurrentRunsPerTenant', DEFAULT_LIMITS.maxConcurrentRunsPerTenant),
    maxQueue: nonNegative(l.maxQueue, 'limits.maxQueue', DEFAULT_LIMITS.maxQueue),
    bodyLimitBytes: positive(l.bodyLimitBytes, 'limits.bodyLimitBytes', DEFAULT_LIMITS.bodyLimitBytes),
    syncDeadlineMs: positive(l.syncDeadlineMs, 'limits.syncDeadlineMs', DEFAULT_LIMITS.syncDeadlineMs),
    run: { ...DEFAULT_LIMITS.run, ...(l.run ?? {}) },
  };
  const tenants = new Map<string, TenantConfig>();
  for (const [name, t] of Object.entries(input.tenants)) {
    if (!TENANT_NAME.test(name)) throw bad(`config: tenant name '${name}' must be letters, digits, '-' or '_'`);
    if (typeof t?.scripts !== 'string') throw bad(`config: tenants.${name}.scripts must be a folder`);
    const tenant: TenantConfig = {
      name,
      scriptsDir: path.resolve(baseDir, t.scripts),
      hubDir: path.resolve(baseDir, t.hub ?? path.join(t.scripts, '..', 'hub')),
    };
    if (t.routes !== undefined) tenant.routesFile = path.resolve(baseDir, t.routes);
    if (t.maxConcurrentRuns !== undefined) tenant.maxConcurrentRuns = positive(t.maxConcurrentRuns, `tenants.${name}.maxConcurrentRuns`, 1);
    tenants.set(name, tenant);
  }
  if (tenants.size === 0) throw bad('config: name at least one tenant');
  const r = input.rateLimit ?? {};
  const database = resolveDatabase(input.database, env);
  const redis = resolveRedisConfig(input.redis, env);
  return {
    ...(database ? { database } : {}),
    stateDir: path.resolve(baseDir, input.stateDir ?? 'state'),
    tenants,
    limits,
    tokenLifetimeSeconds: positive(input.tokenLifetimeSeconds, 'tokenLifetimeSeconds', 3600),
    rateLimit: {
      perClient: positive(r.perClient, 'rateLimit.perClient', 30),
      perAddress: positive(r.perAddress, 'rateLimit.perAddress', 120),
      windowMs: positive(r.windowMs, 'rateLimit.windowMs', 60_000),
    },
    runs: {
      maxRecords: positive(input.runs?.maxRecords, 'runs.maxRecords', 1000),
      maxAgeMs: positive(input.runs?.maxAgeMs, 'runs.maxAgeMs', 3_600_000),
    },
    drainMs: positive(input.drainMs, 'drainMs', 10_000),
    idleGcMs: nonNegative(input.idleGcMs, 'idleGcMs', DEFAULT_IDLE_GC_MS),
    ...(redis ? { redis } : {}),
  };
}

/** Reads and resolves a JSON config file (`env` may give SNIP_DATABASE_URL). @throws ServiceError SNIP6001 */
export async function loadConfig(file: string, env: Record<string, string | undefined> = {}): Promise<ServiceConfig> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    throw bad(`cannot read the config ${path.basename(file)}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw bad(`the config ${path.basename(file)} is not valid JSON: ${(e as Error).message}`);
  }
  return resolveConfig(data as ServiceConfigInput, path.dirname(path.resolve(file)), env);
}

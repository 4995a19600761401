// `createServer()`: builds the service (a fastify app as a tree of plugins: auth, runs, script
// routes, hub admin, ops) over a config, and gives it listen/close with a graceful drain. Errors
// leave in one shape, `{ error: { code, message } }`; logs are pino JSON with credentials redacted.
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { Writable } from 'node:stream';
import Fastify, { LogController, type FastifyError, type FastifyInstance } from 'fastify';
import type { Code } from '../language/codes.js';
import { SnipError } from '../runtime/errors.js';
import { ClientStore } from './client-store.js';
import { resolveConfig, type ServiceConfig, type ServiceConfigInput } from './config.js';
import type { ServiceContext } from './context.js';
import { ServiceError, errorBody } from './errors.js';
import { Executor } from './executor.js';
import { IdleCompactor } from './idle-gc.js';
import { ServiceMetrics } from './metrics.js';
import { authPlugin } from './plugins/auth.js';
import { hubAdminPlugin } from './plugins/hub-admin.js';
import { opsPlugin } from './plugins/ops.js';
import { runsPlugin } from './plugins/runs.js';
import { scriptRoutesPlugin } from './plugins/script-routes.js';
import { RateLimiter } from './rate-limit.js';
import { RunGate } from './run-gate.js';
import { RunRegistry } from './run-registry.js';
import { infoEnabled } from './run-flow.js';
import { Tenant } from './tenants.js';
import { TokenStore, maskCredentials } from './token-store.js';
import { createUpstreamPool, TlsAgents } from './upstream.js';
import { openDatabase } from './pg/wiring.js';

/** Options of `createServer`. */
export interface CreateServerOptions {
  /** A resolved config, or its JSON form with `baseDir` for relative paths. */
  config: ServiceConfig | (ServiceConfigInput & { baseDir: string });
  /** Where JSON log lines go (masked); no logging when absent. */
  logStream?: NodeJS.WritableStream;
  logLevel?: string;
  /** Collect process metrics (CPU, memory, event loop) too. */
  processMetrics?: boolean;
  /**
   * One full GC once the service is idle after a load (config `idleGcMs`), so the memory a load
   * grew goes back to the system. Off by default for a host embedding the service (it is the
   * host's process); `snip serve` turns it on.
   */
  idleGc?: boolean;
}

/** A built service. */
export interface SnipService {
  app: FastifyInstance;
  ctx: ServiceContext;
  /** Starts listening; resolves with the base URL. */
  listen(options?: { port?: number; host?: string }): Promise<string>;
  /**
   * Drains: refuses new work (503), lets runs in flight finish within `drainMs`, cancels the rest,
   * then closes. Safe to call twice.
   */
  close(): Promise<void>;
}

const mbOf = (bytes: number) => Math.round(bytes / 104857.6) / 10;

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function isResolved(c: CreateServerOptions['config']): c is ServiceConfig {
  return c.tenants instanceof Map;
}

/** Past this many buffered characters the log lines go out at once, not at the end of the turn. */
const LOG_BATCH_CHARS = 64 * 1024;

/**
 * Masks our credentials in every log line before it reaches the real stream, and hands the lines
 * of one event-loop turn to it in one write: a write to stdout (a file or a pipe) is a synchronous
 * system call, and a run writes two lines. `flush()` writes what is buffered at once (on close).
 */
export function maskingStream(out: NodeJS.WritableStream): Writable & { flush(): void } {
  let pending = '';
  let scheduled: NodeJS.Immediate | undefined;
  const flush = () => {
    if (scheduled !== undefined) clearImmediate(scheduled);
    scheduled = undefined;
    if (pending === '') return;
    const text = pending;
    pending = '';
    // One masking pass for the whole batch (a credential never spans two lines).
    out.write(maskCredentials(text));
  };
  const stream = new Writable({
    // pino writes strings: keep them strings (no Buffer round trip per line).
    decodeStrings: false,
    write(chunk: Buffer | string, _enc, cb) {
      pending += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      if (pending.length >= LOG_BATCH_CHARS) flush();
      else scheduled ??= setImmediate(flush);
      cb();
    },
    final(cb) {
      flush();
      cb();
    },
  });
  return Object.assign(stream, { flush });
}

function statusOfHubCode(code: string): number {
  if (code === 'SNIP4002' || code === 'SNIP4008') return 404;
  if (code === 'SNIP4003' || code === 'SNIP4004' || code === 'SNIP4050' || code === 'SNIP4051') return 409;
  if (code === 'SNIP4001' || code === 'SNIP4009') return 500;
  return 400;
}

/** Builds the service; call `listen` to serve. @throws ServiceError SNIP6001 for a bad config. */
export async function createServer(options: CreateServerOptions): Promise<SnipService> {
  const config = isResolved(options.config) ? options.config : resolveConfig(options.config, options.config.baseDir);
  // PostgreSQL when configured: checked (schema version) before anything listens.
  let logger: ServiceContext['log'];
  const pg = config.database ? await openDatabase(config, (m) => logger?.warn({ code: 'SNIP6030' }, maskCredentials(m))) : undefined;
  const tenants = new Map([...config.tenants.values()].map((t) => [t.name, new Tenant(t, pg?.db)]));
  const gate = new RunGate(
    config.limits.maxConcurrentRuns,
    (t) => config.tenants.get(t)?.maxConcurrentRuns ?? config.limits.maxConcurrentRunsPerTenant,
    config.limits.maxQueue,
  );
  const metrics = new ServiceMetrics(options.processMetrics ?? false, gate);
  const pool = createUpstreamPool();
  const tlsAgents = new TlsAgents();
  const ctx: ServiceContext = {
    config,
    tenants,
    clients: pg?.clients ?? new ClientStore(config.stateDir),
    tokens: pg?.tokens ?? new TokenStore(config.tokenLifetimeSeconds),
    rateLimiter: new RateLimiter(config.rateLimit.windowMs),
    gate,
    executor: new Executor(gate, pool, config.limits.run, metrics, tlsAgents),
    runs: new RunRegistry(config.runs.maxRecords, config.runs.maxAgeMs, Date.now, pg?.runs, (e) =>
      ctx.log?.warn({ code: 'SNIP6030', err: { message: maskCredentials(String((e as Error)?.message ?? e)) } }, 'run record not saved'),
    ),
    metrics,
    pool,
    draining: false,
    ...(pg ? { database: pg.db } : {}),
  };

  const logStream = options.logStream ? maskingStream(options.logStream) : undefined;
  const app = Fastify({
    bodyLimit: config.limits.bodyLimitBytes,
    return503OnClosing: false,
    // One log line per request (onResponse below) instead of fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    // Unknown body fields are an error (400), not silently dropped.
    ajv: { customOptions: { removeAdditional: false } },
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    logger: logStream
      ? {
          level: options.logLevel ?? 'info',
          stream: logStream,
          redact: {
            paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["proxy-authorization"]', 'res.headers["set-cookie"]'],
            censor: '[redacted]',
          },
        }
      : false,
  });

  // JSON and form bodies are parsed here so a malformed one is one clear error, not a stack trace.
  app.removeContentTypeParser(['application/json']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new ServiceError(400, 'SNIP6003', 'the request body is not valid JSON'), undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  // Callback-style hooks: they run on every request, and an async hook costs a promise each.
  app.addHook('onRequest', (req, reply, done) => {
    void reply.header('x-request-id', req.id);
    if (ctx.draining && req.url !== '/healthz' && req.url !== '/readyz' && req.url !== '/metrics') {
      void reply.header('connection', 'close');
      return done(new ServiceError(503, 'SNIP6016', 'the service is shutting down', { 'retry-after': '1' }));
    }
    // With a database, new runs (script routes of any method too) and every write wait for it to
    // answer: 503 SNIP6030 before any work.
    if (ctx.database && ((req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS') || req.url.startsWith('/t/'))) {
      ctx.database.ensureReady().then(() => done(), done);
      return;
    }
    done();
  });

  app.addHook('onResponse', (req, reply, done) => {
    if (infoEnabled(req.log)) req.log.info({ method: req.method, url: req.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 }, 'request');
    done();
  });

  // While draining, every answer closes its connection, so keep-alive clients cannot hold the close.
  app.addHook('onSend', (_req, reply, payload, done) => {
    if (ctx.draining) void reply.header('connection', 'close');
    done(null, payload);
  });

  app.setErrorHandler((err: FastifyError | ServiceError | SnipError, req, reply) => {
    let status = 500;
    let code: string = 'SNIP6019';
    let message = 'internal error';
    if (err instanceof ServiceError) {
      status = err.status;
      code = err.code;
      message = err.message;
      for (const [k, v] of Object.entries(err.headers)) void reply.header(k, v);
    } else if (err instanceof SnipError) {
      status = statusOfHubCode(err.code);
      code = err.code;
      message = err.message;
    } else if ((err as FastifyError).validation) {
      status = 400;
      code = 'SNIP6002';
      message = `invalid request: ${(err as FastifyError).message}`;
    } else {
      const f = err as FastifyError;
      const known: Record<string, [number, Code, string]> = {
        FST_ERR_CTP_BODY_TOO_LARGE: [413, 'SNIP6005', `the request body is larger than ${config.limits.bodyLimitBytes} bytes`],
        FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'SNIP6004', 'unsupported content type: send application/json (or form fields to /1.0/token)'],
        FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'SNIP6002', 'the content length does not match the body'],
        FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'SNIP6003', 'the request body is empty'],
      };
      const k = f.code ? known[f.code] : undefined;
      if (k) [status, code, message] = k;
      else if (typeof f.statusCode === 'number' && f.statusCode >= 400 && f.statusCode < 500) {
        status = f.statusCode;
        code = 'SNIP6002';
        message = 'bad request';
      }
    }
    if (status >= 500) req.log.error({ code, err: { type: err.name, message: maskCredentials(err.message) } }, 'request failed');
    return reply.code(status).type('application/json').send(errorBody(code, maskCredentials(message)));
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send(errorBody('SNIP6015', `no route ${req.method} ${req.url.split('?')[0]}`)),
  );

  ctx.log = app.log;
  logger = app.log;
  for (const t of tenants.values()) await t.files?.init();
  // With a database the hub folder only holds the tenant's key file.
  if (pg) for (const t of tenants.values()) await mkdir(t.config.hubDir, { recursive: true, mode: 0o700 });
  // Loaded only when configured: the embedded default does not pay for ioredis and BullMQ.
  if (config.redis) ctx.redis = await (await import('./redis/index.js')).attachRedis(ctx, config.redis);
  // Queued runs end on any worker: with a database their records land there too, for every worker's GET.
  if (ctx.redis && pg) ctx.redis.queue.onRunFinished = (view, tenant) => pg.runs.save(tenant, view);
  await app.register(opsPlugin, { ctx });
  await app.register(authPlugin, { ctx });
  await app.register(runsPlugin, { ctx });
  await app.register(hubAdminPlugin, { ctx });
  await app.register(scriptRoutesPlugin, { ctx });

  const compactor =
    options.idleGc && config.idleGcMs > 0
      ? new IdleCompactor({
          idleMs: config.idleGcMs,
          started: () => ctx.executor.started,
          inFlight: () => ctx.gate.inFlight,
          onCollect: (e) => {
            metrics.idleGc.inc();
            // Sizes and the pause only: no value of any request.
            ctx.log?.info({ heapBeforeMb: mbOf(e.heapBefore), heapAfterMb: mbOf(e.heapAfter), ms: Math.round(e.ms * 10) / 10 }, 'idle gc');
          },
        })
      : undefined;
  compactor?.start();
  ctx.compactor = compactor;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      ctx.draining = true;
      compactor?.stop();
      const redisClosed = ctx.redis?.close(config.drainMs);
      // Stop listening at once; requests in flight (sync runs) finish before app.close() resolves.
      const closed = app.close();
      const active = ctx.runs.active();
      const all = Promise.all(active.map((r) => r.done));
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        all.then(() => false),
        new Promise<boolean>((r) => {
          timer = setTimeout(() => r(true), config.drainMs);
        }),
      ]);
      clearTimeout(timer);
      if (timedOut) {
        for (const r of ctx.runs.active()) r.controller.abort(new ServiceError(503, 'SNIP6016', 'the service shut down before the run finished'));
        await all;
      }
      app.server.closeIdleConnections();
      await closed;
      await redisClosed;
      await pool.close();
      await tlsAgents.close();
      await pg?.db.close();
      // The tenants' hub folders are watched (watch mode): stop the watchers with the service.
      for (const t of tenants.values()) t.files?.close();
      logStream?.flush();
    })());

  return {
    app,
    ctx,
    async listen(o = {}) {
      return app.listen({ port: o.port ?? 0, host: o.host ?? '127.0.0.1' });
    },
    close,
  };
}

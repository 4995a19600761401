// Async runs on a BullMQ queue in the service's Redis: any worker process enqueues (`?mode=async`),
// any worker runs them, and any worker answers GET /v1/runs/{id} from the job's state and result.
// A worker that dies mid-run stops renewing its job lock; another worker's stalled check puts the
// job back to wait (run again, at most `maxStalled` times) and then fails it with a reason, so an
// accepted run is never lost or silently stuck. A cancel is a flag key plus a message on a channel:
// the worker running the job aborts it (BullMQ's per-job AbortSignal reaches the run's in-flight
// HTTP); a job still waiting is removed and answered cancelled at once.
import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { hostname } from 'node:os';
import type { TraceLevel } from '../../runtime/trace/events.js';
import type { ServiceContext } from '../context.js';
import { ServiceError } from '../errors.js';
import type { RunView } from '../run-registry.js';
import { maskCredentials } from '../token-store.js';
import { connectionOptions, type RedisConfig } from './config.js';

/** What a job carries: enough for any worker to run it (the inputs as the caller sent them). */
export interface RunJobData {
  id: string;
  tenant: string;
  script: string;
  inputs: Record<string, unknown>;
  traceLevel: TraceLevel;
  requestId: string;
  createdAt: string;
}

/** A finished run as the hook sees it (the lead connects it to the PostgreSQL run store). */
export type RunFinished = (view: RunView, tenant: string) => void | Promise<void>;

const QUEUE = 'runs';
/** Run ids are UUIDs: anything else is not looked up in Redis. */
const RUN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const STALLED_REASON = 'job stalled more than allowable limit';

export class RunQueue {
  readonly queue: Queue<RunJobData, RunView>;
  private worker: Worker<RunJobData, RunView> | undefined;
  /** Told once per finished run, on the worker that finished it (or that failed a lost one). */
  onRunFinished: RunFinished | undefined;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly config: RedisConfig,
    /** The command connection (fails fast while Redis is down). */
    private readonly redis: Redis,
  ) {
    const base = { ...connectionOptions(config.url), retryStrategy: () => 500 };
    // The producer fails fast while Redis is down (503), instead of queueing commands in memory.
    this.queue = new Queue<RunJobData, RunView>(QUEUE, { connection: { ...base, enableOfflineQueue: false, maxRetriesPerRequest: 1 }, prefix: `${config.prefix}:q` });
    this.queue.on('error', () => undefined);
  }

  /** Starts taking jobs (after the tenants are ready). */
  start(): void {
    const q = this.config.queue;
    this.worker = new Worker<RunJobData, RunView>(QUEUE, (job, _token, signal) => this.process(job, signal), {
      connection: { ...connectionOptions(this.config.url), retryStrategy: () => 500, maxRetriesPerRequest: null },
      prefix: `${this.config.prefix}:q`,
      // Which process runs a job (host:pid), shown by BullMQ tools and used by the fault tests.
      name: `${hostname()}:${process.pid}`,
      concurrency: q.concurrency,
      lockDuration: q.lockMs,
      stalledInterval: q.stalledMs,
      maxStalledCount: q.maxStalled,
    });
    this.worker.on('error', () => undefined);
    // A job failed by a stalled check (its worker died) or by an internal error: the hook hears it too.
    this.worker.on('failed', (job) => {
      if (job) void this.finished(viewOfFailed(job), job.data.tenant);
    });
  }

  /** The run's cancel flag key. */
  cancelKey(id: string): string {
    return `${this.config.prefix}:run:${id}:cancel`;
  }

  /** Where a run cancelled while waiting is kept (its job is gone). */
  cancelledKey(id: string): string {
    return `${this.config.prefix}:run:${id}:cancelled`;
  }

  /** The channel cancels are announced on. */
  get cancelChannel(): string {
    return `${this.config.prefix}:run:cancel`;
  }

  /** Enqueues a run. @throws ServiceError SNIP6050 (503) when Redis does not take it. */
  async enqueue(data: RunJobData): Promise<RunView> {
    const keep = { age: Math.ceil(this.ctx.config.runs.maxAgeMs / 1000), count: this.ctx.config.runs.maxRecords };
    try {
      await this.queue.add('run', data, { jobId: data.id, attempts: 1, removeOnComplete: keep, removeOnFail: keep });
    } catch {
      throw unavailable();
    }
    return { id: data.id, script: data.script, status: 'queued', requestId: data.requestId, createdAt: data.createdAt };
  }

  /** The run as the API shows it, when it belongs to `tenant`. @throws SNIP6050 while Redis is down. */
  async view(tenant: string, id: string): Promise<RunView | undefined> {
    if (!RUN_ID.test(id)) return undefined;
    try {
      const { job, state } = await this.read(id);
      if (!job) {
        const kept = await this.redis.get(this.cancelledKey(id));
        if (!kept) return undefined;
        const v = JSON.parse(kept) as RunView & { tenant: string };
        if (v.tenant !== tenant) return undefined;
        const { tenant: _t, ...view } = v;
        return view;
      }
      if (job.data.tenant !== tenant) return undefined;
      return viewOf(job, state);
    } catch (e) {
      if (e instanceof ServiceError) throw e;
      throw unavailable();
    }
  }

  /**
   * Cancels a run of `tenant`: a waiting job is removed and answered cancelled; a running one gets
   * the flag and the message, and the answer is its state once it ended (or after `waitMs`).
   * @returns undefined when unknown. @throws ServiceError SNIP6021 (409) when it already ended.
   */
  async cancel(tenant: string, id: string, waitMs = 10_000): Promise<RunView | undefined> {
    if (!RUN_ID.test(id)) return undefined;
    try {
      return await this.cancelJob(tenant, id, waitMs);
    } catch (e) {
      if (e instanceof ServiceError) throw e;
      throw unavailable();
    }
  }

  /**
   * A job and its state, the state read first: a job read before it finished and a state read after
   * would show a finished run without its result. Read this way, a finished state comes with it.
   */
  private async read(id: string): Promise<{ job: Job<RunJobData, RunView> | undefined; state: string }> {
    const state = await this.queue.getJobState(id);
    const job = state === 'unknown' ? undefined : await this.queue.getJob(id);
    return { job, state };
  }

  private async cancelJob(tenant: string, id: string, waitMs: number): Promise<RunView | undefined> {
    const { job, state } = await this.read(id);
    if (!job || job.data.tenant !== tenant) return this.view(tenant, id);
    if (state === 'completed' || state === 'failed') {
      const v = viewOf(job, state);
      throw new ServiceError(409, 'SNIP6021', `the run already ended (${v.status})`);
    }
    const reason = 'the run was cancelled';
    await this.redis.set(this.cancelKey(id), reason, 'PX', Math.max(60_000, this.ctx.config.runs.maxAgeMs));
    if (state !== 'active') {
      const removed = await job.remove().then(() => true, () => false);
      if (removed) {
        const view: RunView = {
          ...viewOf(job, 'waiting'),
          status: 'cancelled',
          finishedAt: new Date().toISOString(),
          error: { code: 'SNIP6023', message: 'the run was cancelled before it started' },
        };
        await this.redis.set(this.cancelledKey(id), JSON.stringify({ ...view, tenant }), 'PX', this.ctx.config.runs.maxAgeMs);
        await this.finished(view, tenant);
        return view;
      }
    }
    await this.redis.publish(this.cancelChannel, id);
    const until = Date.now() + waitMs;
    for (;;) {
      const v = await this.view(tenant, id);
      if (!v || v.status === 'completed' || v.status === 'failed' || v.status === 'cancelled' || Date.now() > until) return v;
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** A cancel message: aborts the job when this worker runs it (others ignore it). */
  cancelLocal(id: string): void {
    this.worker?.cancelJob(id, 'the run was cancelled');
  }

  /** Jobs waiting (for readiness and metrics). */
  async depth(): Promise<number> {
    return this.queue.getWaitingCount();
  }

  /**
   * Stops taking jobs and lets running ones finish within `drainMs`; past that they are aborted
   * (their jobs end cancelled). Then closes the queue's connections.
   */
  async close(drainMs: number): Promise<void> {
    const w = this.worker;
    if (w) {
      const closed = w.close();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise((r) => (timer = setTimeout(r, drainMs)))]);
      clearTimeout(timer);
      w.cancelAllJobs('the service shut down before the run finished');
      await closed.catch(() => undefined);
    }
    await this.queue.close().catch(() => undefined);
  }

  private async process(job: Job<RunJobData, RunView>, signal?: AbortSignal): Promise<RunView> {
    const d = job.data;
    const base: RunView = { id: d.id, script: d.script, status: 'running', requestId: d.requestId, createdAt: d.createdAt };
    const done = async (v: RunView) => {
      const view = { ...v, finishedAt: new Date().toISOString() };
      await this.finished(view, d.tenant);
      this.ctx.log?.info({ runId: d.id, tenant: d.tenant, script: d.script, status: view.status, code: view.error?.code, reqId: d.requestId, attempt: job.attemptsStarted }, 'run finished');
      return view;
    };
    const tenant = this.ctx.tenants.get(d.tenant);
    if (!tenant) return done({ ...base, status: 'failed', error: { code: 'SNIP6053', message: `this worker has no tenant '${d.tenant}'` } });
    // A cancel that came before this worker took the job (the flag outlives the message).
    if (await this.redis.get(this.cancelKey(d.id)).catch(() => null)) {
      return done({ ...base, status: 'cancelled', error: { code: 'SNIP6023', message: 'the run was cancelled' } });
    }
    const controller = new AbortController();
    const onAbort = () => controller.abort(new ServiceError(409, 'SNIP6023', 'the run was cancelled'));
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const script = await tenant.scripts.get(d.script);
      const r = await this.ctx.executor.execute({ tenant, script, inputs: d.inputs, traceLevel: d.traceLevel, requestId: d.requestId, signal: controller.signal });
      const view: RunView = { ...base, status: r.status, outputs: r.outputs };
      if (r.error) view.error = r.error;
      if (r.status === 'cancelled') view.error = { code: 'SNIP6023', message: signal?.reason === 'the service shut down before the run finished' ? signal.reason : 'the run was cancelled' };
      if (r.trace) view.trace = r.trace;
      return done(view);
    } catch (e) {
      const err = e instanceof ServiceError ? e : new ServiceError(500, 'SNIP6019', 'internal error while running the script');
      return done({ ...base, status: err.code === 'SNIP6023' ? 'cancelled' : 'failed', error: { code: err.code, message: maskCredentials(err.message) } });
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private async finished(view: RunView, tenant: string): Promise<void> {
    try {
      await this.onRunFinished?.(view, tenant);
    } catch (e) {
      this.ctx.log?.error({ runId: view.id, err: { message: maskCredentials((e as Error).message) } }, 'onRunFinished failed');
    }
  }
}

function unavailable(): ServiceError {
  return new ServiceError(503, 'SNIP6050', 'the run queue (Redis) is unreachable; try again shortly', { 'retry-after': '2' });
}

/** The API view of a job in `state`. */
export function viewOf(job: Job<RunJobData, RunView>, state: string): RunView {
  const d = job.data;
  const base: RunView = { id: d.id, script: d.script, status: 'queued', requestId: d.requestId, createdAt: d.createdAt };
  if (state === 'completed') {
    return job.returnvalue ?? { ...base, status: 'failed', error: { code: 'SNIP6053', message: 'the run queue holds no result for the run' } };
  }
  if (state === 'failed') return viewOfFailed(job);
  if (state === 'active') return { ...base, status: 'running' };
  return base;
}

/** A failed job: lost with its worker (SNIP6052) or failed inside the queue (SNIP6053). */
function viewOfFailed(job: Job<RunJobData, RunView>): RunView {
  const d = job.data;
  const lost = job.failedReason === STALLED_REASON || /stalled/i.test(job.failedReason ?? '');
  return {
    id: d.id,
    script: d.script,
    status: 'failed',
    requestId: d.requestId,
    createdAt: d.createdAt,
    finishedAt: new Date(job.finishedOn ?? Date.now()).toISOString(),
    error: lost
      ? { code: 'SNIP6052', message: 'the worker running the run stopped (killed or lost) and the run was not finished by another worker' }
      : { code: 'SNIP6053', message: `the run queue failed the run: ${maskCredentials(job.failedReason ?? 'unknown reason')}` },
  };
}

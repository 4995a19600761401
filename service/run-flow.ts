// Starting a run as the API sees it: a record in the registry, then the executor. Shared by the
// runs routes and the script-backed routes. A sync caller awaits `record.done`; the sync deadline
// and a vanished client abort the run through its controller.
import type { FastifyBaseLogger, FastifyReply } from 'fastify';
import type { TraceLevel } from '../runtime/trace/events.js';
import type { ServiceContext } from './context.js';
import { ServiceError } from './errors.js';
import type { RunRecord } from './run-registry.js';
import type { LoadedScript } from './script-registry.js';
import type { Tenant } from './tenants.js';

const INFO_OR_LOWER = new Set(['trace', 'debug', 'info']);

/** Whether `log` writes info lines: a per-request line builds its object only then (pino alone builds it anyway). */
export function infoEnabled(log: FastifyBaseLogger | undefined): log is FastifyBaseLogger {
  return log !== undefined && INFO_OR_LOWER.has(log.level);
}

export interface StartRun {
  tenant: Tenant;
  script: LoadedScript;
  inputs: Record<string, unknown>;
  traceLevel: TraceLevel;
  requestId: string;
  /** The caller waits for the outcome (a sync run or a script route): no accepted record is archived. */
  sync?: boolean;
}

/**
 * Registers and starts a run. `record.done` settles when it ended; a refusal (429) or a cancel
 * while queued settles it with the record's `rejection` set.
 */
export function startRun(ctx: ServiceContext, s: StartRun): RunRecord & { rejection?: ServiceError } {
  return ctx.runs.create(s.tenant.name, s.script.name, s.requestId, async (record) => {
    const rec = record as RunRecord & { rejection?: ServiceError };
    try {
      const r = await ctx.executor.execute({
        tenant: s.tenant,
        script: s.script,
        inputs: s.inputs,
        traceLevel: s.traceLevel,
        requestId: s.requestId,
        signal: record.controller.signal,
        onStart: () => {
          record.view.status = 'running';
        },
      });
      record.view.status = r.status;
      record.view.outputs = r.outputs;
      if (r.error) record.view.error = r.error;
      const reason: unknown = record.controller.signal.reason;
      if (r.status === 'cancelled' && reason instanceof ServiceError) record.view.error = { code: reason.code, message: reason.message };
      if (r.trace) record.view.trace = r.trace;
    } catch (e) {
      record.view.status = 'failed';
      const err = e instanceof ServiceError ? e : new ServiceError(500, 'SNIP6019', 'internal error while running the script');
      rec.rejection = err;
      record.view.error = { code: err.code, message: err.message };
      if (err.code === 'SNIP6023') record.view.status = 'cancelled';
    } finally {
      record.view.finishedAt = new Date().toISOString();
      // The line's object is built only when a line will be written.
      if (infoEnabled(ctx.log)) ctx.log.info(
        { runId: record.view.id, tenant: s.tenant.name, script: s.script.name, status: record.view.status, code: record.view.error?.code, reqId: s.requestId },
        'run finished',
      );
    }
  }, !s.sync);
}

/**
 * Awaits a sync run answering `reply`: a client that goes away cancels it (SNIP6023), and the sync
 * deadline aborts it (SNIP6018). Throws the run's rejection (429 and the like) when it has one.
 */
export async function awaitSyncRun(record: RunRecord & { rejection?: ServiceError }, reply: FastifyReply, deadlineMs: number): Promise<void> {
  const onClose = () => {
    if (!reply.raw.writableFinished) record.controller.abort(new ServiceError(499, 'SNIP6023', 'the client closed the request'));
  };
  reply.raw.once('close', onClose);
  try {
    await awaitWithDeadline(record, deadlineMs);
  } finally {
    reply.raw.off('close', onClose);
  }
  if (record.rejection) throw record.rejection;
}

/** Awaits a run with a deadline; aborts it (SNIP6018) when the deadline passes first. */
export async function awaitWithDeadline(record: RunRecord, deadlineMs: number): Promise<void> {
  const timer = setTimeout(
    () => record.controller.abort(new ServiceError(504, 'SNIP6018', `the run passed the sync deadline of ${deadlineMs} ms`)),
    deadlineMs,
  );
  try {
    await record.done;
  } finally {
    clearTimeout(timer);
  }
}

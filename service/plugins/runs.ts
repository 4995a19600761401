// The runs API: list scripts, start a run (sync, or async with 202 + Location), read it, cancel it.
// Runs of another tenant answer 404 exactly like runs that do not exist. With Redis configured, an
// async run goes on the shared queue (any worker runs it, any worker reads or cancels it), and new
// runs are refused with 503 while Redis is down.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { TraceLevel } from '../../runtime/trace/events.js';
import type { PluginOptions } from '../context.js';
import { ServiceError } from '../errors.js';
import { ended } from '../run-registry.js';
import { awaitSyncRun, startRun } from '../run-flow.js';
import { requireRedis } from '../redis/ready.js';
import { requireScope } from './auth.js';

interface RunBody {
  inputs?: Record<string, unknown>;
  trace?: boolean | 'actions' | 'statements';
}

const RUN_BODY = {
  type: 'object',
  properties: {
    inputs: { type: 'object' },
    trace: { anyOf: [{ type: 'boolean' }, { type: 'string', enum: ['actions', 'statements'] }] },
  },
  additionalProperties: false,
} as const;

function traceLevelOf(t: RunBody['trace']): TraceLevel {
  return t === true ? 'actions' : t === 'actions' || t === 'statements' ? t : 'off';
}

export async function runsPlugin(app: FastifyInstance, { ctx }: PluginOptions): Promise<void> {
  const run = requireScope(ctx, 'run');

  app.get('/v1/scripts', { preHandler: run }, async (req) => {
    const tenant = ctx.tenants.get(req.principal!.tenant)!;
    return { scripts: await tenant.scripts.list() };
  });

  app.post<{ Params: { name: string }; Querystring: { mode?: 'sync' | 'async' }; Body: RunBody | undefined }>(
    '/v1/scripts/:name/runs',
    {
      preHandler: run,
      schema: {
        params: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
        querystring: { type: 'object', properties: { mode: { type: 'string', enum: ['sync', 'async'] } }, additionalProperties: false },
        body: RUN_BODY,
      },
    },
    async (req, reply) => {
      const tenant = ctx.tenants.get(req.principal!.tenant)!;
      const script = await tenant.scripts.get(req.params.name);
      const body = req.body ?? {};
      requireRedis(ctx);
      const queue = ctx.redis?.queue;
      if (queue && req.query.mode === 'async') {
        const view = await queue.enqueue({
          id: randomUUID(),
          tenant: tenant.name,
          script: script.name,
          inputs: body.inputs ?? {},
          traceLevel: traceLevelOf(body.trace),
          requestId: req.id,
          createdAt: new Date().toISOString(),
        });
        return reply.code(202).header('location', `/v1/runs/${view.id}`).send(view);
      }
      const sync = req.query.mode !== 'async';
      const record = startRun(ctx, { tenant, script, inputs: body.inputs ?? {}, traceLevel: traceLevelOf(body.trace), requestId: req.id, sync });
      if (!sync) {
        // A refusal (queue full) is known at once; an accepted run answers 202.
        await Promise.race([record.done, new Promise((r) => setImmediate(r))]);
        if (record.rejection?.status === 429) throw record.rejection;
        return reply.code(202).header('location', `/v1/runs/${record.view.id}`).send(record.view);
      }
      await awaitSyncRun(record, reply, ctx.config.limits.syncDeadlineMs);
      return record.view;
    },
  );

  app.get<{ Params: { id: string } }>('/v1/runs/:id', { preHandler: run }, async (req) => {
    // A run of this worker, else one another worker finished (kept in the database), else one on the
    // shared queue (any worker, Redis).
    const view = (await ctx.runs.find(req.principal!.tenant, req.params.id)) ?? (await ctx.redis?.queue.view(req.principal!.tenant, req.params.id));
    if (!view) throw new ServiceError(404, 'SNIP6010', 'no such run');
    return view;
  });

  app.delete<{ Params: { id: string } }>('/v1/runs/:id', { preHandler: run }, async (req) => {
    const record = ctx.runs.get(req.principal!.tenant, req.params.id);
    if (!record) {
      const queued = await ctx.redis?.queue.cancel(req.principal!.tenant, req.params.id);
      if (!queued) throw new ServiceError(404, 'SNIP6010', 'no such run');
      return queued;
    }
    if (ended(record.view.status)) throw new ServiceError(409, 'SNIP6021', `the run already ended (${record.view.status})`);
    record.controller.abort(new ServiceError(409, 'SNIP6023', 'the run was cancelled'));
    await record.done;
    return record.view;
  });
}

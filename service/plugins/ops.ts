// Operations: liveness, readiness (503 while draining) and Prometheus metrics. Unauthenticated,
// like most scrapers expect; they show counts and names, never values.
import type { FastifyInstance } from 'fastify';
import type { PluginOptions } from '../context.js';

export async function opsPlugin(app: FastifyInstance, { ctx }: PluginOptions): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    if (ctx.draining) return reply.code(503).send({ status: 'draining' });
    if (ctx.database && !(await ctx.database.ready())) {
      return reply.code(503).header('retry-after', '2').send({ status: 'database unavailable', code: 'SNIP6030' });
    }
    if (ctx.redis && !ctx.redis.ready()) return reply.code(503).header('retry-after', '2').send({ status: 'not ready', reason: 'redis unreachable' });
    return { status: 'ready', tenants: ctx.tenants.size, inFlight: ctx.gate.inFlight, queued: ctx.gate.queued };
  });
  app.get('/metrics', async (_req, reply) => {
    const text = await (ctx.metricsText ?? (() => ctx.metrics.registry.metrics()))();
    return reply.type(ctx.metrics.registry.contentType).send(text);
  });
}

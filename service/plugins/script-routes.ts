// Script-backed routes: each tenant's routes are mounted under `/t/{tenant}`. Path parameters, query,
// headers (without credentials) and the body become the script's inputs (`request`, and each path
// parameter by name); its outputs `statusCode`, `body` and `headers` become the response.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PluginOptions, ServiceContext } from '../context.js';
import { ServiceError } from '../errors.js';
import { loadRoutes, type ScriptRoute } from '../routes-file.js';
import { awaitSyncRun, startRun } from '../run-flow.js';
import { requireRedis } from '../redis/ready.js';
import type { Tenant } from '../tenants.js';
import { requireScope } from './auth.js';

// Never handed to a script: credentials of the caller, and hop-by-hop headers.
const HIDDEN_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization', 'connection', 'keep-alive', 'transfer-encoding']);
// Never set by a script: framing is the server's business.
const FIXED_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade']);
const OUTPUTS = new Set(['statusCode', 'body', 'headers', 'request']);

/**
 * The inputs of a route's script: `request` (method, path, params, query, headers, body, requestId)
 * and each path parameter as a variable of its own. The outputs `statusCode`, `body` and `headers`
 * start unset, so nothing of the request is answered back by accident.
 */
function inputsOf(req: FastifyRequest): Record<string, unknown> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (!HIDDEN_HEADERS.has(k) && v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  const params = { ...(req.params as Record<string, string>) };
  const inputs: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) && !OUTPUTS.has(k)) inputs[k] = v;
  inputs['request'] = {
    method: req.method,
    path: req.url.split('?')[0],
    params,
    query: { ...(req.query as object) },
    headers,
    body: req.body ?? '',
    requestId: req.id,
  };
  return inputs;
}

function respond(reply: FastifyReply, outputs: Record<string, unknown>): FastifyReply {
  const raw = outputs['statusCode'];
  const status = raw === undefined || raw === '' ? 200 : Number(raw);
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    throw new ServiceError(500, 'SNIP6022', 'the script set statusCode to something that is not an HTTP status (200..599)');
  }
  const headers = outputs['headers'];
  if (headers && typeof headers === 'object' && !Array.isArray(headers)) {
    for (const [k, v] of Object.entries(headers as Record<string, unknown>)) {
      // Studio variable names cannot hold '-': `xHYPHENrequestHYPHENid` names `x-request-id`.
      const name = k.replace(/HYPHEN/g, '-').toLowerCase();
      if (!/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(name) || FIXED_HEADERS.has(name)) continue;
      void reply.header(name, String(v).replace(/[\r\n]/g, ' '));
    }
  }
  const body = outputs['body'];
  void reply.code(status);
  if (body === undefined || body === '') return reply.send();
  if (typeof body === 'string') {
    if (!reply.hasHeader('content-type')) void reply.type('text/plain; charset=utf-8');
    return reply.send(body);
  }
  return reply.type('application/json').send(JSON.stringify(body));
}

function handler(ctx: ServiceContext, tenant: Tenant, route: ScriptRoute) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (route.auth !== 'public' && req.principal?.tenant !== tenant.name) {
      // Another tenant's token: as if the route did not exist for it.
      throw new ServiceError(404, 'SNIP6015', `no route ${req.method} ${req.url.split('?')[0]}`);
    }
    const script = await tenant.scripts.get(route.script);
    requireRedis(ctx);
    const record = startRun(ctx, { tenant, script, inputs: inputsOf(req), traceLevel: 'off', requestId: req.id, sync: true });
    await awaitSyncRun(record, reply, ctx.config.limits.syncDeadlineMs);
    if (record.view.status !== 'completed') {
      const e = record.view.error ?? { code: 'SNIP6019', message: 'the run did not complete' };
      return reply.code(500).send({ error: e });
    }
    return respond(reply, record.view.outputs ?? {});
  };
}

export async function scriptRoutesPlugin(app: FastifyInstance, { ctx }: PluginOptions): Promise<void> {
  for (const tenant of ctx.tenants.values()) {
    if (!tenant.config.routesFile) continue;
    const routes = await loadRoutes(tenant.config.routesFile);
    await app.register(
      async (scope) => {
        for (const route of routes) {
          scope.route({
            method: route.method,
            url: route.path,
            ...(route.auth !== 'public' ? { preHandler: requireScope(ctx, route.auth) } : {}),
            handler: handler(ctx, tenant, route),
          });
        }
      },
      { prefix: `/t/${tenant.name}` },
    );
  }
}

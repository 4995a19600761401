// Authentication: the OAuth 2.0 client-credentials token endpoint `POST /1.0/token` (credentials as
// form fields, JSON fields or HTTP Basic; rate-limited per client and per address) and the bearer
// check every other protected route runs as a preHandler.
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { SCOPES, type Scope } from '../client-store.js';
import type { PluginOptions, ServiceContext } from '../context.js';
import { ServiceError, unauthorized } from '../errors.js';
import type { Principal } from '../token-store.js';

function credentialsOf(req: FastifyRequest, body: Record<string, unknown>): { id?: string; secret?: string } {
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(req.headers.authorization ?? '');
  if (basic) {
    const text = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const i = text.indexOf(':');
    if (i > 0) {
      // RFC 6749 2.3.1: Basic credentials are form-urlencoded before base64.
      const decode = (s: string) => {
        try {
          return decodeURIComponent(s.replace(/\+/g, ' '));
        } catch {
          return s;
        }
      };
      return { id: decode(text.slice(0, i)), secret: decode(text.slice(i + 1)) };
    }
  }
  const id = typeof body['client_id'] === 'string' ? body['client_id'] : undefined;
  const secret = typeof body['client_secret'] === 'string' ? body['client_secret'] : undefined;
  return { ...(id !== undefined ? { id } : {}), ...(secret !== undefined ? { secret } : {}) };
}

function limited(ctx: ServiceContext, reason: string, retryAfter: number): ServiceError {
  ctx.metrics.tokenRejected.inc({ reason });
  return new ServiceError(429, 'SNIP6012', 'too many token requests; try again later', { 'retry-after': String(retryAfter) });
}

/** Registers `POST /1.0/token`. */
export async function authPlugin(app: FastifyInstance, { ctx }: PluginOptions): Promise<void> {
  app.post('/1.0/token', async (req, reply) => {
    const byAddress = ctx.rateLimiter.hit(`ip:${req.ip}`, ctx.config.rateLimit.perAddress);
    if (byAddress > 0) throw limited(ctx, 'address', byAddress);
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (typeof body !== 'object' || Array.isArray(body)) throw new ServiceError(400, 'SNIP6002', 'the token request must be form fields');
    const { id, secret } = credentialsOf(req, body);
    if (id !== undefined) {
      const byClient = ctx.rateLimiter.hit(`client:${id}`, ctx.config.rateLimit.perClient);
      if (byClient > 0) throw limited(ctx, 'client', byClient);
    }
    if (body['grant_type'] !== 'client_credentials') {
      ctx.metrics.tokenRejected.inc({ reason: 'grant_type' });
      throw new ServiceError(400, 'SNIP6014', 'grant_type must be client_credentials');
    }
    const client = id !== undefined && secret !== undefined ? await ctx.clients.authenticate(id, secret) : undefined;
    if (!client || !ctx.tenants.has(client.tenant)) {
      ctx.metrics.tokenRejected.inc({ reason: 'client' });
      throw new ServiceError(401, 'SNIP6013', 'unknown client or wrong secret', { 'www-authenticate': 'Basic realm="snip"' });
    }
    let scopes = client.scopes;
    if (typeof body['scope'] === 'string' && body['scope'].trim() !== '') {
      const asked = body['scope'].trim().split(/\s+/);
      const extra = asked.filter((s) => !client.scopes.includes(s as Scope));
      if (extra.length > 0) throw new ServiceError(400, 'SNIP6020', `the client may not ask for scope '${extra[0]}'`);
      scopes = asked as Scope[];
    }
    const { accessToken, expiresIn } = await ctx.tokens.issue({ clientId: client.id, tenant: client.tenant, scopes });
    ctx.metrics.tokensIssued.inc({ tenant: client.tenant });
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    return { access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn, scope: scopes.join(' ') };
  });
}

/**
 * A preHandler demanding a bearer token with `scope`; sets `request.principal`. Callback style:
 * it runs on every protected request, and an async hook costs a promise and a microtask hop each.
 */
export function requireScope(ctx: ServiceContext, scope: Scope): preHandlerHookHandler {
  if (!SCOPES.includes(scope)) throw new Error(`unknown scope ${scope}`);
  return (req: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void) => {
    const header = req.headers.authorization;
    if (header === undefined) return done(unauthorized('this route needs a bearer token from POST /1.0/token'));
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) return done(unauthorized('the Authorization header must be "Bearer TOKEN"', true));
    const found = ctx.tokens.verify(m[1]!);
    // The in-memory store answers at once; a database-backed one with a promise.
    if (found instanceof Promise) {
      found.then((p) => admit(p), done);
      return;
    }
    admit(found);
    function admit(principal: Principal | undefined): void {
      if (!principal || !ctx.tenants.has(principal.tenant)) return done(unauthorized('the bearer token is unknown or expired', true));
      if (!principal.scopes.includes(scope)) return done(new ServiceError(403, 'SNIP6007', `this route needs the '${scope}' scope`));
      req.principal = principal;
      done();
    }
  };
}

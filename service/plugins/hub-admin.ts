// The hub admin API of a tenant (scope `admin`): templates (create and read; immutable), connections,
// secrets (write-only: PUT sets a value, GET lists names and fingerprints) and requests. Everything
// goes through the tenant's HubStore, which enforces the same rules as `snip hub` (rules.ts).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Connection } from '../../runtime/hub/model.js';
import type { ConnectionPatch, NewConnection, NewRequest, NewTemplate } from '../../runtime/hub/store.js';
import type { PluginOptions } from '../context.js';
import { ServiceError } from '../errors.js';
import { requireScope } from './auth.js';

type Named = { Params: { name: string } };

/** A connection as the API shows it: the mTLS private key is never returned. */
function publicConnection(c: Connection): Omit<Connection, 'mtls'> & { mtls?: { certPem: string; keyPem: '[set]'; passphraseSecret?: string } } {
  const { mtls, ...rest } = c;
  if (!mtls) return rest;
  return { ...rest, mtls: { certPem: mtls.certPem, keyPem: '[set]', ...(mtls.passphraseSecret ? { passphraseSecret: mtls.passphraseSecret } : {}) } };
}

const OBJECT_BODY = { body: { type: 'object' } } as const;

export async function hubAdminPlugin(app: FastifyInstance, { ctx }: PluginOptions): Promise<void> {
  const admin = requireScope(ctx, 'admin');
  const store = (req: FastifyRequest) => ctx.tenants.get(req.principal!.tenant)!.store;
  // A changed or deleted connection, or a changed secret, makes its cached upstream token stale: the
  // next run authenticates again (in this process, and for every worker when the cache is in Redis).
  const forgetToken = async (req: FastifyRequest, connection: string) => {
    const tenant = ctx.tenants.get(req.principal!.tenant)!;
    await tenant.tokens.invalidate({ hub: tenant.store.id, connection });
  };

  await app.register(
    async (hub) => {
      hub.addHook('preHandler', admin);

      hub.get('/templates', async (req) => ({ templates: await store(req).listTemplates() }));
      hub.get<Named>('/templates/:name', async (req) => store(req).getTemplate(req.params.name));
      hub.post<{ Body: NewTemplate }>('/templates', { schema: OBJECT_BODY }, async (req, reply) => reply.code(201).send(await store(req).createTemplate(req.body)));
      const immutable = async () => {
        throw new ServiceError(405, 'SNIP6002', 'templates are immutable: create a new template instead');
      };
      hub.put('/templates/:name', immutable);
      hub.patch('/templates/:name', immutable);
      hub.delete('/templates/:name', immutable);

      hub.get('/connections', async (req) => ({ connections: (await store(req).listConnections()).map(publicConnection) }));
      hub.get<Named>('/connections/:name', async (req) => publicConnection(await store(req).getConnection(req.params.name)));
      hub.post<{ Body: NewConnection }>('/connections', { schema: OBJECT_BODY }, async (req, reply) =>
        reply.code(201).send(publicConnection(await store(req).createConnection(req.body))),
      );
      hub.patch<Named & { Body: ConnectionPatch }>('/connections/:name', { schema: OBJECT_BODY }, async (req) => {
        const updated = await store(req).updateConnection(req.params.name, req.body);
        await forgetToken(req, req.params.name);
        return publicConnection(updated);
      });
      hub.delete<Named>('/connections/:name', async (req, reply) => {
        await store(req).deleteConnection(req.params.name);
        await forgetToken(req, req.params.name);
        return reply.code(204).send();
      });

      hub.get<Named>('/connections/:name/secrets', async (req) => ({ secrets: await store(req).listSecrets(req.params.name) }));
      hub.put<{ Params: { name: string; secret: string }; Body: { value: string } }>(
        '/connections/:name/secrets/:secret',
        { schema: { body: { type: 'object', properties: { value: { type: 'string', minLength: 1 } }, required: ['value'], additionalProperties: false } } },
        async (req) => {
          const info = await store(req).setSecret(req.params.name, req.params.secret, req.body.value);
          await forgetToken(req, req.params.name);
          return info;
        },
      );
      hub.delete<{ Params: { name: string; secret: string } }>('/connections/:name/secrets/:secret', async (req, reply) => {
        await store(req).deleteSecret(req.params.name, req.params.secret);
        await forgetToken(req, req.params.name);
        return reply.code(204).send();
      });

      hub.get<Named>('/connections/:name/requests', async (req) => ({ requests: await store(req).listRequests(req.params.name) }));
      hub.post<Named & { Body: NewRequest }>('/connections/:name/requests', { schema: OBJECT_BODY }, async (req, reply) =>
        reply.code(201).send(await store(req).addRequest(req.params.name, req.body)),
      );
      hub.get<{ Params: { name: string; request: string } }>('/connections/:name/requests/:request', async (req) =>
        store(req).getRequest(req.params.name, req.params.request),
      );
      hub.delete<{ Params: { name: string; request: string } }>('/connections/:name/requests/:request', async (req, reply) => {
        await store(req).deleteRequest(req.params.name, req.params.request);
        return reply.code(204).send();
      });
    },
    { prefix: '/v1/hub' },
  );
}

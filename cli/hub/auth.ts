// `snip hub auth set|test`: a connection's authentication details, and one authentication sent for
// real (the HTTP layer is loaded only here, so the other hub commands never pay for it).
import { EXIT, UsageError, type CliIO } from '../io.js';
import type { AuthDetails } from '../../runtime/hub/model.js';
import type { ConnectionPatch } from '../../runtime/hub/store.js';
import { clientCertificate } from './connections.js';
import { guarded, open, pairs, print, required, str, takePositionals, type HubContext } from './context.js';

const SET = {
  url: { type: 'string' },
  method: { type: 'string' },
  header: { type: 'string', multiple: true },
  query: { type: 'string', multiple: true },
  'media-type': { type: 'string' },
  body: { type: 'string' },
  'token-field': { type: 'string' },
  'client-cert': { type: 'string' },
  'client-key': { type: 'string' },
  'passphrase-secret': { type: 'string' },
  'no-client-cert': { type: 'boolean' },
} as const;

/** Runs `snip hub auth <action> ...`. */
export async function runAuth(action: string | undefined, args: string[], io: CliIO): Promise<number> {
  const ctx = open(args, io, action === 'set' ? SET : {});
  return guarded(ctx, async () => {
    switch (action) {
      case 'set':
        return set(ctx);
      case 'test': {
        const [conn] = takePositionals(ctx, ['CONN']);
        return probe(ctx, conn!, undefined);
      }
      default:
        throw new UsageError(action ? `unknown auth action '${action}' (set, test)` : 'missing auth action (set, test)');
    }
  });
}

async function set(ctx: HubContext): Promise<number> {
  const [conn] = takePositionals(ctx, ['CONN']);
  const auth: AuthDetails = { url: required(ctx, 'url'), method: required(ctx, 'method').toUpperCase(), headers: pairs(ctx, 'header'), query: pairs(ctx, 'query') };
  if (str(ctx, 'media-type') !== undefined) auth.mediaType = str(ctx, 'media-type')!;
  if (str(ctx, 'body') !== undefined) auth.body = str(ctx, 'body')!;
  if (str(ctx, 'token-field') !== undefined) auth.tokenField = str(ctx, 'token-field')!;
  const patch: ConnectionPatch = { auth };
  const mtls = await clientCertificate(ctx);
  if (mtls !== undefined) patch.mtls = mtls;
  const c = await ctx.store.updateConnection(conn!, patch);
  print(ctx, c, `set authentication of "${c.name}": ${auth.method} ${auth.url}${c.mtls ? ' with a client certificate' : ''} (status ${c.status})`);
  return EXIT.ok;
}

/**
 * Sends the authentication (`request` undefined) or a manual request once through the HTTP layer,
 * marks the connection authorized after a successful authentication, and prints the masked result.
 */
export async function probe(ctx: HubContext, conn: string, request: string | undefined): Promise<number> {
  const [{ testAuthentication, testManualRequest, formatProbe }, { HubSession }, { storeSource }] = await Promise.all([
    import('../../runtime/hub/probe.js'),
    import('../../runtime/hub/send.js'),
    import('../../runtime/hub/connection-view.js'),
  ]);
  await ctx.store.getConnection(conn);
  const authorized: Promise<unknown>[] = [];
  const session = new HubSession({ onAuthorized: (c) => void authorized.push(ctx.store.markAuthorized(c.name)) });
  try {
    const source = storeSource(ctx.store);
    const result = request === undefined ? await testAuthentication(source, conn, session) : await testManualRequest(source, conn, request, session);
    await Promise.all(authorized);
    if (ctx.json) ctx.io.stdout(JSON.stringify(result, null, 2) + '\n');
    else ctx.io.stdout(formatProbe(result));
    return result.ok ? EXIT.ok : EXIT.failure;
  } finally {
    await session.close();
  }
}

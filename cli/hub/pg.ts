// A tenant's hub in PostgreSQL for the `snip hub` nouns (--database/--tenant): connects, checks the
// schema, and hands out a PgHubStore keyed by the hub folder's .hubkey (or SNIP_HUB_KEY), exactly as
// the service's tenant config does. The pg driver is loaded only here, only when asked for.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { SnipError } from '../../runtime/errors.js';
import type { CliIO } from '../io.js';
import type { PgHubStore } from '../../service/pg/hub-store.js';
import type { Database } from '../../service/pg/database.js';

/** An open connection to a tenant's hub; `close` ends the pool (the process can then exit). */
export interface PgHub {
  store: PgHubStore;
  tenant: string;
  close(): Promise<void>;
}

/**
 * Opens the database at `sel.url` and the hub of `sel.tenant`.
 * @throws SnipError SNIP6030 (unreachable), SNIP6031 (not migrated), SNIP6032, SNIP4065 (refused)
 */
export async function openPgHub(sel: { url: string; tenant: string }, key: { file: string; shown: string }, io: CliIO): Promise<PgHub> {
  // The key file is created on first use like in a hub folder, but its folder must be there: a
  // typo in --hub would otherwise make a second key the service never reads.
  if (!io.env.SNIP_HUB_KEY && !existsSync(dirname(key.file))) {
    throw new SnipError(
      'SNIP4066',
      `the hub key of tenant ${sel.tenant} comes from ${key.shown}, and that folder does not exist: point --hub (or SNIP_HUB) at the hub folder the service's tenant config names, or set SNIP_HUB_KEY`,
    );
  }
  const db = await connectHubDatabase(sel.url);
  const { PgHubStore } = await import('../../service/pg/index.js');
  const store = new PgHubStore({
    db,
    tenant: sel.tenant,
    keyFile: key.file,
    keyShown: key.shown,
    env: io.env,
    notice: (t) => io.stderr(t + '\n'),
  });
  return { store, tenant: sel.tenant, close: () => db.close() };
}

/**
 * A pool for one CLI command on the database at `url`, its schema checked (the pool is closed again
 * when the check fails).
 * @throws ServiceError SNIP6030 (unreachable), SNIP6031 (not migrated), SNIP6032 (newer schema)
 */
export async function connectHubDatabase(url: string): Promise<Database> {
  const { Database, checkSchema } = await import('../../service/pg/index.js');
  // One connection is enough for a CLI command; a short connect timeout for a down server.
  const db = new Database({ url, max: 2, connectTimeoutMs: 5000 });
  try {
    await checkSchema(db);
  } catch (e) {
    await db.close().catch(() => undefined);
    throw e;
  }
  return db;
}

// Network failures below the pool's own translation, and server-side refusals (bad password, no
// such database, permission denied) carry a code; the message never holds the URL (describeDbError).
const NETWORK = /^E[A-Z]+$/;

/** A raw driver/server error as SNIP4065 (code and safe message only), or undefined for anything else. */
export function pgFailure(e: unknown): SnipError | undefined {
  const err = e as { code?: unknown; message?: unknown; severity?: unknown; path?: unknown };
  if (!(e instanceof Error) || typeof err.code !== 'string') return undefined;
  const fromServer = typeof err.severity === 'string';
  if (!fromServer && !(NETWORK.test(err.code) && err.path === undefined)) return undefined;
  const msg = String(err.message).replace(/postgres(ql)?:\/\/\S+/g, 'postgres://***');
  return new SnipError('SNIP4065', `the database refused the command (${err.code}: ${msg}); nothing was changed`);
}

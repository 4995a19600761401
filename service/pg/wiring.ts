// Opens the service's PostgreSQL side: the pool, the schema check (a database not migrated, or
// migrated by a newer snip, stops the start with SNIP6031 / SNIP6032), and the PostgreSQL clients,
// tokens and run records. Kept apart from app.ts so the embedded default does not change.
import type { ServiceConfig } from '../config.js';
import { PgClientStore } from './client-store.js';
import { Database } from './database.js';
import { checkSchema } from './migrations.js';
import { PgRunArchive } from './run-archive.js';
import { PgTokenStore } from './token-store.js';

/** The service's database parts. */
export interface PgParts {
  db: Database;
  clients: PgClientStore;
  tokens: PgTokenStore;
  runs: PgRunArchive;
}

/**
 * Connects and checks the schema; the pool is closed again when the check fails.
 * @throws ServiceError SNIP6030 (unreachable), SNIP6031 (not migrated), SNIP6032 (newer schema).
 */
export async function openDatabase(config: ServiceConfig, onError: (message: string) => void): Promise<PgParts> {
  const url = config.database!.url;
  const db = new Database({ url, ...(config.database!.poolSize ? { max: config.database!.poolSize } : {}), onError });
  try {
    await checkSchema(db);
  } catch (e) {
    await db.close().catch(() => undefined);
    throw e;
  }
  return {
    db,
    clients: new PgClientStore(db),
    tokens: new PgTokenStore(db, config.tokenLifetimeSeconds),
    runs: new PgRunArchive(db, config.runs.maxAgeMs),
  };
}

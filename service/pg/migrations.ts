// Versioned SQL migrations of the service database. The ordered list below is the schema history:
// a migration is never edited once released, a change is a new entry. `migrate` applies the
// missing ones in one transaction under an advisory lock (two workers migrating at once: one waits,
// then finds nothing to do); `checkSchema` is what the service runs at start: it refuses a database
// that is not migrated yet, or one migrated by a newer snip than this one.
import { ServiceError } from '../errors.js';
import type { Database, Queryable } from './database.js';

/** One step of the schema history. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

// Any fixed number: it only has to be the same for every snip process migrating this database.
const LOCK_KEY = 0x5e1b_0014;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'hub, clients, tokens, runs',
    sql: `
      CREATE TABLE hubs (
        tenant text PRIMARY KEY,
        -- Bumped by every write to the tenant's hub: readers compare it to know their cache is current.
        version bigint NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE hub_templates (
        tenant text NOT NULL REFERENCES hubs (tenant) ON DELETE CASCADE,
        name text NOT NULL,
        body jsonb NOT NULL,
        PRIMARY KEY (tenant, name)
      );
      CREATE TABLE hub_connections (
        tenant text NOT NULL REFERENCES hubs (tenant) ON DELETE CASCADE,
        name text NOT NULL,
        version integer NOT NULL DEFAULT 1,
        -- The connection without its secret names (those are the rows of hub_secrets).
        body jsonb NOT NULL,
        PRIMARY KEY (tenant, name)
      );
      CREATE TABLE hub_secrets (
        tenant text NOT NULL,
        connection text NOT NULL,
        name text NOT NULL,
        -- The same AES-256-GCM envelope as a file hub's secrets file (key id, iv, tag, data); never a value.
        record jsonb NOT NULL,
        PRIMARY KEY (tenant, connection, name),
        FOREIGN KEY (tenant, connection) REFERENCES hub_connections (tenant, name) ON DELETE CASCADE
      );
      CREATE TABLE hub_authorizations (
        tenant text NOT NULL,
        connection text NOT NULL,
        authorized_at text NOT NULL,
        settings text NOT NULL,
        PRIMARY KEY (tenant, connection),
        FOREIGN KEY (tenant, connection) REFERENCES hub_connections (tenant, name) ON DELETE CASCADE
      );
      CREATE TABLE service_clients (
        id text PRIMARY KEY,
        tenant text NOT NULL,
        scopes text[] NOT NULL,
        secret_hash text NOT NULL,
        created_at text NOT NULL
      );
      CREATE TABLE access_tokens (
        hash text PRIMARY KEY,
        client_id text NOT NULL REFERENCES service_clients (id) ON DELETE CASCADE,
        tenant text NOT NULL,
        scopes text[] NOT NULL,
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX access_tokens_expiry ON access_tokens (expires_at);
      CREATE TABLE runs (
        id uuid PRIMARY KEY,
        tenant text NOT NULL,
        script text NOT NULL,
        status text NOT NULL,
        view jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        finished_at timestamptz
      );
      CREATE INDEX runs_by_age ON runs (created_at);
    `,
  },
];

/** The newest schema version this code knows. */
export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

async function appliedVersion(q: Queryable): Promise<number | undefined> {
  const exists = await q.query<{ t: string | null }>(`SELECT to_regclass('schema_migrations')::text AS t`);
  if (!exists.rows[0]?.t) return undefined;
  const r = await q.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
  return r.rows[0]?.v ?? 0;
}

function newerSchema(found: number): ServiceError {
  return new ServiceError(
    500,
    'SNIP6032',
    `the database schema is at version ${found}, newer than this snip knows (${LATEST_VERSION}); run the snip version that migrated it, or a newer one`,
  );
}

/**
 * Applies the migrations the database lacks, all in one transaction under an advisory lock.
 * Returns the versions applied (empty when it was current).
 * @throws ServiceError SNIP6032 when the database is newer than this code; SNIP6030 when unreachable.
 */
export async function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  return db.tx(async (c) => {
    await c.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    await c.query(CREATE_TABLE);
    const current = (await appliedVersion(c)) ?? 0;
    const latest = migrations[migrations.length - 1]?.version ?? 0;
    if (current > latest) throw newerSchema(current);
    const applied: number[] = [];
    for (const m of migrations) {
      if (m.version <= current) continue;
      await c.query(m.sql);
      await c.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    return applied;
  });
}

/**
 * The start-up check: the schema must be exactly the version this code knows.
 * @throws ServiceError SNIP6031 (not migrated: run `snip serve migrate`), SNIP6032 (newer), SNIP6030.
 */
export async function checkSchema(db: Database): Promise<void> {
  const found = await appliedVersion(db);
  if (found === undefined || found < LATEST_VERSION) {
    throw new ServiceError(
      500,
      'SNIP6031',
      `the database schema is ${found === undefined ? 'not created' : `at version ${found}`}, this snip needs version ${LATEST_VERSION}: run 'snip serve migrate' first`,
    );
  }
  if (found > LATEST_VERSION) throw newerSchema(found);
}

// Shared set-up of the PostgreSQL service suites: the service fixture's files (two tenants, scripts,
// file hubs seeded with real upstream credentials for a local demo API), a migrated database on a
// private server, and both tenants' hubs moved into it with the bundle code of `snip hub export`.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileHubStore } from '../../runtime/hub/file-store.js';
import { readFileBundle } from '../../cli/hub/bundle.js';
import { Database } from '../../service/pg/database.js';
import { PgHubStore } from '../../service/pg/hub-store.js';
import { migrate } from '../../service/pg/migrations.js';
import { startDemoApi, type DemoApi } from '../../samples/demo-api/index.js';
import { UPSTREAM, writeFixtureFiles } from '../service/fixture.js';
import type { ServiceConfigInput } from '../../service/config.js';
import type { PgServer } from '../helpers/pg-server.js';

export interface PgFixture {
  dir: string;
  api: DemoApi;
  dbUrl: string;
  configFile: string;
  db: Database;
}

/** Files, a migrated database `name` on `server`, and both hubs imported into it. */
export async function pgFixture(server: PgServer, name: string, extra: Partial<ServiceConfigInput> = {}): Promise<PgFixture> {
  const dir = mkdtempSync(path.join(tmpdir(), 'snip-pg-serve-'));
  const api = await startDemoApi({ credentials: { clients: { [UPSTREAM.acme.id]: UPSTREAM.acme.secret, [UPSTREAM.globex.id]: UPSTREAM.globex.secret } } });
  const dbUrl = await server.createDatabase(name);
  const configFile = await writeFixtureFiles(dir, api.url, { database: { url: dbUrl }, ...extra });
  const db = new Database({ url: dbUrl });
  await migrate(db);
  for (const tenant of ['acme', 'globex']) {
    const hubDir = path.join(dir, tenant, 'hub');
    const bundle = await readFileBundle(new FileHubStore({ dir: hubDir }));
    await new PgHubStore({ db, tenant, keyFile: path.join(hubDir, '.hubkey') }).importBundle(bundle);
  }
  return { dir, api, dbUrl, configFile, db };
}

/** Every row of every table of the public schema, as text (for leak searches). */
export async function dumpAll(d: Database): Promise<string> {
  const tables = await d.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
  let out = '';
  for (const { t } of tables.rows) {
    const rows = await d.query(`SELECT * FROM "${t}"`);
    out += `${t}\n${rows.rows.map((r) => JSON.stringify(r)).join('\n')}\n`;
  }
  return out;
}

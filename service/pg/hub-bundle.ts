// A hub's whole content as one value (templates, connections as stored, secrets as their encrypted
// records): what `snip hub export` / `import` move between a hub folder, a bundle file and a
// tenant's rows. `checkBundle` holds every hub rule, so nothing is written from a bundle that breaks one.
import { SnipError } from '../../runtime/errors.js';
import { problemsError } from '../../runtime/hub/file-format.js';
import type { Connection, Template } from '../../runtime/hub/model.js';
import { validateConnection, validateTemplate } from '../../runtime/hub/rules.js';
import type { SecretRecord } from '../../runtime/hub/secret-box.js';
import type { Database, Queryable } from './database.js';
import { CONNECTION_SELECT, byName, stored, type ConnRow } from './hub-rows.js';

/** A hub as stored: what export and import move (secrets as envelopes only, never values). */
export interface HubBundle {
  format: 1;
  templates: Template[];
  /** Connections as stored (`secrets` lists names; recorded authorizations are not moved). */
  connections: Connection[];
  /** Encrypted records per connection name. */
  secrets: Record<string, SecretRecord[]>;
}

/** Checks every rule of a bundle before anything is written. @throws SnipError with the rule's code */
export function checkBundle(bundle: HubBundle): void {
  const templates = new Map(bundle.templates.map((t) => [t.name, t]));
  for (const t of bundle.templates) {
    const problems = validateTemplate(t);
    if (problems.length) throw problemsError(problems);
  }
  for (const c of bundle.connections) {
    const t = templates.get(c.template);
    if (!t) throw new SnipError('SNIP4002', `connection "${c.name}" names template "${c.template}", which the bundle lacks`);
    const problems = validateConnection({ ...c, secrets: (bundle.secrets[c.name] ?? []).map((r) => r.name) }, t);
    if (problems.length) throw problemsError(problems);
  }
  for (const name of Object.keys(bundle.secrets)) {
    if (!bundle.connections.some((c) => c.name === name)) throw new SnipError('SNIP4002', `the bundle has secrets of "${name}", a connection it lacks`);
  }
}

/** A tenant's hub as a bundle, read in one snapshot (a repeatable-read, read-only transaction). */
export async function exportHub(db: Database, tenant: string): Promise<HubBundle> {
  return db.tx(async (q) => {
    await q.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const templates = (await q.query<{ body: Template }>('SELECT body FROM hub_templates WHERE tenant = $1', [tenant])).rows.map((x) => x.body).sort(byName);
    const rows = (await q.query<ConnRow>(CONNECTION_SELECT, [tenant])).rows;
    const secrets: Record<string, SecretRecord[]> = {};
    const records = await q.query<{ connection: string; record: SecretRecord }>('SELECT connection, record FROM hub_secrets WHERE tenant = $1 ORDER BY connection, name', [tenant]);
    for (const s of records.rows) (secrets[s.connection] ??= []).push(s.record);
    return { format: 1, templates, connections: rows.map((row) => ({ ...row.body, secrets: row.secrets })).sort(byName), secrets };
  });
}

/**
 * Writes a checked bundle as `tenant`'s hub inside the caller's write transaction (PgHubStore's,
 * which bumped the hub version).
 * @throws SnipError SNIP4051 when the tenant already has a hub and `replace` is not set.
 */
export async function importHub(q: Queryable, tenant: string, bundle: HubBundle, replace: boolean): Promise<void> {
  const had = await q.query('SELECT 1 FROM hub_templates WHERE tenant = $1 UNION ALL SELECT 1 FROM hub_connections WHERE tenant = $1 LIMIT 1', [tenant]);
  if ((had.rowCount ?? 0) > 0) {
    if (!replace) throw new SnipError('SNIP4051', `tenant "${tenant}" already has a hub in the database; pass --replace to overwrite it`);
    await q.query('DELETE FROM hub_connections WHERE tenant = $1', [tenant]);
    await q.query('DELETE FROM hub_templates WHERE tenant = $1', [tenant]);
  }
  for (const t of bundle.templates) await q.query('INSERT INTO hub_templates (tenant, name, body) VALUES ($1, $2, $3)', [tenant, t.name, t]);
  for (const c of bundle.connections) {
    await q.query('INSERT INTO hub_connections (tenant, name, body) VALUES ($1, $2, $3)', [tenant, c.name, stored(c)]);
    for (const r of bundle.secrets[c.name] ?? []) {
      await q.query('INSERT INTO hub_secrets (tenant, connection, name, record) VALUES ($1, $2, $3, $4)', [tenant, c.name, r.name, r]);
    }
  }
}

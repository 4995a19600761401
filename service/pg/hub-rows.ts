// How a tenant's connection is stored in PostgreSQL and read back: the one SELECT that joins a
// connection with its template, secret names and recorded authorization, and the row as the store
// shows it. Shared by the store and the bundle export.
import { emptyState, withRecordedStatus, type HubState } from '../../runtime/hub/hub-state.js';
import type { Connection, Template } from '../../runtime/hub/model.js';

/** One row of `CONNECTION_SELECT`. */
export interface ConnRow {
  name: string;
  version: number;
  body: Connection;
  template: Template | null;
  secrets: string[];
  authorized_at: string | null;
  settings: string | null;
}

/** A tenant's connections (`$1`) with template, secret names and authorization; callers may add `AND c.name = $2`. */
export const CONNECTION_SELECT = `
  SELECT c.name, c.version, c.body, t.body AS template,
    COALESCE((SELECT array_agg(s.name ORDER BY s.name) FROM hub_secrets s WHERE s.tenant = c.tenant AND s.connection = c.name), '{}') AS secrets,
    a.authorized_at, a.settings
  FROM hub_connections c
  LEFT JOIN hub_templates t ON t.tenant = c.tenant AND t.name = c.body->>'template'
  LEFT JOIN hub_authorizations a ON a.tenant = c.tenant AND a.connection = c.name
  WHERE c.tenant = $1`;

/** The file store's order: names by `localeCompare`. */
export function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name.localeCompare(b.name);
}

/** The connection as stored: secret names are rows of their own, not part of the body. */
export function stored(c: Connection): Omit<Connection, 'secrets'> & { secrets: [] } {
  return { ...c, secrets: [] };
}

/** A connection row as the store shows it: secret names filled in, recorded authorization applied. */
export function effective(row: ConnRow): Connection {
  // The file store's order (localeCompare), not the database collation's.
  const c: Connection = { ...row.body, secrets: [...row.secrets].sort((a, b) => a.localeCompare(b)) };
  if (!row.template) return structuredClone(c);
  const state: HubState = emptyState();
  if (row.authorized_at && row.settings) state.authorizations[c.name] = { authorizedAt: row.authorized_at, settings: row.settings };
  return structuredClone(withRecordedStatus(c, row.template, state));
}

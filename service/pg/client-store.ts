// The service's OAuth clients in PostgreSQL (table service_clients): the same records and scrypt
// hashes as clients.json, shared by every worker. Removing a client removes its access tokens too
// (foreign key), so every worker stops accepting them.
import { authenticateAgainst, newClient, type ClientDirectory, type ClientRecord, type Scope } from '../client-store.js';
import type { Database } from './database.js';

interface Row {
  id: string;
  tenant: string;
  scopes: Scope[];
  secret_hash: string;
  created_at: string;
}

const record = (r: Row): ClientRecord => ({ id: r.id, tenant: r.tenant, scopes: r.scopes, secretHash: r.secret_hash, createdAt: r.created_at });

export class PgClientStore implements ClientDirectory {
  constructor(private readonly db: Database) {}

  async list(): Promise<ClientRecord[]> {
    const r = await this.db.query<Row>('SELECT * FROM service_clients ORDER BY created_at, id');
    return r.rows.map(record);
  }

  async add(tenant: string, scopes: readonly string[]): Promise<{ client: ClientRecord; secret: string }> {
    const made = await newClient(tenant, scopes);
    const c = made.client;
    await this.db.query('INSERT INTO service_clients (id, tenant, scopes, secret_hash, created_at) VALUES ($1, $2, $3, $4, $5)', [c.id, c.tenant, c.scopes, c.secretHash, c.createdAt]);
    return made;
  }

  async remove(id: string): Promise<boolean> {
    const r = await this.db.query('DELETE FROM service_clients WHERE id = $1', [id]);
    return (r.rowCount ?? 0) > 0;
  }

  async authenticate(id: string, secret: string): Promise<ClientRecord | undefined> {
    const r = await this.db.query<Row>('SELECT * FROM service_clients WHERE id = $1', [id]);
    return authenticateAgainst(r.rows[0] ? record(r.rows[0]) : undefined, secret);
  }
}

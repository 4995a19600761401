// A tenant's integration hub in PostgreSQL, behind the same `HubStore` contract and rules as the
// file store (rules.ts). Secrets keep the file hub's envelope (AES-256-GCM, key id per record; the
// record's connection and name are its associated data); the key comes from the tenant's key file
// or SNIP_HUB_KEY (hub-keys.ts) and never reaches the database.
//
// Concurrency: every write is one transaction that first bumps the tenant's `hubs.version` (which
// also queues the tenant's writers on that row), then reads, checks the rules and writes. A change
// to a connection is applied on top of the current row, never over a stale copy; a writer that
// waits too long, or names a connection version that is no longer current, gets SNIP4050. Runs read
// connection, template and secrets in one statement and keep the decrypted parts in memory until
// the tenant's version moves (one cheap version query per look).
import { inspect } from 'node:util';
import type pg from 'pg';
import { SnipError } from '../../runtime/errors.js';
import { problemsError } from '../../runtime/hub/file-format.js';
import { HubKeys } from '../../runtime/hub/hub-keys.js';
import { authSettingsId } from '../../runtime/hub/hub-state.js';
import type { Connection, HubRequest, SecretInfo, Template } from '../../runtime/hub/model.js';
import { addRequestTo, newConnection, newRequest, newTemplate, patchConnection, removeRequest, requestNamed, setRequestActive } from '../../runtime/hub/records.js';
import { validateConnection, validateSecretName } from '../../runtime/hub/rules.js';
import { SecretBox, generateKey, keyIdOf, writeKeyFile, type HubKey, type SecretRecord } from '../../runtime/hub/secret-box.js';
import { SecretMap } from '../../runtime/hub/secret-map.js';
import type { ConnectionParts, ConnectionPatch, HubStore, NewConnection, NewRequest, NewTemplate } from '../../runtime/hub/store.js';
import type { Database, Queryable } from './database.js';
import { checkBundle, exportHub, importHub, type HubBundle } from './hub-bundle.js';
import { CONNECTION_SELECT, byName, effective, stored, type ConnRow } from './hub-rows.js';

export type { HubBundle };

/** Options of `PgHubStore`. */
export interface PgHubStoreOptions {
  db: Database;
  /** The hub id: the tenant's name. */
  tenant: string;
  /** The tenant's key file (absolute); `keyShown` names it in messages. */
  keyFile: string;
  keyShown?: string;
  /** Environment for SNIP_HUB_KEY (default: none). */
  env?: Record<string, string | undefined>;
  notice?: (text: string) => void;
  now?: () => Date;
  /** How long a writer waits for the tenant's other writers before SNIP4050 (default 5 s). */
  lockTimeoutMs?: number;
}

/** What `updateConnection` may also take: refuse unless the connection is still at this version. */
export interface WriteCondition {
  ifVersion?: number;
}

interface CachedParts {
  version: string;
  connection: Connection;
  template: Template;
  // Decrypted values live only here, in a private holder nothing prints (SecretMap).
  secrets: SecretMap;
}

// SQLSTATEs of a writer that lost a race: serialization failure, deadlock, lock not available.
const CONFLICT_STATES = new Set(['40001', '40P01', '55P03']);

function conflict(name: string, why: string): SnipError {
  return new SnipError('SNIP4050', `connection "${name}" ${why}; nothing was changed: read it again and retry`);
}

/** What `rotateKey` did (the same shape as the hub folder's rotation). */
export interface KeyRotation {
  keyId: string;
  previousKeyIds: string[];
  connections: number;
  secrets: number;
  /** Whether the new key was written to the key file (false: it comes from SNIP_HUB_KEY). */
  keyFile: boolean;
}

function notFound(name: string): SnipError {
  return new SnipError('SNIP4002', `no connection named "${name}"`);
}

/** A `HubStore` over PostgreSQL for one tenant; see the module comment. */
export class PgHubStore implements HubStore {
  readonly id: string;
  private readonly db: Database;
  private readonly keys: HubKeys;
  private readonly now: () => Date;
  private readonly lockTimeoutMs: number;
  readonly #parts = new Map<string, CachedParts>();
  private readonly keyFile: string;
  private readonly env: Record<string, string | undefined>;
  private versionCheck: Promise<string | undefined> | undefined;

  constructor(options: PgHubStoreOptions) {
    this.id = options.tenant;
    this.db = options.db;
    this.now = options.now ?? (() => new Date());
    this.lockTimeoutMs = options.lockTimeoutMs ?? 5000;
    this.keyFile = options.keyFile;
    this.env = options.env ?? {};
    this.keys = new HubKeys(options.keyFile, options.keyShown ?? 'the hub key file', options.env ?? {}, options.notice ?? (() => undefined));
  }

  [inspect.custom](): string {
    return `PgHubStore(${this.id})`;
  }

  toJSON(): { hub: string } {
    return { hub: this.id };
  }

  // --- templates ---------------------------------------------------------------------------

  async createTemplate(input: NewTemplate): Promise<Template> {
    const t = newTemplate(input, this.now().toISOString());
    return this.write(async (c) => {
      const r = await c.query('INSERT INTO hub_templates (tenant, name, body) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [this.id, t.name, t]);
      if (r.rowCount === 0) throw new SnipError('SNIP4004', `template "${t.name}" already exists and templates cannot change once saved; create a template with a new name`);
      return t;
    });
  }

  async getTemplate(name: string): Promise<Template> {
    const r = await this.db.query<{ body: Template }>('SELECT body FROM hub_templates WHERE tenant = $1 AND name = $2', [this.id, name]);
    if (!r.rows[0]) throw new SnipError('SNIP4002', `no template named "${name}"`);
    return r.rows[0].body;
  }

  async listTemplates(): Promise<Template[]> {
    const r = await this.db.query<{ body: Template }>('SELECT body FROM hub_templates WHERE tenant = $1', [this.id]);
    return r.rows.map((x) => x.body).sort(byName);
  }

  // --- connections -------------------------------------------------------------------------

  async createConnection(input: NewConnection): Promise<Connection> {
    return this.write(async (q) => {
      const template = await this.templateIn(q, input.template);
      const c = newConnection(input, template, this.now().toISOString());
      const r = await q.query('INSERT INTO hub_connections (tenant, name, body) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [this.id, c.name, stored(c)]);
      if (r.rowCount === 0) throw new SnipError('SNIP4003', `connection "${c.name}" already exists`);
      return c;
    });
  }

  async getConnection(name: string): Promise<Connection> {
    // A run asks for the connection after its parts: answer from them while the hub is unchanged.
    const hit = this.#parts.get(name);
    if (hit && hit.version === (await this.currentVersion())) return structuredClone(hit.connection);
    return effective(await this.connectionRow(this.db, name));
  }

  /** The connection's version: what `updateConnection(..., { ifVersion })` compares. */
  async connectionVersion(name: string): Promise<number> {
    return (await this.connectionRow(this.db, name)).version;
  }

  async listConnections(): Promise<Connection[]> {
    const r = await this.db.query<ConnRow>(CONNECTION_SELECT, [this.id]);
    return r.rows.map(effective).sort(byName);
  }

  /**
   * Changes a connection. Without a condition the change applies on top of the current row (a
   * concurrent writer's change to other fields stays); with `ifVersion` it is refused (SNIP4050)
   * unless the connection is still at that version.
   */
  async updateConnection(name: string, patch: ConnectionPatch, condition: WriteCondition = {}): Promise<Connection> {
    return this.change(
      name,
      (c, template) => patchConnection(c, template, patch),
      condition,
    );
  }

  async deleteConnection(name: string): Promise<void> {
    await this.write(async (q) => {
      const r = await q.query('DELETE FROM hub_connections WHERE tenant = $1 AND name = $2', [this.id, name]);
      if (r.rowCount === 0) throw notFound(name);
    });
  }

  async markAuthorized(name: string): Promise<Connection> {
    // Many runs authorizing at once: only the first one for these settings writes.
    const seen = await this.connectionRow(this.db, name);
    if (seen.template && seen.settings === authSettingsId(seen.body, seen.template)) return effective(seen);
    return this.write(async (q) => {
      const row = await this.connectionRow(q, name, true);
      const template = row.template ?? (await this.templateIn(q, row.body.template));
      const settings = authSettingsId(row.body, template);
      if (row.settings !== settings) {
        const at = this.now().toISOString();
        await q.query(
          `INSERT INTO hub_authorizations (tenant, connection, authorized_at, settings) VALUES ($1, $2, $3, $4)
           ON CONFLICT (tenant, connection) DO UPDATE SET authorized_at = EXCLUDED.authorized_at, settings = EXCLUDED.settings`,
          [this.id, name, at, settings],
        );
        row.authorized_at = at;
        row.settings = settings;
      }
      return effective(row);
    });
  }

  // --- requests ----------------------------------------------------------------------------

  async addRequest(connection: string, input: NewRequest): Promise<HubRequest> {
    const r = newRequest(input, this.now().toISOString());
    await this.change(connection, (c, template) => addRequestTo(c, template, r));
    return r;
  }

  async getRequest(connection: string, name: string): Promise<HubRequest> {
    return requestNamed(connection, (await this.getConnection(connection)).requests, name);
  }

  async listRequests(connection: string): Promise<HubRequest[]> {
    return (await this.getConnection(connection)).requests;
  }

  async setRequestActive(connection: string, name: string, active: boolean): Promise<HubRequest> {
    const c = await this.change(connection, (c) => setRequestActive(c, name, active, this.now().toISOString()));
    return c.requests.find((x) => x.name === name)!;
  }

  async deleteRequest(connection: string, name: string): Promise<void> {
    await this.change(connection, (c) => removeRequest(c, name));
  }

  // --- secrets -----------------------------------------------------------------------------

  async setSecret(connection: string, name: string, value: string): Promise<SecretInfo> {
    const problems = validateSecretName(connection, name);
    if (problems.length) throw problemsError(problems);
    return this.write(async (q) => {
      // The key ring is read once this writer holds the tenant's row: a rotation's last step holds
      // it too, so a value is never encrypted under a key that rotation just dropped.
      const box = await this.box(true, q);
      await this.lockConnection(q, connection);
      // Every existing record must still decrypt: writing beside unreadable ones would hide a key mix-up.
      for (const r of await this.records(q, connection)) box.decrypt(connection, r, `hub ${this.id}`);
      const record = box.encrypt(connection, name, value, this.now().toISOString());
      await q.query(
        `INSERT INTO hub_secrets (tenant, connection, name, record) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant, connection, name) DO UPDATE SET record = EXCLUDED.record`,
        [this.id, connection, name, record],
      );
      await this.touch(q, connection);
      return { name, fingerprint: record.fingerprint, changedAt: record.changedAt };
    });
  }

  async deleteSecret(connection: string, name: string): Promise<void> {
    await this.write(async (q) => {
      await this.lockConnection(q, connection);
      const r = await q.query('DELETE FROM hub_secrets WHERE tenant = $1 AND connection = $2 AND name = $3', [this.id, connection, name]);
      if (r.rowCount === 0) throw new SnipError('SNIP4008', `connection "${connection}" has no secret named "${name}"`);
      await this.touch(q, connection);
    });
  }

  async listSecrets(connection: string): Promise<SecretInfo[]> {
    await this.connectionRow(this.db, connection);
    const records = await this.records(this.db, connection);
    if (records.length > 0) {
      try {
        const box = await this.box(false);
        for (const r of records) box.decrypt(connection, r, `hub ${this.id}`);
      } catch (e) {
        if (!(e instanceof SnipError) || e.code !== 'SNIP4009' || e.message.startsWith('no hub key')) throw e;
        throw new SnipError('SNIP4009', `the hub key does not match the secrets of "${connection}": ${e.message}`);
      }
    }
    return records.map((r) => ({ name: r.name, fingerprint: r.fingerprint, changedAt: r.changedAt })).sort(byName);
  }

  async resolveSecrets(connection: string): Promise<Map<string, string>> {
    return (await this.connectionParts(connection)).secrets;
  }

  /**
   * Connection, template and decrypted secrets from one statement (one snapshot), kept until the
   * tenant's hub version moves: a run costs one version query while nothing changed.
   */
  async connectionParts(name: string): Promise<ConnectionParts> {
    const hit = this.#parts.get(name);
    if (hit && hit.version === (await this.currentVersion())) return partsOf(hit);
    const r = await this.db.query<ConnRow & { hub_version: string; records: SecretRecord[] }>(
      `SELECT h.version::text AS hub_version, x.*,
         COALESCE((SELECT json_agg(s.record ORDER BY s.name) FROM hub_secrets s WHERE s.tenant = h.tenant AND s.connection = x.name), '[]'::json) AS records
       FROM hubs h LEFT JOIN (${CONNECTION_SELECT} AND c.name = $2) x ON true
       WHERE h.tenant = $1`,
      [this.id, name],
    );
    const row = r.rows[0];
    if (!row?.name) throw notFound(name);
    if (!row.template) throw new SnipError('SNIP4002', `no template named "${row.body.template}"`);
    const secrets = new SecretMap();
    if (row.records.length > 0) {
      const box = await this.box(false);
      for (const rec of row.records) secrets.set(rec.name, box.decrypt(name, rec, `hub ${this.id}`));
    }
    const entry: CachedParts = { version: row.hub_version, connection: effective(row), template: row.template, secrets };
    this.#parts.set(name, entry);
    return partsOf(entry);
  }

  // --- key rotation ------------------------------------------------------------------------

  /**
   * Re-encrypts every secret record of the tenant under a new key. The order keeps every state a
   * crash can leave readable with the key file on disk:
   *   1. the key file becomes the ring [new, old...] (atomic rename): it reads old and new records;
   *   2. one transaction re-encrypts every record under the new key (all or nothing);
   *   3. after the commit, the key file becomes [new] (atomic rename).
   * A crash before 1 leaves the old file; between 1 and 3 a ring that reads whatever is committed;
   * after 3 the new key. Running the rotation again from any of these finishes it (the ring's old
   * keys still decrypt, everything ends under one fresh key). A failed transaction changes no
   * record and leaves the ring, which still reads them. Two rotations of one tenant never overlap:
   * a session advisory lock covers all three steps (the other gets SNIP4050).
   * With SNIP_HUB_KEY the new key must be given (`newKey`) and set in SNIP_HUB_KEY afterwards.
   */
  async rotateKey(newKey?: Buffer): Promise<KeyRotation> {
    const fromEnv = Boolean(this.env.SNIP_HUB_KEY);
    if (fromEnv && !newKey) {
      throw new SnipError('SNIP4009', 'the hub key comes from SNIP_HUB_KEY: give the new key in SNIP_HUB_NEW_KEY, then set SNIP_HUB_KEY to it');
    }
    return this.rotationLocked(async () => {
      this.keys.forget();
      const old = await this.box(true);
      const fresh: HubKey = { key: newKey ?? generateKey(), id: '' };
      fresh.id = keyIdOf(fresh.key);
      const ring = [fresh, ...old.keys.filter((k) => k.id !== fresh.id)];
      if (!fromEnv) await writeKeyFile(this.keyFile, ring);
      const box = new SecretBox(ring, old.source);
      const counts = await this.write(async (q) => {
        const rows = await q.query<{ connection: string; record: SecretRecord }>(
          'SELECT connection, record FROM hub_secrets WHERE tenant = $1 ORDER BY connection, name FOR UPDATE',
          [this.id],
        );
        for (const { connection, record } of rows.rows) {
          const next = box.encrypt(connection, record.name, box.decrypt(connection, record, `hub ${this.id}`), record.changedAt);
          await q.query('UPDATE hub_secrets SET record = $4 WHERE tenant = $1 AND connection = $2 AND name = $3', [this.id, connection, record.name, next]);
        }
        const n = await q.query<{ n: string }>('SELECT count(*)::text AS n FROM hub_connections WHERE tenant = $1', [this.id]);
        return { secrets: rows.rowCount ?? 0, connections: Number(n.rows[0]?.n ?? 0) };
      });
      if (!fromEnv) await this.dropOldKeys(fresh, box);
      this.keys.forget();
      this.#parts.clear();
      return { keyId: fresh.id, previousKeyIds: old.keys.map((k) => k.id), ...counts, keyFile: !fromEnv };
    });
  }

  /**
   * Step 3 of `rotateKey`: the key file becomes [fresh], written while holding the tenant's row so
   * no writer encrypts in between. A writer that encrypted under an old key meanwhile (it read the
   * ring before step 1) is re-encrypted first, in its own committed transaction, so the file is
   * only replaced when every committed record is under the fresh key.
   */
  private async dropOldKeys(fresh: HubKey, box: SecretBox): Promise<void> {
    for (;;) {
      const done = await this.write(async (q) => {
        const rest = await q.query<{ connection: string; record: SecretRecord }>(
          `SELECT connection, record FROM hub_secrets WHERE tenant = $1 AND record->>'keyId' IS DISTINCT FROM $2 FOR UPDATE`,
          [this.id, fresh.id],
        );
        for (const { connection, record } of rest.rows) {
          const next = box.encrypt(connection, record.name, box.decrypt(connection, record, `hub ${this.id}`), record.changedAt);
          await q.query('UPDATE hub_secrets SET record = $4 WHERE tenant = $1 AND connection = $2 AND name = $3', [this.id, connection, record.name, next]);
        }
        if (rest.rows.length > 0) return false;
        await writeKeyFile(this.keyFile, [fresh]);
        return true;
      });
      if (done) return;
    }
  }

  /** Runs `work` holding the tenant's rotation lock (a session advisory lock; SNIP4050 when taken). */
  private async rotationLocked<T>(work: () => Promise<T>): Promise<T> {
    const lockKey = `snip-hub-rotate-key:${this.id}`;
    const client = await this.db.pool.connect();
    let broken: Error | undefined;
    const onLost = (e: Error) => void (broken = e);
    client.on('error', onLost);
    try {
      const got = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [lockKey]);
      if (!got.rows[0]?.ok) throw new SnipError('SNIP4050', `another rotate-key is running for hub "${this.id}"; nothing was changed: try again when it is done`);
      try {
        return await work();
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]).catch((e: Error) => (broken = e));
      }
    } finally {
      client.off('error', onLost);
      client.release(broken ?? false);
    }
  }

  // --- export / import ---------------------------------------------------------------------

  /** The hub as stored, secrets as their encrypted records (nothing is decrypted); hub-bundle.ts. */
  exportBundle(): Promise<HubBundle> {
    return exportHub(this.db, this.id);
  }

  /**
   * Writes a bundle as this tenant's hub in one write transaction, checking every rule first.
   * @throws SnipError SNIP4051 when the tenant already has a hub and `replace` is not set.
   */
  importBundle(bundle: HubBundle, replace = false): Promise<void> {
    checkBundle(bundle);
    return this.write((q) => importHub(q, this.id, bundle, replace));
  }

  // --- internals ---------------------------------------------------------------------------

  /** The tenant's hub version now; concurrent callers share one query. */
  private currentVersion(): Promise<string | undefined> {
    this.versionCheck ??= this.db
      .query<{ v: string }>('SELECT version::text AS v FROM hubs WHERE tenant = $1', [this.id])
      .then((r) => r.rows[0]?.v)
      .finally(() => (this.versionCheck = undefined));
    return this.versionCheck;
  }

  /**
   * One write transaction: bump the hub version first (it queues the tenant's writers and tells
   * every reader's cache to reload), then `work`. Lost races become SNIP4050.
   */
  private async write<T>(work: (q: pg.PoolClient) => Promise<T>): Promise<T> {
    try {
      return await this.db.tx(async (q) => {
        await q.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.floor(this.lockTimeoutMs))}`);
        await q.query('INSERT INTO hubs (tenant) VALUES ($1) ON CONFLICT (tenant) DO UPDATE SET version = hubs.version + 1', [this.id]);
        return work(q);
      });
    } catch (e) {
      const state = (e as { code?: unknown }).code;
      if (typeof state === 'string' && CONFLICT_STATES.has(state)) {
        throw new SnipError('SNIP4050', `another writer is changing hub "${this.id}" right now; nothing was changed: try again`);
      }
      throw e;
    }
  }

  /** Loads, changes, re-validates and writes one connection on top of its current row. */
  private async change(name: string, edit: (c: Connection, t: Template) => void, condition: WriteCondition = {}): Promise<Connection> {
    return this.write(async (q) => {
      const row = await this.connectionRow(q, name, true);
      if (condition.ifVersion !== undefined && row.version !== condition.ifVersion) {
        throw conflict(name, `changed meanwhile (version ${row.version}, the change was made against ${condition.ifVersion})`);
      }
      const template = row.template ?? (await this.templateIn(q, row.body.template));
      const c = structuredClone({ ...row.body, secrets: row.secrets });
      edit(c, template);
      c.updatedAt = this.now().toISOString();
      const problems = validateConnection(c, template);
      if (problems.length) throw problemsError(problems);
      await q.query('UPDATE hub_connections SET body = $3, version = version + 1 WHERE tenant = $1 AND name = $2', [this.id, name, stored(c)]);
      return effective({ ...row, body: c, template });
    });
  }

  /** Locks the connection's row for the rest of the transaction; SNIP4002 when it does not exist. */
  private async lockConnection(q: Queryable, name: string): Promise<void> {
    const r = await q.query('SELECT 1 FROM hub_connections WHERE tenant = $1 AND name = $2 FOR UPDATE', [this.id, name]);
    if (r.rowCount === 0) throw notFound(name);
  }

  /** A secret change is a change of the connection: new version and `updatedAt`. */
  private async touch(q: Queryable, name: string): Promise<void> {
    await q.query(`UPDATE hub_connections SET version = version + 1, body = jsonb_set(body, '{updatedAt}', to_jsonb($3::text)) WHERE tenant = $1 AND name = $2`, [this.id, name, this.now().toISOString()]);
  }

  private async connectionRow(q: Queryable, name: string, forUpdate = false): Promise<ConnRow> {
    const r = await q.query<ConnRow>(`${CONNECTION_SELECT} AND c.name = $2${forUpdate ? ' FOR UPDATE OF c' : ''}`, [this.id, name]);
    if (!r.rows[0]) throw notFound(name);
    return r.rows[0];
  }

  private async templateIn(q: Queryable, name: string): Promise<Template> {
    const r = await q.query<{ body: Template }>('SELECT body FROM hub_templates WHERE tenant = $1 AND name = $2', [this.id, name]);
    if (!r.rows[0]) throw new SnipError('SNIP4002', `no template named "${name}"`);
    return r.rows[0].body;
  }

  private async records(q: Queryable, connection: string): Promise<SecretRecord[]> {
    const r = await q.query<{ record: SecretRecord }>('SELECT record FROM hub_secrets WHERE tenant = $1 AND connection = $2 ORDER BY name', [this.id, connection]);
    return r.rows.map((x) => x.record);
  }

  /**
   * The key ring (`HubKeys.box`); `create` makes the key file on first use. Inside a transaction
   * pass its client as `q`: the tenant's other writers may hold every other pool connection while
   * they wait for this one's row.
   */
  private box(create: boolean, q: Queryable = this.db): Promise<SecretBox> {
    return this.keys.box(create, async () => {
      const r = await q.query('SELECT 1 FROM hub_secrets WHERE tenant = $1 LIMIT 1', [this.id]);
      return (r.rowCount ?? 0) > 0;
    });
  }
}

function partsOf(e: CachedParts): ConnectionParts {
  return { connection: structuredClone(e.connection), template: structuredClone(e.template), secrets: new SecretMap(e.secrets) };
}


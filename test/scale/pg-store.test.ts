// The hub on PostgreSQL against a private server: the same contract cases as the file store (run
// against both, so the two stay alike), migrations (fresh, re-run, concurrent, newer refused, not
// migrated refused), the secret envelope and the key staying out of the database, two writers on
// one connection (both applied, or SNIP4050; never lost), and the run-path cache following writes
// made by another worker.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnipError } from '../../runtime/errors.js';
import { FileHubStore } from '../../runtime/hub/file-store.js';
import { connectionView } from '../../runtime/hub/connection-view.js';
import { generateKey } from '../../runtime/hub/secret-box.js';
import type { HubStore } from '../../runtime/hub/store.js';
import { Database } from '../../service/pg/database.js';
import { LATEST_VERSION, MIGRATIONS, checkSchema, migrate } from '../../service/pg/migrations.js';
import { PgHubStore } from '../../service/pg/hub-store.js';
import { SETUP_DB_TOOLS, requireTool } from '../helpers/tools.js';
import { postgresAvailable, startPgServer, type PgServer } from '../helpers/pg-server.js';
import { dumpAll } from './pg-fixture.js';

const run = requireTool('postgres', postgresAvailable, SETUP_DB_TOOLS);

let server: PgServer;
let url: string;
let db: Database;
let dir: string;
const dbs: Database[] = [];
let seq = 0;

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return e instanceof SnipError || (e as { code?: string }).code ? `${(e as SnipError).code} ${(e as Error).message}` : `not coded: ${String(e)}`;
  }
  return 'no error';
}

function database(u = url): Database {
  const d = new Database({ url: u });
  dbs.push(d);
  return d;
}

/** A fresh tenant of the shared database, with its own key file. */
function pgStore(tenant = `t${++seq}`, on = db, env: Record<string, string> = {}): PgHubStore {
  return new PgHubStore({ db: on, tenant, keyFile: path.join(dir, `${tenant}.hubkey`), env });
}

async function seed(store: HubStore): Promise<void> {
  await store.createTemplate({ name: 'Agents', application: 'Agents API', authType: 'oauth2-client-credentials', verbs: ['get', 'POST'], authHeaders: [{ name: 'X-Tenant', required: true }] });
  await store.createConnection({ name: 'Agents API', template: 'Agents', resourceDomain: 'https://api.example.com' });
}

const AUTH = { url: 'https://id.example.com/t', method: 'POST', headers: { 'X-Tenant': 't' }, query: {} };

describe.skipIf(!run)('hub store on PostgreSQL', () => {
  beforeAll(async () => {
    server = await startPgServer();
    url = await server.createDatabase('store');
    db = database();
    expect(await migrate(db)).toEqual([LATEST_VERSION]);
    dir = mkdtempSync(path.join(tmpdir(), 'snip-pg-keys-'));
  }, 120_000);
  afterAll(async () => {
    for (const d of dbs) await d.close().catch(() => undefined);
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // The contract: each case runs against the file store and the PostgreSQL store.
  const kinds: [string, () => HubStore][] = [
    ['file', () => new FileHubStore({ dir: mkdtempSync(path.join(dir, 'file-')), env: {} })],
    ['postgres', () => pgStore()],
  ];
  for (const [kind, make] of kinds) {
    describe(`contract (${kind})`, () => {
      it('round-trips templates, connections and requests', async () => {
        const store = make();
        await seed(store);
        await store.updateConnection('Agents API', { auth: { ...AUTH, mediaType: 'application/x-www-form-urlencoded' } });
        await store.addRequest('Agents API', { name: 'Lookup', trigger: 'studio' });
        await store.addRequest('Agents API', { name: 'List', trigger: 'manual', url: 'https://api.example.com/agents', method: 'get', query: { limit: '5' } });
        expect(await store.getTemplate('Agents')).toMatchObject({ integrationMethod: 'REST', verbs: ['GET', 'POST'], authHeaders: [{ name: 'X-Tenant', required: true }] });
        const c = await store.getConnection('Agents API');
        expect(c).toMatchObject({ template: 'Agents', timeoutMs: 10000, status: 'pending', resourceDomain: 'https://api.example.com', auth: { method: 'POST', headers: { 'X-Tenant': 't' } } });
        expect(c.requests.map((r) => [r.name, r.trigger, r.active, r.method ?? null])).toEqual([['Lookup', 'studio', true, null], ['List', 'manual', true, 'GET']]);
        expect((await store.listTemplates()).map((t) => t.name)).toEqual(['Agents']);
        expect((await store.listConnections()).map((x) => x.name)).toEqual(['Agents API']);
      });

      it('refuses to change a template (SNIP4004) and duplicates (SNIP4003); unknown names are SNIP4002', async () => {
        const store = make();
        await seed(store);
        expect(await codeOf(store.createTemplate({ name: 'Agents', application: 'Other', authType: 'none', verbs: ['GET'] }))).toMatch(/^SNIP4004 template "Agents" already exists/);
        expect(await codeOf(store.createConnection({ name: 'Agents API', template: 'Agents' }))).toMatch(/^SNIP4003/);
        expect(await codeOf(store.createConnection({ name: 'X', template: 'Nope' }))).toMatch(/^SNIP4002 no template named "Nope"/);
        expect(await codeOf(store.getConnection('Nope'))).toMatch(/^SNIP4002/);
        expect(await codeOf(store.deleteConnection('Nope'))).toMatch(/^SNIP4002/);
      });

      it('enforces the rules on update: verbs, required headers, 50 requests, inactive', async () => {
        const store = make();
        await seed(store);
        expect(await codeOf(store.updateConnection('Agents API', { auth: { ...AUTH, method: 'PUT' } }))).toMatch(/^SNIP4005 connection "Agents API": auth.method "PUT"/);
        expect(await codeOf(store.updateConnection('Agents API', { auth: { ...AUTH, headers: {} } }))).toMatch(/^SNIP4006 .*"X-Tenant"/);
        for (let i = 0; i < 50; i++) await store.addRequest('Agents API', { name: `r${i}`, trigger: 'studio' });
        expect(await codeOf(store.addRequest('Agents API', { name: 'one more', trigger: 'studio' }))).toMatch(/^SNIP4010/);
        expect(await codeOf(store.addRequest('Agents API', { name: 'r1', trigger: 'studio' }))).toMatch(/^SNIP4003/);
        expect((await store.setRequestActive('Agents API', 'r3', false)).active).toBe(false);
        expect((await store.getRequest('Agents API', 'r3')).active).toBe(false);
        await store.deleteRequest('Agents API', 'r3');
        expect(await codeOf(store.getRequest('Agents API', 'r3'))).toMatch(/^SNIP4002/);
        expect((await store.listRequests('Agents API')).length).toBe(49);
      });

      it('shows pending until authorized, and pending again after the credentials change', async () => {
        const store = make();
        await seed(store);
        await store.createTemplate({ name: 'Open', application: 'Open', authType: 'none', verbs: ['GET'] });
        expect((await store.createConnection({ name: 'Open API', template: 'Open' })).status).toBe('authorized');
        const c = await store.markAuthorized('Agents API');
        expect(c.status).toBe('authorized');
        expect(c.authorizedAt).toMatch(/^\d{4}-/);
        expect((await store.getConnection('Agents API')).status).toBe('authorized');
        const after = await store.updateConnection('Agents API', { auth: { ...AUTH, headers: { 'X-Tenant': 'b' } } });
        expect(after.status).toBe('pending');
        expect(after.authorizedAt).toBeUndefined();
        expect((await store.getConnection('Agents API')).status).toBe('pending');
      });

      it('keeps secrets encrypted: set, list (fingerprints), resolve, replace, delete', async () => {
        const store = make();
        await seed(store);
        const info = await store.setSecret('Agents API', 'client secret', 's3cr3t-value');
        expect(info).toMatchObject({ name: 'client secret', fingerprint: expect.stringMatching(/^[0-9a-f]{12}$/) });
        expect((await store.getConnection('Agents API')).secrets).toEqual(['client secret']);
        expect(await store.listSecrets('Agents API')).toEqual([info]);
        expect([...(await store.resolveSecrets('Agents API'))]).toEqual([['client secret', 's3cr3t-value']]);
        await store.setSecret('Agents API', 'client secret', 'other');
        expect((await store.listSecrets('Agents API'))[0]!.fingerprint).not.toBe(info.fingerprint);
        expect((await store.resolveSecrets('Agents API')).get('client secret')).toBe('other');
        await store.deleteSecret('Agents API', 'client secret');
        expect(await store.listSecrets('Agents API')).toEqual([]);
        expect(await codeOf(store.deleteSecret('Agents API', 'client secret'))).toMatch(/^SNIP4008/);
        expect(await codeOf(store.setSecret('Nope', 'a', 'b'))).toMatch(/^SNIP4002/);
      });

      it('builds the ConnectionView the HTTP layer takes; a deleted connection takes its secrets along', async () => {
        const store = make();
        await seed(store);
        await store.updateConnection('Agents API', { auth: AUTH });
        await store.setSecret('Agents API', 'client_id', 'cid');
        const view = await connectionView(store, 'Agents API');
        expect(view).toMatchObject({ hub: store.id, name: 'Agents API', authKind: 'oauth2-client-credentials', verbs: ['GET', 'POST'], requiredHeaders: ['X-Tenant'], timeoutMs: 10000, resourceDomain: 'https://api.example.com' });
        expect(view.secrets.get('client_id')).toBe('cid');
        await store.deleteConnection('Agents API');
        expect(await codeOf(store.getConnection('Agents API'))).toMatch(/^SNIP4002/);
        await store.createConnection({ name: 'Agents API', template: 'Agents' });
        expect(await store.listSecrets('Agents API')).toEqual([]);
      });
    });
  }

  describe('migrations', () => {
    it('a fresh database is created at the latest version; re-running changes nothing', async () => {
      const d = database(await server.createDatabase('fresh'));
      await expect(checkSchema(d)).rejects.toMatchObject({ code: 'SNIP6031', message: expect.stringContaining("run 'snip serve migrate'") });
      // Two workers migrating at once: the advisory lock lets one apply, the other finds it done.
      const both = await Promise.all([migrate(d), migrate(database(d.pool.options.connectionString!))]);
      expect(both.flat()).toEqual([LATEST_VERSION]);
      expect(await migrate(d)).toEqual([]);
      await checkSchema(d);
      const rows = await d.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows.rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    });

    it('refuses a schema newer than the code (start check and migrate), and applies a later step once', async () => {
      const d = database(await server.createDatabase('newer'));
      await migrate(d);
      const next = [...MIGRATIONS, { version: LATEST_VERSION + 1, name: 'test step', sql: 'CREATE TABLE later_step (x int)' }];
      expect(await migrate(d, next)).toEqual([LATEST_VERSION + 1]);
      expect(await migrate(d, next)).toEqual([]);
      await expect(checkSchema(d)).rejects.toMatchObject({ code: 'SNIP6032', message: expect.stringContaining(`version ${LATEST_VERSION + 1}, newer than this snip knows`) });
      await expect(migrate(d)).rejects.toMatchObject({ code: 'SNIP6032' });
    });

    it('a failing step rolls the whole migration back', async () => {
      const d = database(await server.createDatabase('failing'));
      const bad = [...MIGRATIONS, { version: LATEST_VERSION + 1, name: 'broken', sql: 'CREATE TABLE oops (' }];
      await expect(migrate(d, bad)).rejects.toBeTruthy();
      const t = await d.query<{ t: string | null }>(`SELECT to_regclass('hubs')::text AS t`);
      expect(t.rows[0]!.t).toBeNull();
    });
  });

  describe('PostgreSQL specifics', () => {
    it('two workers editing one connection at once: every change is applied on top, none lost', async () => {
      const tenant = `t${++seq}`;
      const a = pgStore(tenant, database());
      const b = pgStore(tenant, database());
      await seed(a);
      // 20 concurrent edits from two pools (separate connections and transactions), each touching
      // its own part of the connection: all must survive.
      const edits: Promise<unknown>[] = [];
      for (let i = 0; i < 10; i++) {
        edits.push(a.addRequest('Agents API', { name: `a${i}`, trigger: 'studio' }));
        edits.push(b.addRequest('Agents API', { name: `b${i}`, trigger: 'studio' }));
      }
      edits.push(a.updateConnection('Agents API', { timeoutMs: 1234 }));
      edits.push(b.updateConnection('Agents API', { caBundle: '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n' }));
      edits.push(b.setSecret('Agents API', 'token', 'tok-value'));
      await Promise.all(edits);
      const c = await a.getConnection('Agents API');
      expect(c.requests.map((r) => r.name).sort()).toEqual([...Array(10).keys()].flatMap((i) => [`a${i}`, `b${i}`]).sort());
      expect(c.timeoutMs).toBe(1234);
      expect(c.caBundle).toContain('BEGIN CERTIFICATE');
      expect(c.secrets).toEqual(['token']);
    });

    it('an edit made against a stale version is refused with SNIP4050, and nothing of it is written', async () => {
      const tenant = `t${++seq}`;
      const a = pgStore(tenant, database());
      const b = pgStore(tenant, database());
      await seed(a);
      const v = await a.connectionVersion('Agents API');
      const results = await Promise.allSettled([
        a.updateConnection('Agents API', { timeoutMs: 1111 }, { ifVersion: v }),
        b.updateConnection('Agents API', { timeoutMs: 2222 }, { ifVersion: v }),
      ]);
      const ok = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(ok).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect(refused[0]!.reason).toMatchObject({ code: 'SNIP4050', message: expect.stringContaining('changed meanwhile') });
      const winner = (ok[0] as PromiseFulfilledResult<{ timeoutMs: number }>).value.timeoutMs;
      expect((await b.getConnection('Agents API')).timeoutMs).toBe(winner);
      expect(await a.connectionVersion('Agents API')).toBe(v + 1);
    });

    it('a writer that waits past the lock timeout gets SNIP4050, not a lost write', async () => {
      const tenant = `t${++seq}`;
      const a = new PgHubStore({ db: database(), tenant, keyFile: path.join(dir, `${tenant}.hubkey`), lockTimeoutMs: 200 });
      await seed(a);
      // Another worker holds the tenant's write lock (an open transaction) until we release it.
      const holder = await database().pool.connect();
      await holder.query('BEGIN');
      await holder.query('UPDATE hubs SET version = version + 1 WHERE tenant = $1', [tenant]);
      const refused = await codeOf(a.updateConnection('Agents API', { timeoutMs: 4321 }));
      await holder.query('ROLLBACK');
      holder.release();
      expect(refused).toMatch(/^SNIP4050 another writer is changing hub/);
      expect((await a.getConnection('Agents API')).timeoutMs).toBe(10000);
    });

    it('the run path reads once per hub version and follows writes made by another worker', async () => {
      const tenant = `t${++seq}`;
      const worker1 = pgStore(tenant, database());
      const worker2 = pgStore(tenant, database());
      await seed(worker1);
      await worker1.updateConnection('Agents API', { auth: AUTH });
      await worker1.setSecret('Agents API', 'client_id', 'first');
      const d = database();
      const reader = pgStore(tenant, d);
      let queries = 0;
      const q = d.query.bind(d);
      d.query = ((...args: Parameters<Database['query']>) => {
        queries++;
        return q(...args);
      }) as Database['query'];
      expect((await reader.connectionParts('Agents API')).secrets.get('client_id')).toBe('first');
      const afterFirst = queries;
      for (let i = 0; i < 5; i++) expect((await reader.connectionParts('Agents API')).secrets.get('client_id')).toBe('first');
      // One version check per look while nothing changed.
      expect(queries - afterFirst).toBe(5);
      await worker2.setSecret('Agents API', 'client_id', 'second');
      expect((await reader.connectionParts('Agents API')).secrets.get('client_id')).toBe('second');
      await worker2.updateConnection('Agents API', { timeoutMs: 777 });
      expect((await reader.connectionParts('Agents API')).connection.timeoutMs).toBe(777);
    });

    it('keeps the key out of the database: a wrong key is SNIP4009, no key file is SNIP4009', async () => {
      const tenant = `t${++seq}`;
      const store = pgStore(tenant);
      await seed(store);
      await store.setSecret('Agents API', 'a', 'value-a');
      const keyText = readFileSync(path.join(dir, `${tenant}.hubkey`), 'utf8');
      const wrong = pgStore(tenant, db, { SNIP_HUB_KEY: generateKey().toString('base64') });
      expect(await codeOf(wrong.resolveSecrets('Agents API'))).toMatch(/^SNIP4009 .*secret "a" was encrypted with key k-/);
      expect(await codeOf(wrong.setSecret('Agents API', 'b', 'value-b'))).toMatch(/^SNIP4009/);
      const keyless = new PgHubStore({ db, tenant, keyFile: path.join(dir, 'missing.hubkey') });
      expect(await codeOf(keyless.resolveSecrets('Agents API'))).toMatch(/^SNIP4009 no hub key/);
      // Every table dumped as text: neither the value nor the key appears.
      const dump = await dumpAll(db);
      expect(dump).not.toContain('value-a');
      for (const line of keyText.split('\n').filter((l) => l && !l.startsWith('#'))) expect(dump).not.toContain(line);
    });

    // Last in the file: it takes the shared server down and up again.
    it('a crashed server (kill -9) answers SNIP6030 with nothing written, and the same pool works once it is back', async () => {
      const d = database();
      const store = pgStore(`t${++seq}`, d);
      await seed(store);
      await store.connectionParts('Agents API');
      await server.kill();
      await expect(store.getConnection('Agents API')).rejects.toMatchObject({ code: 'SNIP6030', status: 503 });
      await expect(store.updateConnection('Agents API', { timeoutMs: 999 })).rejects.toMatchObject({ code: 'SNIP6030' });
      await expect(store.connectionParts('Agents API')).rejects.toMatchObject({ code: 'SNIP6030' });
      expect(await d.ready()).toBe(false);
      await server.start();
      while (!(await d.ready())) await new Promise((r) => setTimeout(r, 50));
      expect((await store.getConnection('Agents API')).timeoutMs).toBe(10000);
      expect((await store.updateConnection('Agents API', { timeoutMs: 999 })).timeoutMs).toBe(999);
      expect((await store.connectionParts('Agents API')).connection.timeoutMs).toBe(999);
    });
  });
});

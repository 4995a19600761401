// `snip hub` nouns on a tenant's hub in PostgreSQL (--database/--tenant), on a private server:
// every noun gives the same output and errors as on a hub folder; a running `snip serve` worker on
// the same database uses a CLI change at its next run; rotate-key re-encrypts in one transaction
// and a run still decrypts; the states an interrupted rotation leaves are readable and finished by
// running it again; database failures are clear errors with a code; and no secret value appears in
// any output or in clear in the database.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { SecretBox, generateKey, keyIdOf, parseKeyRing, writeKeyFile, type SecretRecord } from '../../runtime/hub/secret-box.js';
import { createServer, loadConfig, type SnipService } from '../../service/index.js';
import { call, lineCollector, UPSTREAM } from '../service/fixture.js';
import { SETUP_DB_TOOLS, requireTool } from '../helpers/tools.js';
import { postgresAvailable, startPgServer, type PgServer } from '../helpers/pg-server.js';
import { dumpAll, pgFixture, type PgFixture } from '../scale/pg-fixture.js';
import { PgHubStore } from '../../service/pg/hub-store.js';
import { fakeIO } from './fake-io.js';

const run = requireTool('postgres', postgresAvailable, SETUP_DB_TOOLS);
const root = path.resolve(__dirname, '../..');

const NEW_SECRETS = { spare: 'cli-pg-spare-value-5e0a' };
// The same key for the folder hub and the tenant in the comparison: fingerprints then match too.
const SHARED_KEY = generateKey().toString('base64');
const NEXT_KEY = generateKey().toString('base64');

let server: PgServer;
let f: PgFixture;
const outputs: string[] = [];
const logs: string[] = [];
let service: SnipService | undefined;

interface Result {
  code: number;
  out: string;
  err: string;
}

/** `snip hub ...` in process, in the fixture folder. */
async function hub(args: string[], opts: { stdin?: string; env?: Record<string, string>; cwd?: string } = {}): Promise<Result> {
  const io = fakeIO(opts.cwd ?? f.dir);
  io.env = opts.env ?? {};
  if (opts.stdin !== undefined) io.readStdin = async () => opts.stdin;
  const code = await main(['hub', ...args], io);
  const r = { code, out: io.stdoutText(), err: io.stderrText() };
  outputs.push(r.out, r.err);
  return r;
}

/** `snip hub ...` through the real binary (dist/), with only PATH and `env`. */
function spawnHub(args: string[], env: Record<string, string> = {}): Promise<Result> {
  if (!existsSync(path.join(root, 'dist/cli/main.js'))) throw new Error('run `npm run build` before this test (the binary runs dist/)');
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [path.join(root, 'bin/snip.js'), 'hub', ...args], { cwd: f.dir, env: { PATH: process.env.PATH ?? '', ...env } }, (e, out, err) => {
      outputs.push(out, err);
      resolve({ code: e ? (e.code as number) : 0, out, err });
    });
    child.stdin!.end('');
  });
}

const acme = () => ['--hub', 'acme/hub', '--database', f.dbUrl, '--tenant', 'acme'];

async function runLookup(url: string, token: string): Promise<Record<string, unknown>> {
  const r = await call(`${url}/v1/scripts/lookup/runs`, { token, body: {} });
  expect(r.status).toBe(200);
  return r.body.outputs as Record<string, unknown>;
}

function keyLines(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'));
}

describe.skipIf(!run)('snip hub on a tenant in PostgreSQL', () => {
  beforeAll(async () => {
    server = await startPgServer();
    f = await pgFixture(server, 'hubcli');
  }, 120_000);
  afterAll(async () => {
    await service?.close();
    await f?.db.close();
    await f?.api.close();
    await server?.stop();
    if (f) {
      const all = [...outputs, ...logs].join('\n');
      const keys = ['acme', 'globex'].flatMap((t) => (existsSync(path.join(f.dir, t, 'hub/.hubkey')) ? keyLines(path.join(f.dir, t, 'hub/.hubkey')) : []));
      for (const v of [...Object.values(NEW_SECRETS), UPSTREAM.acme.secret, UPSTREAM.globex.secret, SHARED_KEY, NEXT_KEY, ...keys]) expect(all).not.toContain(v);
      rmSync(f.dir, { recursive: true, force: true });
    }
  });

  it('gives every noun the same output and errors on PostgreSQL as on a hub folder', async () => {
    mkdirSync(path.join(f.dir, 'flows'), { recursive: true });
    mkdirSync(path.join(f.dir, 'elsewhere'), { recursive: true });
    writeFileSync(path.join(f.dir, 'flows', 'use.studio'), 'CONNECTAUTH auth (connectName = "Shop")\n  OnSuccess -> done\nEND done\n');
    expect((await hub(['init', '--hub', 'folder-hub'])).code).toBe(0);
    const api = f.api.url;
    const steps: { args: string[]; stdin?: string; code?: number }[] = [
      { args: ['template', 'create', 'Shop API', '--application', 'Shop', '--auth', 'oauth2-client-credentials', '--verbs', 'GET,POST', '--header', 'X-Shop:required', '--description', 'Shop'] },
      { args: ['template', 'create', 'Shop API', '--application', 'Shop', '--auth', 'none', '--verbs', 'GET'], code: 1 },
      { args: ['template', 'create', 'Open', '--application', 'Open', '--auth', 'none', '--verbs', 'GET'] },
      { args: ['template', 'list'] },
      { args: ['template', 'show', 'Shop API'] },
      { args: ['template', 'show', 'Nope'], code: 1 },
      { args: ['connection', 'create', 'Shop', '--template', 'Shop API', '--timeout', '20000'] },
      { args: ['connection', 'create', 'Shop', '--template', 'Shop API'], code: 1 },
      { args: ['connection', 'create', 'Lost', '--template', 'Nope'], code: 1 },
      { args: ['connection', 'update', 'Shop', '--timeout', '25000', '--resource-domain', 'https://shop.example.com'] },
      { args: ['connection', 'update', 'Shop', '--resource-domain', api], code: 1 },
      { args: ['connection', 'update', 'Shop', '--no-resource-domain'] },
      { args: ['auth', 'set', 'Shop', '--url', '[[INSTANCEURI]]/oauth/token', '--method', 'POST', '--header', 'X-Shop=acme', '--media-type', 'application/x-www-form-urlencoded'] },
      { args: ['secret', 'set', 'Shop', 'INSTANCEURI'], stdin: `${api}\n` },
      { args: ['secret', 'set', 'Shop', 'client_id'], stdin: UPSTREAM.acme.id },
      { args: ['secret', 'set', 'Shop', 'client_secret'], stdin: UPSTREAM.acme.secret },
      { args: ['secret', 'set', 'Shop', 'spare'], stdin: NEW_SECRETS.spare },
      { args: ['secret', 'set', 'Nope', 'x'], stdin: 'v', code: 1 },
      { args: ['secret', 'list', 'Shop'] },
      { args: ['request', 'add', 'Shop', 'Lookup', '--trigger', 'studio'] },
      { args: ['request', 'add', 'Shop', 'Agent', '--trigger', 'manual', '--url', '[[INSTANCEURI]]/agents/A-100', '--method', 'GET', '--header', 'X-Shop=acme'] },
      { args: ['request', 'add', 'Shop', 'Agent', '--trigger', 'studio'], code: 1 },
      { args: ['request', 'list', 'Shop'] },
      { args: ['request', 'show', 'Shop', 'Lookup'] },
      { args: ['request', 'show', 'Shop', 'Agent'] },
      { args: ['request', 'deactivate', 'Shop', 'Lookup'] },
      { args: ['request', 'activate', 'Shop', 'Lookup'] },
      { args: ['request', 'delete', 'Shop', 'Lookup'] },
      { args: ['request', 'show', 'Shop', 'Lookup'], code: 1 },
      { args: ['connection', 'list'] },
      { args: ['connection', 'show', 'Shop'] },
      { args: ['connection', 'create', 'Spare', '--template', 'Open'] },
      { args: ['secret', 'delete', 'Shop', 'spare'] },
      { args: ['secret', 'delete', 'Shop', 'spare'], code: 1 },
      { args: ['connection', 'delete', 'Shop'], code: 1 },
      { args: ['connection', 'delete', 'Spare'] },
      { args: ['connection', 'delete', 'Spare'], code: 1 },
    ];
    // Timestamps differ between the two runs; everything else must be equal.
    const norm = (s: string) => s.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>');
    const env = { SNIP_HUB_KEY: SHARED_KEY };
    for (const step of steps) {
      for (const json of [false, true]) {
        const args = json ? [...step.args, '--json'] : step.args;
        const opts = { env, ...(step.stdin !== undefined ? { stdin: step.stdin } : {}) };
        // Mutating steps run once per backend; their --json twin runs on fresh names only for reads.
        const mutates = !['list', 'show'].includes(step.args[1]!);
        if (json && mutates && step.code === undefined) continue;
        const folder = await hub([...args, '--hub', 'folder-hub'], opts);
        const pg = await hub([...args, '--hub', 'no-such-folder', '--database', f.dbUrl, '--tenant', 'cli'], opts);
        const label = `${args.join(' ')}: ${pg.err}`;
        expect(pg.code, label).toBe(step.code ?? 0);
        expect(folder.code, `${args.join(' ')}: ${folder.err}`).toBe(step.code ?? 0);
        expect(norm(pg.err), label).toBe(norm(folder.err));
        if (json) expect(JSON.parse(norm(pg.out)), label).toEqual(JSON.parse(norm(folder.out)));
        else expect(norm(pg.out), label).toBe(norm(folder.out));
        if (json && pg.code === 1) expect(Object.keys(JSON.parse(pg.out))).toEqual(['error']);
      }
    }
    // The usage scan: flows/use.studio uses "Shop" (SNIP4011); --scripts points elsewhere.
    const refused = await hub(['connection', 'delete', 'Shop', '--json', '--database', f.dbUrl, '--tenant', 'cli'], { env });
    expect(JSON.parse(refused.out)).toEqual({ error: { code: 'SNIP4011', message: expect.stringContaining('flows/use.studio:1') } });

    // auth test and request test go through the HTTP layer against the demo API, reading the
    // secrets from PostgreSQL; the connection is then authorized in the database.
    const auth = await hub(['auth', 'test', 'Shop', '--json', '--database', f.dbUrl, '--tenant', 'cli'], { env });
    expect(auth.code, auth.out).toBe(0);
    expect(JSON.parse(auth.out)).toMatchObject({ ok: true, status: 200 });
    const shown = JSON.parse((await hub(['connection', 'show', 'Shop', '--json', '--database', f.dbUrl, '--tenant', 'cli'], { env })).out);
    expect(shown).toMatchObject({ status: 'authorized', authorizedAt: expect.any(String) });
    const req = await hub(['request', 'test', 'Shop', 'Agent', '--database', f.dbUrl, '--tenant', 'cli'], { env });
    expect(req.code, req.out).toBe(0);
    expect(req.out).toContain('HTTP 200');

    const deleted = await hub(['connection', 'delete', 'Shop', '--scripts', 'elsewhere', '--database', f.dbUrl, '--tenant', 'cli'], { env });
    expect(deleted.code, deleted.err).toBe(0);
    expect(deleted.out).toContain('checked the .studio files under elsewhere');
    expect((await f.db.query(`SELECT count(*)::int AS n FROM hub_secrets WHERE tenant = 'cli'`)).rows[0].n).toBe(0);

    // Folder-only commands refuse a database; the folder hub was untouched by the tenant's work.
    expect((await hub(['init', '--database', f.dbUrl, '--tenant', 'cli'])).code).toBe(2);
    const dump = await dumpAll(f.db);
    for (const v of [...Object.values(NEW_SECRETS), UPSTREAM.acme.secret]) expect(dump).not.toContain(v);
  }, 120_000);

  it('a running snip serve worker uses a CLI change at its next run', async () => {
    service = await createServer({ config: await loadConfig(f.configFile), logStream: lineCollector(logs) });
    const url = await service.listen({ port: 0 });
    const runner = await service.ctx.clients.add('acme', ['run']);
    const tok = (await call(`${url}/1.0/token`, { body: { grant_type: 'client_credentials', client_id: runner.client.id, client_secret: runner.secret } })).body.access_token as string;
    expect(await runLookup(url, tok)).toMatchObject({ status: 'ok' });

    // A secret set from the CLI (the API's address, a closed port): the next run calls there and fails.
    expect((await hub(['secret', 'set', 'Agents API', 'INSTANCEURI', ...acme()], { stdin: 'http://127.0.0.1:1' })).code).toBe(0);
    expect(await runLookup(url, tok)).toMatchObject({ status: 'failed' });
    expect((await hub(['secret', 'set', 'Agents API', 'INSTANCEURI', ...acme()], { stdin: f.api.url })).code).toBe(0);
    expect(await runLookup(url, tok)).toMatchObject({ status: 'ok' });

    // An inactive request is refused at the next run, active again works again.
    expect((await hub(['request', 'deactivate', 'Agents API', 'Lookup agent', ...acme()])).code).toBe(0);
    expect(await runLookup(url, tok)).toMatchObject({ status: 'failed' });
    expect((await hub(['request', 'activate', 'Agents API', 'Lookup agent', ...acme()])).code).toBe(0);
    expect(await runLookup(url, tok)).toMatchObject({ status: 'ok' });

    // Other client credentials from the CLI: the next run drops the token fetched with the old ones
    // and authenticates with the new ones; the runs after reuse the new token.
    const tokensBefore = f.api.stats.tokenRequests;
    expect(await runLookup(url, tok)).toMatchObject({ status: 'ok' });
    expect(f.api.stats.tokenRequests).toBe(tokensBefore);
    expect((await hub(['secret', 'set', 'Agents API', 'client_id', ...acme()], { stdin: UPSTREAM.globex.id })).code).toBe(0);
    expect((await hub(['secret', 'set', 'Agents API', 'client_secret', ...acme()], { stdin: UPSTREAM.globex.secret })).code).toBe(0);
    expect(await runLookup(url, tok)).toMatchObject({ status: 'ok' });
    expect(f.api.stats.tokenRequests).toBe(tokensBefore + 1);
    expect(await runLookup(url, tok)).toMatchObject({ status: 'ok' });
    expect(f.api.stats.tokenRequests).toBe(tokensBefore + 1);

    // rotate-key: every record of the tenant under the new key in the database, the key file holds
    // only that key, the other tenant is untouched, and the worker's next run still decrypts.
    const keyFile = path.join(f.dir, 'acme/hub/.hubkey');
    const before = keyLines(keyFile);
    const globexBefore = (await f.db.query(`SELECT record FROM hub_secrets WHERE tenant = 'globex' ORDER BY name`)).rows;
    const rotated = await hub(['rotate-key', '--json', ...acme()]);
    expect(rotated.code, rotated.err).toBe(0);
    const r = JSON.parse(rotated.out) as { keyId: string; previousKeyIds: string[]; secrets: number; connections: number; keyFile: boolean };
    expect(r).toMatchObject({ secrets: 3, connections: 1, keyFile: true, previousKeyIds: [keyIdOf(Buffer.from(before[0]!, 'base64'))] });
    const after = keyLines(keyFile);
    expect(after).toHaveLength(1);
    expect(after).not.toEqual(before);
    const ids = (await f.db.query<{ id: string }>(`SELECT record->>'keyId' AS id FROM hub_secrets WHERE tenant = 'acme'`)).rows.map((x) => x.id);
    expect(new Set(ids)).toEqual(new Set([r.keyId]));
    expect((await f.db.query(`SELECT record FROM hub_secrets WHERE tenant = 'globex' ORDER BY name`)).rows).toEqual(globexBefore);
    expect(await runLookup(url, tok)).toMatchObject({ status: 'ok' });
    const text = await hub(['rotate-key', ...acme()]);
    expect(text.out).toContain('re-encrypted 3 secret(s) of 1 connection(s) of tenant acme in PostgreSQL under key');
    expect(await runLookup(url, tok)).toMatchObject({ status: 'ok' });
  }, 120_000);

  it('finishes a rotation interrupted after either step, and never runs two at once', async () => {
    const keyFile = path.join(f.dir, 'globex/hub/.hubkey');
    const old = parseKeyRing(readFileSync(keyFile, 'utf8'), 'key');
    const g = ['--hub', 'globex/hub', '--database', f.dbUrl, '--tenant', 'globex'];
    const names = async () => JSON.parse((await hub(['secret', 'list', 'Agents API', '--json', ...g])).out).map((s: { name: string }) => s.name);

    // Crash after step 1: the key file is the ring [new, old], the records are still under the old key.
    const fresh = { key: generateKey(), id: '' };
    fresh.id = keyIdOf(fresh.key);
    await writeKeyFile(keyFile, [fresh, ...old]);
    expect(await names()).toEqual(['client_id', 'client_secret', 'INSTANCEURI']);
    const again = await hub(['rotate-key', '--json', ...g]);
    expect(again.code, again.err).toBe(0);
    expect(keyLines(keyFile)).toHaveLength(1);
    expect(await names()).toEqual(['client_id', 'client_secret', 'INSTANCEURI']);

    // Crash after step 2: the records were committed under the new key, the ring still has both.
    const current = parseKeyRing(readFileSync(keyFile, 'utf8'), 'key');
    const next = { key: generateKey(), id: '' };
    next.id = keyIdOf(next.key);
    const ring = [next, ...current];
    await writeKeyFile(keyFile, ring);
    const box = new SecretBox(ring, 'key file');
    const rows = (await f.db.query<{ connection: string; record: SecretRecord }>(`SELECT connection, record FROM hub_secrets WHERE tenant = 'globex'`)).rows;
    for (const { connection, record } of rows) {
      const moved = box.encrypt(connection, record.name, box.decrypt(connection, record, 'test'), record.changedAt);
      await f.db.query(`UPDATE hub_secrets SET record = $3 WHERE tenant = 'globex' AND connection = $1 AND name = $2`, [connection, record.name, moved]);
    }
    await f.db.query(`UPDATE hubs SET version = version + 1 WHERE tenant = 'globex'`);
    expect(await names()).toEqual(['client_id', 'client_secret', 'INSTANCEURI']);
    const auth = await hub(['auth', 'test', 'Agents API', '--json', ...g]);
    expect(JSON.parse(auth.out)).toMatchObject({ ok: true });
    expect((await hub(['rotate-key', ...g])).code).toBe(0);
    expect(keyLines(keyFile)).toHaveLength(1);
    expect(JSON.parse((await hub(['auth', 'test', 'Agents API', '--json', ...g])).out)).toMatchObject({ ok: true });

    // Writers running during a rotation (a worker's store that read the ring before it): whatever the
    // interleaving, every committed record ends readable with the key file left on disk.
    expect((await hub(['connection', 'create', 'Spare', '--template', 'Demo REST API', ...g])).code).toBe(0);
    const worker = new PgHubStore({ db: f.db, tenant: 'globex', keyFile });
    await worker.listSecrets('Agents API');
    const [rotation] = await Promise.all([
      hub(['rotate-key', ...g]),
      ...Array.from({ length: 6 }, (_, i) => worker.setSecret(i % 2 ? 'Spare' : 'Agents API', `during_${i}`, `value during rotation ${i}`)),
    ]);
    expect(rotation.code, rotation.err).toBe(0);
    expect(keyLines(keyFile)).toHaveLength(1);
    const reader = new PgHubStore({ db: f.db, tenant: 'globex', keyFile });
    expect([...(await reader.resolveSecrets('Spare')).keys()].sort()).toEqual(['during_1', 'during_3', 'during_5']);
    expect((await reader.resolveSecrets('Agents API')).get('during_4')).toBe('value during rotation 4');
    const finalId = keyIdOf(Buffer.from(keyLines(keyFile)[0]!, 'base64'));
    expect(new Set((await f.db.query<{ id: string }>(`SELECT record->>'keyId' AS id FROM hub_secrets WHERE tenant = 'globex'`)).rows.map((x) => x.id))).toEqual(new Set([finalId]));

    // A rotation of the same tenant under way elsewhere: refused (SNIP4050), nothing changed.
    const held = await f.db.pool.connect();
    try {
      await held.query(`SELECT pg_advisory_lock(hashtext('snip-hub-rotate-key:globex'))`);
      const before = readFileSync(keyFile, 'utf8');
      const busy = await hub(['rotate-key', '--json', ...g]);
      expect(busy.code).toBe(1);
      expect(JSON.parse(busy.out)).toMatchObject({ error: { code: 'SNIP4050' } });
      expect(readFileSync(keyFile, 'utf8')).toBe(before);
    } finally {
      await held.query(`SELECT pg_advisory_unlock_all()`);
      held.release();
    }
  }, 120_000);

  it('rotates a key that comes from SNIP_HUB_KEY to SNIP_HUB_NEW_KEY (no key file)', async () => {
    const t = ['--hub', 'no-such-folder', '--database', f.dbUrl, '--tenant', 'envkey'];
    const env = { SNIP_HUB_KEY: SHARED_KEY };
    for (const args of [
      ['template', 'create', 'Plain', '--application', 'Plain', '--auth', 'basic', '--verbs', 'GET'],
      ['connection', 'create', 'Plain', '--template', 'Plain'],
    ]) expect((await hub([...args, ...t], { env })).code).toBe(0);
    expect((await hub(['secret', 'set', 'Plain', 'password', ...t], { env, stdin: NEW_SECRETS.spare })).code).toBe(0);
    const refused = await hub(['rotate-key', '--json', ...t], { env });
    expect(JSON.parse(refused.out)).toMatchObject({ error: { code: 'SNIP4009', message: expect.stringContaining('SNIP_HUB_NEW_KEY') } });
    const rotated = await hub(['rotate-key', ...t], { env: { ...env, SNIP_HUB_NEW_KEY: NEXT_KEY } });
    expect(rotated.code, rotated.err).toBe(0);
    expect(rotated.out).toContain('now set SNIP_HUB_KEY to the value of SNIP_HUB_NEW_KEY');
    expect(existsSync(path.join(f.dir, 'no-such-folder'))).toBe(false);
    const old = await hub(['secret', 'list', 'Plain', '--json', ...t], { env });
    expect(JSON.parse(old.out)).toMatchObject({ error: { code: 'SNIP4009' } });
    const next = await hub(['secret', 'list', 'Plain', '--json', ...t], { env: { SNIP_HUB_KEY: NEXT_KEY } });
    expect(JSON.parse(next.out).map((x: { name: string }) => x.name)).toEqual(['password']);
  });

  it('selects the database from SNIP_DATABASE_URL with --tenant, and refuses half a selection', async () => {
    const viaEnv = await hub(['template', 'list', '--hub', 'acme/hub', '--tenant', 'acme'], { env: { SNIP_DATABASE_URL: f.dbUrl } });
    expect(viaEnv.code, viaEnv.err).toBe(0);
    expect(viaEnv.out).toContain('Demo REST API');
    const noTenant = await hub(['template', 'list', '--database', f.dbUrl]);
    expect(noTenant.code).toBe(2);
    expect(noTenant.err).toContain('--tenant');
    const noUrl = await hub(['template', 'list', '--tenant', 'acme']);
    expect(noUrl.code).toBe(2);
    expect(noUrl.err).toContain('SNIP_DATABASE_URL');
    const noFolder = await hub(['secret', 'list', 'Agents API', '--hub', 'typo/hub', '--database', f.dbUrl, '--tenant', 'acme', '--json']);
    expect(noFolder.code).toBe(1);
    expect(JSON.parse(noFolder.out)).toMatchObject({ error: { code: 'SNIP4066' } });
  });

  it('the binary exits after its work, and database failures are errors with a code, never a stack', async () => {
    const ok = await spawnHub(['connection', 'list', ...acme()]);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toMatch(/Agents API\s+Demo REST API/);

    const password = 'pg-password-in-url-0d7e';
    const down = `postgres://snip:${password}@127.0.0.1:1/nothing`;
    const unreachable = await spawnHub(['template', 'list', '--json', '--hub', 'acme/hub', '--database', down, '--tenant', 'acme']);
    expect(unreachable.code).toBe(1);
    expect(JSON.parse(unreachable.out)).toMatchObject({ error: { code: 'SNIP6030' } });
    expect(unreachable.err).toMatch(/^snip hub: error SNIP6030: /);

    const u = new URL(f.dbUrl);
    u.password = password;
    u.pathname = '/no_such_database';
    const missing = await spawnHub(['template', 'list', '--hub', 'acme/hub', '--database', u.toString(), '--tenant', 'acme']);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^snip hub: error SNIP4065: .*3D000/);

    const bare = await server.createDatabase('bare');
    const unmigrated = await spawnHub(['template', 'list', '--hub', 'acme/hub', '--tenant', 'acme'], { SNIP_DATABASE_URL: bare });
    expect(unmigrated.code).toBe(1);
    expect(unmigrated.err).toContain('error SNIP6031');
    expect(unmigrated.err).toContain('snip serve migrate');

    const bad = await spawnHub(['template', 'list', '--database', `postgres://snip:${password}@[bad`, '--tenant', 'acme']);
    expect(bad.code).toBe(2);
    for (const r of [unreachable, missing, unmigrated, bad]) {
      expect(r.err).not.toMatch(/\n\s+at /);
      expect(r.out + r.err).not.toContain(password);
    }
  }, 60_000);
});

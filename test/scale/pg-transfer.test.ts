// `snip hub export` / `snip hub import` between a hub folder, PostgreSQL and a bundle file: a round
// trip file -> PostgreSQL -> file keeps every template, connection, request and secret (the secrets
// still decrypt with the same key, and were never in clear on the way), an existing destination is
// refused without --replace (SNIP4051), and no output or bundle holds a secret value.
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { FileHubStore } from '../../runtime/hub/file-store.js';
import { seedHub } from '../../runtime/hub/seed.js';
import { Database } from '../../service/pg/database.js';
import { migrate } from '../../service/pg/migrations.js';
import { fakeIO } from '../cli/fake-io.js';
import { SETUP_DB_TOOLS, requireTool } from '../helpers/tools.js';
import { postgresAvailable, startPgServer, type PgServer } from '../helpers/pg-server.js';
import { dumpAll } from './pg-fixture.js';

const run = requireTool('postgres', postgresAvailable, SETUP_DB_TOOLS);

const SECRETS = { client_id: 'transfer-client-id-51a', client_secret: 'transfer-client-secret-8be0', 'api key': 'transfer-api-key-c4d2' };

let server: PgServer;
let url: string;
let db: Database;
let dir: string;
const outputs: string[] = [];

async function snip(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIO(dir);
  const code = await main(args, io);
  const r = { code, out: io.stdoutText(), err: io.stderrText() };
  outputs.push(r.out, r.err);
  return r;
}

describe.skipIf(!run)('snip hub export / import with PostgreSQL', () => {
  beforeAll(async () => {
    server = await startPgServer();
    url = await server.createDatabase('transfer');
    db = new Database({ url });
    await migrate(db);
    dir = mkdtempSync(path.join(tmpdir(), 'snip-pg-transfer-'));
    const src = new FileHubStore({ dir: path.join(dir, 'src') });
    await src.init();
    await seedHub(src, {
      templates: [
        { name: 'Agents', application: 'Agents API', authType: 'oauth2-client-credentials', verbs: ['GET', 'POST'], authHeaders: [{ name: 'X-Tenant', required: true }] },
        { name: 'Open', application: 'Open', authType: 'none', verbs: ['GET'] },
      ],
      connections: [
        {
          name: 'Agents API',
          template: 'Agents',
          resourceDomain: 'https://api.example.com',
          auth: { url: 'https://id.example.com/token', method: 'POST', headers: { 'X-Tenant': 'acme' }, body: 'client_id=[[client_id]]&client_secret=[[client_secret]]' },
          secrets: SECRETS,
          requests: [{ name: 'Lookup', trigger: 'studio' }, { name: 'List', trigger: 'manual', url: 'https://api.example.com/agents', method: 'GET', headers: { 'X-Api-Key': '[[api key]]' } }],
        },
        { name: 'agents api', template: 'Open' },
      ],
    });
  }, 120_000);
  afterAll(async () => {
    await db?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    const all = outputs.join('\n');
    for (const v of Object.values(SECRETS)) expect(all).not.toContain(v);
  });

  it('moves a hub file -> PostgreSQL -> file with every record, secrets encrypted all the way', async () => {
    const out = await snip(['hub', 'export', '--hub', 'src', '--to', url, '--tenant', 'acme']);
    expect(out.err).toBe('');
    expect(out.code).toBe(0);
    expect(out.out).toContain('exported 2 template(s), 2 connection(s), 3 encrypted secret(s) of src to tenant acme');
    const dump = await dumpAll(db);
    for (const v of Object.values(SECRETS)) expect(dump).not.toContain(v);
    expect(dump).toContain('"keyId"');

    // Back into a new folder: the key goes with the hub folder (the envelopes need it to open).
    const back = await snip(['hub', 'import', '--hub', 'back', '--from', url, '--tenant', 'acme']);
    expect(back.code).toBe(0);
    copyFileSync(path.join(dir, 'src', '.hubkey'), path.join(dir, 'back', '.hubkey'));
    const src = new FileHubStore({ dir: path.join(dir, 'src') });
    const copy = new FileHubStore({ dir: path.join(dir, 'back') });
    expect(await copy.problems()).toEqual([]);
    expect(await copy.listTemplates()).toEqual(await src.listTemplates());
    expect(await copy.listConnections()).toEqual(await src.listConnections());
    expect(await copy.listSecrets('Agents API')).toEqual(await src.listSecrets('Agents API'));
    expect(Object.fromEntries(await copy.resolveSecrets('Agents API'))).toEqual(SECRETS);
  });

  it('refuses to overwrite an existing destination unless --replace', async () => {
    const again = await snip(['hub', 'export', '--hub', 'src', '--to', url, '--tenant', 'acme']);
    expect(again.code).toBe(1);
    expect(again.err).toContain('error SNIP4051');
    expect((await snip(['hub', 'export', '--hub', 'src', '--to', url, '--tenant', 'acme', '--replace'])).code).toBe(0);
    const into = await snip(['hub', 'import', '--hub', 'back', '--from', url, '--tenant', 'acme']);
    expect(into.code).toBe(1);
    expect(into.err).toContain('error SNIP4051');
    expect((await snip(['hub', 'import', '--hub', 'back', '--from', url, '--tenant', 'acme', '--replace'])).code).toBe(0);
    const missing = await snip(['hub', 'import', '--hub', 'none', '--from', url, '--tenant', 'nobody']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('error SNIP4002');
  });

  it('round-trips through a bundle file that holds envelopes only', async () => {
    expect((await snip(['hub', 'export', '--hub', 'src', '--to', 'hub.bundle.json'])).code).toBe(0);
    const text = readFileSync(path.join(dir, 'hub.bundle.json'), 'utf8');
    for (const v of Object.values(SECRETS)) {
      expect(text).not.toContain(v);
      expect(text).not.toContain(Buffer.from(v).toString('base64').replace(/=+$/, ''));
    }
    expect((await snip(['hub', 'export', '--hub', 'src', '--to', 'hub.bundle.json'])).err).toContain('SNIP4051');
    expect((await snip(['hub', 'import', '--hub', 'fromfile', '--from', 'hub.bundle.json'])).code).toBe(0);
    copyFileSync(path.join(dir, 'src', '.hubkey'), path.join(dir, 'fromfile', '.hubkey'));
    expect(Object.fromEntries(await new FileHubStore({ dir: path.join(dir, 'fromfile') }).resolveSecrets('Agents API'))).toEqual(SECRETS);
  });
});

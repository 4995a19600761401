// The service on PostgreSQL, in process, two workers (two services on one database) over real HTTP:
// a token of one worker works on the other, a run of one is read on the other, admin writes of one
// are seen by the other's next run; the start check refuses an unmigrated database; and the leak
// search: no secret or token in clear in any table, log line or response.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, loadConfig, type SnipService } from '../../service/index.js';
import { call, lineCollector, UPSTREAM, writeFixtureFiles } from '../service/fixture.js';
import { SETUP_DB_TOOLS, requireTool } from '../helpers/tools.js';
import { postgresAvailable, startPgServer, type PgServer } from '../helpers/pg-server.js';
import { dumpAll, pgFixture, type PgFixture } from './pg-fixture.js';

const run = requireTool('postgres', postgresAvailable, SETUP_DB_TOOLS);

let server: PgServer;
let f: PgFixture;
const logs: string[] = [];
const workers: { service: SnipService; url: string }[] = [];

async function startWorker(): Promise<{ service: SnipService; url: string }> {
  const logStream = lineCollector(logs);
  const service = await createServer({ config: await loadConfig(f.configFile), logStream, logLevel: 'debug' });
  const w = { service, url: await service.listen({ port: 0 }) };
  workers.push(w);
  return w;
}

async function token(url: string, c: { id: string; secret: string }): Promise<string> {
  const r = await call(`${url}/1.0/token`, { body: { grant_type: 'client_credentials', client_id: c.id, client_secret: c.secret } });
  expect(r.status).toBe(200);
  return r.body.access_token as string;
}

describe.skipIf(!run)('snip serve on PostgreSQL (in process)', () => {
  beforeAll(async () => {
    server = await startPgServer();
    f = await pgFixture(server, 'service');
  }, 120_000);
  afterAll(async () => {
    for (const w of workers) await w.service.close();
    await f?.db.close();
    await f?.api.close();
    await server?.stop();
    if (f) rmSync(f.dir, { recursive: true, force: true });
  });

  it('refuses to start on a database that is not migrated (SNIP6031) and names the command', async () => {
    const url = await server.createDatabase('unmigrated');
    const file = await writeFixtureFiles(path.join(f.dir, 'other'), f.api.url, { database: { url } });
    await expect(createServer({ config: await loadConfig(file) })).rejects.toMatchObject({ code: 'SNIP6031', message: expect.stringContaining("run 'snip serve migrate'") });
  });

  it('two workers share clients, tokens, runs and the hub', async () => {
    const a = await startWorker();
    const b = await startWorker();
    const admin = await a.service.ctx.clients.add('acme', ['run', 'admin']);
    const runner = await b.service.ctx.clients.add('acme', ['run']);
    // A client added through one worker exists for the other; clients.json is not used.
    expect((await a.service.ctx.clients.list()).map((c) => c.id)).toEqual(expect.arrayContaining([admin.client.id, runner.client.id]));
    const tok = await token(a.url, { id: runner.client.id, secret: runner.secret });
    // A token issued by A works on B.
    const ran = await call(`${b.url}/v1/scripts/lookup/runs`, { token: tok, body: {} });
    expect(ran.status).toBe(200);
    expect(ran.body).toMatchObject({ status: 'completed', outputs: { status: 'ok', agentName: expect.any(String) } });
    // An async run on B is read on A once it ended.
    const started = await call(`${b.url}/v1/scripts/echo/runs?mode=async`, { token: tok, body: { inputs: { name: 'pg' } } });
    expect(started.status).toBe(202);
    let seen;
    do seen = await call(`${a.url}${started.headers.get('location')}`, { token: tok });
    while (seen.body.status !== 'completed');
    expect(seen.body.outputs.greeting).toBe('Hello, pg!');
    // Another tenant's token cannot read it.
    const globex = await b.service.ctx.clients.add('globex', ['run']);
    const gtok = await token(b.url, { id: globex.client.id, secret: globex.secret });
    expect((await call(`${a.url}${started.headers.get('location')}`, { token: gtok })).status).toBe(404);
    // An admin write on A (a new request) is what B's next run uses.
    const atok = await token(b.url, { id: admin.client.id, secret: admin.secret });
    const patched = await call(`${a.url}/v1/hub/connections/Agents%20API`, { method: 'PATCH', token: atok, body: { timeoutMs: 12345 } });
    expect(patched.status).toBe(200);
    expect((await call(`${b.url}/v1/hub/connections/Agents%20API`, { token: atok })).body.timeoutMs).toBe(12345);
    // Removing the client removes its tokens on every worker (within the recheck interval: a new store sees it at once).
    expect(await a.service.ctx.clients.remove(runner.client.id)).toBe(true);
    const third = await startWorker();
    expect((await call(`${third.url}/v1/scripts/echo/runs`, { token: tok, body: {} })).status).toBe(401);
    // Ready while the database answers.
    expect((await call(`${a.url}/readyz`)).status).toBe(200);
  });

  it('keeps every secret and token out of the tables, logs and responses', async () => {
    const w = workers[0] ?? (await startWorker());
    const seen: string[] = [];
    const admin = await w.service.ctx.clients.add('acme', ['run', 'admin']);
    const tok = await token(w.url, { id: admin.client.id, secret: admin.secret });
    const record = async (p: Promise<{ text: string; headers: Headers }>) => {
      const r = await p;
      seen.push(r.text, JSON.stringify([...r.headers]));
      return r;
    };
    const newSecret = 'pg-leak-check-value-93f1';
    await record(call(`${w.url}/v1/hub/connections/Agents%20API/secrets/extra`, { method: 'PUT', token: tok, body: { value: newSecret } }));
    await record(call(`${w.url}/v1/hub/connections/Agents%20API/secrets`, { token: tok }));
    await record(call(`${w.url}/v1/scripts/headers/runs`, { token: tok, body: { trace: 'statements' } }));
    await record(call(`${w.url}/v1/scripts/lookup/runs?mode=async`, { token: tok, body: { trace: true } }));
    await record(call(`${w.url}/v1/scripts/echo/runs`, { token: `${tok}x`, body: {} }));
    await record(call(`${w.url}/1.0/token`, { body: { grant_type: 'client_credentials', client_id: admin.client.id, client_secret: `${admin.secret}x` } }));
    // Let the async run end so its record is in the table too.
    for (const r of w.service.ctx.runs.active()) await r.done;
    const dump = await dumpAll(f.db);
    expect(dump).toContain('"keyId"');
    // The token's hash is stored, so the table is not empty: the token itself must not be.
    expect((await f.db.query('SELECT count(*)::int AS n FROM access_tokens')).rows[0].n).toBeGreaterThan(0);
    const key = readFileSync(path.join(f.dir, 'acme', 'hub', '.hubkey'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
    const all = [dump, ...seen, ...logs].join('\n');
    for (const value of [tok, admin.secret, newSecret, UPSTREAM.acme.secret, UPSTREAM.globex.secret, ...key]) {
      expect(all).not.toContain(value);
      expect(all).not.toContain(Buffer.from(value).toString('base64').replace(/=+$/, ''));
      expect(all).not.toContain(Buffer.from(value).toString('hex'));
    }
    expect(all).not.toMatch(/Bearer [A-Za-z0-9_-]{20,}/);
    expect(dump).not.toContain(f.dbUrl);
  });
});

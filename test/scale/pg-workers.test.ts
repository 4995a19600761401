// Worker processes on one PostgreSQL (the built `snip serve` binary as child processes): `snip serve
// migrate` and the start check, clients added with the CLI, two workers editing the same connection
// at once (every acknowledged change is there, none lost), and PostgreSQL stopped and started
// mid-load: 503 SNIP6030 with Retry-After while it is down, /readyz not ready, no half-written hub,
// and both workers recover without a restart.
import { execFile, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, writeFixtureFiles } from '../service/fixture.js';
import { SETUP_DB_TOOLS, requireTool } from '../helpers/tools.js';
import { postgresAvailable, startPgServer, type PgServer } from '../helpers/pg-server.js';
import { pgFixture, type PgFixture } from './pg-fixture.js';
import { spawnServe } from '../helpers/serve-process.js';

const run = requireTool('postgres', postgresAvailable, SETUP_DB_TOOLS);
const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'snip.js');
const exec = promisify(execFile);

let server: PgServer;
let f: PgFixture;
const children: ChildProcess[] = [];

interface Worker {
  child: ChildProcess;
  url: string;
  stdout: string[];
  stderr: string[];
}

async function startWorker(configFile: string, cwd: string): Promise<Worker> {
  const p = spawnServe(['--config', configFile, '--port', '0'], { cwd, env: { ...process.env, SNIP_DATABASE_URL: '' } });
  const w = await p;
  children.push(w.child);
  return w;
}

async function addClient(configFile: string, tenant: string, scopes: string): Promise<{ id: string; secret: string }> {
  const out = await exec(process.execPath, [bin, 'serve', 'client', 'add', '--tenant', tenant, '--scope', scopes, '--config', configFile], { cwd: f.dir });
  return { id: /client_id\s+(\S+)/.exec(out.stdout)![1]!, secret: /client_secret\s+(\S+)/.exec(out.stdout)![1]! };
}

async function token(url: string, c: { id: string; secret: string }): Promise<string> {
  const r = await call(`${url}/1.0/token`, { body: { grant_type: 'client_credentials', client_id: c.id, client_secret: c.secret } });
  if (r.status !== 200) throw new Error(`token ${r.status}: ${r.text}`);
  return r.body.access_token as string;
}

describe.skipIf(!run)('snip serve workers on PostgreSQL (child processes)', () => {
  beforeAll(async () => {
    await exec(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(root, 'tsconfig.json')]);
    server = await startPgServer();
    f = await pgFixture(server, 'workers');
  }, 180_000);
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await f?.db.close();
    await f?.api.close();
    await server?.stop();
    if (f) rmSync(f.dir, { recursive: true, force: true });
  });

  it('snip serve migrate brings a database up to date once; the service refuses an unmigrated one', async () => {
    const url = await server.createDatabase('cli_migrate');
    const dir = path.join(f.dir, 'migrate');
    const file = await writeFixtureFiles(dir, f.api.url, { database: { url } });
    const refused = await exec(process.execPath, [bin, 'serve', '--config', file, '--port', '0'], { cwd: dir }).catch((e: { code: number; stderr: string }) => e);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("error SNIP6031: the database schema is not created, this snip needs version 1: run 'snip serve migrate' first");
    expect(refused.stderr).not.toContain(url);
    const first = await exec(process.execPath, [bin, 'serve', 'migrate', '--config', file], { cwd: dir });
    expect(first.stdout).toContain('applied migration(s) 1');
    const again = await exec(process.execPath, [bin, 'serve', 'migrate', '--config', file], { cwd: dir });
    expect(again.stdout).toContain('the schema is up to date (version 1)');
    // SNIP_DATABASE_URL works as well as the config field.
    const bare = await writeFixtureFiles(path.join(f.dir, 'bare'), f.api.url);
    const viaEnv = await exec(process.execPath, [bin, 'serve', 'migrate', '--config', bare], { cwd: dir, env: { ...process.env, SNIP_DATABASE_URL: url } });
    expect(viaEnv.stdout).toContain('up to date');
  }, 120_000);

  it('two workers editing the same connection at once: every acknowledged change is kept', async () => {
    const [a, b] = await Promise.all([startWorker(f.configFile, f.dir), startWorker(f.configFile, f.dir)]);
    const admin = await addClient(f.configFile, 'acme', 'run,admin');
    const [ta, tb] = await Promise.all([token(a.url, admin), token(b.url, admin)]);
    const conn = 'Agents%20API';
    const writes: Promise<{ name: string; status: number; code?: string }>[] = [];
    for (let i = 0; i < 12; i++) {
      for (const [w, t, tag] of [[a, ta, 'a'], [b, tb, 'b']] as const) {
        const name = `${tag}-${i}`;
        writes.push(call(`${w.url}/v1/hub/connections/${conn}/requests`, { token: t, body: { name, trigger: 'studio' } }).then((r) => ({ name, status: r.status, code: r.body?.error?.code })));
      }
    }
    const patches = [
      call(`${a.url}/v1/hub/connections/${conn}`, { method: 'PATCH', token: ta, body: { timeoutMs: 22222 } }),
      call(`${b.url}/v1/hub/connections/${conn}/secrets/extra`, { method: 'PUT', token: tb, body: { value: 'concurrent-secret' } }),
    ];
    const results = await Promise.all(writes);
    const [patch, secret] = await Promise.all(patches);
    for (const r of results) expect(r.status === 201 || (r.status === 409 && r.code === 'SNIP4050'), JSON.stringify(r)).toBe(true);
    const acked = results.filter((r) => r.status === 201).map((r) => r.name);
    expect(acked.length).toBeGreaterThan(0);
    const after = await call(`${b.url}/v1/hub/connections/${conn}`, { token: tb });
    const names = (after.body.requests as { name: string }[]).map((r) => r.name);
    for (const n of acked) expect(names).toContain(n);
    // Nothing that was refused got in.
    for (const r of results.filter((x) => x.status !== 201)) expect(names).not.toContain(r.name);
    if (patch.status === 200) expect(after.body.timeoutMs).toBe(22222);
    else expect(patch.body.error.code).toBe('SNIP4050');
    if (secret.status === 200) expect(after.body.secrets).toContain('extra');
    else expect(secret.body.error.code).toBe('SNIP4050');
    for (const w of [a, b]) w.child.kill('SIGTERM');
  }, 120_000);

  it('PostgreSQL stopped and started mid-load: 503 while down, no half-written hub, recovery without restart', async () => {
    const [a, b] = await Promise.all([startWorker(f.configFile, f.dir), startWorker(f.configFile, f.dir)]);
    const client = await addClient(f.configFile, 'acme', 'run,admin');
    const tokens = new Map([[a, await token(a.url, client)], [b, await token(b.url, client)]]);
    // Writes go to a connection of their own (a connection holds at most 50 requests).
    const made = await call(`${a.url}/v1/hub/connections`, { token: tokens.get(a)!, body: { name: 'Load target', template: 'Demo REST API' } });
    expect(made.status).toBe(201);
    type Seen = { kind: 'run' | 'write'; phase: string; status: number; code?: string; retryAfter: string | null; name?: string; runStatus?: string };
    const seen: Seen[] = [];
    let phase = 'up';
    let stop = false;
    let n = 0;
    // Only acknowledged writes add a request (a connection holds at most 50); refused ones do not count.
    let acked = 0;
    const loop = async (w: Worker) => {
      const t = tokens.get(w)!;
      while (!stop) {
        const at = phase;
        const r = await call(`${w.url}/v1/scripts/lookup/runs`, { token: t, body: {} });
        seen.push({ kind: 'run', phase: at === phase ? at : 'edge', status: r.status, code: r.body?.error?.code, retryAfter: r.headers.get('retry-after'), runStatus: r.body?.status });
        if (acked >= 45) continue;
        const name = `load-${n++}`;
        const at2 = phase;
        const wr = await call(`${w.url}/v1/hub/connections/Load%20target/requests`, { token: t, body: { name, trigger: 'studio' } });
        if (wr.status === 201) acked++;
        seen.push({ kind: 'write', phase: at2 === phase ? at2 : 'edge', status: wr.status, code: wr.body?.error?.code, retryAfter: wr.headers.get('retry-after'), name });
      }
    };
    // A loop whose worker died fails the test with the worker's own output.
    const guard = (w: Worker) =>
      loop(w).catch((e: unknown) => {
        stop = true;
        throw new Error(`${String(e)}; worker exit ${w.child.exitCode} ${w.child.signalCode}: ${w.stderr.join('')} ${w.stdout.join('').slice(-3000)}`);
      });
    const loops = [guard(a), guard(b), guard(a)];
    const count = (p: string, pred: (s: Seen) => boolean) => seen.filter((s) => s.phase === p && pred(s)).length;
    while (count('up', (s) => s.kind === 'run' && s.status === 200) < 6) await new Promise((r) => setImmediate(r));

    await server.stopServer();
    phase = 'down';
    // Wait until both kinds of request were refused on both workers' behalf, and readiness says so.
    while (count('down', (s) => s.status === 503 && s.kind === 'run') < 4 || count('down', (s) => s.status === 503 && s.kind === 'write') < 4) {
      await new Promise((r) => setTimeout(r, 20));
    }
    for (const w of [a, b]) {
      const ready = await call(`${w.url}/readyz`);
      expect(ready.status, ready.text).toBe(503);
      expect(ready.body).toMatchObject({ status: 'database unavailable', code: 'SNIP6030' });
    }
    phase = 'restarting';
    await server.start();
    // Both workers see the database again by themselves (the same processes: no restart).
    for (const w of [a, b]) while ((await call(`${w.url}/readyz`)).status !== 200) await new Promise((r) => setTimeout(r, 50));
    phase = 'recovered';
    while (count('recovered', (s) => s.kind === 'run' && s.status === 200) < 6 || count('recovered', (s) => s.kind === 'write' && s.status === 201) < 3) {
      await new Promise((r) => setTimeout(r, 20));
    }
    stop = true;
    await Promise.all(loops);

    for (const s of seen.filter((x) => x.phase === 'down')) {
      // Down: refused with the database code and a Retry-After, or (a run already past the gate) answered by its own error branch.
      if (s.status === 503) {
        expect(s.code, JSON.stringify(s)).toBe('SNIP6030');
        expect(s.retryAfter, JSON.stringify(s)).toBe('2');
      } else {
        expect(s.kind, JSON.stringify(s)).toBe('run');
        expect(s.status, JSON.stringify(s)).toBe(200);
      }
    }
    for (const s of seen.filter((x) => x.phase === 'recovered')) {
      if (s.kind === 'run') expect(s.runStatus, JSON.stringify(s)).toBe('completed');
      else expect(s.status, JSON.stringify(s)).toBe(201);
    }
    expect(seen.filter((s) => s.status >= 500 && s.status !== 503)).toEqual([]);
    expect(a.child.exitCode).toBeNull();
    expect(b.child.exitCode).toBeNull();

    // The hub is whole: every acknowledged write is there, no refused one is, and it still loads.
    const t = tokens.get(a)!;
    const conn = await call(`${a.url}/v1/hub/connections/Load%20target`, { token: t });
    expect(conn.status).toBe(200);
    const names = new Set((conn.body.requests as { name: string }[]).map((r) => r.name));
    for (const s of seen.filter((x) => x.kind === 'write' && x.status === 503)) expect(names.has(s.name!)).toBe(false);
    for (const s of seen.filter((x) => x.kind === 'write' && x.status === 201)) expect(names.has(s.name!)).toBe(true);
    const runs = await call(`${b.url}/v1/scripts/lookup/runs`, { token: t, body: {} });
    expect(runs.body.outputs.status).toBe('ok');
    // Logs name the database code, never the URL.
    const logs = [...a.stdout, ...b.stdout, ...a.stderr, ...b.stderr].join('');
    expect(logs).toContain('SNIP6030');
    expect(logs).not.toContain(f.dbUrl);
    for (const w of [a, b]) w.child.kill('SIGTERM');
  }, 120_000);
});

// `snip serve --workers N` (node:cluster), the built binary as a child process: refused with SNIP6025
// on the embedded default (runs and bearer tokens live in one process's memory); on PostgreSQL +
// Redis, N workers share one port, a token from one serves on all, runs spread over the workers,
// a killed worker is replaced, and SIGTERM drains them all and exits 0. No secret in any output.
import { execFile, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileBundle } from '../../cli/hub/bundle.js';
import { FileHubStore } from '../../runtime/hub/file-store.js';
import { Database } from '../../service/pg/database.js';
import { PgClientStore } from '../../service/pg/client-store.js';
import { PgHubStore } from '../../service/pg/hub-store.js';
import { migrate } from '../../service/pg/migrations.js';
import { postgresAvailable, startPgServer, type PgServer } from '../helpers/pg-server.js';
import { redisAvailable, startRedis, type TestRedis } from '../helpers/redis-server.js';
import { SETUP_DB_TOOLS, requireTool } from '../helpers/tools.js';
import { QUEUE, UPSTREAM_CLIENT, build, startUpstream, writeScaleFiles, type ScaleFiles, type Upstream } from '../scale/redis-fixture.js';
import { spawnServe } from '../helpers/serve-process.js';

const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'snip.js');

/** One request on a fresh connection (the cluster hands each new connection to the next worker). */
function post(url: string, token: string, body: unknown): Promise<{ status: number; body: any; text: string }> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = httpRequest(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'content-length': Buffer.byteLength(data) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined, text }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

/** GET on a connection of its own (so the primary may hand it to any worker). */
function getText(url: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'GET', agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('snip serve --workers on the embedded default', () => {
  let files: ScaleFiles | undefined;
  afterAll(async () => {
    if (files) await fs.rm(files.dir, { recursive: true, force: true });
  });

  it('is refused with SNIP6025 (exit 1), and a bad count is a usage error (exit 2)', async () => {
    await build();
    files = await writeScaleFiles('http://127.0.0.1:9', undefined);
    const run = (args: string[]) =>
      promisify(execFile)(process.execPath, [bin, 'serve', '--config', files!.configFile, '--port', '0', ...args], { cwd: files!.dir, env: { ...process.env, SNIP_DATABASE_URL: '', SNIP_REDIS_URL: '' } }).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
      );
    const refused = await run(['--workers', '2']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('SNIP6025');
    expect(refused.stderr).toContain('PostgreSQL');
    expect(refused.stderr).not.toContain(files.client.secret);
    const bad = await run(['--workers', 'two']);
    expect(bad.code).toBe(2);
  }, 60_000);
});

const run = requireTool('postgres', postgresAvailable, SETUP_DB_TOOLS) && requireTool('redis-server', redisAvailable(), SETUP_DB_TOOLS);

describe.skipIf(!run)('snip serve --workers 2 on PostgreSQL + Redis', () => {
  let pg: PgServer;
  let redis: TestRedis;
  let up: Upstream;
  let files: ScaleFiles;
  let db: Database;
  let primary: ChildProcess | undefined;
  const stdout: string[] = [];
  const stderr: string[] = [];
  let url = '';
  let token = '';

  beforeAll(async () => {
    await build();
    [pg, redis, up] = await Promise.all([startPgServer(), startRedis(), startUpstream()]);
    const dbUrl = await pg.createDatabase('workers');
    files = await writeScaleFiles(up.url, { url: redis.url, queue: QUEUE }, { database: { url: dbUrl } });
    db = new Database({ url: dbUrl });
    await migrate(db);
    const hubDir = path.join(files.dir, 'acme', 'hub');
    await new PgHubStore({ db, tenant: 'acme', keyFile: path.join(hubDir, '.hubkey') }).importBundle(await readFileBundle(new FileHubStore({ dir: hubDir })));
    const { client, secret } = await new PgClientStore(db).add('acme', ['run']);
    files = { ...files, client: { id: client.id, secret } };
    const served = await spawnServe(['--config', files.configFile, '--port', '0', '--workers', '2'], { cwd: files.dir, ready: /2 workers listening on (http:\/\/127\.0\.0\.1:\d+)/, stdout, stderr });
    primary = served.child;
    url = served.url;
    const res = await fetch(`${url}/1.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: files.client.id, client_secret: files.client.secret }),
    });
    expect(res.status).toBe(200);
    token = ((await res.json()) as { access_token: string }).access_token;
  }, 240_000);

  afterAll(async () => {
    if (primary && primary.exitCode === null && primary.signalCode === null) {
      const exited = new Promise((r) => primary!.once('exit', r));
      primary.kill('SIGKILL');
      await exited;
    }
    await db?.close();
    await up?.close();
    await redis?.close();
    await pg?.stop();
    if (files) await fs.rm(files.dir, { recursive: true, force: true });
  });

  /** Pids of the workers that logged a finished run so far. */
  const runPids = () =>
    new Set(
      stdout
        .join('')
        .split('\n')
        .filter((l) => l.includes('"msg":"run finished"'))
        .map((l) => (JSON.parse(l) as { pid: number }).pid),
    );

  it('serves runs on both workers with one token (tokens and runs are shared)', async () => {
    // Each request on its own connection: the primary hands connections to the workers in turn.
    // Bounded: a deterministic spread would be reached long before.
    for (let i = 0; i < 40 && runPids().size < 2; i++) {
      const r = await post(`${url}/v1/scripts/fetch/runs`, token, { inputs: {} });
      expect(r.status).toBe(200);
      expect(r.body.status).toBe('completed');
      // Log lines reach stdout at the end of the worker's turn: wait for this run's line.
      while (![...stdout.join('').matchAll(/"runId":"([^"]+)"/g)].some((m) => m[1] === r.body.id)) await new Promise((res) => setTimeout(res, 20));
    }
    expect(runPids().size).toBe(2);
    // The upstream token was fetched once for both workers (shared through Redis).
    expect(up.tokenRequests).toBe(1);
  }, 120_000);

  it('answers /metrics on any worker with the runs of all workers summed', async () => {
    const finished = stdout.join('').split('\n').filter((l) => l.includes('"msg":"run finished"')).length;
    expect(runPids().size).toBe(2);
    const completed = (text: string) =>
      text
        .split('\n')
        .filter((l) => l.startsWith('snip_runs_total{') && l.includes('status="completed"'))
        .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    // Several scrapes, each on its own connection, so both workers answer some of them.
    for (let i = 0; i < 6; i++) {
      const m = await getText(`${url}/metrics`);
      expect(m.status).toBe(200);
      expect(completed(m.text)).toBe(finished);
      expect(m.text).not.toContain(token);
    }
  }, 60_000);

  it('replaces a worker that dies, then drains all on SIGTERM and exits 0', async () => {
    const [victim] = [...runPids()];
    process.kill(victim!, 'SIGKILL');
    while (!/starting another/.test(stderr.join(''))) await new Promise((res) => setTimeout(res, 50));
    // Still served (by the survivor, then the replacement too).
    for (let i = 0; i < 6; i++) expect((await post(`${url}/v1/scripts/fetch/runs`, token, { inputs: {} })).body.status).toBe('completed');
    const exited = new Promise<number | null>((r) => primary!.once('exit', (code) => r(code)));
    primary!.kill('SIGTERM');
    expect(await exited).toBe(0);
    const err = stderr.join('');
    expect(err).toContain('SIGTERM: draining');
    expect(err).toContain('snip serve: stopped');
    const out = stdout.join('');
    for (const v of [token, files.client.secret, UPSTREAM_CLIENT.secret]) {
      expect(out).not.toContain(v);
      expect(err).not.toContain(v);
    }
  }, 120_000);
});

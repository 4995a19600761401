// `snip serve` as a real child process (the built binary): `client add` prints a secret once, the
// service answers over HTTP, and SIGTERM with sync and async runs in flight loses none and exits 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startDemoApi, type DemoApi } from '../../samples/demo-api/index.js';
import { call, UPSTREAM, writeFixtureFiles } from './fixture.js';
import { spawnServe, type ServeProcess } from '../helpers/serve-process.js';

const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'snip.js');
const run = promisify(execFile);

let dir: string;
let api: DemoApi;
let configFile: string;

beforeAll(async () => {
  await run(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(root, 'tsconfig.json')]);
  dir = mkdtempSync(path.join(tmpdir(), 'snip-serve-proc-'));
  api = await startDemoApi({ credentials: { clients: { [UPSTREAM.acme.id]: UPSTREAM.acme.secret, [UPSTREAM.globex.id]: UPSTREAM.globex.secret } } });
  configFile = await writeFixtureFiles(dir, api.url, { drainMs: 20000 });
}, 120_000);
afterAll(async () => {
  await api?.close();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

function start(): Promise<ServeProcess> {
  return spawnServe(['--config', configFile, '--port', '0'], { cwd: dir });
}

describe('snip serve (child process)', () => {
  it('adds a client, serves runs, and drains on SIGTERM without losing a run in flight', async () => {
    const added = await run(process.execPath, [bin, 'serve', 'client', 'add', '--tenant', 'acme', '--scope', 'run,admin', '--config', configFile], { cwd: dir });
    const id = /client_id\s+(\S+)/.exec(added.stdout)![1]!;
    const secret = /client_secret\s+(\S+)/.exec(added.stdout)![1]!;
    expect(secret).toMatch(/^snipcs_/);
    const listed = await run(process.execPath, [bin, 'serve', 'client', 'list', '--config', configFile], { cwd: dir });
    expect(listed.stdout).toContain(id);
    expect(listed.stdout).not.toContain(secret);

    const svc = await start();
    const tok = await call(`${svc.url}/1.0/token`, { body: { grant_type: 'client_credentials', client_id: id, client_secret: secret } });
    expect(tok.status).toBe(200);
    const token = tok.body.access_token as string;
    expect((await call(`${svc.url}/v1/scripts/echo/runs`, { token, body: { inputs: { name: 'proc' } } })).body.outputs.greeting).toBe('Hello, proc!');

    // Three sync runs and one async run, all inside a slow upstream call when SIGTERM arrives.
    const before = api.stats.byRoute['GET /slow'] ?? 0;
    const syncRuns = [1, 2, 3].map(() => call(`${svc.url}/v1/scripts/slow/runs`, { token, body: { inputs: { ms: 600 } } }));
    const asyncRun = await call(`${svc.url}/v1/scripts/slow/runs?mode=async`, { token, body: { inputs: { ms: 600 } } });
    expect(asyncRun.status).toBe(202);
    while ((api.stats.byRoute['GET /slow'] ?? 0) < before + 4) await new Promise((r) => setTimeout(r, 10));
    const exited = new Promise<number | null>((r) => svc.child.once('exit', (code) => r(code)));
    svc.child.kill('SIGTERM');
    const results = await Promise.all(syncRuns);
    for (const r of results) {
      expect(r.status).toBe(200);
      expect(r.body.status).toBe('completed');
      expect(r.body.outputs.status).toBe('ok');
    }
    expect(await exited).toBe(0);
    const err = svc.stderr.join('');
    expect(err).toContain('SIGTERM: draining');
    expect(err).toContain('snip serve: stopped');
    // The async run finished too: its 'run finished' log line says completed.
    const logs = svc.stdout.join('');
    const finished = logs.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((l) => l.runId === asyncRun.body.id);
    expect(finished).toMatchObject({ msg: 'run finished', status: 'completed', tenant: 'acme', script: 'slow' });
    expect(logs).not.toContain(secret);
    expect(logs).not.toContain(token);
    for (const line of logs.split('\n').filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
  }, 60_000);

  it('exits 1 with a clear message for a bad config', async () => {
    const bad = path.join(dir, 'bad.json');
    await fs.writeFile(bad, '{"tenants": {"../x": {"scripts": "s"}}}');
    const r = await run(process.execPath, [bin, 'serve', '--config', bad, '--port', '0'], { cwd: dir }).catch((e: { code: number; stderr: string }) => e);
    expect((r as { code: number }).code).toBe(1);
    expect((r as { stderr: string }).stderr).toMatch(/error SNIP6001: config: tenant name/);
  });
});

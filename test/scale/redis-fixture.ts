// The scale-out fixture for the Redis suites: a local upstream (an OAuth token endpoint that counts
// its requests and can revoke tokens or hold a request, a protected /data resource and a /slow one
// that records aborted requests), a config folder shared by several `snip serve` child processes
// (one state folder, one file hub, one Redis), and helpers to start, call and kill those workers.
import { execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, promises as fs } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { FileHubStore } from '../../runtime/hub/file-store.js';
import { seedHub } from '../../runtime/hub/seed.js';
import { ClientStore } from '../../service/client-store.js';
import type { ServiceConfigInput } from '../../service/config.js';
import type { RunView } from '../../service/run-registry.js';
import { call, callScript } from '../service/fixture.js';
import { spawnServe } from '../helpers/serve-process.js';

export { call };

const root = path.resolve(__dirname, '..', '..');

export const UPSTREAM_CLIENT = { id: 'scale-upstream', secret: 'scale-upstream-secret-4d1e9a' };

let built: Promise<unknown> | undefined;

/** Builds dist/ once per test file (the workers run bin/snip.js). */
export async function build(): Promise<void> {
  built ??= promisify(execFile)(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(root, 'tsconfig.json')]);
  await built;
}

export interface Upstream {
  url: string;
  /** Token requests answered or held, in order. */
  tokenRequests: number;
  /** Every access token issued (for the leak search). */
  issued: string[];
  /** 401 answers of the resource. */
  unauthorized: number;
  /** /slow requests started, and those whose client went away before the answer. */
  slowStarted: number;
  slowAborted: number;
  /** The x-request-id of every /slow request started (a run's request id). */
  slowIds: Set<string>;
  /** Revokes every token issued so far: the next resource request with one answers 401. */
  revoke(): void;
  /** While set, token requests get no answer (a fetcher that will die holding its lock). */
  holdTokens: boolean;
  /** Resolves once `n` token requests arrived. */
  tokenRequested(n: number): Promise<void>;
  /** Resolves once `n` slow requests started. */
  slowRequested(n: number): Promise<void>;
  /** Resolves once a slow request of each of these request ids started. */
  slowSeen(ids: string[]): Promise<void>;
  close(): Promise<void>;
}

/** A local OAuth upstream: POST /oauth/token (client credentials), GET /data (bearer), GET /slow?ms=. */
export async function startUpstream(): Promise<Upstream> {
  const valid = new Set<string>();
  const waiters: (() => void)[] = [];
  const held: ServerResponse[] = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  const until = (cond: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => (cond() ? resolve() : waiters.push(check));
      check();
    });
  const body = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let text = '';
      req.on('data', (d: Buffer) => (text += d.toString()));
      req.on('end', () => resolve(text));
    });
  const json = (res: ServerResponse, status: number, value: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value));
  };
  const up: Upstream = {
    url: '',
    tokenRequests: 0,
    issued: [],
    unauthorized: 0,
    slowStarted: 0,
    slowAborted: 0,
    slowIds: new Set(),
    holdTokens: false,
    revoke: () => valid.clear(),
    tokenRequested: (n) => until(() => up.tokenRequests >= n),
    slowRequested: (n) => until(() => up.slowStarted >= n),
    slowSeen: (ids) => until(() => ids.every((id) => up.slowIds.has(id))),
    close: () =>
      new Promise((resolve) => {
        for (const r of held) r.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (req.method === 'POST' && url.pathname === '/oauth/token') {
        const form = new URLSearchParams(await body(req));
        up.tokenRequests++;
        wake();
        if (form.get('client_id') !== UPSTREAM_CLIENT.id || form.get('client_secret') !== UPSTREAM_CLIENT.secret) return json(res, 401, { error: 'invalid_client' });
        if (up.holdTokens) {
          held.push(res);
          return;
        }
        // A little latency, so concurrent runs of every worker really ask at the same time.
        await new Promise((r) => setTimeout(r, 150));
        const token = `up-tok-${randomBytes(18).toString('hex')}`;
        valid.add(token);
        up.issued.push(token);
        return json(res, 200, { access_token: token, token_type: 'Bearer', expires_in: 3600 });
      }
      const auth = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!auth || !valid.has(auth)) {
        up.unauthorized++;
        return json(res, 401, { error: 'invalid_token' });
      }
      if (url.pathname === '/data') return json(res, 200, { ok: true, worker: req.headers['x-request-id'] ?? '' });
      if (url.pathname === '/slow') {
        up.slowStarted++;
        up.slowIds.add(String(req.headers['x-request-id'] ?? ''));
        wake();
        const ms = Number(url.searchParams.get('ms') ?? '500');
        let finished = false;
        res.once('close', () => {
          if (!finished) up.slowAborted++;
        });
        await new Promise((r) => setTimeout(r, ms));
        finished = true;
        if (!res.destroyed) json(res, 200, { ok: true });
        return;
      }
      json(res, 404, { error: 'not found' });
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  up.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return up;
}

export interface ScaleFiles {
  dir: string;
  configFile: string;
  client: { id: string; secret: string };
}

/**
 * A config folder for N workers: tenant `acme` with scripts `fetch` (one OAuth call to /data) and
 * `slow` (one call to /slow?ms=), a file hub whose connection authenticates at the upstream, one
 * state folder, and `redis` settings.
 */
export async function writeScaleFiles(upstreamUrl: string, redis: ServiceConfigInput['redis'], extra: Partial<ServiceConfigInput> = {}): Promise<ScaleFiles> {
  const dir = mkdtempSync(path.join(tmpdir(), 'snip-scale-'));
  const scripts = path.join(dir, 'acme', 'scripts');
  await fs.mkdir(scripts, { recursive: true });
  await fs.writeFile(path.join(scripts, 'fetch.studio'), callScript('"[[INSTANCEURI]]/data"'));
  await fs.writeFile(path.join(scripts, 'slow.studio'), callScript('"[[INSTANCEURI]]/slow"'));
  const store = new FileHubStore({ dir: path.join(dir, 'acme', 'hub'), env: {} });
  await store.init();
  await seedHub(store, {
    templates: [{ name: 'Upstream API', application: 'Upstream', authType: 'oauth2-client-credentials', verbs: ['GET', 'POST'] }],
    connections: [
      {
        name: 'Agents API',
        template: 'Upstream API',
        timeoutMs: 30000,
        auth: { url: '[[INSTANCEURI]]/oauth/token', method: 'POST', mediaType: 'application/x-www-form-urlencoded' },
        secrets: { INSTANCEURI: upstreamUrl, client_id: UPSTREAM_CLIENT.id, client_secret: UPSTREAM_CLIENT.secret },
        requests: [{ name: 'Lookup agent', trigger: 'studio' }],
      },
    ],
  });
  const config: ServiceConfigInput = {
    stateDir: 'state',
    tenants: { acme: { scripts: 'acme/scripts', hub: 'acme/hub' } },
    rateLimit: { perClient: 1000, perAddress: 1000 },
    drainMs: 2000,
    ...(redis ? { redis } : {}),
    ...extra,
  };
  const configFile = path.join(dir, 'snip-serve.json');
  await fs.writeFile(configFile, JSON.stringify(config, null, 2));
  const { client, secret } = await new ClientStore(path.join(dir, 'state')).add('acme', ['run', 'admin']);
  return { dir, configFile, client: { id: client.id, secret } };
}

export interface Worker {
  child: ChildProcess;
  url: string;
  stdout: string[];
  stderr: string[];
  /** A bearer token of this worker (each process keeps its own issued tokens). */
  token: string;
  exited: Promise<number | null>;
}

/** Starts `snip serve` on a free port and fetches a bearer token from it. */
export async function startWorker(files: ScaleFiles, env: Record<string, string> = {}): Promise<Worker> {
  const { child, url, stdout, stderr, exited } = await spawnServe(['--config', files.configFile, '--port', '0'], { cwd: files.dir, env: { ...process.env, ...env } });
  const res = await fetch(`${url}/1.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: files.client.id, client_secret: files.client.secret }),
  });
  if (res.status !== 200) throw new Error(`token: ${res.status} ${await res.text()}`);
  const token = ((await res.json()) as { access_token: string }).access_token;
  return { child, url, stdout, stderr, token, exited };
}

// Short enough for a quick takeover after kill -9, long enough that a busy event loop still renews it.
export const QUEUE = { concurrency: 4, lockMs: 3000, stalledMs: 1000, maxStalled: 1 };
const ENDED = new Set(['completed', 'failed', 'cancelled']);

/** Polls GET /v1/runs/{id} on `w` until the run ended (bounded: a stuck run fails the test). */
export async function settle(w: Worker, id: string, rounds = 600): Promise<{ status: number; body: RunView }> {
  for (let i = 0; ; i++) {
    const r = await call(`${w.url}/v1/runs/${id}`, { token: w.token });
    if (r.status !== 200 || ENDED.has(r.body.status) || i >= rounds) return r;
    await new Promise((res) => setTimeout(res, 100));
  }
}

/** Stops a worker: SIGTERM (drain), or SIGKILL. */
export async function stopWorker(w: Worker, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill(signal);
  await w.exited.catch(() => undefined);
}

/** Every key of a Redis with its value(s) as text, whatever the type (the leak search reads it all). */
export async function dumpRedis(redis: import('ioredis').Redis): Promise<{ keys: string[]; text: string }> {
  const keys = await redis.keys('*');
  const parts: string[] = [];
  for (const k of keys) {
    const type = await redis.type(k);
    parts.push(k);
    if (type === 'string') parts.push((await redis.get(k)) ?? '');
    else if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(k)));
    else if (type === 'list') parts.push(JSON.stringify(await redis.lrange(k, 0, -1)));
    else if (type === 'set') parts.push(JSON.stringify(await redis.smembers(k)));
    else if (type === 'zset') parts.push(JSON.stringify(await redis.zrange(k, 0, -1, 'WITHSCORES')));
    else if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(k, '-', '+')));
  }
  return { keys, text: parts.join('\n') };
}

/** Searches text for a value in clear, base64 and hex. */
export function holds(text: string, value: string): boolean {
  const b64 = Buffer.from(value).toString('base64').replace(/=+$/, '');
  return text.includes(value) || text.includes(b64) || text.includes(Buffer.from(value).toString('hex'));
}

// HTTP through the hub (issue 12): a local server on 127.0.0.1 (OAuth token endpoint + JSON API), and
// three clients of it interleaved in slices in one process, so machine load hits them alike:
//   raw undici       `request()` with a token fetched once, the ceiling;
//   documented path  `runScript(path, { hub })` per call, as docs/hub.md tells a host (one store and
//                    one TokenCache for the process, a HubServices per run);
//   path, one hub    `runScript(path)` per call with one HubServices shared by every run (the script
//                    cache alone, without the per-run hub);
//   compiled once    one compiled script and one HubServices shared by every run.
// Printed: req/s, p50/p99 latency and the process RSS after each client's slices, as ratios to raw undici.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import { pathToFileURL } from 'node:url';
import * as compileMod from '../runtime/flow/compile-script.js';
import * as storeMod from '../runtime/hub/file-store.js';
import * as servicesMod from '../runtime/hub/services.js';
import * as tokensMod from '../runtime/hub/token-cache.js';
import * as runMod from '../runtime/run-script.js';

/**
 * The runtime modules a client is built from: this build's, or (`--base=DIR`) those of another
 * build's dist folder, so a before/after comparison runs interleaved in one process.
 */
interface Runtime {
  label: string;
  compileScript: typeof compileMod.compileScript;
  FileHubStore: typeof storeMod.FileHubStore;
  HubServices: typeof servicesMod.HubServices;
  TokenCache: typeof tokensMod.TokenCache;
  runScript: typeof runMod.runScript;
  runCompiledScript: typeof runMod.runCompiledScript;
}

const thisBuild: Runtime = { label: '', ...compileMod, ...storeMod, ...servicesMod, ...tokensMod, ...runMod };

async function baseBuild(dir: string): Promise<Runtime> {
  const load = async <T>(rel: string): Promise<T> => (await import(pathToFileURL(path.resolve(dir, rel)).href)) as T;
  return {
    label: ' [base]',
    ...(await load<typeof compileMod>('runtime/flow/compile-script.js')),
    ...(await load<typeof storeMod>('runtime/hub/file-store.js')),
    ...(await load<typeof servicesMod>('runtime/hub/services.js')),
    ...(await load<typeof tokensMod>('runtime/hub/token-cache.js')),
    ...(await load<typeof runMod>('runtime/run-script.js')),
  };
}

/** The script every hub client runs: build a studio payload, send it, keep the agent id. */
const SCRIPT = `SCRIPT "Bench lookup"
PARAMS agentId

BEGIN start -> build

SNIPPET build {
  DYNAMIC p
  ASSIGN p.URL = "[[INSTANCEURI]]/agents/{agentId}"
  ASSIGN p.HTTPMETHOD = "GET"
  ASSIGN payload = p.asjson()
}
  Error -> failed

CONNECTREQUEST call (connectName = "Agents API", requestName = "Lookup agent", requestPayload = payload)
  OnSuccess -> done
  OnError -> failed
  OnTimeout -> failed

END done
END failed
`;

interface Server {
  url: string;
  tokens: number;
  close(): Promise<void>;
}

/** The local API: a client-credentials token endpoint and `GET /agents/:id` behind the bearer token. */
async function startServer(): Promise<Server> {
  const issued = new Set<string>();
  const state = { tokens: 0 };
  const reply = (res: ServerResponse, status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (req.method === 'POST' && url.pathname === '/oauth/token') {
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        const basic = req.headers.authorization?.startsWith('Basic ') === true;
        if (!basic && form.get('client_id') !== 'bench-client') return reply(res, 401, { error: 'invalid_client' });
        const token = `tok-${++state.tokens}-${Math.random().toString(36).slice(2)}`;
        issued.add(token);
        return reply(res, 200, { access_token: token, token_type: 'Bearer', expires_in: 3600 });
      }
      const m = /^\/agents\/([\w-]+)$/.exec(url.pathname);
      if (req.method === 'GET' && m) {
        const auth = req.headers.authorization ?? '';
        if (!auth.startsWith('Bearer ') || !issued.has(auth.slice(7))) return reply(res, 401, { error: 'unauthorized' });
        return reply(res, 200, { id: m[1], firstName: 'Ada', lastName: 'Lovelace', skill: 'billing', queue: 'priority' });
      }
      reply(res, 404, { error: 'no such route' });
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get tokens() {
      return state.tokens;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** One request of a client: resolves to the agent id the server answered with. */
type Client = { name: string; once(agentId: string): Promise<string> };

function rawUndici(url: string): Client {
  let token: Promise<string> | undefined;
  const getToken = async (): Promise<string> => {
    const res = await request(`${url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=bench-client&client_secret=bench-secret',
    });
    return ((await res.body.json()) as { access_token: string }).access_token;
  };
  return {
    name: 'raw undici',
    async once(agentId) {
      token ??= getToken();
      const res = await request(`${url}/agents/${agentId}`, { headers: { authorization: `Bearer ${await token}` } });
      const body = (await res.body.json()) as { id: string };
      return body.id;
    },
  };
}

function agentOf(r: { error: unknown; variables: Record<string, unknown> }): string {
  if (r.error !== undefined) throw new Error(`run failed: ${JSON.stringify(r.error)}`);
  const body = r.variables['requestBody'] as { id?: string } | undefined;
  if (body?.id === undefined) throw new Error(`no agent in the response: ${String(r.variables['_ERR'])}`);
  return body.id;
}

/**
 * What docs/hub.md tells a long-lived host to pass: the store and the script cache watch their
 * folders instead of a stat per file and run (printed with the results).
 */
const HOST_STORE_OPTIONS = { watch: true } as const;
const HOST_RUN_OPTIONS = { watch: true } as const;

function documentedPath(rt: Runtime, dir: string, file: string): Client {
  // The host's one store for the process, as docs/hub.md tells a long-lived host to open it.
  const store = new rt.FileHubStore({ dir, env: {}, ...HOST_STORE_OPTIONS });
  const tokens = new rt.TokenCache();
  return {
    name: `runScript(path, { hub })${rt.label}`,
    async once(agentId) {
      const hub = new rt.HubServices(store, { tokens });
      try {
        return agentOf(await rt.runScript(file, { hub, masker: hub.mask, inputs: { agentId }, ...HOST_RUN_OPTIONS }));
      } finally {
        await hub.close();
      }
    },
  };
}

function pathOneHub(rt: Runtime, dir: string, file: string): Client {
  const hub = new rt.HubServices(new rt.FileHubStore({ dir, env: {} }), { tokens: new rt.TokenCache() });
  return {
    name: `runScript(path), one hub${rt.label}`,
    async once(agentId) {
      return agentOf(await rt.runScript(file, { hub, masker: hub.mask, inputs: { agentId } }));
    },
  };
}

function compiledOnce(rt: Runtime, dir: string): Client {
  const compiled = rt.compileScript(SCRIPT, { fileName: 'lookup.studio' });
  if (compiled.flow === undefined) throw new Error(`bench script does not compile: ${compiled.diagnostics[0]?.message}`);
  const hub = new rt.HubServices(new rt.FileHubStore({ dir, env: {} }), { tokens: new rt.TokenCache() });
  return {
    name: `compiled once, one hub${rt.label}`,
    async once(agentId) {
      return agentOf(await rt.runCompiledScript(compiled, { hub, masker: hub.mask, inputs: { agentId }, fileName: 'lookup.studio' }));
    },
  };
}

interface Tally {
  requests: number;
  ms: number;
  latencies: number[];
  rss: number;
  /** Process CPU (user + system) in µs spent in this client's slices: its own cost plus the server's. */
  cpuUs: number;
}

/** Runs `client` with `concurrency` workers until `ms` has passed; checks every answer. */
async function slice(client: Client, concurrency: number, ms: number, into: Tally): Promise<void> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const until = t0 + ms;
  let n = 0;
  const worker = async (w: number): Promise<void> => {
    while (performance.now() < until) {
      const id = `A-${w}-${n++ % 100}`;
      const s = performance.now();
      const got = await client.once(id);
      into.latencies.push(performance.now() - s);
      if (got !== id) throw new Error(`${client.name}: asked for ${id}, got ${got}`);
      into.requests++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  into.ms += performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  into.cpuUs += cpu.user + cpu.system;
  into.rss = Math.max(into.rss, process.memoryUsage().rss);
}

/** Longer than the script cache's and the hub's window for files changed a moment ago. */
const SETTLE_MS = 2100;

function fields(o: Record<string, unknown>): string {
  return Object.entries(o).map(([k, v]) => `${k}: ${String(v)}`).join(', ');
}

function pct(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

function option(args: string[], name: string, fallback: number): number {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  const v = a === undefined ? fallback : Number(a.slice(name.length + 3));
  if (!Number.isFinite(v) || v <= 0) throw new Error(`bench http: --${name} must be a positive number`);
  return v;
}

/**
 * `npm run bench -- http [--slice-ms=N] [--rounds=N] [--concurrency=1,16,64] [--clients=documented,path,compiled] [--base=DIST]`.
 * `--base` adds each client built from another build's dist folder (before/after in the same rounds).
 */
export async function main(args: string[]): Promise<void> {
  const sliceMs = option(args, 'slice-ms', 500);
  const rounds = option(args, 'rounds', 6);
  const cArg = args.find((x) => x.startsWith('--concurrency='));
  const levels = cArg === undefined ? [1, 16, 64] : cArg.slice(14).split(',').map(Number);
  const server = await startServer();
  const dir = await mkdtemp(path.join(tmpdir(), 'snip-bench-http-'));
  try {
    const hubDir = path.join(dir, 'hub');
    const store = new storeMod.FileHubStore({ dir: hubDir, env: {} });
    await store.createTemplate({ name: 'Bench OAuth', application: 'Bench', authType: 'oauth2-client-credentials', verbs: ['GET', 'POST'] });
    await store.createConnection({ name: 'Agents API', template: 'Bench OAuth', timeoutMs: 10_000 });
    await store.setSecret('Agents API', 'INSTANCEURI', server.url);
    await store.setSecret('Agents API', 'client_id', 'bench-client');
    await store.setSecret('Agents API', 'client_secret', 'bench-secret');
    await store.updateConnection('Agents API', { auth: { url: '[[INSTANCEURI]]/oauth/token', method: 'POST', headers: {}, query: {} } });
    await store.addRequest('Agents API', { name: 'Lookup agent', trigger: 'studio' });
    const file = path.join(dir, 'lookup.studio');
    await writeFile(file, SCRIPT);

    const builds = [thisBuild];
    const baseArg = args.find((x) => x.startsWith('--base='));
    if (baseArg !== undefined) builds.push(await baseBuild(baseArg.slice(7)));
    const kinds = { documented: documentedPath, path: pathOneHub, compiled: compiledOnce } as const;
    // `--clients=documented` runs one client alone (with raw undici as the base), e.g. under --cpu-prof.
    const picked = args.find((x) => x.startsWith('--clients='))?.slice(10).split(',').filter((k) => k !== 'raw') ?? Object.keys(kinds);
    const clients = [rawUndici(server.url)];
    for (const k of picked) {
      const make = kinds[k as keyof typeof kinds];
      if (make === undefined) throw new Error(`bench http: --clients takes raw, ${Object.keys(kinds).join(', ')}`);
      for (const rt of builds) clients.push(make(rt, hubDir, file));
    }
    // One run each first: the first authorization is recorded in the hub (state.json). Then a host's
    // hub and scripts are old files; freshly written ones are re-read on every access for a moment
    // (coarse file times, see runtime/hub/file-cache.ts), which is not what is measured here.
    for (const cl of clients) await cl.once('A-0-0');
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const out: string[] = [];
    out.push(`http benchmark: GET /agents/:id behind an OAuth client-credentials token (cached), server on 127.0.0.1 in this process`);
    out.push(`settings: ${rounds} rounds x ${sliceMs} ms slice per client and concurrency, clients interleaved (order rotates), Node ${process.version}`);
    out.push(`documented path as docs/hub.md tells a long-lived host: new FileHubStore({ dir, ${fields(HOST_STORE_OPTIONS)} }) once, runScript(path, { hub, ${fields(HOST_RUN_OPTIONS)} }) with a new HubServices per run`);
    out.push(`one run per client, then hub and script files left ${SETTLE_MS} ms to settle before the first slice, as a host's files are`);
    out.push('CPU µs/req is the whole process (client + in-process server) per request; "over raw" is what the client adds to raw undici.');
    out.push('| conc | client | req/s | vs raw | CPU µs/req | over raw µs | p50 ms | p99 ms | RSS MB |');
    out.push('|---|---|---|---|---|---|---|---|---|');
    for (const c of levels) {
      const tallies = clients.map((): Tally => ({ requests: 0, ms: 0, latencies: [], rss: 0, cpuUs: 0 }));
      // Warm-up: JIT, pooled connections, the token, the script caches.
      for (const cl of clients) await slice(cl, c, Math.min(300, sliceMs), { requests: 0, ms: 0, latencies: [], rss: 0, cpuUs: 0 });
      for (let r = 0; r < rounds; r++) {
        for (let k = 0; k < clients.length; k++) {
          const i = (k + r) % clients.length;
          await slice(clients[i]!, c, sliceMs, tallies[i]!);
          process.stderr.write('.');
        }
      }
      const base = tallies[0]!.requests / tallies[0]!.ms;
      const baseCpu = tallies[0]!.cpuUs / tallies[0]!.requests;
      clients.forEach((cl, i) => {
        const t = tallies[i]!;
        const rate = t.requests / t.ms;
        const cpu = t.cpuUs / t.requests;
        const lat = t.latencies.sort((a, b) => a - b);
        out.push(
          `| ${c} | ${cl.name} | ${(rate * 1000).toFixed(0)} | ${(rate / base).toFixed(2)}x | ${cpu.toFixed(0)} | ${(cpu - baseCpu).toFixed(0)} | ${pct(lat, 0.5).toFixed(2)} | ${pct(lat, 0.99).toFixed(2)} | ${(t.rss / 2 ** 20).toFixed(0)} |`,
        );
      });
    }
    process.stderr.write('\n');
    out.push(`tokens issued by the server: ${server.tokens} (one per client: the token is cached)`);
    console.log(out.join('\n'));
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

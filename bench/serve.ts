// `npm run bench -- serve`: the service under load beside raw undici. Four processes, so that no
// two measured parties share an event loop: `snip serve` (child), the demo API as the upstream
// (child), the load generator (child: autocannon posting runs of a SNIPPET -> CONNECTAUTH ->
// CONNECTREQUEST script that makes one upstream call each, or raw undici calling the same upstream
// endpoint directly at the same concurrency), and this process, which only orchestrates. Reports
// runs/s as a ratio of raw undici, latency added by the service (p50/p99, float ms from each
// response), the CPU each process spent per request, the service's memory after the 200-connection
// load against before (RSS and heapUsed, each as read and after a full GC through the inspector),
// and faults injected mid-load (slow upstream, 5xx, refused connection) with every run accounted for.
// `SNIP_BENCH_SECONDS` (default 5) per row, `SNIP_BENCH_REPEAT` (default 1) rounds of the rows,
// `SNIP_BENCH_CONNECTIONS` (default 1,16,200). Memory is read at rest (35 s after the last run) before
// and after the load, so both sides had snip serve's idle GC (docs/service.md).
// The machine is shared, so read the ratios and CPU per request, not the absolutes.
import { execFile, fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, promises as fs } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { WebSocket, request } from 'undici';
import { loadHubDefinition, seedHub } from '../runtime/hub/seed.js';
import { FileHubStore } from '../runtime/hub/file-store.js';
import type { LoadJob, LoadResult } from './serve-peer.js';
import { PAYLOAD_SCRIPT } from './payload-script.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const DURATION_S = Number(process.env['SNIP_BENCH_SECONDS'] ?? 5);
const REPEAT = Number(process.env['SNIP_BENCH_REPEAT'] ?? 1);
const CONNECTIONS = (process.env['SNIP_BENCH_CONNECTIONS'] ?? '1,16,200').split(',').map(Number);
/** Seconds of quiet before each memory reading at rest (more than snip serve's idle GC delay, 30 s). */
const IDLE_S = 35;
/** `SNIP_BENCH_FAULTS=0` skips the fault phases (quick comparisons while profiling). */
const FAULTS = process.env['SNIP_BENCH_FAULTS'] !== '0';


/** A forked peer (bench/serve-peer.ts) spoken to over IPC, one request at a time. */
class Peer {
  private constructor(readonly child: ChildProcess) {}

  static async start(role: 'upstream' | 'load' | 'proxy'): Promise<{ peer: Peer; ready: Record<string, unknown> }> {
    const child = fork(path.join(here, 'serve-peer.js'), [role], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const peer = new Peer(child);
    return { peer, ready: await peer.next('ready') };
  }

  next(type: string): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const onMessage = (m: Record<string, unknown>) => {
        if (m['type'] === type) done(() => resolve(m));
        else if (m['type'] === 'error') done(() => reject(new Error(String(m['message']))));
      };
      const onExit = (code: number | null) => done(() => reject(new Error(`bench peer exited ${code}`)));
      const done = (f: () => void) => {
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
        f();
      };
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
    });
  }

  ask(message: Record<string, unknown>, answer: string): Promise<Record<string, unknown>> {
    const p = this.next(answer);
    this.child.send(message);
    return p;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill(signal);
    await exited;
  }
}

async function upstreamToken(url: string): Promise<string> {
  const res = await request(`${url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&client_id=demo-client&client_secret=demo-secret',
  });
  return ((await res.body.json()) as { access_token: string }).access_token;
}

interface Service {
  child: ChildProcess;
  url: string;
  inspector: string;
}

/** `snip serve` as a child; its inspector (loopback) lets the bench force a GC and read memory. */
async function startService(configFile: string, cwd: string): Promise<Service> {
  const extra = (process.env['SNIP_BENCH_SERVE_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
  const args = ['--inspect=127.0.0.1:0', ...extra, path.join(root, 'bin', 'snip.js'), 'serve', '--config', configFile, '--port', '0'];
  const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
      const i = /Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/\S+)/.exec(err);
      if (m && i) resolve({ child, url: m[1]!, inspector: i[1]! });
    });
    child.once('exit', (code) => reject(new Error(`snip serve exited ${code}: ${err}`)));
  });
}

interface Memory {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
}

/** The service's `process.memoryUsage()`, after a full GC when `gc` (DevTools protocol, loopback). */
async function serviceMemory(service: Service, gc: boolean): Promise<Memory> {
  const ws = new WebSocket(service.inspector);
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve(), { once: true });
    ws.addEventListener('error', () => reject(new Error('cannot reach the service inspector')), { once: true });
  });
  let id = 0;
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const my = ++id;
      const onMessage = (ev: { data: unknown }) => {
        const m = JSON.parse(String(ev.data)) as { id?: number; result?: Record<string, unknown> };
        if (m.id === my) {
          ws.removeEventListener('message', onMessage);
          resolve(m.result ?? {});
        }
      };
      ws.addEventListener('message', onMessage);
      ws.send(JSON.stringify({ id: my, method, params }));
    });
  try {
    if (gc) {
      await call('HeapProfiler.enable');
      // Twice: the first pass may only unlink what the second frees (weak refs, finalizers).
      await call('HeapProfiler.collectGarbage');
      await call('HeapProfiler.collectGarbage');
      await call('HeapProfiler.disable');
    }
    const r = await call('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true });
    const mem = JSON.parse(String((r['result'] as { value: string }).value)) as Memory;
    return { rss: mem.rss, heapTotal: mem.heapTotal, heapUsed: mem.heapUsed, external: mem.external };
  } finally {
    ws.close();
  }
}

async function metric(url: string, name: string): Promise<number> {
  const res = await request(`${url}/metrics`);
  const text = await res.body.text();
  let sum = 0;
  for (const line of text.split('\n')) if (line.startsWith(name) && !line.startsWith('#')) sum += Number(line.split(' ').pop());
  return sum;
}

const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;
const range = (xs: number[], digits = 2) => {
  const lo = Math.min(...xs).toFixed(digits);
  const hi = Math.max(...xs).toFixed(digits);
  return lo === hi ? lo : `${lo}-${hi}`;
};

export async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'snip-bench-serve-'));
  const { peer: upstream, ready } = await Peer.start('upstream');
  const apiUrl = String(ready['url']);
  let loader: Peer | undefined;
  let proxy: Peer | undefined;
  let service: Service | undefined;
  try {
    await fs.mkdir(path.join(dir, 'scripts'), { recursive: true });
    await fs.writeFile(path.join(dir, 'scripts', 'lookup.studio'), PAYLOAD_SCRIPT);
    const store = new FileHubStore({ dir: path.join(dir, 'hub'), env: {} });
    await store.init();
    await seedHub(store, await loadHubDefinition(path.join(root, 'samples', 'hub', 'demo-hub.json'), { DEMO_URL: apiUrl }));
    const configFile = path.join(dir, 'snip-serve.json');
    await fs.writeFile(
      configFile,
      JSON.stringify({ tenants: { bench: { scripts: 'scripts', hub: 'hub' } }, limits: { maxConcurrentRuns: 256, maxConcurrentRunsPerTenant: 256, maxQueue: 1024 } }),
    );
    const added = await promisify(execFile)(process.execPath, [path.join(root, 'bin', 'snip.js'), 'serve', 'client', 'add', '--tenant', 'bench', '--config', configFile], { cwd: dir });
    const id = /client_id\s+(\S+)/.exec(added.stdout)![1]!;
    const secret = /client_secret\s+(\S+)/.exec(added.stdout)![1]!;
    service = await startService(configFile, dir);
    const svc = service;
    const tokRes = await request(`${svc.url}/1.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: id, client_secret: secret }).toString(),
    });
    const token = ((await tokRes.body.json()) as { access_token: string }).access_token;
    const rawToken = await upstreamToken(apiUrl);
    loader = (await Peer.start('load')).peer;
    proxy = (await Peer.start('proxy')).peer;
    const px = proxy;
    const proxyBearer = 'bench-proxy-bearer';
    const proxyUrl = String((await px.ask({ type: 'proxy', upstream: apiUrl, upstreamToken: rawToken, bearer: proxyBearer }, 'listening'))['url']);
    const lg = loader;
    /** `viaProxy`: a service-shaped job sent to the proxy peer instead of the service. */
    const run = async (job: Omit<LoadJob, 'url' | 'token'>, viaProxy = false) => {
      const full: LoadJob = job.kind === 'raw' ? { ...job, url: apiUrl, token: rawToken } : viaProxy ? { ...job, url: proxyUrl, token: proxyBearer } : { ...job, url: svc.url, token };
      return (await lg.ask({ type: 'load', job: full }, 'result'))['result'] as LoadResult;
    };
    const upstreamCpu = async () => Number((await upstream.ask({ type: 'cpu' }, 'cpu'))['cpuS']);
    const serviceCpu = () => metric(svc.url, 'snip_process_cpu_seconds_total');

    // Warm up both paths (JIT, sockets, the hub's token cache).
    await run({ kind: 'service', connections: 16, seconds: 2 });
    await run({ kind: 'raw', connections: 16, seconds: 1 });
    await run({ kind: 'service', connections: 16, seconds: 1 }, true);
    // "Before" is read in the state "after" is read in: the service at rest, IDLE_S after its last
    // run (snip serve's idle GC, after `idleGcMs`, has had its chance on both sides).
    await new Promise((r) => setTimeout(r, IDLE_S * 1000));
    const before = await serviceMemory(svc, false);
    const idleGcBefore = await metric(svc.url, 'snip_idle_gc_total');
    const beforeGc = await serviceMemory(svc, true);
    // A full collection (the idle GC, the forced one just above) drops optimized code: warm up again,
    // or the first row would measure V8 re-optimizing.
    await run({ kind: 'service', connections: 16, seconds: 2 });
    await run({ kind: 'service', connections: 16, seconds: 1 }, true);

    const out = (t: string) => process.stdout.write(t);
    out(`\nserve: ${DURATION_S} s per row, ${REPEAT} round(s), one upstream call per run; ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)} at start\n`);
    out('Processes: snip serve | demo API (upstream) | load generator (autocannon -> service or proxy, or undici -> upstream) | proxy peer | this one (idle).\n');
    out('Proxy peer: a bare fastify route behind a bearer check making the same upstream call with undici (no script, no hub): the same two HTTP legs as a run.\n');
    out('CPU columns: CPU time per request of each process during the row (µs), so the ratio can be read apart from machine load.\n\n');
    out('connections | raw undici req/s | service runs/s | ratio | proxy req/s | service / proxy | raw p50/p99 ms | service p50/p99 ms | added p50/p99 ms | lost | CPU µs/req: raw client, upstream | CPU µs/run: service, autocannon, upstream | CPU µs/req: proxy\n');
    out('--- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | ---\n');
    const ratios = new Map<number, number[]>();
    const addedP99 = new Map<number, number[]>();
    for (let round = 0; round < REPEAT; round++) {
      for (const c of CONNECTIONS) {
        let u0 = await upstreamCpu();
        const raw = await run({ kind: 'raw', connections: c, seconds: DURATION_S });
        const rawUp = (await upstreamCpu()) - u0;
        u0 = await upstreamCpu();
        const s0 = await serviceCpu();
        const sv = await run({ kind: 'service', connections: c, seconds: DURATION_S });
        const svcCpu = (await serviceCpu()) - s0;
        const svcUp = (await upstreamCpu()) - u0;
        const p0 = Number((await px.ask({ type: 'cpu' }, 'cpu'))['cpuS']);
        const pr = await run({ kind: 'service', connections: c, seconds: DURATION_S }, true);
        const prCpu = Number((await px.ask({ type: 'cpu' }, 'cpu'))['cpuS']) - p0;
        const prRps = pr.count / pr.elapsedS;
        const rawRps = raw.count / raw.elapsedS;
        const rps = sv.count / sv.elapsedS;
        const us = (cpuS: number, n: number) => ((cpuS * 1e6) / Math.max(1, n)).toFixed(0);
        ratios.set(c, [...(ratios.get(c) ?? []), rps / rawRps]);
        addedP99.set(c, [...(addedP99.get(c) ?? []), sv.p99 - raw.p99]);
        out(
          `${c} | ${rawRps.toFixed(0)} | ${rps.toFixed(0)} | ${(rps / rawRps).toFixed(2)} | ${prRps.toFixed(0)} | ${(rps / prRps).toFixed(2)} | ${raw.p50.toFixed(2)}/${raw.p99.toFixed(2)} | ${sv.p50.toFixed(2)}/${sv.p99.toFixed(2)} | ${(sv.p50 - raw.p50).toFixed(2)}/${(sv.p99 - raw.p99).toFixed(2)} | ${raw.lost + sv.lost} | ${us(raw.cpuS, raw.count)}, ${us(rawUp, raw.count)} | ${us(svcCpu, sv.count)}, ${us(sv.cpuS, sv.count)}, ${us(svcUp, sv.count)} | ${us(prCpu, pr.count)}\n`,
        );
      }
    }
    if (REPEAT > 1) {
      out('\nranges over rounds: ');
      out(CONNECTIONS.map((c) => `c=${c}: ratio ${range(ratios.get(c)!)}, added p99 ${range(addedP99.get(c)!)} ms`).join('; ') + '\n');
    }
    // RSS is lazy to shrink: read it as is 3 s after the load (no idle GC yet: V8 alone), then IDLE_S
    // after it (the goal row: snip serve's idle GC ran once no run started for `idleGcMs`), then
    // after a full GC through the inspector, which separates garbage not yet collected from memory
    // the service still holds.
    await new Promise((r) => setTimeout(r, 3000));
    const after3 = await serviceMemory(svc, false);
    await new Promise((r) => setTimeout(r, (IDLE_S - 3) * 1000));
    const afterIdle = await serviceMemory(svc, false);
    const idleGcs = (await metric(svc.url, 'snip_idle_gc_total')) - idleGcBefore;
    const afterGc = await serviceMemory(svc, true);
    out(`\nservice memory after the last row of load (${CONNECTIONS[CONNECTIONS.length - 1]} connections) / before (at rest after warm-up, ${IDLE_S} s after its last run)\n`);
    out(`goal: RSS ratio at most 1.10 in the row "as is, +${IDLE_S} s idle" (what the system sees once the load is over); idle GCs by the service since the "before" reading (it also idles between its rows while the peers run): ${idleGcs}\n`);
    out('read | RSS before -> after | ratio | heapTotal before -> after | heapUsed before -> after | ratio | external before -> after\n--- | --- | --- | --- | --- | --- | ---\n');
    const row = (name: string, b: Memory, a: Memory) =>
      out(
        `${name} | ${mb(b.rss)} -> ${mb(a.rss)} | ${(a.rss / b.rss).toFixed(2)} | ${mb(b.heapTotal)} -> ${mb(a.heapTotal)} | ${mb(b.heapUsed)} -> ${mb(a.heapUsed)} | ${(a.heapUsed / b.heapUsed).toFixed(2)} | ${mb(b.external)} -> ${mb(a.external)}\n`,
      );
    row('as is, +3 s idle', before, after3);
    row(`as is, +${IDLE_S} s idle (goal)`, before, afterIdle);
    row('after a full GC (both)', beforeGc, afterGc);

    // Faults mid-load: every response must be a run that answered with the right branch.
    // autocannon drops the requests still in flight when its time is up (at most one per
    // connection): the service's own count is therefore responses + up to 16. The refused
    // connection is real: the upstream process is killed (the last phase, nothing needs it after).
    out('\nfaults at 16 connections | responses | ok | failed (reason) | lost (errors, timeouts, non-2xx) | runs counted by the service\n');
    out('--- | --- | --- | --- | --- | ---\n');
    const phases: [string, () => Promise<unknown>, () => Promise<unknown>][] = [
      ['slow upstream (+150 ms)', () => upstream.ask({ type: 'control', delayMs: 150 }, 'done'), () => upstream.ask({ type: 'control', delayMs: 0 }, 'done')],
      ['upstream 503 x 40', () => upstream.ask({ type: 'control', failStatus: 503, failCount: 40 }, 'done'), () => upstream.ask({ type: 'control', failCount: 0 }, 'done')],
      ['refused connection (upstream killed)', () => upstream.stop('SIGKILL'), async () => undefined],
    ];
    for (const [name, on, off] of FAULTS ? phases : []) {
      const before = await metric(svc.url, 'snip_runs_total');
      const running = run({ kind: 'service', connections: 16, seconds: 3, tally: true });
      await new Promise((r) => setTimeout(r, 500));
      await on();
      const r = await running;
      await off();
      while ((await metric(svc.url, 'snip_runs_in_flight')) > 0) await new Promise((res) => setTimeout(res, 50));
      const counted = (await metric(svc.url, 'snip_runs_total')) - before;
      const failed = Object.entries(r.failed).map(([k, v]) => `${v} (${k})`).join(', ') || '0';
      out(`${name} | ${r.count + r.lost} | ${r.ok} | ${failed} | ${r.lost + r.other} | ${counted}\n`);
    }
    out(`\nload average ${loadavg()[0]!.toFixed(1)} at end\n\n`);
  } finally {
    if (service) {
      const s = service;
      const exited = new Promise((r) => s.child.once('exit', r));
      s.child.kill('SIGTERM');
      await exited;
    }
    await loader?.stop();
    await proxy?.stop();
    await upstream.stop();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

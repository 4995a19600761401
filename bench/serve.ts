// `npm run bench -- serve`: the service under load beside raw undici. The demo API is the upstream;
// `snip serve` runs as a child process; autocannon (this process) posts runs of a SNIPPET ->
// CONNECTAUTH -> CONNECTREQUEST script that makes one upstream call each. The peer is undici
// calling the same upstream endpoint directly at the same concurrency. Reports runs/s as a ratio of
// raw undici, latency added by the service (p50/p99), RSS after the 200-connection load against
// before, and faults injected mid-load (slow upstream, 5xx, refused connection) with every run
// accounted for. One run of each; the machine is shared, so read the ratios, not the absolutes.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, promises as fs } from 'node:fs';
import { createServer as netServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Agent, request } from 'undici';
// autocannon ships no types; the small surface used here is typed below.
// @ts-expect-error no declaration file
import autocannonImport from 'autocannon';
import { loadHubDefinition, seedHub } from '../runtime/cli/commands/demo.js';
import { FileHubStore } from '../runtime/hub/file-store.js';
import { startDemoApi, type DemoApi } from '../samples/demo-api/index.js';

interface AcResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AcResult>;
const autocannon = autocannonImport as Autocannon;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DURATION_S = Number(process.env['SNIP_BENCH_SECONDS'] ?? 5);

const SCRIPT = `SCRIPT "bench lookup"
PARAMS target
BEGIN start -> build
SNIPPET build {
  DYNAMIC requestPayload
  ASSIGN url = "[[INSTANCEURI]]/agents/A-100"
  IF target <> "" {
    ASSIGN url = target
  }
  ASSIGN requestPayload.URL = url
  ASSIGN requestPayload.HTTPMETHOD = "GET"
  ASSIGN payloadJSON = requestPayload.asjson()
}
  Error -> failed
CONNECTAUTH auth (connectName = "Agents API")
  OnSuccess -> call
  OnError -> failed
  OnTimeout -> failed
CONNECTREQUEST call (connectName = "Agents API", requestName = "Lookup agent", requestPayload = payloadJSON)
  OnSuccess -> ok
  OnError -> failed
  OnTimeout -> failed
SNIPPET ok {
  ASSIGN status = "ok"
  ASSIGN agent = requestBody.firstName
}
  -> done
END done
SNIPPET failed {
  ASSIGN status = "failed"
  ASSIGN reason = _ERR
}
  -> stop
END stop
`;

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Raw undici: `connections` workers calling the upstream for `seconds`, one request at a time each. */
async function rawUndici(url: string, token: string, connections: number, seconds: number): Promise<{ rps: number; p50: number; p99: number }> {
  const agent = new Agent({ connections, keepAliveTimeout: 10_000 });
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      const t = performance.now();
      const res = await request(`${url}/agents/A-100`, { dispatcher: agent, headers: { authorization: `Bearer ${token}` } });
      await res.body.text();
      if (res.statusCode !== 200) throw new Error(`raw undici: upstream answered ${res.statusCode}`);
      latencies.push(performance.now() - t);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = (performance.now() - started) / 1000;
  await agent.close();
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

async function upstreamToken(api: DemoApi): Promise<string> {
  const res = await request(`${api.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&client_id=demo-client&client_secret=demo-secret',
  });
  return ((await res.body.json()) as { access_token: string }).access_token;
}

async function freePortThatRefuses(): Promise<number> {
  const s = netServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function startService(configFile: string, cwd: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [path.join(root, 'bin', 'snip.js'), 'serve', '--config', configFile, '--port', '0'], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
      if (m) resolve({ child, url: m[1]! });
    });
    child.once('exit', (code) => reject(new Error(`snip serve exited ${code}: ${err}`)));
  });
}

async function metric(url: string, name: string): Promise<number> {
  const res = await request(`${url}/metrics`);
  const text = await res.body.text();
  let sum = 0;
  for (const line of text.split('\n')) if (line.startsWith(name) && !line.startsWith('#')) sum += Number(line.split(' ').pop());
  return sum;
}

interface Tally {
  ok: number;
  failed: Map<string, number>;
  other: number;
}

function load(url: string, token: string, connections: number, seconds: number, target = '', tally?: Tally): Promise<AcResult> {
  return autocannon({
    url: `${url}/v1/scripts/lookup/runs`,
    connections,
    duration: seconds,
    timeout: 30,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ inputs: { target } }),
    ...(tally
      ? {
          requests: [
            {
              onResponse: (status: number, body: string) => {
                const out = status === 200 ? (JSON.parse(body) as { outputs?: { status?: string; reason?: string } }).outputs : undefined;
                if (out?.status === 'ok') tally.ok++;
                else if (out?.status === 'failed') {
                  const reason = String(out.reason ?? '').replace(/\d+ ms/, 'N ms').slice(0, 60);
                  tally.failed.set(reason, (tally.failed.get(reason) ?? 0) + 1);
                } else tally.other++;
              },
            },
          ],
        }
      : {}),
  });
}

export async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'snip-bench-serve-'));
  const api = await startDemoApi({ tokenLifetimeSeconds: 3600 });
  let service: { child: ChildProcess; url: string } | undefined;
  try {
    await fs.mkdir(path.join(dir, 'scripts'), { recursive: true });
    await fs.writeFile(path.join(dir, 'scripts', 'lookup.studio'), SCRIPT);
    const store = new FileHubStore({ dir: path.join(dir, 'hub'), env: {} });
    await store.init();
    await seedHub(store, await loadHubDefinition(path.join(root, 'samples', 'hub', 'demo-hub.json'), { DEMO_URL: api.url }));
    const configFile = path.join(dir, 'snip-serve.json');
    await fs.writeFile(
      configFile,
      JSON.stringify({ tenants: { bench: { scripts: 'scripts', hub: 'hub' } }, limits: { maxConcurrentRuns: 256, maxConcurrentRunsPerTenant: 256, maxQueue: 1024 } }),
    );
    const added = await promisify(execFile)(process.execPath, [path.join(root, 'bin', 'snip.js'), 'serve', 'client', 'add', '--tenant', 'bench', '--config', configFile], { cwd: dir });
    const id = /client_id\s+(\S+)/.exec(added.stdout)![1]!;
    const secret = /client_secret\s+(\S+)/.exec(added.stdout)![1]!;
    service = await startService(configFile, dir);
    const tokRes = await request(`${service.url}/1.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: id, client_secret: secret }).toString(),
    });
    const token = ((await tokRes.body.json()) as { access_token: string }).access_token;
    const rawToken = await upstreamToken(api);

    // Warm up both paths (JIT, sockets, the hub's token cache).
    await load(service.url, token, 16, 2);
    await rawUndici(api.url, rawToken, 16, 1);
    const rssBefore = await metric(service.url, 'snip_process_resident_memory_bytes');

    process.stdout.write(`\nserve: ${DURATION_S} s per row, one upstream call per run (service as a child process, autocannon + demo API here)\n\n`);
    process.stdout.write('connections | raw undici req/s | service runs/s | ratio | raw p50/p99 ms | service p50/p99 ms | added p50/p99 ms | errors\n');
    process.stdout.write('--- | --- | --- | --- | --- | --- | --- | ---\n');
    for (const c of [1, 16, 200]) {
      const raw = await rawUndici(api.url, rawToken, c, DURATION_S);
      const svc = await load(service.url, token, c, DURATION_S);
      const rps = svc.requests.total / DURATION_S;
      process.stdout.write(
        `${c} | ${raw.rps.toFixed(0)} | ${rps.toFixed(0)} | ${(rps / raw.rps).toFixed(2)} | ${raw.p50.toFixed(2)}/${raw.p99.toFixed(2)} | ${svc.latency.p50.toFixed(2)}/${svc.latency.p99.toFixed(2)} | ${(svc.latency.p50 - raw.p50).toFixed(2)}/${(svc.latency.p99 - raw.p99).toFixed(2)} | ${svc.errors + svc.timeouts + svc.non2xx}\n`,
      );
    }
    await new Promise((r) => setTimeout(r, 3000));
    const rssAfter = await metric(service.url, 'snip_process_resident_memory_bytes');
    process.stdout.write(`\nRSS after the 200-connection load / before: ${(rssAfter / rssBefore).toFixed(2)} (goal at most 1.10)\n`);

    // Faults mid-load: every response must be a run that answered with the right branch.
    // autocannon drops the requests still in flight when its time is up (at most one per
    // connection): the service's own count is therefore responses + up to 16.
    process.stdout.write('\nfaults at 16 connections | responses | ok | failed (reason) | lost (errors, timeouts, non-2xx) | runs counted by the service\n');
    process.stdout.write('--- | --- | --- | --- | --- | ---\n');
    const refusedPort = await freePortThatRefuses();
    const phases: [string, () => void, () => void, string][] = [
      ['slow upstream (+150 ms)', () => (api.control.delayMs = 150), () => (api.control.delayMs = 0), ''],
      ['upstream 503 x 40', () => ((api.control.failStatus = 503), (api.control.failCount = 40)), () => (api.control.failCount = 0), ''],
      ['refused connection', () => undefined, () => undefined, `http://127.0.0.1:${refusedPort}/agents/A-100`],
    ];
    for (const [name, on, off, target] of phases) {
      const before = await metric(service.url, 'snip_runs_total');
      const tally: Tally = { ok: 0, failed: new Map(), other: 0 };
      const running = load(service.url, token, 16, 3, target, tally);
      await new Promise((r) => setTimeout(r, 500));
      on();
      const r = await running;
      off();
      while ((await metric(service.url, 'snip_runs_in_flight')) > 0) await new Promise((res) => setTimeout(res, 50));
      const counted = (await metric(service.url, 'snip_runs_total')) - before;
      const failed = [...tally.failed].map(([k, v]) => `${v} (${k})`).join(', ') || '0';
      process.stdout.write(`${name} | ${r.requests.total} | ${tally.ok} | ${failed} | ${r.errors + r.timeouts + r.non2xx + tally.other} | ${counted}\n`);
    }
    process.stdout.write('\n');
  } finally {
    service?.child.kill('SIGTERM');
    if (service) await new Promise((r) => service!.child.once('exit', r));
    await api.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

// The other processes of `bench serve`, each forked with an IPC channel so that no two of the
// measured parties share an event loop (on a small machine one loop doing two jobs is the
// bottleneck, not the thing measured):
// - `upstream`: the demo API; the parent turns its fault knobs (delay, 5xx) over IPC;
// - `load`: one load run, either autocannon posting runs to the service, or raw undici calling the
//   upstream directly, and answers the count, latencies (float ms) and its own CPU time;
// - `proxy`: the smallest service that does the same HTTP work as a run (a fastify route behind a
//   bearer check that makes one upstream call with a cached token and answers JSON): a peer for the
//   service that shares its two HTTP legs, so the ratio shows what the runtime and the service add.
import Fastify from 'fastify';
import { Agent, request } from 'undici';
// autocannon ships no types; the small surface used here is typed below.
// @ts-expect-error no declaration file
import autocannonImport from 'autocannon';
import { startDemoApi } from '../samples/demo-api/index.js';

interface AcResult {
  errors: number;
  timeouts: number;
  non2xx: number;
}
interface Tracker {
  on(event: 'response', f: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}
type Autocannon = (opts: Record<string, unknown>, cb: (err: unknown, r: AcResult) => void) => Tracker;
const autocannon = autocannonImport as Autocannon;

/** What the parent asks of a `load` child. */
export interface LoadJob {
  kind: 'service' | 'raw';
  url: string;
  token: string;
  connections: number;
  seconds: number;
  /** Service only: the script's `target` input (empty: the connection's own URL). */
  target?: string;
  /** Service only: read each answer and tally the branch the run took. */
  tally?: boolean;
}

/** What a `load` child answers. */
export interface LoadResult {
  count: number;
  elapsedS: number;
  /** Sorted latencies in ms of the successful requests (2xx). */
  p50: number;
  p99: number;
  /** errors + timeouts + non-2xx. */
  lost: number;
  /** CPU time of the load process during the run, in seconds. */
  cpuS: number;
  ok: number;
  failed: Record<string, number>;
  other: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Raw undici: `connections` workers calling the upstream, one request at a time each. */
async function raw(job: LoadJob, latencies: number[]): Promise<{ lost: number }> {
  const agent = new Agent({ connections: job.connections, keepAliveTimeout: 10_000 });
  const end = performance.now() + job.seconds * 1000;
  let lost = 0;
  const worker = async () => {
    while (performance.now() < end) {
      const t = performance.now();
      const res = await request(`${job.url}/agents/A-100`, { dispatcher: agent, headers: { authorization: `Bearer ${job.token}` } });
      await res.body.text();
      if (res.statusCode === 200) latencies.push(performance.now() - t);
      else lost++;
    }
  };
  await Promise.all(Array.from({ length: job.connections }, worker));
  await agent.close();
  return { lost };
}

/** autocannon posting runs; latencies come from its per-response event (its histogram keeps whole ms). */
function service(job: LoadJob, latencies: number[], r: LoadResult): Promise<{ lost: number }> {
  return new Promise((resolve, reject) => {
    const tracker = autocannon(
      {
        url: `${job.url}/v1/scripts/lookup/runs`,
        connections: job.connections,
        duration: job.seconds,
        timeout: 30,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${job.token}` },
        body: JSON.stringify({ inputs: { target: job.target ?? '' } }),
        ...(job.tally
          ? {
              requests: [
                {
                  onResponse: (status: number, body: string) => {
                    const out = status === 200 ? (JSON.parse(body) as { outputs?: { status?: string; reason?: string } }).outputs : undefined;
                    if (out?.status === 'ok') r.ok++;
                    else if (out?.status === 'failed') {
                      const reason = String(out.reason ?? '').replace(/\d+ ms/, 'N ms').slice(0, 60);
                      r.failed[reason] = (r.failed[reason] ?? 0) + 1;
                    } else if (status === 200) r.other++;
                  },
                },
              ],
            }
          : {}),
      },
      (err, res) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve({ lost: res.errors + res.timeouts + res.non2xx })),
    );
    tracker.on('response', (_c, status, _b, ms) => {
      if (status >= 200 && status < 300) latencies.push(ms);
    });
  });
}

async function load(job: LoadJob): Promise<LoadResult> {
  const latencies: number[] = [];
  const r: LoadResult = { count: 0, elapsedS: 0, p50: 0, p99: 0, lost: 0, cpuS: 0, ok: 0, failed: {}, other: 0 };
  const cpu = process.cpuUsage();
  const started = performance.now();
  const { lost } = job.kind === 'raw' ? await raw(job, latencies) : await service(job, latencies, r);
  r.elapsedS = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  r.cpuS = (used.user + used.system) / 1e6;
  latencies.sort((a, b) => a - b);
  r.count = latencies.length;
  r.lost = lost;
  r.p50 = percentile(latencies, 50);
  r.p99 = percentile(latencies, 99);
  return r;
}

type Message =
  | { type: 'load'; job: LoadJob }
  | { type: 'control'; delayMs?: number; failStatus?: number; failCount?: number }
  | { type: 'cpu' }
  | { type: 'proxy'; upstream: string; upstreamToken: string; bearer: string };

/** The proxy peer: POST /v1/scripts/lookup/runs -> GET upstream /agents/A-100 -> `{ status, outputs }`. */
async function startProxy(m: Extract<Message, { type: 'proxy' }>): Promise<string> {
  const agent = new Agent({ connections: 256, keepAliveTimeout: 10_000 });
  const app = Fastify({ logger: false });
  app.post('/v1/scripts/lookup/runs', async (req, reply) => {
    if (req.headers.authorization !== `Bearer ${m.bearer}`) return reply.code(401).send({ error: { code: 'unauthorized', message: 'bearer' } });
    const res = await request(`${m.upstream}/agents/A-100`, { dispatcher: agent, headers: { authorization: `Bearer ${m.upstreamToken}` } });
    const body = (await res.body.json()) as Record<string, unknown>;
    return { status: res.statusCode === 200 ? 'completed' : 'failed', outputs: { status: res.statusCode === 200 ? 'ok' : 'failed', agent: body['id'] ?? null } };
  });
  return app.listen({ port: 0, host: '127.0.0.1' });
}

const send = (m: unknown) => process.send!(m);
const role = process.argv[2];

if (role === 'upstream') {
  const api = await startDemoApi({ tokenLifetimeSeconds: 3600 });
  process.on('message', (m: Message) => {
    if (m.type === 'control') {
      if (m.delayMs !== undefined) api.control.delayMs = m.delayMs;
      if (m.failStatus !== undefined) api.control.failStatus = m.failStatus;
      if (m.failCount !== undefined) api.control.failCount = m.failCount;
      send({ type: 'done' });
    } else if (m.type === 'cpu') {
      const u = process.cpuUsage();
      send({ type: 'cpu', cpuS: (u.user + u.system) / 1e6 });
    }
  });
  process.once('disconnect', () => void api.close().then(() => process.exit(0)));
  send({ type: 'ready', url: api.url });
} else if (role === 'load') {
  process.on('message', (m: Message) => {
    if (m.type === 'load') {
      load(m.job).then(
        (r) => send({ type: 'result', result: r }),
        (e: unknown) => send({ type: 'error', message: e instanceof Error ? e.message : String(e) }),
      );
    }
  });
  process.once('disconnect', () => process.exit(0));
  send({ type: 'ready' });
} else if (role === 'proxy') {
  process.on('message', (m: Message) => {
    if (m.type === 'proxy') {
      startProxy(m).then(
        (url) => send({ type: 'listening', url }),
        (e: unknown) => send({ type: 'error', message: e instanceof Error ? e.message : String(e) }),
      );
    } else if (m.type === 'cpu') {
      const u = process.cpuUsage();
      send({ type: 'cpu', cpuS: (u.user + u.system) / 1e6 });
    }
  });
  process.once('disconnect', () => process.exit(0));
  send({ type: 'ready' });
} else {
  process.stderr.write('usage: serve-peer.js upstream|load|proxy\n');
  process.exit(2);
}

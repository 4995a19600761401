// The hub host-path benchmark (issue 12 item 1, issue 9): `runScript(path, { hub })` per call with
// a process-wide TokenCache, a CONNECTAUTH + CONNECTREQUEST script against a local OAuth API on
// 127.0.0.1. Reports runs/s sequentially and for 200 concurrent runs, and how the concurrent runs
// ended (every one must take OnSuccess: no OnTimeout while the server is idle).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { FileHubStore } from '../runtime/hub/file-store.js';
import { HubServices, openFileHub } from '../runtime/hub/services.js';
import { TokenCache } from '../runtime/hub/token-cache.js';
import { runScript } from '../runtime/run-script.js';

const SCRIPT = `SCRIPT "Hub bench"
PARAMS accountId
BEGIN start -> build
SNIPPET build {
  DYNAMIC p
  ASSIGN p.URL = "[[INSTANCEURI]]/agents/{accountId}"
  ASSIGN p.HTTPMETHOD = "GET"
  ASSIGN payloadJSON = p.asjson()
}
  Error -> failed
CONNECTAUTH auth (connectName = "Agents API")
  OnSuccess -> call
  OnError -> failed
  OnTimeout -> slow
CONNECTREQUEST call (connectName = "Agents API", requestName = "Lookup agent", requestPayload = payloadJSON)
  OnSuccess -> done
  OnError -> failed
  OnTimeout -> slow
END done
SNIPPET failed {
  ASSIGN outcome = "error: {_ERR}"
}
  -> stop
SNIPPET slow {
  ASSIGN outcome = "timeout: {_ERR}"
}
  -> stop
END stop
`;

function startApi(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/oauth/token') res.end(JSON.stringify({ access_token: 'bench-token-9f8e7d', token_type: 'Bearer', expires_in: 3600 }));
      else res.end(JSON.stringify({ id: req.url?.split('/').pop(), firstName: 'Ada', lastName: 'Lovelace' }));
    });
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })));
}

async function makeHub(dir: string, api: string): Promise<void> {
  const store = new FileHubStore({ dir, env: {} });
  await store.createTemplate({ name: 'OAuth', application: 'Bench', authType: 'oauth2-client-credentials', verbs: ['GET', 'POST'] });
  await store.createConnection({ name: 'Agents API', template: 'OAuth', timeoutMs: 10_000 });
  await store.setSecret('Agents API', 'INSTANCEURI', api);
  await store.setSecret('Agents API', 'client_id', 'bench-client');
  await store.setSecret('Agents API', 'client_secret', 'bench-secret-4c3b2a');
  await store.updateConnection('Agents API', { auth: { url: '[[INSTANCEURI]]/oauth/token', method: 'POST', headers: {}, query: {} } });
  await store.addRequest('Agents API', { name: 'Lookup agent', trigger: 'studio' });
  // Some neighbours, as a real hub has: every one is read (and validated) by the store.
  for (let i = 1; i <= 5; i++) {
    await store.createConnection({ name: `Other ${i}`, template: 'OAuth' });
    await store.setSecret(`Other ${i}`, 'client_secret', `other-${i}`);
  }
}

/** How a host opens the hub per run. */
type Opener = () => HubServices;

async function oneRun(file: string, open: Opener, i: number): Promise<string> {
  const hub = open();
  try {
    const r = await runScript(file, { hub, masker: hub.mask, inputs: { accountId: `A-${i}` } });
    if (r.error) return `error ${r.error.code}`;
    const outcome = r.variables.outcome;
    return typeof outcome === 'string' ? outcome.split(':')[0]! : 'ok';
  } finally {
    await hub.close();
  }
}

interface Row {
  host: string;
  /** CPU time (user + system) per sequential run: steadier than rates on a shared machine. */
  cpuMs: number;
  seqRate: number;
  concRate: number;
  outcomes: Record<string, number>;
}

async function measure(host: string, file: string, open: Opener, seq: number, conc: number): Promise<Row> {
  for (let i = 0; i < 20; i++) await oneRun(file, open, i); // warm-up (and the token fetch)
  let t = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < seq; i++) await oneRun(file, open, i);
  const seqRate = seq / ((performance.now() - t) / 1000);
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000 / seq;
  t = performance.now();
  const results = await Promise.all(Array.from({ length: conc }, (_, i) => oneRun(file, open, i)));
  const concRate = conc / ((performance.now() - t) / 1000);
  const outcomes: Record<string, number> = {};
  for (const r of results) outcomes[r] = (outcomes[r] ?? 0) + 1;
  return { host, cpuMs, seqRate, concRate, outcomes };
}

/** `npm run bench -- hub [--runs N] [--concurrent N]`. */
export async function main(args: string[]): Promise<void> {
  const num = (flag: string, dflt: number): number => {
    const i = args.indexOf(flag);
    return i >= 0 ? Number(args[i + 1]) : dflt;
  };
  const seq = num('--runs', 200);
  const conc = num('--concurrent', 200);
  const { url, server } = await startApi();
  const temp = await mkdtemp(path.join(tmpdir(), 'snip-bench-hub-'));
  try {
    const dir = path.join(temp, 'hub');
    await makeHub(dir, url);
    // A real hub was written long before it is used; files changed in the last second are re-read
    // on every access (see runtime/hub/file-cache.ts), so let the new one settle first.
    await new Promise((r) => setTimeout(r, 1100));
    const file = path.join(temp, 'lookup.studio');
    await writeFile(file, SCRIPT);
    const env = { SNIP_HUB: dir };
    const tokens = new TokenCache();
    const store = new FileHubStore({ dir, env });
    const rows = [
      await measure('one store, HubServices per run', file, () => new HubServices(store, { tokens }), seq, conc),
      await measure('openFileHub per run', file, () => openFileHub({ cwd: temp, env, tokens }), seq, conc),
    ];
    process.stdout.write(`\nhub host path: runScript(file, { hub }) per run, CONNECTAUTH + CONNECTREQUEST, ${conc} concurrent\n`);
    process.stdout.write(`${'host'.padEnd(34)}${'CPU ms/run'.padStart(11)}${'seq runs/s'.padStart(12)}${'conc runs/s'.padStart(13)}  outcomes of the ${conc} concurrent runs\n`);
    for (const r of rows) {
      const outcomes = Object.entries(r.outcomes).map(([k, v]) => `${k} ${v}`).join(', ');
      process.stdout.write(`${r.host.padEnd(34)}${r.cpuMs.toFixed(2).padStart(11)}${r.seqRate.toFixed(0).padStart(12)}${r.concRate.toFixed(0).padStart(13)}  ${outcomes}\n`);
    }
  } finally {
    await new Promise((r) => server.close(r));
    await rm(temp, { recursive: true, force: true });
  }
}

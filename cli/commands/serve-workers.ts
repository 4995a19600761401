// `snip serve --workers N`: N worker processes (node:cluster) sharing one listening port, each a
// whole service. Only with PostgreSQL and Redis configured: there, runs, clients, bearer tokens
// and upstream tokens are shared, so any worker can answer any request. On the embedded default
// they live in one process's memory (a token issued by one worker would be unknown to the next),
// so it is refused with SNIP6025. This module is the primary's side: start the workers, say where
// they listen once all do, replace a worker that dies, and on SIGTERM/SIGINT drain them all.
import cluster, { type Worker } from 'node:cluster';
import type { AddressInfo } from 'node:net';
import { AggregatorRegistry, type Registry } from 'prom-client';
import { ServiceError } from '../../service/errors.js';
import { EXIT, type CliIO } from '../io.js';

// /metrics on any worker answers the metrics of all of them, summed (prom-client's cluster
// aggregation, done by the primary, which asks every worker over the cluster channel).
const METRICS_REQ = 'snip:metrics-request';
const METRICS_RES = 'snip:metrics-response';
/** prom-client gives up on workers after 5 s; the worker waits a little longer for that answer. */
const METRICS_WAIT_MS = 6000;

interface MetricsMessage {
  type: string;
  id: number;
  text?: string;
  error?: string;
}

/** Primary: answers a worker's request for the cluster's metrics. */
function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker: Worker, msg: MetricsMessage) => {
    if (msg?.type !== METRICS_REQ) return;
    const answer = (m: Omit<MetricsMessage, 'type' | 'id'>) => {
      if (worker.isConnected()) worker.send({ type: METRICS_RES, id: msg.id, ...m });
    };
    aggregator.clusterMetrics().then(
      (text) => answer({ text }),
      (e: unknown) => answer({ error: (e as Error).message }),
    );
  });
}

/**
 * Worker: offers `registry` to the primary's aggregation and returns what /metrics calls instead
 * of reading the registry alone.
 * @throws ServiceError SNIP6026 (503) when the primary does not answer in time.
 */
export function clusterMetricsSource(registry: Registry): () => Promise<string> {
  // The constructor installs prom-client's answer to the primary's requests (once per process).
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
  let next = 0;
  const waiting = new Map<number, (m: MetricsMessage | undefined) => void>();
  process.on('message', (msg: MetricsMessage) => {
    if (msg?.type === METRICS_RES) waiting.get(msg.id)?.(msg);
  });
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = next++;
      const settle = (m: MetricsMessage | undefined) => {
        clearTimeout(timer);
        waiting.delete(id);
        if (m?.text !== undefined) resolve(m.text);
        else reject(new ServiceError(503, 'SNIP6026', `the metrics of all workers are not available now${m?.error ? ` (${m.error})` : ''}`));
      };
      const timer = setTimeout(() => settle(undefined), METRICS_WAIT_MS);
      waiting.set(id, settle);
      process.send?.({ type: METRICS_REQ, id });
    });
}

/** Whether the config lets several processes serve it (runs and tokens shared). */
export function sharedStateError(config: { database?: unknown; redis?: unknown }): string | undefined {
  if (config.database && config.redis) return undefined;
  return (
    'error SNIP6025: --workers needs PostgreSQL ("database") and Redis ("redis") in the config: on the ' +
    "embedded default, runs and bearer tokens live in one process's memory, so a second worker would " +
    'not know them (docs/scale-out.md)'
  );
}

/** Whether this process is a worker started by `runWorkers`. */
export function isServeWorker(): boolean {
  return cluster.isWorker;
}

/** Runs the primary: `n` workers, each re-running this command line. Resolves with the exit code. */
export async function runWorkers(n: number, io: CliIO): Promise<number> {
  let stopping = false;
  const listening = new Set<number>();
  let announced = false;

  let exitCode: number = EXIT.ok;
  return new Promise<number>((resolve) => {
    const fork = () => cluster.fork();
    cluster.on('listening', (worker: Worker, address: AddressInfo | { address: string; port: number }) => {
      listening.add(worker.id);
      if (!announced && listening.size >= n) {
        announced = true;
        io.stderr(`snip serve: ${n} workers listening on http://${address.address}:${address.port}\n`);
      }
    });
    cluster.on('exit', (worker: Worker, code: number | null, signal: string | null) => {
      const hadListened = listening.delete(worker.id);
      if (stopping) {
        if (Object.keys(cluster.workers ?? {}).length === 0) {
          if (exitCode === EXIT.ok) io.stderr('snip serve: stopped\n');
          resolve(exitCode);
        }
        return;
      }
      if (!hadListened) {
        // Died before serving (a bad config, a database that refuses): starting it again would loop.
        io.stderr(`snip serve: a worker exited before it listened (${signal ?? `exit ${code}`}); stopping\n`);
        stop(EXIT.failure);
        return;
      }
      io.stderr(`snip serve: worker ${worker.process.pid} exited (${signal ?? `exit ${code}`}); starting another\n`);
      fork();
    });
    const stop = (code: number) => {
      if (stopping) return;
      stopping = true;
      exitCode = code;
      const all = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
      if (all.length === 0) {
        resolve(exitCode);
        return;
      }
      // Each worker drains (finishes its runs in flight within drainMs) and exits.
      for (const w of all) w.process.kill('SIGTERM');
    };
    const onSignal = (signal: string) => {
      io.stderr(`snip serve: ${signal}: draining ${Object.keys(cluster.workers ?? {}).length} workers\n`);
      stop(EXIT.ok);
    };
    process.once('SIGTERM', () => onSignal('SIGTERM'));
    process.once('SIGINT', () => onSignal('SIGINT'));
    serveClusterMetrics();
    for (let i = 0; i < n; i++) fork();
  });
}

// `snip serve --workers N`: N worker processes (node:cluster) sharing one listening port, each a
// whole service. Only with PostgreSQL and Redis configured: there, runs, clients, bearer tokens
// and upstream tokens are shared, so any worker can answer any request. On the embedded default
// they live in one process's memory (a token issued by one worker would be unknown to the next),
// so it is refused with SNIP6025. This module is the primary's side: start the workers, say where
// they listen once all do, replace a worker that dies, and on SIGTERM/SIGINT drain them all.
import cluster, { type Worker } from 'node:cluster';
import type { AddressInfo } from 'node:net';
import { EXIT, type CliIO } from '../io.js';

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
    for (let i = 0; i < n; i++) fork();
  });
}

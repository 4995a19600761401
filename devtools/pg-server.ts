// A private PostgreSQL for tests and benchmarks: Debian's server binaries run from a temp folder on a free loopback
// port, with the unix socket in that folder too; no system service and never the default port.
// initdb refuses root, so as root the server runs as `nobody` (setpriv) over a folder chowned to it.
// Trust authentication on 127.0.0.1 only. The handle can stop, kill -9 and start the server again on
// the same port and data, for fault tests.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.js';

const NOBODY = 65534;

/** The folder holding initdb/pg_ctl/postgres, or undefined when PostgreSQL is not installed. */
export function postgresBinDir(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'postgres'))) return dir;
  }
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base).filter((v) => existsSync(path.join(base, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(base, versions[0], 'bin') : undefined;
}

/** Whether the suites that need PostgreSQL can run here. */
export const postgresAvailable = postgresBinDir() !== undefined;

/** A running private server. */
export interface PgServer {
  /** `postgres://snip@127.0.0.1:PORT/postgres`. */
  url: string;
  port: number;
  /** A fresh database on this server; returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Fast shutdown (SIGINT); the data stays for `start`. */
  stopServer(): Promise<void>;
  /** kill -9 of the postmaster (a crash); `start` recovers the data. */
  kill(): Promise<void>;
  /** Starts the server again on the same port and data. */
  start(): Promise<void>;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
}

// As root, run as nobody; otherwise as ourselves.
function asServerUser(cmd: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [cmd, args];
  return ['setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', cmd, ...args]];
}

function chownTree(dir: string): void {
  if (process.getuid?.() !== 0) return;
  execFileSync('chown', ['-R', `${NOBODY}:${NOBODY}`, dir]);
}

async function waitReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`postgres exited (${child.exitCode}): ${log()}`);
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    try {
      await c.connect();
      await c.query('SELECT 1');
      await c.end();
      return;
    } catch {
      await c.end().catch(() => undefined);
      if (i > 600) throw new Error(`postgres did not become ready: ${log()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Starts a private server (initdb + postgres). Call `stop()` in afterAll. */
export async function startPgServer(): Promise<PgServer> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL is not installed');
  const root = mkdtempSync(path.join(tmpdir(), 'snip-pg-'));
  const data = path.join(root, 'data');
  const sock = path.join(root, 'sock');
  execFileSync('mkdir', ['-p', sock]);
  chownTree(root);
  const [initCmd, initArgs] = asServerUser(path.join(bin, 'initdb'), ['-D', data, '-U', 'snip', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
  execFileSync(initCmd, initArgs, { stdio: 'pipe' });
  // Only loopback TCP and the private socket are trusted.
  writeFileSync(path.join(data, 'pg_hba.conf'), 'local all all trust\nhost all all 127.0.0.1/32 trust\n');
  chownTree(root);
  const port = await freePort();
  const url = `postgres://snip@127.0.0.1:${port}/postgres`;
  let child: ChildProcess | undefined;
  let output = '';

  const start = async () => {
    const [cmd, args] = asServerUser(path.join(bin, 'postgres'), [
      '-D', data, '-p', String(port), '-k', sock, '-c', 'listen_addresses=127.0.0.1',
      // fsync off is safe against a killed server (the OS keeps the WAL); synchronous_commit stays on,
      // or a kill -9 would lose commits already acknowledged.
      '-c', 'fsync=off', '-c', 'full_page_writes=off', '-c', 'max_connections=100',
      '-c', 'shared_buffers=16MB', '-c', 'logging_collector=off',
    ]);
    output = '';
    const c = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    c.stdout!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
    c.stderr!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
    child = c;
    await waitReady(url, c, () => output);
  };
  const halt = async (signal: NodeJS.Signals) => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((r) => c.once('exit', () => r()));
    // As root the child is setpriv exec'd into postgres: same pid, so the signal reaches the postmaster.
    c.kill(signal);
    await exited;
    child = undefined;
  };
  const onExit = () => child?.kill('SIGKILL');
  process.once('exit', onExit);
  await start();

  return {
    url,
    port,
    async createDatabase(name) {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
      } finally {
        await c.end();
      }
      return url.replace(/\/postgres$/, `/${name}`);
    },
    stopServer: () => halt('SIGINT'),
    async kill() {
      await halt('SIGKILL');
      // A killed postmaster leaves its backends; they exit once they notice. Wait for the pid file to go stale.
      await new Promise((r) => setTimeout(r, 200));
    },
    start,
    async stop() {
      await halt('SIGINT');
      process.off('exit', onExit);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

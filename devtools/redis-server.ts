// A private redis-server for tests and benchmarks: Debian's binary started on a free loopback port with its own
// temp folder, no persistence (`--save ''`, no AOF), never the system service or the default port.
// `stop()`/`start()` take it down and bring it back on the same port (fault tests); `kill()` is
// kill -9. Suites guard themselves with `requireTool('redis-server', redisAvailable(), SETUP_DB_TOOLS)`.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.js';

export interface TestRedis {
  url: string;
  port: number;
  /** Stops the server (SIGTERM, then waits for the exit); data is lost (no persistence). */
  stop(): Promise<void>;
  /** kill -9 of the server. */
  kill(): Promise<void>;
  /** Starts it again on the same port (after stop or kill). */
  start(): Promise<void>;
  /** Stops it for good and removes its folder. */
  close(): Promise<void>;
}

/** Whether the redis-server binary is on PATH. */
export function redisAvailable(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore', timeout: 20_000 }).status === 0;
}

function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ port, host: '127.0.0.1' });
    sock.once('connect', () => {
      // A PING round trip: the port may be open before the server answers commands.
      sock.write('PING\r\n');
    });
    sock.once('data', (d) => {
      sock.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
    sock.once('error', () => resolve(false));
  });
}

/** Starts a private redis-server; `close()` it in afterAll. */
export async function startRedis(): Promise<TestRedis> {
  const dir = mkdtempSync(path.join(tmpdir(), 'snip-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const output: string[] = [];

  const start = async () => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--protected-mode', 'yes', '--daemonize', 'no', '--loglevel', 'warning'];
    const c = spawn('redis-server', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    c.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
    c.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
    exited = new Promise((r) => c.once('exit', () => r()));
    let gone = false;
    void exited.then(() => (gone = true));
    // Waits until it answers PING; a start that fails (port taken) shows redis-server's own words.
    for (;;) {
      if (gone) throw new Error(`redis-server did not start: ${output.join('').slice(-500)}`);
      if (await accepting(port)) return;
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const end = async (signal: NodeJS.Signals) => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      await exited;
    }
    child = undefined;
  };

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
    start,
    async close() {
      await end('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

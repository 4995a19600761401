// `snip serve` (the built binary) as a child process, resolved once its stderr says where it
// listens. Shared by the service, scale-out and --workers tests.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'snip.js');

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  stdout: string[];
  stderr: string[];
  exited: Promise<number | null>;
}

export interface SpawnServeOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** What stderr says once it serves; its first group is the URL (default: one process listening). */
  ready?: RegExp;
  /** Arrays to collect the output in (new ones by default). */
  stdout?: string[];
  stderr?: string[];
}

/** Spawns `snip serve ARGS`; rejects when it exits before it listens (with its stderr). */
export function spawnServe(args: string[], o: SpawnServeOptions): Promise<ServeProcess> {
  const child = spawn(process.execPath, [bin, 'serve', ...args], { cwd: o.cwd, stdio: ['ignore', 'pipe', 'pipe'], ...(o.env ? { env: o.env } : {}) });
  const stdout = o.stdout ?? [];
  const stderr = o.stderr ?? [];
  const ready = o.ready ?? /listening on (http:\/\/127\.0\.0\.1:\d+)/;
  child.stdout!.on('data', (d: Buffer) => stdout.push(d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      stderr.push(d.toString());
      const m = ready.exec(stderr.join(''));
      if (m) resolve({ child, url: m[1]!, stdout, stderr, exited });
    });
    void exited.then((code) => reject(new Error(`snip serve exited ${code}: ${stderr.join('')}`)));
  });
}

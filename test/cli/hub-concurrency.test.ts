// Issue 9 item 4: many `snip hub` processes writing one hub at once. Real child processes of
// bin/snip.js (built by `npm test`): on a new hub without a key, two and then twenty writers each
// report success, and afterwards every secret decrypts and every request is there. Also: one key
// file, created once; a stale lock left by a dead process is broken; a live lock makes a writer
// wait and then fail with SNIP4041 instead of writing unguarded.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, utimesSync } from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { describe, expect, it } from 'vitest';
import { SnipError } from '../../runtime/errors.js';
import { FileHubStore } from '../../runtime/hub/file-store.js';
import { tempDir } from '../helpers/temp-dir.js';

const root = path.resolve(__dirname, '../..');
const outputs: string[] = [];

function snip(cwd: string, args: string[], stdin?: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [path.join(root, 'bin/snip.js'), 'hub', ...args], { cwd, env: { PATH: process.env.PATH ?? '' } }, (e, out, err) => {
      outputs.push(out, err);
      resolve({ code: e ? (e.code as number) : 0, out, err });
    });
    child.stdin?.end(stdin ?? '');
  });
}

/** A hub with a template and a connection, but no key file and no secrets yet. */
async function newHub(): Promise<string> {
  const ws = tempDir('snip-hub-conc-');
  const store = new FileHubStore({ dir: 'hub', cwd: ws });
  await store.createTemplate({ name: 'Open', application: 'Concurrency', authType: 'none', verbs: ['GET', 'POST'] });
  await store.createConnection({ name: 'Shared', template: 'Open' });
  return ws;
}

const value = (i: number): string => `conc-value-${i}-Qx7${'z'.repeat(i % 5)}`;

async function writers(ws: string, secrets: number, requests: number): Promise<void> {
  const jobs = [
    ...Array.from({ length: secrets }, (_, i) => snip(ws, ['secret', 'set', 'Shared', `secret ${i}`], `${value(i)}\n`)),
    ...Array.from({ length: requests }, (_, i) => snip(ws, ['request', 'add', 'Shared', `request ${i}`, '--trigger', 'studio'])),
  ];
  const results = await Promise.all(jobs);
  for (const r of results) expect(r.code, r.err).toBe(0);
}

async function expectAllThere(ws: string, secrets: number, requests: number): Promise<void> {
  // A fresh store in this process: reads what the processes left on disk.
  const store = new FileHubStore({ dir: 'hub', cwd: ws });
  const values = await store.resolveSecrets('Shared');
  expect(Object.fromEntries(values)).toEqual(Object.fromEntries(Array.from({ length: secrets }, (_, i) => [`secret ${i}`, value(i)])));
  const c = await store.getConnection('Shared');
  expect(c.secrets.length).toBe(secrets);
  expect(c.requests.map((r) => r.name).sort()).toEqual(Array.from({ length: requests }, (_, i) => `request ${i}`).sort());
  // One key, written once; no leftover temporary files or lock.
  expect(readFileSync(path.join(ws, 'hub/.hubkey'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'))).toHaveLength(1);
  expect(readdirSync(path.join(ws, 'hub')).filter((n) => n.endsWith('.tmp') || n === '.lock')).toEqual([]);
  const list = await snip(ws, ['secret', 'list', 'Shared', '--json']);
  expect(list.code, list.err).toBe(0);
  expect(JSON.parse(list.out)).toHaveLength(secrets);
}

describe('concurrent snip hub processes on one hub', () => {
  it('two `secret set` on a new hub: one key is created, both secrets decrypt', async () => {
    const ws = await newHub();
    await writers(ws, 2, 0);
    await expectAllThere(ws, 2, 0);
  });

  it('twenty writers (secrets and requests) at once: every write is kept', async () => {
    const ws = await newHub();
    await writers(ws, 10, 10);
    await expectAllThere(ws, 10, 10);
    for (let i = 0; i < 10; i++) expect(outputs.join('')).not.toContain(value(i));
  });

  it('breaks a stale lock left by a dead process', async () => {
    const ws = await newHub();
    const lock = path.join(ws, 'hub/.lock');
    mkdirSync(lock);
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    const r = await snip(ws, ['request', 'add', 'Shared', 'after stale lock', '--trigger', 'studio']);
    expect(r.code, r.err).toBe(0);
    expect((await new FileHubStore({ dir: 'hub', cwd: ws }).getConnection('Shared')).requests.map((x) => x.name)).toEqual(['after stale lock']);
  });

  it('a writer that cannot get a live lock fails with SNIP4041 and writes nothing', async () => {
    const ws = await newHub();
    const dir = path.join(ws, 'hub');
    const release = await lockfile.lock(dir, { lockfilePath: path.join(dir, '.lock'), realpath: false });
    try {
      const store = new FileHubStore({ dir: 'hub', cwd: ws, lock: { waitMs: 300 } });
      const e = await store.addRequest('Shared', { name: 'blocked', trigger: 'studio' }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(SnipError);
      expect((e as SnipError).code).toBe('SNIP4041');
      expect((e as SnipError).message).toContain('hub/.lock');
    } finally {
      await release();
    }
    expect((await new FileHubStore({ dir: 'hub', cwd: ws }).getConnection('Shared')).requests).toEqual([]);
  });
});

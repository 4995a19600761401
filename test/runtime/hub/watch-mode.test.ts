// Issue 12: freshness without stats in long-lived hosts. `new FileHubStore({ watch: true })` and
// `runScript(path, { watch: true })` watch their folders (fs.watch) instead of a stat per file and
// run. Real files, real watchers, a real server on 127.0.0.1: a look-up of an unchanged file is
// answered from memory; edits, deletions and re-creations made outside the store (another store,
// by hand) are seen once their event arrives (the tests poll a run until it changes, with a bound);
// writes through the watching store itself are seen by the very next run.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FileHubStore, HubServices, TokenCache, runScript } from '../../../index.js';
import { RACY_MS } from '../../../runtime/hub/file-cache.js';
import { WatchedFiles } from '../../../runtime/file-watch.js';
import { closeScriptWatchers, compileFile, compiledNow } from '../../../runtime/script-cache.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { ECHO_PAYLOAD, echoScript } from '../../helpers/echo-flow.js';

let server: Server;
let base: string;
const seen: (string | undefined)[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      seen.push(req.headers['x-key'] as string | undefined);
      res.end(JSON.stringify({ ok: true }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  closeScriptWatchers();
  await new Promise((r) => server.close(r));
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Calls `f` until `ok` holds for its result (change events arrive asynchronously); at most ~10 s. */
async function until<T>(f: () => Promise<T> | T, ok: (t: T) => boolean): Promise<T> {
  let last = await f();
  for (let i = 0; i < 400 && !ok(last); i++) {
    await sleep(25);
    last = await f();
  }
  return last;
}

/** Lets every file written so far settle, so the store trusts what it knows of it. */
const settle = () => sleep(RACY_MS + 150);

describe('WatchedFiles', () => {
  it('answers an unchanged file from memory and looks again after its change event', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'snip-watch-'));
    const file = path.join(dir, 'a.json');
    writeFileSync(file, '1');
    let looks = 0;
    const w = new WatchedFiles((f) => {
      looks++;
      return statSync(f, { throwIfNoEntry: false })?.size;
    });
    w.want(dir);
    expect(w.watching(dir)).toBe(true);
    expect(w.get(file)).toBe(1);
    expect(w.get(file)).toBe(1);
    expect(w.get(file)).toBe(1);
    expect(looks).toBe(1);

    writeFileSync(file, '22');
    expect(await until(() => w.get(file), (v) => v === 2)).toBe(2);
    const after = looks;
    w.get(file);
    expect(looks).toBe(after);

    unlinkSync(file);
    expect(await until(() => w.get(file), (v) => v === undefined)).toBeUndefined();

    // A file outside the watched folders is looked up every time.
    const other = path.join(tmpdir(), 'snip-watch-not-watched.json');
    const n = looks;
    w.get(other);
    w.get(other);
    expect(looks).toBe(n + 2);

    w.close();
    writeFileSync(file, '333');
    expect(w.get(file)).toBe(3); // closed: stats again, at once
    rmSync(dir, { recursive: true, force: true });
  });

  it('falls back to look-ups when the watched folder is replaced, and watches the new one', async () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'snip-watch-'));
    const dir = path.join(parent, 'hub');
    mkdirSync(dir);
    const file = path.join(dir, 'a.json');
    writeFileSync(file, '1');
    const w = new WatchedFiles((f) => statSync(f, { throwIfNoEntry: false })?.size);
    w.want(dir);
    expect(w.get(file)).toBe(1);
    rmSync(dir, { recursive: true });
    expect(await until(() => w.get(file), (v) => v === undefined)).toBeUndefined();
    mkdirSync(dir);
    writeFileSync(file, '4444');
    expect(await until(() => w.get(file), (v) => v === 4)).toBe(4);
    writeFileSync(file, '55555');
    expect(await until(() => w.get(file), (v) => v === 5)).toBe(5);
    w.close();
    rmSync(parent, { recursive: true, force: true });
  });
});


async function workspace(): Promise<string> {
  const ws = tempDir('snip-watch-hub-');
  const store = new FileHubStore({ dir: 'hub', cwd: ws });
  await store.createTemplate({ name: 'Open', application: 'Watch', authType: 'none', verbs: ['GET'] });
  await store.createConnection({ name: 'Echo API', template: 'Open', timeoutMs: 5000 });
  await store.setSecret('Echo API', 'BASE', base);
  await store.setSecret('Echo API', 'api key', 'watch-key-one-Tq');
  await store.addRequest('Echo API', { name: 'Echo', trigger: 'studio' });
  writeFileSync(path.join(ws, 'call.studio'), echoScript());
  return ws;
}

/** One run through the documented host path, watch mode: a fresh HubServices per run over one store. */
async function run(store: FileHubStore, ws: string, tokens: TokenCache) {
  const hub = new HubServices(store, { tokens });
  try {
    const r = await runScript(path.join(ws, 'call.studio'), { hub, masker: hub.mask, inputs: { payload: ECHO_PAYLOAD }, collectTrace: true, watch: true });
    return { err: r.variables['_ERR'] as string | undefined, key: r.variables['_ERR'] === undefined ? seen.at(-1) : undefined, view: await hub.connection('Echo API').catch(() => undefined), trace: JSON.stringify(r.trace) };
  } finally {
    await hub.close();
  }
}

describe('FileHubStore in watch mode', () => {
  it('shares views while nothing changed and sees every change made between runs', async () => {
    const ws = await workspace();
    const store = new FileHubStore({ dir: 'hub', cwd: ws, watch: true });
    expect(store.watching).toBe(true);
    const tokens = new TokenCache();
    await settle();
    // The first run loads the hub; views are shared from then on.
    expect(await run(store, ws, tokens)).toMatchObject({ err: undefined, key: 'watch-key-one-Tq' });
    const stamp = store.connectionStamp('Echo API');
    expect(stamp).toBeDefined();
    const first = await run(store, ws, tokens);
    const second = await run(store, ws, tokens);
    expect(second.view).toBe(first.view);
    expect(second.trace).not.toContain('watch-key-one-Tq');
    expect(store.connectionStamp('Echo API')).toBe(stamp);

    // Another store (another process) sets a new value: seen once the change event arrives.
    await new FileHubStore({ dir: 'hub', cwd: ws }).setSecret('Echo API', 'api key', 'watch-key-two-Rk');
    expect((await until(() => run(store, ws, tokens), (r) => r.key === 'watch-key-two-Rk')).key).toBe('watch-key-two-Rk');

    // A write through the watching store itself: the very next run sees it, no event needed.
    await store.setSecret('Echo API', 'api key', 'watch-key-three-Pz');
    expect((await run(store, ws, tokens)).key).toBe('watch-key-three-Pz');

    // A hand edit of the connection file: the request is made inactive.
    await settle();
    const file = path.join(ws, 'hub/connections/echo-api.json');
    const json = JSON.parse(readFileSync(file, 'utf8'));
    json.requests[0].active = false;
    writeFileSync(file, JSON.stringify(json, null, 2));
    expect((await until(() => run(store, ws, tokens), (r) => /inactive/.test(r.err ?? ''))).err).toMatch(/inactive/);

    // The file is deleted: the connection is unknown.
    unlinkSync(file);
    expect((await until(() => run(store, ws, tokens), (r) => /no connection named/.test(r.err ?? ''))).err).toMatch(/no connection named "Echo API"/);

    // Back again (after settling, so only the watcher can tell): it works again.
    json.requests[0].active = true;
    writeFileSync(file, JSON.stringify(json, null, 2));
    expect((await until(() => run(store, ws, tokens), (r) => r.err === undefined)).key).toBe('watch-key-three-Pz');

    // Closed: back to a stat per file, still correct.
    store.close();
    await store.setSecret('Echo API', 'api key', 'watch-key-four-Wn');
    expect((await run(store, ws, tokens)).key).toBe('watch-key-four-Wn');
    rmSync(ws, { recursive: true, force: true });
  });

  it('shares views again right after a change: no second of re-reads as in stat mode', async () => {
    const ws = await workspace();
    const store = new FileHubStore({ dir: 'hub', cwd: ws, watch: true });
    const tokens = new TokenCache();
    // No settle(): every file was written a moment ago, which stat mode does not trust for RACY_MS.
    expect(await run(store, ws, tokens)).toMatchObject({ err: undefined, key: 'watch-key-one-Tq' });
    const stamp = store.connectionStamp('Echo API');
    expect(stamp).toBeDefined();
    const first = await run(store, ws, tokens);
    expect((await run(store, ws, tokens)).view).toBe(first.view);
    // The clock stands still from here: in stat mode a file written now stays "recent" (RACY_MS)
    // for good, so stat mode would re-read on every access; watch mode needs no quiet time.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    try {
      // A write through the store: the next run sees it, and once the write's own change events are
      // in, runs share one view again.
      await store.setSecret('Echo API', 'api key', 'watch-key-four-Hn');
      expect((await run(store, ws, tokens)).key).toBe('watch-key-four-Hn');
      const shares = (s: FileHubStore) => async () => {
        const a = await run(s, ws, tokens);
        const b = await run(s, ws, tokens);
        return a.view === b.view && b.key !== undefined;
      };
      expect(await until(shares(store), (shared) => shared)).toBe(true);
      expect(store.connectionStamp('Echo API')).toBeDefined();
      expect(store.connectionStamp('Echo API')).not.toBe(stamp);
      // The same in stat mode: no stamp, a fresh view on every run.
      const statMode = new FileHubStore({ dir: 'hub', cwd: ws });
      await statMode.setSecret('Echo API', 'api key', 'watch-key-five-Lm');
      expect(await shares(statMode)()).toBe(false);
      expect(statMode.connectionStamp('Echo API')).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
    // Two writes from elsewhere of the same size in a row: the watching store ends on the second.
    const file = path.join(ws, 'hub', 'connections', readdirSync(path.join(ws, 'hub', 'connections')).find((n) => n.endsWith('.json') && !n.includes('secret'))!);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('"timeoutMs": 5000');
    writeFileSync(file, text.replace('"timeoutMs": 5000', '"timeoutMs": 6000'));
    writeFileSync(file, text.replace('"timeoutMs": 5000', '"timeoutMs": 7000'));
    expect((await until(() => store.getConnection('Echo API'), (c) => c.timeoutMs === 7000)).timeoutMs).toBe(7000);
    store.close();
    rmSync(ws, { recursive: true, force: true });
  });

  it('the whole hub folder deleted and made again is seen', async () => {
    const ws = await workspace();
    const store = new FileHubStore({ dir: 'hub', cwd: ws, watch: true });
    const tokens = new TokenCache();
    await settle();
    expect((await run(store, ws, tokens)).key).toBe('watch-key-one-Tq');
    const saved = path.join(ws, 'saved');
    // Keep a copy, delete the folder, then put the copy back with another secret value.
    const hubDir = path.join(ws, 'hub');
    const { cpSync } = await import('node:fs');
    cpSync(hubDir, saved, { recursive: true });
    rmSync(hubDir, { recursive: true });
    expect((await until(() => run(store, ws, tokens), (r) => /does not exist/.test(r.err ?? ''))).err).toMatch(/hub folder hub does not exist/);
    cpSync(saved, hubDir, { recursive: true });
    await new FileHubStore({ dir: 'hub', cwd: ws }).setSecret('Echo API', 'api key', 'watch-key-back-Jd');
    expect((await until(() => run(store, ws, tokens), (r) => r.key === 'watch-key-back-Jd')).key).toBe('watch-key-back-Jd');
    store.close();
    rmSync(ws, { recursive: true, force: true });
  });
});

describe('runScript(path, { watch: true })', () => {
  const main = (word: string) => `BEGIN start -> say\nSNIPPET say {\n  ASSIGN word = "${word}"\n}\n  -> done\nEND done\n`;
  const caller = 'BEGIN start -> call\nRUNSUB call (ScriptName = "sub", ReturnVariable = got)\n  -> done\nEND done\n';
  const sub = (v: string) => `BEGIN start -> ret\nRETURN ret (ReturnValue = "${v}")\n`;

  it('needs no quiet time after an edit: once its event is in, the script is not read again', async () => {
    const dir = tempDir('snip-watch-quiet-');
    const file = path.join(dir, 'main.studio');
    writeFileSync(file, main('alpha'));
    // The clock stands still: in stat mode the file stays "recent" and is read on every run.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    try {
      const first = await compileFile(file, { watch: true });
      // Same size, right after: told apart by its change event, not by the file clock.
      writeFileSync(file, main('gamma'));
      expect(await until(() => compileFile(file, { watch: true }), (r) => r !== first)).not.toBe(first);
      const now = compiledNow(file, { watch: true });
      expect('read' in now).toBe(false);
      expect('read' in compiledNow(file, {})).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('sees edits, a deletion and the file back again, of a script and of a subscript', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'snip-watch-scripts-'));
    const file = path.join(dir, 'main.studio');
    writeFileSync(file, main('alpha'));
    const word = async () => {
      const r = await runScript(file, { watch: true });
      return r.error?.code ?? (r.variables['word'] as string);
    };
    expect(await word()).toBe('alpha');
    expect(await word()).toBe('alpha');
    writeFileSync(file, main('gamma'));
    expect(await until(word, (w) => w === 'gamma')).toBe('gamma');
    unlinkSync(file);
    expect(await until(word, (w) => w === 'SNIP3012')).toBe('SNIP3012');
    writeFileSync(file, main('back'));
    expect(await until(word, (w) => w === 'back')).toBe('back');

    // Settled (older than the cache's window for recent files): answered from memory until an event.
    await sleep(2100);
    expect(await word()).toBe('back');
    expect(await word()).toBe('back');
    writeFileSync(file, main('bock'));
    expect(await until(word, (w) => w === 'bock')).toBe('bock');

    const callerFile = path.join(dir, 'caller.studio');
    writeFileSync(callerFile, caller);
    writeFileSync(path.join(dir, 'sub.studio'), sub('one'));
    const got = async () => {
      const r = await runScript(callerFile, { watch: true });
      return r.error?.code ?? (r.variables['got'] as string);
    };
    expect(await got()).toBe('one');
    writeFileSync(path.join(dir, 'sub.studio'), sub('two'));
    expect(await until(got, (g) => g === 'two')).toBe('two');
    unlinkSync(path.join(dir, 'sub.studio'));
    const gone = await until(() => runScript(callerFile, { watch: true }), (r) => /cannot read the subscript/.test(String(r.variables['_ERR'] ?? r.error?.message)));
    expect(String(gone.variables['_ERR'] ?? gone.error?.message)).toMatch(/cannot read the subscript/);
    rmSync(dir, { recursive: true, force: true });
  });
});

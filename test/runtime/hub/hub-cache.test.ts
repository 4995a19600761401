// Issue 9 item 5 and issue 12 item 1: the hub kept in memory per process. Runs through the host path
// (`runScript(file, { hub: openFileHub(...) })` per run) against a real server on 127.0.0.1 see every
// change made between runs by another process's store or by hand; one broken file is reported with
// its path and leaves the rest usable (and the CLI repairs or deletes it); a missing hub folder says
// how to create one; authorization is recorded without rewriting the connection file; decrypted
// secrets and keys cannot be printed or serialised from the store.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The host path as docs/hub.md shows it: everything from the package's entry point.
import { FileHubStore, HubServices, TokenCache, connectionView, openFileHub, runScript, sharedFileHubStore } from '../../../index.js';
import { generateKey } from '../../../runtime/hub/secret-box.js';
import { main } from '../../../cli/main.js';
import { fakeIO } from '../../cli/fake-io.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { ECHO_PAYLOAD, echoScript } from '../../helpers/echo-flow.js';

let server: Server;
let base: string;
const seen: { key: string | undefined; auth: string | undefined }[] = [];
const TOKEN = 'cache-token-Vb72Lq';

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/token') return void res.end(JSON.stringify({ access_token: TOKEN, token_type: 'Bearer', expires_in: 3600 }));
      seen.push({ key: req.headers['x-key'] as string | undefined, auth: req.headers.authorization });
      res.end(JSON.stringify({ ok: true }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
});


/** A workspace with a hub: "Echo API" (no auth), "Other" (no auth), "Tokens" (OAuth). */
async function workspace(): Promise<{ ws: string; dir: string }> {
  const ws = tempDir('snip-hub-cache-');
  const store = new FileHubStore({ dir: 'hub', cwd: ws });
  await store.createTemplate({ name: 'Open', application: 'Cache', authType: 'none', verbs: ['GET', 'POST'] });
  await store.createTemplate({ name: 'OAuth', application: 'Cache', authType: 'oauth2-client-credentials', verbs: ['GET', 'POST'] });
  for (const name of ['Echo API', 'Other']) {
    await store.createConnection({ name, template: 'Open', timeoutMs: 5000 });
    await store.setSecret(name, 'BASE', base);
    await store.setSecret(name, 'api key', `key-one-${name.length}`);
    await store.addRequest(name, { name: 'Echo', trigger: 'studio' });
  }
  await store.createConnection({ name: 'Tokens', template: 'OAuth', timeoutMs: 5000 });
  await store.setSecret('Tokens', 'BASE', base);
  await store.setSecret('Tokens', 'api key', 'tokens-key-3');
  await store.setSecret('Tokens', 'client_id', 'cid');
  await store.setSecret('Tokens', 'client_secret', 'csecret-Hh31');
  await store.updateConnection('Tokens', { auth: { url: '[[BASE]]/token', method: 'POST', headers: {}, query: {} } });
  await store.addRequest('Tokens', { name: 'Echo', trigger: 'studio' });
  return { ws, dir: path.join(ws, 'hub') };
}

const tokens = new TokenCache();

/** One run through the documented host path: a fresh HubServices per run over the shared store. */
async function run(ws: string, conn: string, env: Record<string, string> = {}) {
  const hub = openFileHub({ cwd: ws, env, tokens });
  try {
    const r = await runScript(echoScript(conn), { fileName: 't.studio', hub, masker: hub.mask, inputs: { payload: ECHO_PAYLOAD } });
    return { err: r.variables['_ERR'] as string | undefined, error: r.error };
  } finally {
    await hub.close();
  }
}

describe('the hub kept in memory per process', () => {
  it('shares one store per hub folder and key, and sees every change made between runs', async () => {
    const { ws, dir } = await workspace();
    expect(sharedFileHubStore({ cwd: ws, env: {} })).toBe(sharedFileHubStore({ cwd: ws, env: {}, dir: 'hub' }));
    expect(sharedFileHubStore({ cwd: ws, env: {} })).not.toBe(sharedFileHubStore({ cwd: ws, env: { SNIP_HUB_KEY: generateKey().toString('base64') } }));

    expect((await run(ws, 'Echo API')).err).toBeUndefined();
    expect(seen.at(-1)!.key).toBe('key-one-8');

    // Another process (the CLI) changes a secret: the next run sends the new value.
    await new FileHubStore({ dir: 'hub', cwd: ws }).setSecret('Echo API', 'api key', 'key-two-Zp');
    expect((await run(ws, 'Echo API')).err).toBeUndefined();
    expect(seen.at(-1)!.key).toBe('key-two-Zp');

    // A hand edit of the connection file: the request is made inactive.
    const file = path.join(dir, 'connections/echo-api.json');
    const json = JSON.parse(readFileSync(file, 'utf8'));
    json.requests[0].active = false;
    writeFileSync(file, JSON.stringify(json, null, 2));
    expect((await run(ws, 'Echo API')).err).toMatch(/inactive/);

    // The file is deleted: the connection is unknown, the others still work.
    rmSync(file);
    expect((await run(ws, 'Echo API')).err).toMatch(/no connection named "Echo API"/);
    expect((await run(ws, 'Other')).err).toBeUndefined();

    // The whole hub folder is gone: the error says how to create one.
    rmSync(dir, { recursive: true });
    expect((await run(ws, 'Other')).err).toMatch(/hub folder hub does not exist; create one with 'snip hub init'/);
  });

  it('reports one malformed file with its path and keeps the other connections usable', async () => {
    const { ws, dir } = await workspace();
    expect((await run(ws, 'Other')).err).toBeUndefined();
    writeFileSync(path.join(dir, 'connections/echo-api.json'), '{ "name": "Echo API", ');
    const broken = await run(ws, 'Echo API');
    expect(broken.err).toMatch(/^hub\/connections\/echo-api\.json: not valid JSON/);
    expect((await run(ws, 'Other')).err).toBeUndefined();

    // The CLI lists the rest with a warning naming the file, and can delete the broken one.
    const io = fakeIO(ws);
    expect(await main(['hub', 'connection', 'list'], io)).toBe(0);
    expect(io.stdoutText()).toMatch(/^Other\s/m);
    expect(io.stderrText()).toMatch(/warning SNIP4001: hub\/connections\/echo-api\.json: not valid JSON/);
    const del = fakeIO(ws);
    expect(await main(['hub', 'connection', 'delete', 'Echo API'], del)).toBe(0);
    expect(existsSync(path.join(dir, 'connections/echo-api.json'))).toBe(false);
    expect(existsSync(path.join(dir, 'connections/echo-api.secrets.json'))).toBe(false);
  });

  it('connection update repairs a file that breaks a rule, and changes settings in place', async () => {
    const { ws, dir } = await workspace();
    const file = path.join(dir, 'connections/other.json');
    const json = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...json, timeoutMs: 99_999_999 }));
    expect((await run(ws, 'Other')).err).toMatch(/hub\/connections\/other\.json: .*timeout/);

    const io = fakeIO(ws);
    expect(await main(['hub', 'connection', 'update', 'Other', '--timeout', '4000', '--resource-domain', 'https://api.example.test/v1'], io), io.stderrText()).toBe(0);
    const c = await new FileHubStore({ dir: 'hub', cwd: ws }).getConnection('Other');
    expect(c).toMatchObject({ timeoutMs: 4000, resourceDomain: 'https://api.example.test/v1' });
    expect(c.requests.map((r) => r.name)).toEqual(['Echo']);
    // Under the resource domain an http URL is refused: the run sees the update.
    expect((await run(ws, 'Other')).err).toMatch(/is not https/);

    const clear = fakeIO(ws);
    expect(await main(['hub', 'connection', 'update', 'Other', '--no-resource-domain', '--json'], clear), clear.stderrText()).toBe(0);
    expect(JSON.parse(clear.stdoutText()).resourceDomain).toBeUndefined();
    expect((await run(ws, 'Other')).err).toBeUndefined();

    const none = fakeIO(ws);
    expect(await main(['hub', 'connection', 'update', 'Other'], none)).toBe(2);
    expect(none.stderrText()).toContain('nothing to update');
  });

  it('records authorization in state.json without rewriting the connection file', async () => {
    const { ws, dir } = await workspace();
    const file = path.join(dir, 'connections/tokens.json');
    const before = readFileSync(file, 'utf8');
    expect((await run(ws, 'Tokens')).err).toBeUndefined();
    expect(seen.at(-1)!.auth).toBe(`Bearer ${TOKEN}`);
    expect(readFileSync(file, 'utf8')).toBe(before);
    const state = JSON.parse(readFileSync(path.join(dir, 'state.json'), 'utf8'));
    expect(Object.keys(state.authorizations)).toEqual(['Tokens']);
    expect(JSON.stringify(state)).not.toContain('csecret-Hh31');
    const reader = new FileHubStore({ dir: 'hub', cwd: ws });
    expect(await reader.getConnection('Tokens')).toMatchObject({ status: 'authorized', authorizedAt: state.authorizations.Tokens.authorizedAt });
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toMatch(/^state\.json$/m);

    // A hand edit of the authentication settings: the record no longer applies.
    const json = JSON.parse(before);
    json.auth.url = `${base}/token?v=2`;
    writeFileSync(file, JSON.stringify(json, null, 2));
    expect((await reader.getConnection('Tokens')).status).toBe('pending');
  });

  it('runs the documented host example: HubServices over the shared store, one TokenCache', async () => {
    const { ws } = await workspace();
    const store = sharedFileHubStore({ cwd: ws, env: {} });
    const shared = new TokenCache();
    for (let i = 0; i < 3; i++) {
      const hub = new HubServices(store, { tokens: shared });
      const r = await runScript(echoScript('Tokens'), { fileName: 't.studio', hub, masker: hub.mask, inputs: { payload: ECHO_PAYLOAD } });
      await hub.close();
      expect(r.variables['_ERR']).toBeUndefined();
    }
    expect(seen.at(-1)!.auth).toBe(`Bearer ${TOKEN}`);
  });

  it('holds decrypted secrets and keys where nothing can print or serialise them', async () => {
    const { ws } = await workspace();
    const store = sharedFileHubStore({ cwd: ws, env: {} });
    expect((await run(ws, 'Tokens')).err).toBeUndefined();
    const services = openFileHub({ cwd: ws, env: {}, tokens });
    await services.connection('Tokens');
    const view = await connectionView(store, 'Tokens');
    const secrets = await store.resolveSecrets('Tokens');
    expect(secrets.get('client_secret')).toBe('csecret-Hh31');
    const key = readFileSync(path.join(ws, 'hub/.hubkey'), 'utf8').split('\n').find((l) => l && !l.startsWith('#'))!;
    const shown = [
      inspect(store, { depth: Infinity, showHidden: true }),
      JSON.stringify(store),
      inspect(secrets, { depth: Infinity }),
      JSON.stringify(secrets),
      String(secrets),
      inspect(view, { depth: Infinity }),
      JSON.stringify(view),
      inspect(services, { depth: Infinity, showHidden: true }),
      JSON.stringify(services),
    ].join('\n');
    await services.close();
    for (const v of ['csecret-Hh31', 'tokens-key-3', base, key, Buffer.from(key, 'base64').toString('hex')]) expect(shown).not.toContain(v);
  });
});

describe('hub CLI errors', () => {
  it('a misspelt --hub folder is SNIP4040 saying how to create one, not an empty hub', async () => {
    const { ws } = await workspace();
    for (const args of [['connection', 'list'], ['template', 'list'], ['secret', 'list', 'Other'], ['request', 'add', 'Other', 'x', '--trigger', 'studio']]) {
      const io = fakeIO(ws);
      expect(await main(['hub', ...args, '--hub', 'hbu'], io)).toBe(1);
      expect(io.stderrText()).toContain("error SNIP4040: the hub folder hbu does not exist; create one with 'snip hub init --hub hbu'");
    }
    expect(existsSync(path.join(ws, 'hbu'))).toBe(false);
  });

  it('snip run with a misspelt --hub or SNIP_HUB stops before the run (exit 2), the default ./hub may be absent', async () => {
    const { ws } = await workspace();
    writeFileSync(path.join(ws, 'plain.snip'), 'TRACE "ran"\n');
    const typo = fakeIO(ws);
    expect(await main(['run', 'plain.snip', '--hub', 'hbu'], typo)).toBe(2);
    expect(typo.stderrText()).toContain("error SNIP4040: the hub folder hbu does not exist; create one with 'snip hub init --hub hbu'");
    expect(typo.stderrText()).not.toContain('ran');
    const env = fakeIO(ws);
    env.env = { SNIP_HUB: 'nohub' };
    expect(await main(['run', 'plain.snip'], env)).toBe(2);
    expect(env.stderrText()).toContain('SNIP4040');
    const bare = fakeIO(path.join(ws, 'hub'));
    writeFileSync(path.join(ws, 'hub', 'plain.snip'), 'TRACE "ran"\n');
    expect(await main(['run', 'plain.snip'], bare)).toBe(0);
  });

  it('secret list with a wrong key says the key does not match', async () => {
    const { ws } = await workspace();
    const io = fakeIO(ws);
    io.env = { SNIP_HUB_KEY: generateKey().toString('base64') };
    expect(await main(['hub', 'secret', 'list', 'Other'], io)).toBe(1);
    expect(io.stderrText()).toMatch(/error SNIP4009: the hub key does not match the secrets of "Other": .*encrypted with key k-/);
    expect(io.stdoutText()).toBe('');
  });
});

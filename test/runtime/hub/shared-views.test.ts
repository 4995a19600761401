// Issue 12: per-run HubServices nearly free. Runs over one store share the connection views an
// earlier run loaded while the store's stamp for that connection holds (files settled and unchanged),
// so a run reads, validates, copies and decrypts nothing. Every change between runs is still seen:
// a secret set by another store, a hand edit of the connection file, a replaced key file, the
// authorization state. Real server on 127.0.0.1; files are left to settle (the store does not trust
// a file changed within the last second), which is a wait, not a timed assertion.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileHubStore, HubServices, TokenCache, runScript } from '../../../index.js';
import { RACY_MS } from '../../../runtime/hub/file-cache.js';
import { generateKey, keyIdOf, writeKeyFile } from '../../../runtime/hub/secret-box.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { ECHO_PAYLOAD, echoScript } from '../../helpers/echo-flow.js';

let server: Server;
let base: string;
const seen: { key: string | undefined; auth: string | undefined }[] = [];
let tokensIssued = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/token') return void res.end(JSON.stringify({ access_token: `shared-view-token-${++tokensIssued}`, token_type: 'Bearer', expires_in: 3600 }));
      seen.push({ key: req.headers['x-key'] as string | undefined, auth: req.headers.authorization });
      res.end(JSON.stringify({ ok: true, echoed: req.headers['x-key'] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
});


async function workspace(): Promise<{ ws: string; store: FileHubStore }> {
  const ws = tempDir('snip-shared-views-');
  const store = new FileHubStore({ dir: 'hub', cwd: ws });
  await store.createTemplate({ name: 'Open', application: 'Views', authType: 'none', verbs: ['GET'] });
  await store.createTemplate({ name: 'OAuth', application: 'Views', authType: 'oauth2-client-credentials', verbs: ['GET', 'POST'] });
  await store.createConnection({ name: 'Echo API', template: 'Open', timeoutMs: 5000 });
  await store.setSecret('Echo API', 'BASE', base);
  await store.setSecret('Echo API', 'api key', 'first-key-Qw81');
  await store.addRequest('Echo API', { name: 'Echo', trigger: 'studio' });
  await store.createConnection({ name: 'Tokens', template: 'OAuth', timeoutMs: 5000 });
  await store.setSecret('Tokens', 'BASE', base);
  await store.setSecret('Tokens', 'api key', 'tokens-key-Lm27');
  await store.setSecret('Tokens', 'client_id', 'cid');
  await store.setSecret('Tokens', 'client_secret', 'csecret-Yt64');
  await store.updateConnection('Tokens', { auth: { url: '[[BASE]]/token', method: 'POST', headers: {}, query: {} } });
  await store.addRequest('Tokens', { name: 'Echo', trigger: 'studio' });
  return { ws, store };
}

/** Lets every file written so far settle, so the store trusts its stat again. */
const settle = () => new Promise((r) => setTimeout(r, RACY_MS + 150));

/** One run through the documented host path: a fresh HubServices per run over one store. */
async function run(store: FileHubStore, conn: string, tokens: TokenCache) {
  const hub = new HubServices(store, { tokens });
  try {
    const r = await runScript(echoScript(conn), { fileName: 't.studio', hub, masker: hub.mask, inputs: { payload: ECHO_PAYLOAD }, collectTrace: true });
    return { err: r.variables['_ERR'] as string | undefined, view: await hub.connection(conn).catch(() => undefined), trace: JSON.stringify(r.trace), hub };
  } finally {
    await hub.close();
  }
}

describe('connection views shared by the runs over one store', () => {
  it('reuses the view while nothing changed, and sees every change made between runs', async () => {
    const { ws, store } = await workspace();
    const tokens = new TokenCache();
    await settle();
    expect(store.connectionStamp('Echo API')).toBeUndefined(); // nothing loaded yet

    // The first run loads the hub; from then on a view is kept under the stamp taken before loading it.
    expect((await run(store, 'Echo API', tokens)).err).toBeUndefined();
    const stamp = store.connectionStamp('Echo API');
    expect(stamp).toBeDefined();
    const first = await run(store, 'Echo API', tokens);
    expect(first.err).toBeUndefined();
    expect(seen.at(-1)!.key).toBe('first-key-Qw81');
    const second = await run(store, 'Echo API', tokens);
    expect(second.err).toBeUndefined();
    expect(second.view).toBe(first.view); // shared: not loaded again
    expect(store.connectionStamp('Echo API')).toBe(stamp);
    // The shared view still masks: each run's redactor learns its secrets.
    expect(second.hub.mask('x first-key-Qw81 y')).toBe('x **** y');
    expect(second.trace).not.toContain('first-key-Qw81');

    // Another store (another process) sets a new value: the very next run sends it.
    await new FileHubStore({ dir: 'hub', cwd: ws }).setSecret('Echo API', 'api key', 'second-key-Hb40');
    const third = await run(store, 'Echo API', tokens);
    expect(third.err).toBeUndefined();
    expect(seen.at(-1)!.key).toBe('second-key-Hb40');
    expect(third.view).not.toBe(first.view);

    // Settled again, the new view is shared; a hand edit of the connection file is seen next run.
    await settle();
    await run(store, 'Echo API', tokens);
    const fourth = await run(store, 'Echo API', tokens);
    expect((await run(store, 'Echo API', tokens)).view).toBe(fourth.view);
    const file = path.join(ws, 'hub/connections/echo-api.json');
    const json = JSON.parse(readFileSync(file, 'utf8'));
    json.requests[0].active = false;
    writeFileSync(file, JSON.stringify(json, null, 2));
    expect((await run(store, 'Echo API', tokens)).err).toMatch(/inactive/);

    // A key file that cannot decrypt the secrets, once settled: SNIP4009, not the shared old values.
    json.requests[0].active = true;
    writeFileSync(file, JSON.stringify(json, null, 2));
    await settle();
    expect((await run(store, 'Echo API', tokens)).err).toBeUndefined();
    expect((await run(store, 'Echo API', tokens)).err).toBeUndefined();
    const key = generateKey();
    await writeKeyFile(path.join(ws, 'hub/.hubkey'), [{ id: keyIdOf(key), key }]);
    await settle();
    const wrongKey = await run(store, 'Echo API', tokens);
    expect(wrongKey.err).toMatch(/SNIP4009|key/i);
    expect(wrongKey.view).toBeUndefined();
  });

  it('records the authorization once and then shares the authorized view', async () => {
    const { ws, store } = await workspace();
    const tokens = new TokenCache();
    await settle();
    expect((await run(store, 'Tokens', tokens)).err).toBeUndefined();
    const stateText = readFileSync(path.join(ws, 'hub/state.json'), 'utf8');
    const state = JSON.parse(stateText);
    expect(Object.keys(state.authorizations)).toEqual(['Tokens']);
    await settle();
    await run(store, 'Tokens', tokens);
    const a = await run(store, 'Tokens', tokens);
    const b = await run(store, 'Tokens', tokens);
    expect(a.err).toBeUndefined();
    expect(b.view).toBe(a.view);
    expect(b.view!.status).toBe('authorized');
    expect(readFileSync(path.join(ws, 'hub/state.json'), 'utf8')).toBe(stateText);
    expect(seen.at(-1)!.auth).toBe('Bearer shared-view-token-' + tokensIssued);
    // Token and secrets stay masked in everything a run shows, and the services print nothing.
    expect(b.trace).not.toContain('csecret-Yt64');
    expect(b.trace).not.toContain(`shared-view-token-${tokensIssued}`);
    expect(inspect(b.hub, { depth: Infinity, showHidden: true })).not.toContain('csecret-Yt64');
    expect(JSON.stringify(b.hub)).not.toContain('csecret-Yt64');
  });
});

// Admin edits of a connection make its cached upstream token stale: after a secret is set or the
// connection is changed through the hub admin API, the next run authenticates again instead of
// reusing a token obtained with the old credentials. Runs in between reuse the cached token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { FileHubStore } from '../../runtime/hub/file-store.js';
import { UPSTREAM, call, startFixture, type Fixture } from './fixture.js';

let f: Fixture;
let admin: string;

beforeAll(async () => {
  f = await startFixture();
  admin = await f.token(f.clients.acmeAdmin);
});
afterAll(async () => {
  await f?.close();
});

const lookup = async () => {
  const r = await call(`${f.url}/v1/scripts/lookup/runs`, { token: admin, body: { inputs: {} } });
  expect(r.body.outputs?.status).toBe('ok');
};

describe('hub admin edits and the upstream token cache', () => {
  it('reuses the token between runs, and fetches a new one after each admin edit of the connection', async () => {
    await lookup();
    const fetched = f.api.stats.tokenRequests;
    await lookup();
    expect(f.api.stats.tokenRequests).toBe(fetched);

    // The same secret value again: still an edit, so the token is fetched anew (with the new value).
    const put = await call(`${f.url}/v1/hub/connections/Agents%20API/secrets/client_secret`, { method: 'PUT', token: admin, body: { value: UPSTREAM.acme.secret } });
    expect(put.status).toBe(200);
    expect(put.text).not.toContain(UPSTREAM.acme.secret);
    await lookup();
    expect(f.api.stats.tokenRequests).toBe(fetched + 1);
    await lookup();
    expect(f.api.stats.tokenRequests).toBe(fetched + 1);

    const patch = await call(`${f.url}/v1/hub/connections/Agents%20API`, { method: 'PATCH', token: admin, body: { timeoutMs: 20000 } });
    expect(patch.status).toBe(200);
    await lookup();
    expect(f.api.stats.tokenRequests).toBe(fetched + 2);
  });

  it('drops the token when the credentials change outside the service (snip hub on the folder)', async () => {
    await lookup();
    const fetched = f.api.stats.tokenRequests;
    await lookup();
    expect(f.api.stats.tokenRequests).toBe(fetched);
    // Another process edits the folder (as `snip hub secret set` does): other client credentials,
    // valid at the upstream. The next run loads them and authenticates with them.
    const other = new FileHubStore({ dir: path.join(f.dir, 'acme', 'hub'), env: {} });
    await other.setSecret('Agents API', 'client_id', UPSTREAM.globex.id);
    await other.setSecret('Agents API', 'client_secret', UPSTREAM.globex.secret);
    // The service watches the folder: runs pick the change up once its events are in.
    for (let i = 0; i < 400 && f.api.stats.tokenRequests === fetched; i++) {
      await lookup();
      if (f.api.stats.tokenRequests === fetched) await new Promise((r) => setTimeout(r, 25));
    }
    expect(f.api.stats.tokenRequests).toBe(fetched + 1);
    // Then the new token is reused again.
    await lookup();
    await lookup();
    expect(f.api.stats.tokenRequests).toBe(fetched + 1);
    expect(f.logs.join('\n')).not.toContain(UPSTREAM.globex.secret);
  });
});

// A 401 refreshes against the token that got it: a late 401 with an already-replaced token takes
// the replacement instead of fetching again (the shared Redis cache relies on the same rule).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Deadline } from '../../../runtime/hub/http.js';
import { HubSession, type ConnectionView } from '../../../runtime/hub/send.js';
import { startDemoApi, type DemoApi } from '../../../samples/demo-api/index.js';

let api: DemoApi;
beforeAll(async () => {
  api = await startDemoApi({ tokenLifetimeSeconds: 300 });
});
afterAll(() => api.close());

const conn: ConnectionView = {
  hub: 'test',
  name: 'Agents API',
  authKind: 'oauth2-client-credentials',
  verbs: ['GET'],
  requiredHeaders: [],
  timeoutMs: 5000,
  auth: { url: '' },
  secrets: new Map([['client_id', 'demo-client'], ['client_secret', 'demo-secret']]),
  requests: [],
};

describe('refresh after a 401', () => {
  it('a late 401 with the replaced token reuses the refreshed one: one refresh in all', async () => {
    const c = { ...conn, auth: { url: `${api.url}/oauth/token` } };
    const s = new HubSession();
    const before = api.stats.tokenRequests;
    const t1 = (await s.authenticate(c, new Deadline(5000))).token!;
    const t2 = (await s.authenticate(c, new Deadline(5000), undefined, t1)).token!;
    expect(t2.accessToken).not.toBe(t1.accessToken);
    expect(api.stats.tokenRequests - before).toBe(2);
    // Another request that used t1 meets its 401 only now.
    const late = (await s.authenticate(c, new Deadline(5000), undefined, t1)).token!;
    expect(late.accessToken).toBe(t2.accessToken);
    expect(api.stats.tokenRequests - before).toBe(2);
  });
});

// Every authentication kind against the demo API on 127.0.0.1 (HTTP and mTLS over HTTPS).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, AuthError, parseToken, type AuthInput, type AuthKind, type AuthDetails } from '../../../runtime/hub/auth.js';
import { Deadline, HttpClient, HttpError } from '../../../runtime/hub/http.js';
import { Redactor } from '../../../runtime/hub/redact.js';
import { SnipError } from '../../../runtime/errors.js';
import { startDemoApi, type DemoApi } from '../../../samples/demo-api/index.js';
import { generateTestCerts, type TestCerts } from '../../helpers/certs.js';
import { startScriptedServer } from './token-server.js';

let api: DemoApi;
let mtls: DemoApi;
let certs: TestCerts;
const http = new HttpClient();

beforeAll(async () => {
  certs = generateTestCerts();
  api = await startDemoApi();
  mtls = await startDemoApi({ tls: { cert: certs.serverCert, key: certs.serverKey, ca: certs.caCert, requireClientCert: true } });
});
afterAll(async () => {
  await http.close();
  await Promise.all([api.close(), mtls.close()]);
  certs.cleanup();
});

function input(kind: AuthKind, details: AuthDetails | undefined, secrets: Record<string, string>, extra: Partial<AuthInput> = {}): AuthInput {
  return {
    kind,
    connection: 'Demo',
    details,
    secret: (n) => (Object.hasOwn(secrets, n) ? secrets[n] : undefined),
    http,
    deadline: new Deadline(5000),
    redactor: new Redactor(Object.values(secrets)),
    ...extra,
  };
}

async function rejection(p: Promise<unknown>): Promise<SnipError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(SnipError);
  return e as SnipError;
}

describe('authenticate', () => {
  it('none attaches nothing', async () => {
    expect(await authenticate(input('none', undefined, {}))).toEqual({ headers: {} });
  });

  it('basic builds the header from secrets and validates against a URL when set', async () => {
    const secrets = { username: 'agent.smith', password: 'demo-password' };
    const r = await authenticate(input('basic', { url: `${api.url}/me` }, secrets));
    expect(r.headers.Authorization).toBe(`Basic ${Buffer.from('agent.smith:demo-password').toString('base64')}`);
    expect(r.response?.status).toBe(200);
    const bad = await rejection(authenticate(input('basic', { url: `${api.url}/me` }, { ...secrets, password: 'wrong-one' })));
    expect(bad.code).toBe('SNIP4017');
    expect((bad as AuthError).response?.status).toBe(401);
  });

  it('basic without a validation URL sends nothing', async () => {
    const before = api.stats.byRoute['GET /me'] ?? 0;
    const r = await authenticate(input('basic', undefined, { username: 'u', password: 'pw1' }));
    expect(r.headers.Authorization).toMatch(/^Basic /);
    expect(api.stats.byRoute['GET /me'] ?? 0).toBe(before);
  });

  it('oauth2 client credentials: configured form body with secrets, token parsed', async () => {
    const secrets = { 'client id': 'demo-client', 'client secret': 'demo-secret' };
    const r = await authenticate(
      input('oauth2-client-credentials', {
        url: `${api.url}/oauth/token`,
        method: 'POST',
        mediaType: 'application/x-www-form-urlencoded',
        body: 'grant_type=client_credentials&client_id=[[client id]]&client_secret=[[ client secret ]]',
      }, secrets),
    );
    expect(r.token?.tokenType).toBe('Bearer');
    expect(r.token?.expiresIn).toBe(300);
    expect(r.headers.Authorization).toBe(`Bearer ${r.token?.accessToken}`);
    const me = await http.send({ method: 'GET', url: `${api.url}/me`, headers: r.headers });
    expect(me.status).toBe(200);
  });

  it('oauth2 client credentials: default body from client_id/client_secret, query and headers sent', async () => {
    const secrets = { client_id: 'demo-client', client_secret: 'demo-secret', tenant: 'acme' };
    const r = await authenticate(input('oauth2-client-credentials', { url: `${api.url}/oauth/token`, query: { tenant: '[[tenant]]' }, headers: { 'X-Tenant': '[[tenant]]' } }, secrets));
    expect(r.token?.accessToken).toBeTruthy();
    // The same request against a recording server shows what went on the wire.
    const rec = await startScriptedServer({ body: '{"access_token":"recorded-token"}' });
    try {
      await authenticate(input('oauth2-client-credentials', { url: `${rec.url}/token`, query: { tenant: '[[tenant]]' }, headers: { 'X-Tenant': '[[tenant]]' } }, secrets));
      const seen = rec.seen[0]!;
      expect(seen.method).toBe('POST');
      expect(seen.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(seen.headers['x-tenant']).toBe('acme');
      expect(seen.url).toBe('/token?tenant=acme');
      expect(new URLSearchParams(seen.body).get('grant_type')).toBe('client_credentials');
    } finally {
      await rec.close();
    }
  });

  it('oauth2 password grant', async () => {
    const r = await authenticate(input('oauth2-password', { url: `${api.url}/oauth/token` }, { client_id: 'demo-client', client_secret: 'demo-secret', username: 'agent.smith', password: 'demo-password' }));
    expect(r.token?.accessToken).toBeTruthy();
    const bad = await rejection(authenticate(input('oauth2-password', { url: `${api.url}/oauth/token` }, { username: 'agent.smith', password: 'nope-nope' })));
    expect(bad.code).toBe('SNIP4017');
    expect(bad.message).toContain('400');
  });

  it('oauth2 with JSON media type sends a JSON body (BYOC-style /1.0/token)', async () => {
    const r = await authenticate(input('oauth2-client-credentials', { url: `${api.url}/1.0/token`, mediaType: 'application/json' }, { client_id: 'demo-client', client_secret: 'demo-secret' }));
    expect(r.token?.accessToken).toBeTruthy();
  });

  it('custom headers are substituted and validated', async () => {
    const r = await authenticate(input('custom-headers', { url: `${api.url}/me`, headers: { 'X-API-Key': '[[api key]]' } }, { 'api key': 'demo-api-key' }));
    expect(r.headers).toEqual({ 'X-API-Key': 'demo-api-key' });
    expect(r.response?.status).toBe(200);
  });

  it('an unknown secret is SNIP4008 before anything is sent', async () => {
    const e = await rejection(authenticate(input('custom-headers', { headers: { 'X-API-Key': '[[nope]]' } }, {})));
    expect(e.code).toBe('SNIP4008');
  });

  it('a token endpoint slower than the budget is a timeout (SNIP4012)', async () => {
    api.control.tokenDelayMs = 1000;
    try {
      const e = await rejection(authenticate(input('oauth2-client-credentials', { url: `${api.url}/oauth/token` }, { client_id: 'demo-client', client_secret: 'demo-secret' }, { deadline: new Deadline(100) })));
      expect(e).toBeInstanceOf(HttpError);
      expect(e.code).toBe('SNIP4012');
    } finally {
      api.control.tokenDelayMs = 0;
    }
  });

  it('mTLS: the token request presents the client certificate', async () => {
    const secrets = { client_id: 'demo-client', client_secret: 'demo-secret' };
    const ok = await authenticate(input('oauth2-client-credentials', { url: `${mtls.url}/oauth/token` }, secrets, { tls: { ca: certs.caCert, cert: certs.clientCert, key: certs.clientKey } }));
    expect(ok.token?.accessToken).toBeTruthy();
    const e = await rejection(authenticate(input('oauth2-client-credentials', { url: `${mtls.url}/oauth/token` }, secrets, { tls: { ca: certs.caCert } })));
    expect(e.code).toBe('SNIP4014');
  });
});

describe('parseToken', () => {
  const res = (body: string) => ({ status: 200, statusText: 'OK', headers: {}, body });
  it('reads access_token, token_type and expires_in (number or numeric string)', () => {
    expect(parseToken(res('{"access_token":"a","token_type":"bearer","expires_in":"60"}'))).toEqual({ accessToken: 'a', tokenType: 'Bearer', expiresIn: 60 });
    expect(parseToken(res('{"access_token":"a","token_type":"MAC"}'))).toEqual({ accessToken: 'a', tokenType: 'MAC' });
    expect(parseToken(res('{"token":"a"}'))).toBeUndefined();
    expect(parseToken(res('not json'))).toBeUndefined();
  });
});

// The hub's HTTP layer against real servers on 127.0.0.1: plain HTTP, HTTPS with a test CA, HTTPS
// demanding a client certificate; timeouts, refusals, TLS failures and the size cap by code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { MockAgent } from 'undici';
import { HttpClient, HttpError, Deadline } from '../../../runtime/hub/http.js';
import { startDemoApi, type DemoApi } from '../../../samples/demo-api/index.js';
import { generateTestCerts, type TestCerts } from '../../helpers/certs.js';

let certs: TestCerts;
let plain: DemoApi;
let tls: DemoApi;
let mtls: DemoApi;
const client = new HttpClient();

beforeAll(async () => {
  certs = generateTestCerts();
  plain = await startDemoApi();
  tls = await startDemoApi({ tls: { cert: certs.serverCert, key: certs.serverKey } });
  mtls = await startDemoApi({ tls: { cert: certs.serverCert, key: certs.serverKey, ca: certs.caCert, requireClientCert: true } });
});

afterAll(async () => {
  await client.close();
  await Promise.all([plain.close(), tls.close(), mtls.close()]);
  certs.cleanup();
});

async function failure(p: Promise<unknown>): Promise<HttpError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(HttpError);
  return e as HttpError;
}

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('HttpClient over plain HTTP', () => {
  it('sends method, headers and body and returns status, headers and body text', async () => {
    const res = await client.send({ method: 'post', url: `${plain.url}/echo/x?a=1`, headers: { 'X-Test': 'yes', 'content-type': 'text/plain' }, body: 'hello' });
    expect(res.status).toBe(200);
    expect(res.statusText).toBe('OK');
    expect(res.headers['content-type']).toBe('application/json');
    const echoed = JSON.parse(res.body);
    expect(echoed).toMatchObject({ method: 'POST', path: '/echo/x', query: { a: '1' }, body: 'hello' });
    expect(echoed.headers['x-test']).toBe('yes');
  });

  it('returns 5xx responses as responses, not errors', async () => {
    const res = await client.send({ method: 'GET', url: `${plain.url}/status/503` });
    expect(res.status).toBe(503);
    expect(res.statusText).toBe('Service Unavailable');
  });

  it('maps a refused connection to SNIP4013', async () => {
    const port = await closedPort();
    const e = await failure(client.send({ method: 'GET', url: `http://127.0.0.1:${port}/` }));
    expect(e.code).toBe('SNIP4013');
    expect(e.causeCode).toBe('ECONNREFUSED');
  });

  it('maps an exhausted budget to SNIP4012 and names the budget', async () => {
    const e = await failure(client.send({ method: 'GET', url: `${plain.url}/slow?ms=2000` }, { timeoutMs: 150 }));
    expect(e.code).toBe('SNIP4012');
    expect(e.message).toContain('150 ms');
  });

  it('refuses to start when the shared deadline is already spent', async () => {
    let now = 1000;
    const deadline = new Deadline(100, () => now);
    now = 1200;
    const e = await failure(client.send({ method: 'GET', url: `${plain.url}/echo` }, { deadline }));
    expect(e.code).toBe('SNIP4012');
    expect(plain.stats.byRoute['GET /echo'] ?? 0).toBe(0);
  });

  it('caps a chunked response body (SNIP4016)', async () => {
    const e = await failure(client.send({ method: 'GET', url: `${plain.url}/big?bytes=40000` }));
    expect(e.code).toBe('SNIP4016');
    expect(e.message).toContain('32768');
  });

  it('accepts a configurable cap', async () => {
    const res = await client.send({ method: 'GET', url: `${plain.url}/big?bytes=40000` }, { maxResponseBytes: 64 * 1024 });
    expect(res.body.length).toBe(40000);
    const e = await failure(client.send({ method: 'GET', url: `${plain.url}/agents` , headers: { 'x-api-key': 'demo-api-key' } }, { maxResponseBytes: 10 }));
    expect(e.code).toBe('SNIP4016');
  });

  it('masks error messages', async () => {
    const port = await closedPort();
    const e = await failure(
      client.send({ method: 'GET', url: `http://127.0.0.1:${port}/s3cr3t-path` }, { mask: (t) => t.replaceAll('s3cr3t', '****') }),
    );
    expect(e.message).not.toContain('s3cr3t');
    expect(e.message).toContain('****');
  });
});

describe('HttpClient over HTTPS', () => {
  it('refuses a certificate from an untrusted CA (SNIP4014)', async () => {
    const e = await failure(client.send({ method: 'GET', url: `${tls.url}/echo` }));
    expect(e.code).toBe('SNIP4014');
  });

  it('refuses when the bundle holds a different CA', async () => {
    const e = await failure(client.send({ method: 'GET', url: `${tls.url}/echo` }, { tls: { ca: certs.otherCaCert } }));
    expect(e.code).toBe('SNIP4014');
  });

  it('trusts a configured CA bundle', async () => {
    const res = await client.send({ method: 'GET', url: `${tls.url}/echo` }, { tls: { ca: certs.caCert } });
    expect(res.status).toBe(200);
  });

  it('presents a client certificate for mTLS', async () => {
    const res = await client.send({ method: 'GET', url: `${mtls.url}/echo` }, { tls: { ca: certs.caCert, cert: certs.clientCert, key: certs.clientKey } });
    expect(res.status).toBe(200);
  });

  it('decrypts an encrypted client key with its passphrase', async () => {
    const res = await client.send(
      { method: 'GET', url: `${mtls.url}/echo` },
      { tls: { ca: certs.caCert, cert: certs.clientCert, key: certs.clientKeyEncrypted, passphrase: certs.clientKeyPassphrase } },
    );
    expect(res.status).toBe(200);
  });

  it('fails without a client certificate when the server requires one', async () => {
    const e = await failure(client.send({ method: 'GET', url: `${mtls.url}/echo` }, { tls: { ca: certs.caCert } }));
    expect(e.code).toBe('SNIP4014');
    expect(e.message).toContain('client certificate');
    expect(mtls.stats.byRoute['GET /echo'] ?? 0).toBe(2);
  });
});

describe('HttpClient with an injected dispatcher', () => {
  it('routes requests through it (a socket error mid-response is a connection failure)', async () => {
    const mock = new MockAgent();
    mock.disableNetConnect();
    mock.get('http://api.example.test').intercept({ path: '/x', method: 'GET' }).replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    const injected = new HttpClient({ dispatcher: mock });
    const e = await failure(injected.send({ method: 'GET', url: 'http://api.example.test/x' }));
    expect(e.code).toBe('SNIP4013');
    await mock.close();
  });
});

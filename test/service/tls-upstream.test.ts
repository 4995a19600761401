// Upstreams behind a private CA (a connection's CA bundle): runs share one agent per TLS setting, so
// sequential runs reuse one TLS connection instead of a handshake each; and such requests carry the
// run's x-request-id and end with the run's cancellation like every other upstream request.
// Real HTTPS server on 127.0.0.1 with certificates made at test time; real service over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, promises as fs } from 'node:fs';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileHubStore } from '../../runtime/hub/file-store.js';
import { createServer, type SnipService } from '../../service/index.js';
import { loadConfig } from '../../service/config.js';
import { generateTestCerts, type TestCerts } from '../helpers/certs.js';
import { call } from './fixture.js';

const script = (target: string) => `SCRIPT "private"
BEGIN start -> build
SNIPPET build {
  DYNAMIC requestPayload
  ASSIGN requestPayload.URL = "[[INSTANCEURI]]${target}"
  ASSIGN requestPayload.HTTPMETHOD = "GET"
  ASSIGN payloadJSON = requestPayload.asjson()
}
  Error -> failed
CONNECTREQUEST call (connectName = "Private API", requestName = "Get", requestPayload = payloadJSON)
  OnSuccess -> ok
  OnError -> failed
  OnTimeout -> failed
SNIPPET ok {
  ASSIGN status = "ok"
  ASSIGN who = requestBody.id
}
  -> done
END done
SNIPPET failed {
  ASSIGN status = "failed"
  ASSIGN reason = _ERR
}
  -> stop
END stop
`;

interface Upstream {
  server: Server;
  url: string;
  handshakes: number;
  requestIds: string[];
  slowSeen: number;
  slowAborted: number;
}

let certs: TestCerts;
let up: Upstream;
let dir: string;
let service: SnipService;
let url: string;
let token: string;

beforeAll(async () => {
  certs = generateTestCerts();
  const state = { handshakes: 0, requestIds: [] as string[], slowSeen: 0, slowAborted: 0 };
  const server = createHttpsServer({ cert: certs.serverCert, key: certs.serverKey }, (req: IncomingMessage, res: ServerResponse) => {
    state.requestIds.push(String(req.headers['x-request-id'] ?? ''));
    if (req.url === '/slow') {
      state.slowSeen++;
      // Never answers: only the caller's abort ends it.
      res.on('close', () => {
        if (!res.writableFinished) state.slowAborted++;
      });
      return;
    }
    const body = JSON.stringify({ id: 'A-1' });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  server.on('secureConnection', () => state.handshakes++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  up = Object.assign(state, { server, url: `https://127.0.0.1:${(server.address() as AddressInfo).port}` }) as Upstream;

  dir = mkdtempSync(path.join(tmpdir(), 'snip-serve-tls-'));
  await fs.mkdir(path.join(dir, 'scripts'));
  await fs.writeFile(path.join(dir, 'scripts', 'fast.studio'), script('/agents/A-1'));
  await fs.writeFile(path.join(dir, 'scripts', 'slow.studio'), script('/slow'));
  const store = new FileHubStore({ dir: path.join(dir, 'hub'), env: {} });
  await store.createTemplate({ name: 'Private', application: 'Private', authType: 'none', verbs: ['GET'] });
  await store.createConnection({ name: 'Private API', template: 'Private', timeoutMs: 30_000, caBundle: certs.caCert });
  await store.setSecret('Private API', 'INSTANCEURI', up.url);
  await store.addRequest('Private API', { name: 'Get', trigger: 'studio' });
  const configFile = path.join(dir, 'snip-serve.json');
  await fs.writeFile(configFile, JSON.stringify({ stateDir: 'state', tenants: { t: { scripts: 'scripts', hub: 'hub' } } }));
  service = await createServer({ config: await loadConfig(configFile), logLevel: 'silent' });
  url = await service.listen({ port: 0 });
  const { client, secret } = await service.ctx.clients.add('t', ['run']);
  const res = await fetch(`${url}/1.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.id, client_secret: secret }),
  });
  token = ((await res.json()) as { access_token: string }).access_token;
});

afterAll(async () => {
  await service?.close();
  up?.server.closeAllConnections();
  await new Promise((r) => up?.server.close(r));
  certs?.cleanup();
  await fs.rm(dir, { recursive: true, force: true });
});

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe('connections with a CA bundle', () => {
  it('reuse one TLS connection across runs, and every request carries its run request id', async () => {
    const before = up.requestIds.length;
    for (let i = 0; i < 4; i++) {
      const res = await call(`${url}/v1/scripts/fast/runs`, { token, body: {}, headers: { 'x-request-id': `tls-run-${i}` } });
      expect(res.status).toBe(200);
      expect(res.body.outputs).toMatchObject({ status: 'ok', who: 'A-1' });
    }
    // One handshake for four runs: a per-run agent would have made four.
    expect(up.handshakes).toBe(1);
    expect(up.requestIds.slice(before)).toEqual(['tls-run-0', 'tls-run-1', 'tls-run-2', 'tls-run-3']);
  });

  it('abort their request in flight when the run is cancelled', async () => {
    const started = await call(`${url}/v1/scripts/slow/runs?mode=async`, { token, body: {} });
    expect(started.status).toBe(202);
    await until('the upstream to see the request', () => up.slowSeen === 1);
    const cancelled = await call(`${url}${started.headers.get('location')}`, { method: 'DELETE', token });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    await until('the upstream request to be aborted', () => up.slowAborted === 1);
  });
});

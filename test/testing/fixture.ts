// A small upstream for the `snip test` suites: a real HTTP server on 127.0.0.1 with an OAuth 2.0
// client-credentials token endpoint and an orders API that wants the token and an API key header,
// and echoes the key back (so a cassette that kept it would show it). Counts every connection, so a
// test can prove that a replay never reached it. Plus a temporary project: script, hub, test file.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const CLIENT_ID = 'orders-client-7f3a';
export const CLIENT_SECRET = 'cs-Very$ecret/Value+9q';
export const API_KEY = 'ak-51d2c0ffee-key';

export interface Upstream {
  url: string;
  connections: number;
  /** Every token the server issued (none may reach a cassette). */
  tokens: string[];
  close(): Promise<void>;
}

export async function startUpstream(): Promise<Upstream> {
  const tokens: string[] = [];
  const state = { connections: 0 };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const send = (status: number, data: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(data));
      };
      const url = new URL(req.url ?? '/', 'http://x');
      if (req.method === 'POST' && url.pathname === '/oauth/token') {
        const form = new URLSearchParams(body);
        if (form.get('client_id') !== CLIENT_ID || form.get('client_secret') !== CLIENT_SECRET) return send(401, { error: 'invalid_client' });
        const token = `tok-${randomBytes(12).toString('hex')}`;
        tokens.push(token);
        return send(200, { access_token: token, token_type: 'Bearer', expires_in: 300 });
      }
      const m = /^\/orders\/([\w-]+)$/.exec(url.pathname);
      if (m && req.method === 'POST') {
        if (!tokens.includes((req.headers.authorization ?? '').replace(/^Bearer /, ''))) return send(401, { error: 'bad token' });
        if (req.headers['x-api-key'] !== API_KEY) return send(403, { error: 'bad key' });
        if (m[1] === 'missing') return send(404, { error: 'no such order' });
        return send(200, { id: m[1], state: 'shipped', key: API_KEY, note: JSON.parse(body || '{}').note ?? '' });
      }
      send(404, { error: 'not found' });
    });
  });
  server.on('connection', () => state.connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get connections() {
      return state.connections;
    },
    tokens,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export const ORDERS_SCRIPT = `SCRIPT "Orders"
PARAMS orderId

BEGIN start -> build

SNIPPET build {
  DYNAMIC p
  ASSIGN p.URL = "[[BASE]]/orders/{orderId}"
  ASSIGN p.HTTPMETHOD = "POST"
  ASSIGN p.HEADERS.XHYPHENPLACEHOLDERAPIHYPHENPLACEHOLDERKEY = "[[ apiKey ]]"
  ASSIGN p.BODY.note = "check"
  ASSIGN payloadJSON = p.asjson()
  ASSIGN payloadJSON = payloadJSON.replace("HYPHENPLACEHOLDER", "-")
}
  -> call

CONNECTREQUEST call (connectName = "Orders", requestName = "Order", requestPayload = payloadJSON)
  OnSuccess -> ok
  OnError -> failed
  OnTimeout -> timed_out

ASSIGN ok (Variable = status, Value = "{requestBody.state}") -> done
ASSIGN failed (Variable = status, Value = "error") -> done
ASSIGN timed_out (Variable = status, Value = "timeout") -> done

END done
`;

export const ORDERS_HUB = {
  templates: [{ name: 'Orders REST', application: 'Orders', authType: 'oauth2-client-credentials', verbs: ['GET', 'POST'] }],
  connections: [
    {
      name: 'Orders',
      template: 'Orders REST',
      timeoutMs: 5000,
      auth: { url: '[[BASE]]/oauth/token', method: 'POST', mediaType: 'application/x-www-form-urlencoded' },
      secrets: { BASE: '${ORIGIN}', client_id: CLIENT_ID, client_secret: CLIENT_SECRET, apiKey: API_KEY },
      requests: [{ name: 'Order', trigger: 'studio' }],
    },
  ],
};

/** The cases of the orders test file. */
export function ordersCases(): unknown[] {
  return [
    {
      name: 'a shipped order',
      inputs: { orderId: 'o-1' },
      expect: { outputs: { status: 'shipped' }, path: ['start', 'build', 'call:OnSuccess', 'ok', 'done'], requests: ['POST [[ BASE ]]/oauth/token', 'POST [[ BASE ]]/orders/o-1'] },
    },
    {
      name: 'a missing order',
      inputs: { orderId: 'missing' },
      expect: { outputs: { status: 'error', __httpstatuscode: '404' }, path: ['start', 'build', 'call:OnError', 'failed', 'done'] },
    },
  ];
}

/** A temporary project folder with the orders script, hub definition and test file. */
export function ordersProject(cases: unknown[] = ordersCases()): { dir: string; testFile: string; cassette: string; write(cases: unknown[]): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'snip-test-proj-'));
  mkdirSync(path.join(dir, 'hub'));
  writeFileSync(path.join(dir, 'orders.studio'), ORDERS_SCRIPT);
  writeFileSync(path.join(dir, 'hub', 'orders-hub.json'), JSON.stringify(ORDERS_HUB, null, 2));
  const testFile = path.join(dir, 'orders.test.json');
  const write = (cs: unknown[]) =>
    writeFileSync(testFile, JSON.stringify({ script: 'orders.studio', hub: 'hub/orders-hub.json', vars: { ORIGIN: 'https://orders.test' }, cases: cs }, null, 2));
  write(cases);
  return { dir, testFile, cassette: path.join(dir, '__cassettes__', 'orders.cassette.json'), write };
}

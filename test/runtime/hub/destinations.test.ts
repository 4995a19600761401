// Issue 9, items 2 and 3: secrets in URLs are percent-encoded for the part they land in (a host
// must stay a valid host), and a connection's credentials go only where they belong. Real servers
// on 127.0.0.1 (HTTP, and HTTPS with a test CA); refused requests never reach a socket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer as createHttpsServer, type Server } from 'node:https';
import { HubSession, type ConnectionView } from '../../../runtime/hub/send.js';
import { substituteUrl } from '../../../runtime/hub/substitute.js';
import { destinationProblem, isLoopbackHost } from '../../../runtime/hub/destinations.js';
import { connectionWarnings, validateSecretName } from '../../../runtime/hub/rules.js';
import { handleIssuer } from '../../../runtime/hub/token-handles.js';
import { SnipError } from '../../../runtime/errors.js';
import { generateTestCerts, type TestCerts } from '../../helpers/certs.js';
import { startScriptedServer, type ScriptedServer } from './token-server.js';

let srv: ScriptedServer;
let certs: TestCerts;
let tls: Server;
let tlsUrl: string;
const tlsSeen: { url: string; authorization?: string }[] = [];

beforeAll(async () => {
  srv = await startScriptedServer();
  srv.answer = (req) =>
    req.url.startsWith('/token')
      ? { body: '{"access_token":"dest-token-value","token_type":"bearer"}' }
      : { body: JSON.stringify({ url: req.url, host: req.headers.host, auth: req.headers.authorization ?? null }) };
  certs = generateTestCerts();
  tls = createHttpsServer({ cert: certs.serverCert, key: certs.serverKey }, (req, res) => {
    tlsSeen.push({ url: req.url ?? '', ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"tls":true}');
  });
  await new Promise<void>((r) => tls.listen(0, '127.0.0.1', () => r()));
  tlsUrl = `https://127.0.0.1:${(tls.address() as { port: number }).port}`;
});
afterAll(async () => {
  await srv.close();
  tls.closeAllConnections();
  await new Promise<void>((r) => tls.close(() => r()));
  certs.cleanup();
});

function conn(kind: ConnectionView['authKind'], extra: Partial<ConnectionView> = {}): ConnectionView {
  return {
    hub: 'dest',
    name: `Dest ${kind}`,
    authKind: kind,
    verbs: ['GET', 'POST'],
    requiredHeaders: [],
    timeoutMs: 5000,
    auth: kind.startsWith('oauth2') ? { url: `${srv.url}/token` } : kind === 'custom-headers' ? { headers: { 'X-Key': '[[api key]]' } } : {},
    secrets: new Map([['client_id', 'cid-1'], ['client_secret', 'cs-1'], ['username', 'user-1'], ['password', 'pw-1'], ['api key', 'key-1'], ['odd', 'a&b=c?d#e f/g%h'], ['host', 'LocalHost']]),
    requests: [{ name: 'Any', trigger: 'studio', active: true }],
    tls: { ca: certs.caCert },
    ...extra,
  };
}

async function refusal(p: Promise<unknown>): Promise<SnipError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(SnipError);
  return e as SnipError;
}

describe('secrets in URLs', () => {
  it('a secret with &, =, ?, #, / and blanks stays one query value and one path segment on the wire', async () => {
    const s = new HubSession();
    const before = srv.seen.length;
    const res = await s.sendStudio(conn('none'), 'Any', JSON.stringify({ URL: `${srv.url}/items/[[odd]]/x?q=[[odd]]&n=1#[[odd]]` }));
    expect(res.status).toBe(200);
    const seen = srv.seen.slice(before).at(-1)!;
    const u = new URL(seen.url, 'http://x');
    expect(u.pathname.split('/').map(decodeURIComponent)).toEqual(['', 'items', 'a&b=c?d#e f/g%h', 'x']);
    expect(u.searchParams.get('q')).toBe('a&b=c?d#e f/g%h');
    expect(u.searchParams.get('n')).toBe('1');
    // The echo holds the percent-encoded secret: masked like the raw one.
    expect(res.body).not.toMatch(/a%26b|a&b|%2Fg/i);
  });

  it('encodes userinfo parts and lower-cases and checks a host part', () => {
    const secrets = new Map([['user', 'u@x:y'], ['pw', 'p/w#'], ['tenant', 'Acme-01'], ['bad', 'evil.test/x?'], ['base', 'https://api.test/v1']]);
    const look = (n: string) => secrets.get(n);
    expect(substituteUrl('https://[[user]]:[[pw]]@h.test/p', look, 'C', 'URL').href).toBe('https://u%40x%3Ay:p%2Fw%23@h.test/p');
    expect(substituteUrl('https://[[tenant]].api.test/p', look, 'C', 'URL').hostname).toBe('acme-01.api.test');
    expect(substituteUrl('[[base]]/agents/[[tenant]]', look, 'C', 'URL').href).toBe('https://api.test/v1/agents/Acme-01');
    try {
      substituteUrl('https://[[bad]].api.test/p', look, 'C', 'request URL');
      expect.unreachable();
    } catch (e) {
      expect((e as SnipError).code).toBe('SNIP4031');
      expect((e as SnipError).message).toContain("secret 'bad' does not make a valid host name");
      expect((e as SnipError).message).not.toContain('evil');
    }
  });

  it('a host that is not a valid host name is refused before anything is sent', async () => {
    const s = new HubSession();
    const before = srv.seen.length;
    const c = conn('none', { secrets: new Map([['h', 'bad host/../x']]) });
    const e = await refusal(s.sendStudio(c, 'Any', JSON.stringify({ URL: 'http://[[h]]:1/x' })));
    expect(e.code).toBe('SNIP4031');
    expect(e.message).not.toContain('bad host');
    expect(srv.seen.length).toBe(before);
  });

  it('a secret host lower-cased by URL handling and echoed back is masked', async () => {
    const s = new HubSession();
    const port = new URL(srv.url).port;
    const res = await s.sendStudio(conn('none'), 'Any', JSON.stringify({ URL: `http://[[host]]:${port}/echo` }));
    expect(res.status).toBe(200);
    expect((res.json as { host: string }).host).toBe(`****:${port}`);
  });
});

describe('where credentials go without a resource domain', () => {
  it('OAuth: only to the origin of the authentication URL', async () => {
    const s = new HubSession();
    const ok = await s.sendStudio(conn('oauth2-client-credentials'), 'Any', JSON.stringify({ URL: `${srv.url}/api` }));
    expect((ok.json as { auth: string }).auth).toBe('Bearer ****');
    const before = tlsSeen.length;
    const e = await refusal(s.sendStudio(conn('oauth2-client-credentials'), 'Any', JSON.stringify({ URL: `${tlsUrl}/api` })));
    expect(e.code).toBe('SNIP4030');
    expect(e.message).toContain('only to the origin of its authentication URL');
    expect(tlsSeen.length).toBe(before);
  });

  for (const kind of ['basic', 'custom-headers'] as const) {
    it(`${kind}: https anywhere, plain http only to loopback`, async () => {
      const s = new HubSession();
      const before = tlsSeen.length;
      expect((await s.sendStudio(conn(kind), 'Any', JSON.stringify({ URL: `${tlsUrl}/secure` }))).status).toBe(200);
      expect(tlsSeen.length).toBe(before + 1);
      expect((await s.sendStudio(conn(kind), 'Any', JSON.stringify({ URL: `${srv.url}/loop` }))).status).toBe(200);
      const e = await refusal(s.sendStudio(conn(kind), 'Any', JSON.stringify({ URL: 'http://api.example.test/plain' })));
      expect(e.code).toBe('SNIP4030');
      expect(e.message).toContain('plain http only to loopback');
    });
  }

  it('secrets in a request of a connection without authentication follow the same rule', async () => {
    const s = new HubSession();
    const e = await refusal(s.sendStudio(conn('none'), 'Any', JSON.stringify({ URL: 'http://api.example.test/x?k=[[api key]]' })));
    expect(e.code).toBe('SNIP4030');
    expect(e.message).not.toContain('key-1');
    // Nothing of the connection's: anywhere.
    const e2 = await refusal(s.sendStudio(conn('none', { timeoutMs: 200 }), 'Any', JSON.stringify({ URL: 'http://127.0.0.1:1/free' })));
    expect(e2.code).not.toBe('SNIP4030');
  });

  it('an authentication URL over plain http is refused unless it is loopback', async () => {
    const s = new HubSession();
    const e = await refusal(s.authenticate(conn('oauth2-client-credentials', { auth: { url: 'http://auth.example.test/token' } })));
    expect(e.code).toBe('SNIP4030');
    expect(e.message).toContain('authentication request');
  });

  it('the rule as a pure function, and the warning for connections without a resource domain', () => {
    expect(isLoopbackHost('127.0.0.9')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('10.0.0.1')).toBe(false);
    const p = { connection: 'C', authKind: 'basic' as const };
    expect(destinationProblem(p, new URL('https://any.test/x'))).toBeUndefined();
    expect(destinationProblem({ ...p, resourceDomain: 'https://api.test/v1' }, new URL('https://any.test/x'))).toContain('resource domain');
    expect(connectionWarnings({ name: 'C', resourceDomain: undefined }, 'basic')[0]).toMatch(/no resource domain/);
    expect(connectionWarnings({ name: 'C', resourceDomain: 'https://api.test' }, 'basic')).toEqual([]);
    expect(connectionWarnings({ name: 'C' }, 'none')).toEqual([]);
    expect(connectionWarnings({ name: 'C', secrets: ['k'] }, 'none')).toHaveLength(1);
    // A secret cannot take the shape of a token handle (it could never be referenced).
    expect(validateSecretName('C', 'token:0123456789abcdef').map((x) => x.code)).toEqual(['SNIP4021']);
    expect(validateSecretName('C', 'token: mine')).toEqual([]);
  });
});

describe('token handles of a closed session', () => {
  it('resolve to nothing once the session that gave them out is closed', async () => {
    const s = new HubSession();
    const ref = s.handles.reference(conn('oauth2-client-credentials'), 'token');
    const name = ref.slice(2, -2);
    expect(handleIssuer(name)).toBe(s);
    expect(s.handles.reference(conn('oauth2-client-credentials'), 'token')).toBe(ref);
    await s.close();
    expect(handleIssuer(name)).toBeUndefined();
    const e = await refusal(s.sendStudio(conn('oauth2-client-credentials'), 'Any', JSON.stringify({ URL: `${srv.url}/api`, HEADERS: { Authorization: `Bearer ${ref}` } })));
    expect(e.code).toBe('SNIP4032');
  });
});

describe('token handle ids', () => {
  it('are distinct across sessions and connections, of the documented shape, and resolve only through their session', async () => {
    // Ids come from a CSPRNG pool drawn in bulk: thousands of them, across pool refills, never repeat.
    const names = new Set<string>();
    const sessions: HubSession[] = [];
    for (let i = 0; i < 700; i++) {
      const s = new HubSession();
      sessions.push(s);
      for (const kind of ['token', 'refresh-token'] as const) {
        const name = s.handles.reference(conn('oauth2-client-credentials', { name: `C${i}` }), kind).slice(2, -2);
        expect(name).toMatch(/^(token|refresh-token):[0-9a-f]{16}$/);
        expect(handleIssuer(name)).toBe(s);
        names.add(name.split(':')[1]!);
      }
    }
    expect(names.size).toBe(1400);
    // Another session does not know them.
    const other = new HubSession();
    const [first] = names;
    expect(other.handles.target(`token:${first}`)).toBeUndefined();
    await Promise.all([...sessions, other].map((s) => s.close()));
  });
});

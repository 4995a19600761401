// A small local API so every sample runs offline: an OAuth 2.0 token endpoint (client credentials
// and password grant, short-lived tokens), agents and contacts, an echo endpoint for leak tests,
// BYOC-style endpoints (the contact center's Digital Engagement side, /1.0/..., and an external
// messaging platform, /platform/...), and switches to make it slow or failing. Listens on 127.0.0.1, port 0.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { seedData, isValidRecipient, type DemoData } from './data.js';

/** Credentials the demo accepts; every field has a documented default. */
export interface DemoCredentials {
  /** OAuth clients: id -> secret. Default `demo-client` / `demo-secret`. */
  clients: Record<string, string>;
  /** Password-grant users and basic-auth users: name -> password. Default `agent.smith` / `demo-password`. */
  users: Record<string, string>;
  /** Custom-header auth: header name (lower case) and value. Default `x-api-key: demo-api-key`. */
  apiKeyHeader: string;
  apiKey: string;
}

/** Options of `startDemoApi`. */
export interface DemoApiOptions {
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Serve HTTPS with this certificate; `ca` + `requireClientCert` demand an mTLS client. */
  tls?: { cert: string; key: string; ca?: string; requireClientCert?: boolean };
  /** Lifetime of issued tokens in seconds (default 300). */
  tokenLifetimeSeconds?: number;
  credentials?: Partial<DemoCredentials>;
}

/** Counters a test can read. */
export interface DemoStats {
  /** Successful and failed calls of the token endpoints. */
  tokenRequests: number;
  /** Tokens issued. */
  tokensIssued: number;
  /** Every request, by `METHOD /path`. */
  byRoute: Record<string, number>;
  /** Requests answered 401. */
  unauthorized: number;
}

/** Knobs a test can turn while the server runs. */
export interface DemoControl {
  /** Delay before answering any request (ms). */
  delayMs: number;
  /** Extra delay before answering the token endpoints (ms). */
  tokenDelayMs: number;
  /** Answer the next `failCount` API requests (not token, not echo) with `failStatus`. */
  failStatus: number;
  failCount: number;
  /** Invalidate every issued token (the next API call gets 401). */
  revokeTokens(): void;
}

/** A running demo API. */
export interface DemoApi {
  /** Base URL, e.g. `http://127.0.0.1:43121`. */
  url: string;
  stats: DemoStats;
  control: DemoControl;
  credentials: DemoCredentials;
  /** The live data (channels, messages, platform messages): what a demo prints. */
  data: DemoData;
  close(): Promise<void>;
}

interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  body: string;
}

/** Starts the demo API and resolves once it listens. */
export async function startDemoApi(options: DemoApiOptions = {}): Promise<DemoApi> {
  const credentials: DemoCredentials = {
    clients: { 'demo-client': 'demo-secret' },
    users: { 'agent.smith': 'demo-password' },
    apiKeyHeader: 'x-api-key',
    apiKey: 'demo-api-key',
    ...options.credentials,
  };
  credentials.apiKeyHeader = credentials.apiKeyHeader.toLowerCase();
  const lifetime = options.tokenLifetimeSeconds ?? 300;
  const data: DemoData = seedData();
  const tokens = new Map<string, number>();
  const stats: DemoStats = { tokenRequests: 0, tokensIssued: 0, byRoute: {}, unauthorized: 0 };
  const control: DemoControl = {
    delayMs: 0,
    tokenDelayMs: 0,
    failStatus: 503,
    failCount: 0,
    revokeTokens: () => tokens.clear(),
  };

  const issue = (res: ServerResponse) => {
    const token = randomBytes(18).toString('base64url');
    tokens.set(token, Date.now() + lifetime * 1000);
    stats.tokensIssued++;
    json(res, 200, { access_token: token, token_type: 'Bearer', expires_in: lifetime });
  };

  const authorized = (ctx: Ctx): boolean => {
    const auth = ctx.req.headers.authorization ?? '';
    const bearer = /^Bearer\s+(\S+)$/i.exec(auth);
    if (bearer) {
      const exp = tokens.get(bearer[1]!);
      return exp !== undefined && exp > Date.now();
    }
    const basic = /^Basic\s+(\S+)$/i.exec(auth);
    if (basic) {
      const [user, ...rest] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
      return user !== undefined && Object.hasOwn(credentials.users, user) && credentials.users[user] === rest.join(':');
    }
    return ctx.req.headers[credentials.apiKeyHeader] === credentials.apiKey;
  };

  const token = async (ctx: Ctx) => {
    stats.tokenRequests++;
    if (control.tokenDelayMs > 0) await sleep(control.tokenDelayMs);
    const p = parseBody(ctx);
    const basic = /^Basic\s+(\S+)$/i.exec(ctx.req.headers.authorization ?? '');
    let clientId = p.client_id;
    let clientSecret = p.client_secret;
    if (basic) [clientId, clientSecret] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
    const clientOk = clientId !== undefined && Object.hasOwn(credentials.clients, clientId) && credentials.clients[clientId] === clientSecret;
    if (p.grant_type === 'client_credentials') {
      if (!clientOk) return json(ctx.res, 401, { error: 'invalid_client' });
      return issue(ctx.res);
    }
    if (p.grant_type === 'password') {
      // Public clients may omit the secret in the password grant; a given secret must match.
      if (clientId !== undefined && clientSecret !== undefined && !clientOk) return json(ctx.res, 401, { error: 'invalid_client' });
      const user = p.username ?? '';
      if (!Object.hasOwn(credentials.users, user) || credentials.users[user] !== p.password) {
        return json(ctx.res, 400, { error: 'invalid_grant' });
      }
      return issue(ctx.res);
    }
    return json(ctx.res, 400, { error: 'unsupported_grant_type' });
  };

  const api = (ctx: Ctx): void => {
    const { req, res, url } = ctx;
    const parts = url.pathname.split('/').filter(Boolean);
    if (!authorized(ctx)) {
      stats.unauthorized++;
      res.setHeader('www-authenticate', 'Bearer realm="demo"');
      return json(res, 401, { error: 'unauthorized' });
    }
    if (control.failCount > 0) {
      control.failCount--;
      return json(res, control.failStatus, { error: 'injected failure' });
    }
    const method = req.method ?? 'GET';
    if (parts[0] === 'me') return json(res, 200, { authenticated: true });
    if (parts[0] === 'agents' || parts[0] === 'contacts') {
      const list = (parts[0] === 'agents' ? data.agents : data.contacts) as unknown as Record<string, string>[];
      if (parts.length === 1 && method === 'GET') {
        const q = url.searchParams.get('q')?.toLowerCase();
        return json(res, 200, q ? list.filter((r) => JSON.stringify(r).toLowerCase().includes(q)) : list);
      }
      if (parts.length === 2 && method === 'GET') {
        const found = list.find((r) => r.id === parts[1] || r.accountId === parts[1]);
        return found ? json(res, 200, found) : json(res, 404, { error: 'not found', id: parts[1] });
      }
      if (parts.length === 1 && method === 'POST') {
        const rec = parseJsonObject(ctx.body);
        if (!rec) return json(res, 400, { error: 'expected a JSON object' });
        const created = { ...rec, id: String(rec.id ?? `${parts[0] === 'agents' ? 'a' : 'c'}-${list.length + 1}`) };
        list.push(created as Record<string, string>);
        return json(res, 201, created);
      }
    }
    if (parts[0] === '1.0') return byoc(ctx, parts.slice(1), method);
    if (parts[0] === 'platform') return platform(ctx, parts.slice(1), method);
    return json(res, 404, { error: 'no such route' });
  };

  // The external messaging platform of the BYOC demo: accepts outbound messages and validates
  // recipients. The Basic user names the platform account, so tenants can be told apart.
  const platform = (ctx: Ctx, parts: string[], method: string): void => {
    const { res } = ctx;
    const body = parseJsonObject(ctx.body) ?? {};
    if (parts[0] === 'recipients' && parts[1] === 'validate' && method === 'POST') {
      return isValidRecipient(body.recipient)
        ? json(res, 200, { valid: true })
        : json(res, 400, { valid: false, error: 'invalid address' });
    }
    if (parts[0] === 'messages' && parts.length === 1) {
      if (method === 'GET') return json(res, 200, data.platformMessages);
      if (!isValidRecipient(body.to) || typeof body.text !== 'string' || typeof body.channelId !== 'string') {
        return json(res, 400, { error: 'expected { channelId, to, text }' });
      }
      const basic = /^Basic\s+(\S+)$/i.exec(ctx.req.headers.authorization ?? '');
      const account = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8').split(':')[0]! : 'api-key';
      const msg = { id: `pm-${data.platformMessages.length + 1}`, channelId: body.channelId, to: String(body.to), text: body.text, account };
      data.platformMessages.push(msg);
      return json(res, 202, { messageId: msg.id, status: 'accepted' });
    }
    return json(res, 404, { error: 'no such route' });
  };

  const byoc = (ctx: Ctx, parts: string[], method: string): void => {
    const { res } = ctx;
    if (parts[0] === 'recipients' && parts[1] === 'validate' && method === 'POST') {
      const body = parseJsonObject(ctx.body) ?? {};
      return isValidRecipient(body.recipient)
        ? json(res, 200, { valid: true, recipient: body.recipient })
        : json(res, 400, { valid: false, error: 'invalid recipient' });
    }
    if (parts[0] !== 'channels') return json(res, 404, { error: 'no such route' });
    if (parts.length === 1 && method === 'POST') {
      // Creating a point of contact for an external platform needs its icon.
      const body = parseJsonObject(ctx.body) ?? {};
      if (typeof body.name !== 'string' || body.name === '') return json(res, 400, { error: 'name is required' });
      if (typeof body.externalPlatformIcon !== 'string' || body.externalPlatformIcon === '') {
        return json(res, 400, { error: 'externalPlatformIcon is required' });
      }
      const id = typeof body.id === 'string' && /^[a-z0-9-]{1,40}$/.test(body.id) ? body.id : `ch-${data.channels.length + 1}`;
      if (data.channels.some((c) => c.id === id)) return json(res, 409, { error: 'channel exists', id });
      const channel = { id, name: body.name, kind: 'chat' as const, externalPlatformIcon: body.externalPlatformIcon };
      data.channels.push(channel);
      return json(res, 201, channel);
    }
    if (parts.length === 1) return json(res, 200, data.channels);
    const channel = data.channels.find((c) => c.id === parts[1]);
    if (!channel) return json(res, 404, { error: 'no such channel' });
    if (parts.length === 2) return json(res, 200, channel);
    const direction: 'inbound' | 'outbound' | undefined = parts[2] === 'inbound' ? 'inbound' : parts[2] === 'outbound' ? 'outbound' : undefined;
    if (!direction || parts[3] !== 'messages') return json(res, 404, { error: 'no such route' });
    if (method === 'GET') return json(res, 200, data.messages.filter((m) => m.channelId === channel.id && m.direction === direction));
    const body = parseJsonObject(ctx.body);
    if (!body || !isValidRecipient(body.recipient) || typeof body.text !== 'string') {
      return json(res, 400, { error: 'expected { recipient, text }' });
    }
    const msg = { id: `m-${data.messages.length + 1}`, channelId: channel.id, direction, recipient: String(body.recipient), text: body.text, at: new Date().toISOString() };
    data.messages.push(msg);
    return json(res, 201, msg);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://demo.invalid');
    const route = `${req.method} ${url.pathname}`;
    stats.byRoute[route] = (stats.byRoute[route] ?? 0) + 1;
    const body = await readBody(req);
    const ctx: Ctx = { req, res, url, body };
    if (control.delayMs > 0) await sleep(control.delayMs);
    const path = url.pathname;
    if (req.method === 'POST' && (path === '/oauth/token' || path === '/1.0/token')) return token(ctx);
    if (path === '/echo' || path.startsWith('/echo/')) {
      return json(res, 200, { method: req.method, path, headers: req.headers, query: Object.fromEntries(url.searchParams), body });
    }
    if (path.startsWith('/status/')) return json(res, Number(path.slice(8)) || 500, { status: Number(path.slice(8)) });
    if (path === '/slow') {
      await sleep(Number(url.searchParams.get('ms') ?? 1000));
      return json(res, 200, { slow: true });
    }
    if (path === '/big') {
      const bytes = Number(url.searchParams.get('bytes') ?? 65536);
      res.writeHead(200, { 'content-type': 'text/plain' });
      // Chunked, no content-length: the client must enforce the cap while reading.
      const chunk = 'x'.repeat(1024);
      for (let n = 0; n < bytes; n += chunk.length) res.write(chunk.slice(0, Math.min(chunk.length, bytes - n)));
      res.end();
      return;
    }
    return api(ctx);
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) json(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  };
  const server: Server = options.tls
    ? createHttpsServer(
        {
          cert: options.tls.cert,
          key: options.tls.key,
          ...(options.tls.ca ? { ca: options.tls.ca } : {}),
          requestCert: Boolean(options.tls.requireClientCert),
          rejectUnauthorized: Boolean(options.tls.requireClientCert),
        },
        listener,
      )
    : createHttpServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `${options.tls ? 'https' : 'http'}://${host}:${addr.port}`,
    stats,
    control,
    credentials,
    data,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function json(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Form-encoded or JSON token request parameters. */
function parseBody(ctx: Ctx): Record<string, string | undefined> {
  const type = ctx.req.headers['content-type'] ?? '';
  if (type.includes('json')) {
    const o = parseJsonObject(ctx.body) ?? {};
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v === undefined ? undefined : String(v)]));
  }
  const merged = new URLSearchParams(ctx.body);
  for (const [k, v] of ctx.url.searchParams) if (!merged.has(k)) merged.set(k, v);
  return Object.fromEntries(merged);
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

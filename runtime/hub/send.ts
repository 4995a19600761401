// Executes a request of a connection: a manual request by name, or a studio request from the
// script's JSON payload. Enforces the hub's rules (verbs, required headers, active requests,
// resource domain), authenticates within the same time budget, attaches the token, retries once
// after a 401 with a refreshed token, and returns a masked response.
import { SnipError } from '../errors.js';
import { authenticate, usesToken, type AuthDetails, type AuthKind, type AuthResult } from './auth.js';
import { Deadline, HttpClient, type HttpResponse, type TlsSettings } from './http.js';
import { Redactor, maskDeep } from './redact.js';
import { substituteRecord, substituteSecrets, type SecretLookup } from './substitute.js';
import { TokenCache, type TokenObserver } from './token-cache.js';
import type { HubRequest } from './model.js';

/** A request of a connection as the hub stores it (secret references not yet substituted). */
export type RequestView = Omit<HubRequest, 'createdAt' | 'updatedAt' | 'headers' | 'query'> &
  Partial<Pick<HubRequest, 'headers' | 'query'>>;

/** Everything sending needs to know about one connection, with its secrets decrypted. */
export interface ConnectionView {
  /** The hub (tenant) this connection belongs to: part of the token cache key. */
  hub: string;
  name: string;
  authKind: AuthKind;
  /** The template's allowed verbs. */
  verbs: readonly string[];
  /** Names of the template's auth headers marked Required. */
  requiredHeaders: readonly string[];
  /** Budget for authentication plus request, in ms. */
  timeoutMs: number;
  /** When set, requests may only target https URLs under it. */
  resourceDomain?: string;
  auth?: AuthDetails;
  tls?: TlsSettings;
  secrets: ReadonlyMap<string, string>;
  requests: readonly RequestView[];
}

/** A response as scripts and the CLI see it: masked, with the JSON parsed when it is JSON. */
export interface HubResponse {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: string;
  json?: unknown;
}

/** Options of a `HubSession`. */
export interface HubSessionOptions {
  /** Injected into the HTTP client (a host's pool or proxy). */
  http?: HttpClient;
  tokens?: TokenCache;
  redactor?: Redactor;
  /** Response size cap in bytes (default 32 KB). */
  maxResponseBytes?: number;
  /** Called after an authentication succeeded (the store marks the connection authorized). */
  onAuthorized?: (connection: ConnectionView) => void;
}

/**
 * Shared state of a process or run: HTTP client, token cache and the redactor that learns every
 * secret and token it handles. `mask` is the `Masker` for traces, errors and output.
 */
export class HubSession {
  readonly http: HttpClient;
  readonly tokens: TokenCache;
  readonly redactor: Redactor;
  private readonly ownsHttp: boolean;

  constructor(private readonly options: HubSessionOptions = {}) {
    this.ownsHttp = !options.http;
    this.http = options.http ?? new HttpClient();
    this.tokens = options.tokens ?? new TokenCache();
    this.redactor = options.redactor ?? new Redactor();
  }

  /** Masks secrets and tokens seen so far. */
  readonly mask = (text: string): string => this.redactor.mask(text);

  /** Makes every secret value of `conn` known to the redactor (before anything can echo it). */
  learn(conn: ConnectionView): void {
    for (const v of conn.secrets.values()) this.redactor.add(v);
  }

  /**
   * Authenticates `conn` (OAuth through the token cache) within `deadline`.
   * @throws SnipError SNIP4006 when a required template header is missing, SNIP4008, SNIP4017,
   *   and HttpError codes.
   */
  async authenticate(conn: ConnectionView, deadline = new Deadline(conn.timeoutMs), observe?: TokenObserver, force = false): Promise<AuthResult> {
    this.learn(conn);
    checkRequiredHeaders(conn);
    checkMtls(conn);
    const run = () =>
      authenticate({
        kind: conn.authKind,
        connection: conn.name,
        details: conn.auth,
        secret: lookup(conn),
        http: this.http,
        deadline,
        ...(conn.tls ? { tls: conn.tls } : {}),
        redactor: this.redactor,
        ...(this.options.maxResponseBytes !== undefined ? { maxResponseBytes: this.options.maxResponseBytes } : {}),
      });
    if (!usesToken(conn.authKind)) {
      const r = await run();
      this.options.onAuthorized?.(conn);
      return r;
    }
    const key = { hub: conn.hub, connection: conn.name };
    let fetched: AuthResult | undefined;
    const fetch = async () => {
      fetched = await run();
      return fetched.token!;
    };
    const stale = force ? this.tokens.peek(key) : undefined;
    const token = stale ? await this.tokens.refresh(key, stale, fetch, observe) : await this.tokens.get(key, fetch, observe);
    this.redactor.add(token.accessToken);
    this.redactor.add(token.refreshToken);
    this.options.onAuthorized?.(conn);
    const f = fetched as AuthResult | undefined;
    return {
      headers: { Authorization: `${token.tokenType} ${token.accessToken}` },
      token,
      ...(f?.response ? { response: f.response } : {}),
      ...(f?.answer ? { answer: f.answer } : {}),
    };
  }

  /** Sends a manual request by name. */
  async sendManual(conn: ConnectionView, requestName: string, observe?: TokenObserver): Promise<HubResponse> {
    const req = findRequest(conn, requestName);
    if (req.trigger !== 'manual') {
      throw new SnipError('SNIP4019', `request '${req.name}' of '${conn.name}' is a studio request: pass a requestPayload`);
    }
    return this.execute(conn, {
      method: req.method ?? 'GET',
      url: req.url ?? '',
      headers: { ...(req.headers ?? {}) },
      query: { ...(req.query ?? {}) },
      ...(req.body !== undefined ? { body: req.body } : {}),
      ...(req.mediaType ? { mediaType: req.mediaType } : {}),
    }, observe);
  }

  /** Sends a studio request built from the script's JSON payload. */
  async sendStudio(conn: ConnectionView, requestName: string, payload: string, observe?: TokenObserver): Promise<HubResponse> {
    const req = findRequest(conn, requestName);
    if (req.trigger !== 'studio') {
      throw new SnipError('SNIP4019', `request '${req.name}' of '${conn.name}' is a manual request: it takes no requestPayload`);
    }
    return this.execute(conn, parsePayload(payload, conn.name), observe);
  }

  /** Closes the HTTP client when the session made it. */
  async close(): Promise<void> {
    if (this.ownsHttp) await this.http.close();
  }

  private async execute(conn: ConnectionView, spec: RequestSpec, observe?: TokenObserver): Promise<HubResponse> {
    this.learn(conn);
    const secret = lookup(conn);
    const method = spec.method.toUpperCase();
    if (!conn.verbs.some((v) => v.toUpperCase() === method)) {
      throw new SnipError('SNIP4005', `verb ${method} is not allowed by the template of '${conn.name}' (allowed: ${conn.verbs.join(', ')})`);
    }
    const url = buildUrl(substituteSecrets(spec.url, secret, conn.name, 'request URL'), substituteRecord(spec.query, secret, conn.name, 'query parameter'), this.mask);
    checkResourceDomain(conn, url, this.mask);
    const headers = substituteRecord(spec.headers, secret, conn.name, 'header');
    const body = spec.body === undefined ? undefined : substituteSecrets(spec.body, secret, conn.name, 'request body');
    if (spec.mediaType && body !== undefined && !hasHeader(headers, 'content-type')) headers['Content-Type'] = spec.mediaType;

    const deadline = new Deadline(conn.timeoutMs);
    let auth = await this.authenticate(conn, deadline, observe);
    const send = async (a: AuthResult) => {
      const merged = { ...headers };
      for (const [k, v] of Object.entries(a.headers)) if (!hasHeader(merged, k)) merged[k] = v;
      return this.http.send(
        { method, url: url.toString(), headers: merged, ...(body !== undefined ? { body } : {}) },
        { deadline, mask: this.mask, ...(conn.tls ? { tls: conn.tls } : {}), ...(this.options.maxResponseBytes !== undefined ? { maxResponseBytes: this.options.maxResponseBytes } : {}) },
      );
    };
    let res = await send(auth);
    // A 401 with a token of ours: the token may have been revoked early. Refresh once, retry once.
    if (res.status === 401 && auth.token && !hasHeader(headers, 'authorization')) {
      auth = await this.authenticate(conn, deadline, observe, true);
      res = await send(auth);
    }
    return toHubResponse(res, this.mask);
  }
}

interface RequestSpec {
  method: string;
  url: string;
  headers: Record<string, string>;
  query: Record<string, string>;
  body?: string;
  mediaType?: string;
}

/**
 * Reads a studio payload `{URL, HTTPMETHOD, HEADERS, QUERYPARAMETERS, BODY}` (member names in any
 * case; a leftover HYPHENPLACEHOLDER in a header or parameter name becomes `-`).
 * @throws SnipError SNIP4019 for anything else.
 */
export function parsePayload(payload: string, connection: string): RequestSpec {
  let v: unknown;
  try {
    v = JSON.parse(payload);
  } catch {
    throw new SnipError('SNIP4019', `requestPayload for '${connection}' is not JSON; build it with asjson()`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new SnipError('SNIP4019', `requestPayload for '${connection}' must be a JSON object`);
  const o: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) o[k.toUpperCase()] = val;
  if (typeof o.URL !== 'string' || !o.URL) throw new SnipError('SNIP4019', `requestPayload for '${connection}' has no URL`);
  const method = o.HTTPMETHOD === undefined ? 'GET' : o.HTTPMETHOD;
  if (typeof method !== 'string') throw new SnipError('SNIP4019', `requestPayload HTTPMETHOD must be text`);
  const body = o.BODY === undefined || o.BODY === null ? undefined : typeof o.BODY === 'string' ? o.BODY : JSON.stringify(o.BODY);
  return {
    method,
    url: o.URL,
    headers: nameValues(o.HEADERS, 'HEADERS'),
    query: nameValues(o.QUERYPARAMETERS, 'QUERYPARAMETERS'),
    ...(body !== undefined ? { body } : {}),
  };
}

function nameValues(v: unknown, what: string): Record<string, string> {
  if (v === undefined || v === null || v === '') return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new SnipError('SNIP4019', `requestPayload ${what} must be an object of names and values`);
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    out[k.replaceAll('HYPHENPLACEHOLDER', '-')] = typeof val === 'string' ? val : JSON.stringify(val);
  }
  return out;
}

function findRequest(conn: ConnectionView, name: string): RequestView {
  const req = conn.requests.find((r) => r.name === name);
  if (!req) throw new SnipError('SNIP4002', `connection '${conn.name}' has no request named '${name}'`);
  if (!req.active) throw new SnipError('SNIP4007', `request '${name}' of '${conn.name}' is inactive; activate it with 'snip hub request activate'`);
  return req;
}

function checkRequiredHeaders(conn: ConnectionView): void {
  const present = conn.auth?.headers ?? {};
  for (const h of conn.requiredHeaders) {
    const value = Object.entries(present).find(([k]) => k.toLowerCase() === h.toLowerCase())?.[1];
    if (value === undefined || value.trim() === '') {
      throw new SnipError('SNIP4006', `connection '${conn.name}' is missing the required header '${h}' in its authentication details`);
    }
  }
}

/** A client certificate is only for OAuth connections with an https authentication URL (SNIP4020). */
function checkMtls(conn: ConnectionView): void {
  if (!conn.tls?.cert && !conn.tls?.key) return;
  const url = conn.auth?.url ?? '';
  if (!usesToken(conn.authKind) || !/^https:\/\//i.test(url)) {
    throw new SnipError('SNIP4020', `connection '${conn.name}' has a client certificate, which is only allowed with OAuth 2.0 and an https authentication URL`);
  }
}

function buildUrl(text: string, query: Record<string, string>, mask: (t: string) => string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new SnipError('SNIP4019', `'${mask(text)}' is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SnipError('SNIP4019', `'${mask(text)}' is not an http(s) URL`);
  for (const [k, v] of Object.entries(query)) url.searchParams.append(k, v);
  return url;
}

/**
 * With a resource domain, only https URLs on that host (or a subdomain) and under its path pass.
 * @throws SnipError SNIP4018
 */
export function checkResourceDomain(conn: Pick<ConnectionView, 'name' | 'resourceDomain'>, url: URL, mask: (t: string) => string = (t) => t): void {
  if (!conn.resourceDomain) return;
  const domain = new URL(/^[a-z]+:\/\//i.test(conn.resourceDomain) ? conn.resourceDomain : `https://${conn.resourceDomain}`);
  const shown = mask(`${url.protocol}//${url.host}${url.pathname}`);
  if (url.protocol !== 'https:') {
    throw new SnipError('SNIP4018', `'${shown}' is not https; connection '${conn.name}' only allows https URLs under ${conn.resourceDomain}`);
  }
  const hostOk = url.hostname === domain.hostname || url.hostname.endsWith(`.${domain.hostname}`);
  const portOk = url.port === domain.port || url.hostname !== domain.hostname;
  const base = domain.pathname.endsWith('/') ? domain.pathname : `${domain.pathname}/`;
  const pathOk = domain.pathname === '/' || url.pathname === domain.pathname || url.pathname.startsWith(base);
  if (!hostOk || !portOk || !pathOk) {
    throw new SnipError('SNIP4018', `'${shown}' is outside the resource domain ${conn.resourceDomain} of '${conn.name}'`);
  }
}

function toHubResponse(res: HttpResponse, mask: (t: string) => string): HubResponse {
  const body = mask(res.body);
  const out: HubResponse = {
    status: res.status,
    statusText: res.statusText,
    headers: maskDeep(res.headers, mask),
    body,
  };
  if (/json/i.test(res.headers['content-type'] ?? '') || /^\s*[{[]/.test(body)) {
    try {
      out.json = JSON.parse(body);
    } catch {
      // Not JSON after all: the text body stands.
    }
  }
  return out;
}

function lookup(conn: ConnectionView): SecretLookup {
  return (name) => conn.secrets.get(name);
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  const n = name.toLowerCase();
  return Object.keys(headers).some((k) => k.toLowerCase() === n);
}

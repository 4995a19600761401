// Executes a request of a connection: a manual request by name, or a studio request from the
// script's JSON payload. Enforces the hub's rules (verbs, required headers, active requests,
// resource domain, where credentials may go), authenticates within the same time budget, replaces
// secret references and token handles at send time, attaches the token, retries once after a 401
// with a refreshed token and once after a 429/503 whose Retry-After fits, and returns a masked response.
import { SnipError } from '../errors.js';
import { inspect } from 'node:util';
import { authenticate, usesToken, type AuthDetails, type AuthKind, type AuthResult } from './auth.js';
import { Deadline, HttpClient, type HttpResponse, type TlsSettings } from './http.js';
import { checkDestination, insideResourceDomain, originOf, type DestinationPolicy } from './destinations.js';
import { Redactor, maskDeep } from './redact.js';
import { withRetryAfter } from './retry-after.js';
import { secretReferences, substituteRecord, substituteSecrets, substituteUrl, type SecretLookup } from './substitute.js';
import { isHandleName, TokenHandles, type HandleTarget } from './token-handles.js';
import { TokenCache, type Token, type TokenCacheLike, type TokenObserver } from './token-cache.js';
import type { ConnectionStatus, HubRequest } from './model.js';
import { parsePayload, type RequestSpec } from './payload.js';

export { parsePayload };

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
  /** The connection's authorization status when the view was loaded (stores that know it). */
  status?: ConnectionStatus;
}

/** A response as scripts and the CLI see it: masked, with the JSON parsed when it is JSON. */
export interface HubResponse {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: string;
  json?: unknown;
  /** What happened with a 429/503 Retry-After (honoured once, or too long for the time left). */
  note?: string;
}

/** Options of a `HubSession`. */
export interface HubSessionOptions {
  /** Injected into the HTTP client (a host's pool or proxy). */
  http?: HttpClient | undefined;
  tokens?: TokenCacheLike | undefined;
  redactor?: Redactor;
  /** Response size cap in bytes (default 32 KB). */
  maxResponseBytes?: number | undefined;
  /** Called after an authentication succeeded (the store marks the connection authorized). */
  onAuthorized?: (connection: ConnectionView) => void;
}

/**
 * Shared state of a process or run: HTTP client, token cache and the redactor that learns every
 * secret and token it handles. `mask` is the `Masker` for traces, errors and output.
 */
export class HubSession {
  #http: HttpClient | undefined;
  readonly tokens: TokenCacheLike;
  readonly redactor: Redactor;
  /** The token handles given to scripts (CONNECTAUTH), resolved only at send time. */
  readonly handles = new TokenHandles(this);
  private readonly ownsHttp: boolean;

  /** Holds secret values or tokens: printing or serialising shows only what it is. */
  [inspect.custom](): string {
    return 'HubSession [values hidden]';
  }

  toJSON(): Record<string, never> {
    return {};
  }

  constructor(private readonly options: HubSessionOptions = {}) {
    this.ownsHttp = !options.http;
    this.#http = options.http;
    this.tokens = options.tokens ?? new TokenCache();
    this.redactor = options.redactor ?? new Redactor();
  }

  /** The HTTP client: the host's, or one of the session's own made on first use. */
  get http(): HttpClient {
    return (this.#http ??= new HttpClient());
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
  async authenticate(conn: ConnectionView, deadline = new Deadline(conn.timeoutMs), observe?: TokenObserver, force: boolean | Token = false): Promise<AuthResult> {
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
    // `force` may be the token that got the 401: a refresh compares against it, not against whatever the cache holds by now.
    const stale = force === true ? this.tokens.peek(key) : force || undefined;
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

  /** Forgets the session's token handles and closes the HTTP client when the session made it. */
  close(): Promise<void> {
    this.handles.release();
    // A session that never made its own client has nothing to close (the common case: no TLS agent).
    const own = this.ownsHttp ? this.#http : undefined;
    return own === undefined ? DONE : own.close();
  }

  /**
   * Replaces the token handles of this session in a request that goes out without a connection
   * (the REST API action, GetRESTProxy): each only towards the destinations its connection allows.
   * Other `[[ ... ]]` text is left as written. Returns the request unchanged when it holds no handle.
   * @throws SnipError SNIP4032 unknown handle, SNIP4030 refused destination, and authentication errors.
   */
  async resolveHandles<R extends { url: string; headers: Record<string, string>; body?: string | undefined }>(req: R, deadline: Deadline, observe?: TokenObserver): Promise<R> {
    const texts = [req.url, ...Object.values(req.headers), req.body ?? ''];
    const names = new Set(texts.flatMap(secretReferences).filter(isHandleName));
    if (names.size === 0) return req;
    const targets = this.targets(names);
    const keep = (name: string) => `[[${name}]]`;
    const probe = substituteUrl(req.url, (n) => (targets.has(n) ? 'handle' : keep(n)), '(no connection)', 'URL', this.mask);
    for (const t of new Set(targets.values())) checkDestination(this.policy(t.conn), probe, this.mask, `the ${describeHandle(t)} of '${t.conn.name}'`);
    const values = await this.handleValues(targets, undefined, deadline, observe);
    const lookup = (n: string) => values.get(n) ?? keep(n);
    const url = names.size > 0 && secretReferences(req.url).some((n) => values.has(n)) ? substituteUrl(req.url, lookup, '(no connection)', 'URL', this.mask).toString() : req.url;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = substituteSecrets(v, lookup, '(no connection)', `header ${k}`);
    const body = req.body === undefined ? undefined : substituteSecrets(req.body, lookup, '(no connection)', 'body');
    return { ...req, url, headers, ...(body !== undefined ? { body } : {}) };
  }

  private async execute(conn: ConnectionView, spec: RequestSpec, observe?: TokenObserver): Promise<HubResponse> {
    this.learn(conn);
    const method = spec.method.toUpperCase();
    if (!conn.verbs.some((v) => v.toUpperCase() === method)) {
      throw new SnipError('SNIP4005', `verb ${method} is not allowed by the template of '${conn.name}' (allowed: ${conn.verbs.join(', ')})`);
    }
    const names = new Set<string>();
    const collect = (text: string) => {
      for (const n of secretReferences(text)) names.add(n);
    };
    collect(spec.url);
    for (const k in spec.headers) collect(spec.headers[k]!);
    for (const k in spec.query) collect(spec.query[k]!);
    if (spec.body !== undefined) collect(spec.body);
    const handleNames = new Set<string>();
    for (const n of names) if (isHandleName(n)) handleNames.add(n);
    const targets = this.targets(handleNames);
    const secret = lookup(conn);
    // Where the request goes is known before any token is: handles stand in as plain text.
    const where = targets.size === 0 ? secret : (n: string) => (targets.has(n) ? 'handle' : secret(n));
    const target = buildUrl(substituteUrl(spec.url, where, conn.name, 'request URL', this.mask), substituteRecord(spec.query, where, conn.name, 'query parameter'));
    checkResourceDomain(conn, target, this.mask);
    const own = this.policy(conn);
    let ownHandle = false;
    for (const t of targets.values()) if (sameConnection(t.conn, conn)) ownHandle = true;
    const usesSecrets = names.size > targets.size;
    if (usesSecrets || ownHandle || attachesAuth(conn, spec.headers)) checkDestination(own, target, this.mask);
    for (const t of new Set(targets.values())) {
      if (!sameConnection(t.conn, conn)) checkDestination(this.policy(t.conn), target, this.mask, `the ${describeHandle(t)} of '${t.conn.name}'`);
    }

    const deadline = new Deadline(conn.timeoutMs);
    let auth = await this.authenticate(conn, deadline, observe);
    const send = async () => {
      const values = targets.size === 0 ? undefined : await this.handleValues(targets, { conn, auth }, deadline, observe);
      const resolve = values === undefined ? secret : (n: string) => values.get(n) ?? secret(n);
      // Without handles the URL is the one checked above (secrets only): built once.
      const url = values === undefined ? target : buildUrl(substituteUrl(spec.url, resolve, conn.name, 'request URL', this.mask), substituteRecord(spec.query, resolve, conn.name, 'query parameter'));
      const headers = substituteRecord(spec.headers, resolve, conn.name, 'header');
      const body = spec.body === undefined ? undefined : substituteSecrets(spec.body, resolve, conn.name, 'request body');
      if (spec.mediaType && body !== undefined && !hasHeader(headers, 'content-type')) headers['Content-Type'] = spec.mediaType;
      for (const [k, v] of Object.entries(auth.headers)) if (!hasHeader(headers, k)) headers[k] = v;
      // Plain literals (no spreads): the HTTP layer reads them on its hot path.
      return this.http.send({ method, url: url.toString(), headers, body }, { deadline, mask: this.mask, tls: conn.tls, maxResponseBytes: this.options.maxResponseBytes });
    };
    const { res, note } = await withRetryAfter(async () => {
      let r = await send();
      // A 401 with a token of ours: the token may have been revoked early. Refresh once, retry once.
      if (r.status === 401 && auth.token && (!hasHeader(spec.headers, 'authorization') || ownHandle)) {
        auth = await this.authenticate(conn, deadline, observe, auth.token);
        r = await send();
      }
      return r;
    }, deadline);
    const out = toHubResponse(res, this.mask);
    if (note) out.note = note;
    return out;
  }

  /** The handles among `names`, each known to this session (SNIP4032 otherwise). */
  private targets(names: Set<string>): Map<string, HandleTarget> {
    const out = new Map<string, HandleTarget>();
    for (const n of names) {
      const t = this.handles.target(n);
      if (!t) throw new SnipError('SNIP4032', `'[[${n}]]' is not a token handle of this run; use the authHeadersList or authBody that CONNECTAUTH wrote`);
      out.set(n, t);
    }
    return out;
  }

  /** The value of each handle: the token (or header) its connection has now, authenticating when needed. */
  private async handleValues(targets: Map<string, HandleTarget>, current: { conn: ConnectionView; auth: AuthResult } | undefined, deadline: Deadline, observe?: TokenObserver): Promise<Map<string, string>> {
    const values = new Map<string, string>();
    for (const [name, t] of targets) {
      const auth = current && sameConnection(t.conn, current.conn) ? current.auth : await this.authenticate(t.conn, deadline, observe);
      let v: string | undefined;
      if (t.kind === 'token') v = auth.token?.accessToken;
      else if (t.kind === 'refresh-token') v = auth.token?.refreshToken;
      else v = Object.entries(auth.headers).find(([k]) => k.toLowerCase() === t.header?.toLowerCase())?.[1];
      if (v === undefined) throw new SnipError('SNIP4032', `connection '${t.conn.name}' has no ${describeHandle(t)} for '[[${name}]]' now`);
      values.set(name, v);
    }
    return values;
  }

  /**
   * Where the credentials of `conn` may go (its authentication URL resolved for OAuth). A pure
   * function of the view: worked out once per view, which runs share while the hub is unchanged.
   */
  private policy(conn: ConnectionView): DestinationPolicy {
    let p = policies.get(conn);
    if (p === undefined) policies.set(conn, (p = policyOf(conn)));
    return p;
  }
}

const policies = new WeakMap<ConnectionView, DestinationPolicy>();
const DONE: Promise<void> = Promise.resolve();

function policyOf(conn: ConnectionView): DestinationPolicy {
  let authOrigin: string | undefined;
  if (conn.auth?.url) {
    try {
      authOrigin = substituteUrl(conn.auth.url, lookup(conn), conn.name, 'auth URL').origin;
    } catch {
      authOrigin = originOf(conn.auth.url);
    }
  }
  return { connection: conn.name, authKind: conn.authKind, resourceDomain: conn.resourceDomain, authOrigin };
}

function sameConnection(a: ConnectionView, b: ConnectionView): boolean {
  return a.hub === b.hub && a.name === b.name;
}

function describeHandle(t: HandleTarget): string {
  return t.kind === 'token' ? 'token' : t.kind === 'refresh-token' ? 'refresh token' : `credential ${t.header ?? ''}`.trim();
}

/** Whether the connection's authentication headers go with a request that sets `headers` itself. */
function attachesAuth(conn: ConnectionView, headers: Record<string, string>): boolean {
  if (conn.authKind === 'none') return false;
  const names = conn.authKind === 'custom-headers' ? Object.keys(conn.auth?.headers ?? {}) : ['Authorization'];
  return names.some((n) => !hasHeader(headers, n));
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

/** `url` with the query parameters appended (form-encoded). */
function buildUrl(url: URL, query: Record<string, string>): URL {
  for (const [k, v] of Object.entries(query)) url.searchParams.append(k, v);
  return url;
}

/**
 * With a resource domain, only https URLs on that host (or a subdomain) and under its path pass.
 * @throws SnipError SNIP4018
 */
export function checkResourceDomain(conn: Pick<ConnectionView, 'name' | 'resourceDomain'>, url: URL, mask: (t: string) => string = (t) => t): void {
  if (!conn.resourceDomain) return;
  const shown = mask(`${url.protocol}//${url.host}${url.pathname}`);
  if (url.protocol !== 'https:') {
    throw new SnipError('SNIP4018', `'${shown}' is not https; connection '${conn.name}' only allows https URLs under ${conn.resourceDomain}`);
  }
  if (!insideResourceDomain(conn.resourceDomain, url)) {
    throw new SnipError('SNIP4018', `'${shown}' is outside the resource domain ${conn.resourceDomain} of '${conn.name}'`);
  }
}

function toHubResponse(res: HttpResponse, mask: (t: string) => string): HubResponse {
  const body = mask(res.body);
  return new MaskedResponse(res.status, res.statusText, maskDeep(res.headers, mask), body, /json/i.test(res.headers['content-type'] ?? '') || /^\s*[{[]/.test(body));
}

/**
 * A masked response. Its `json` is parsed when first read: CONNECTREQUEST reads the body into
 * Snippet values its own way, so parsing it here as well would be a second parse of every answer.
 */
class MaskedResponse implements HubResponse {
  note?: string;
  #json: unknown;
  #maybeJson: boolean;

  constructor(
    public status: number,
    public statusText: string,
    public headers: Record<string, string>,
    public body: string,
    maybeJson: boolean,
  ) {
    this.#maybeJson = maybeJson;
  }

  get json(): unknown {
    if (this.#maybeJson) {
      this.#maybeJson = false;
      try {
        this.#json = JSON.parse(this.body);
      } catch {
        // Not JSON after all: the text body stands.
      }
    }
    return this.#json;
  }
}

function lookup(conn: ConnectionView): SecretLookup {
  return (name) => conn.secrets.get(name);
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  const n = name.toLowerCase();
  return Object.keys(headers).some((k) => k.toLowerCase() === n);
}

// Authentication kinds of a connection: none, basic (with an optional validation URL), OAuth 2.0
// client credentials and password grant (a configured, form-encoded token request), and custom
// headers. Produces the headers a request carries; secrets are substituted here, at send time.
import { SnipError } from '../errors.js';
import type { Code } from '../../language/codes.js';
import type { Deadline, HttpClient, HttpResponse, TlsSettings } from './http.js';
import type { Redactor } from './redact.js';
import { checkTransport } from './destinations.js';
import { MASK } from './redact.js';
import { substituteRecord, substituteSecrets, substituteUrl, type SecretLookup } from './substitute.js';
import { getPath, sanitizeAnswer, setPath } from './token-handles.js';
import type { Token } from './token-cache.js';
import type { AuthDetails as StoredAuthDetails, AuthType } from './model.js';

/** The authentication types a template may declare (the model's own list). */
export type AuthKind = AuthType;

/** A connection's authentication details as the model keeps them; headers and query may be left out. */
export type AuthDetails = Omit<StoredAuthDetails, 'headers' | 'query'> & Partial<Pick<StoredAuthDetails, 'headers' | 'query'>>;

/** Secret names read when the configuration does not spell the credentials out itself. */
export const CREDENTIAL_SECRETS = {
  username: 'username',
  password: 'password',
  clientId: 'client_id',
  clientSecret: 'client_secret',
} as const;

/** Everything one authentication needs. */
export interface AuthInput {
  kind: AuthKind;
  connection: string;
  details: AuthDetails | undefined;
  secret: SecretLookup;
  http: HttpClient;
  deadline: Deadline;
  tls?: TlsSettings;
  /** Learns every token and basic credential obtained, so they are masked from then on. */
  redactor: Redactor;
  maxResponseBytes?: number;
}

/** What authentication gives the requests of a connection. */
export interface AuthResult {
  /** Headers every request of the connection carries unless it sets them itself. */
  headers: Record<string, string>;
  /** The token of an OAuth authentication. */
  token?: Token;
  /**
   * The HTTP response of the token or validation request, when one was sent. For a token answer
   * the body is the parsed answer with every token replaced by `****`.
   */
  response?: HttpResponse;
  /** The parsed token answer with its tokens replaced by `****` (OAuth only). */
  answer?: Record<string, unknown>;
}

/** The default field of a token answer that holds the access token. */
export const DEFAULT_TOKEN_FIELD = 'access_token';

/** Authentication was refused or answered something unusable; `response` holds what came back. */
export class AuthError extends SnipError {
  override name = 'AuthError';
  constructor(code: Code, message: string, readonly response?: HttpResponse) {
    super(code, message);
  }
}

/** Whether a kind obtains a token (and so can be refreshed after a 401). */
export function usesToken(kind: AuthKind): boolean {
  return kind === 'oauth2-client-credentials' || kind === 'oauth2-password';
}

/**
 * Authenticates once (no cache: `TokenCache` wraps this for OAuth).
 * @throws AuthError SNIP4017 on a refused authentication; HttpError on transport failures;
 *   SnipError SNIP4008 for an unknown secret.
 */
export async function authenticate(input: AuthInput): Promise<AuthResult> {
  switch (input.kind) {
    case 'none':
      return { headers: {} };
    case 'basic':
      return basic(input);
    case 'custom-headers':
      return customHeaders(input);
    case 'oauth2-client-credentials':
    case 'oauth2-password':
      return oauth(input);
  }
}

/** `Authorization: Basic base64(user:pass)` for the given credentials. */
export function basicHeader(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

async function basic(input: AuthInput): Promise<AuthResult> {
  const user = required(input, CREDENTIAL_SECRETS.username, 'basic authentication');
  const password = required(input, CREDENTIAL_SECRETS.password, 'basic authentication');
  input.redactor.addBasic(user, password);
  const headers = { Authorization: basicHeader(user, password) };
  if (!input.details?.url) return { headers };
  const response = await validate(input, headers);
  return { headers, response };
}

async function customHeaders(input: AuthInput): Promise<AuthResult> {
  const headers = substituteRecord(input.details?.headers, input.secret, input.connection, 'auth header');
  for (const v of Object.values(headers)) input.redactor.add(v);
  if (!input.details?.url) return { headers };
  const response = await validate(input, {});
  return { headers, response };
}

/** Sends the configured authentication request as a check; anything but 2xx fails. */
async function validate(input: AuthInput, extra: Record<string, string>): Promise<HttpResponse> {
  const req = buildAuthRequest(input, undefined);
  checkAuthUrl(input, req.url);
  const response = await input.http.send(
    { ...req, headers: { ...req.headers, ...extra } },
    { deadline: input.deadline, ...sendExtras(input) },
  );
  if (response.status < 200 || response.status > 299) {
    throw new AuthError('SNIP4017', `authentication of '${input.connection}' was refused: ${response.status} ${response.statusText}`, maskResponse(response, input));
  }
  return response;
}

async function oauth(input: AuthInput): Promise<AuthResult> {
  if (!input.details?.url) {
    throw new AuthError('SNIP4017', `connection '${input.connection}' has no authentication URL; set one with 'snip hub auth set'`);
  }
  const grant = input.kind === 'oauth2-password' ? 'password' : 'client_credentials';
  const req = buildAuthRequest(input, grant);
  checkAuthUrl(input, req.url);
  const response = await input.http.send(req, { deadline: input.deadline, ...sendExtras(input) });
  if (response.status < 200 || response.status > 299) {
    throw new AuthError('SNIP4017', `authentication of '${input.connection}' failed: ${response.status} ${response.statusText}`, maskResponse(response, input));
  }
  const field = input.details.tokenField?.trim() || DEFAULT_TOKEN_FIELD;
  const read = readTokenAnswer(response, field);
  if ('problem' in read) {
    // An answer the hub cannot read may hold the token in any shape: it is never shown, only described.
    throw new AuthError('SNIP4017', `authentication of '${input.connection}' failed: ${input.redactor.mask(read.problem)}`, withheld(response, input));
  }
  const { token, fields } = read;
  input.redactor.add(token.accessToken);
  input.redactor.add(token.refreshToken);
  const answer = setPath(sanitizeAnswer(fields, () => MASK), field, MASK);
  for (const v of credentialValues(fields, answer)) input.redactor.add(v);
  const body = JSON.stringify(answer);
  const masked = maskResponse(response, input);
  // The body shown is the parsed answer, so the headers describing the original body go.
  const headers = Object.fromEntries(Object.entries(masked.headers).filter(([k]) => k !== 'content-length' && k !== 'transfer-encoding'));
  const shown: HttpResponse = { ...masked, headers: { ...headers, 'content-type': 'application/json' }, body };
  return { headers: { Authorization: `${token.tokenType} ${token.accessToken}` }, token, response: shown, answer };
}

/** Credentials go to the authentication URL only over https, or plain http to loopback (SNIP4030). */
function checkAuthUrl(input: AuthInput, url: string): void {
  checkTransport(new URL(url), input.redactor.mask, `the authentication request of '${input.connection}'`);
}

/** Every string of `fields` that the sanitized `answer` replaced: credentials the redactor must know. */
function credentialValues(fields: unknown, answer: unknown): string[] {
  if (typeof fields === 'string') return answer === MASK ? [fields] : [];
  if (fields && typeof fields === 'object' && answer && typeof answer === 'object') {
    const a = answer as Record<string, unknown>;
    return Object.entries(fields).flatMap(([k, v]) => credentialValues(v, a[k]));
  }
  return [];
}

function sendExtras(input: AuthInput): { tls?: TlsSettings; maxResponseBytes?: number; mask: (t: string) => string } {
  return {
    ...(input.tls ? { tls: input.tls } : {}),
    ...(input.maxResponseBytes !== undefined ? { maxResponseBytes: input.maxResponseBytes } : {}),
    mask: input.redactor.mask,
  };
}

/**
 * The configured authentication request with secrets substituted. For OAuth without a configured
 * body, the grant's parameters come from the conventional secrets (client_id, client_secret,
 * username, password) as a form (or JSON when the media type says so).
 */
export function buildAuthRequest(input: AuthInput, grant: 'client_credentials' | 'password' | undefined): {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
} {
  const d = input.details ?? {};
  const where = (what: string) => `auth ${what}`;
  const url = substituteUrl(d.url ?? '', input.secret, input.connection, where('URL'), input.redactor.mask);
  for (const [k, v] of Object.entries(substituteRecord(d.query, input.secret, input.connection, where('query parameter')))) {
    url.searchParams.append(k, v);
  }
  const headers = substituteRecord(d.headers, input.secret, input.connection, where('header'));
  let mediaType = d.mediaType ?? (grant ? 'application/x-www-form-urlencoded' : undefined);
  let body = d.body ? substituteSecrets(d.body, input.secret, input.connection, where('body')) : undefined;
  if (grant && !body) {
    const params: Record<string, string> = { grant_type: grant };
    const id = input.secret(CREDENTIAL_SECRETS.clientId);
    const secret = input.secret(CREDENTIAL_SECRETS.clientSecret);
    if (id !== undefined) params.client_id = id;
    if (secret !== undefined) params.client_secret = secret;
    if (grant === 'password') {
      params.username = required(input, CREDENTIAL_SECRETS.username, 'the password grant');
      params.password = required(input, CREDENTIAL_SECRETS.password, 'the password grant');
    } else if (id === undefined || secret === undefined) {
      throw new SnipError('SNIP4008', `connection '${input.connection}' needs secrets 'client_id' and 'client_secret' (or an authentication body) for the client credentials grant`);
    }
    mediaType ??= 'application/x-www-form-urlencoded';
    body = /json/i.test(mediaType) ? JSON.stringify(params) : new URLSearchParams(params).toString();
  }
  if (mediaType && body !== undefined && !hasHeader(headers, 'content-type')) headers['Content-Type'] = mediaType;
  if (grant && !hasHeader(headers, 'accept')) headers.Accept = 'application/json';
  const method = (d.method ?? (grant ? 'POST' : 'GET')).toUpperCase();
  return { method, url: url.toString(), headers, ...(body !== undefined ? { body } : {}) };
}

/** A token answer read: the token, and every field of the answer (values included: never shown as is). */
export type TokenAnswer = { token: Token; fields: Record<string, unknown> } | { problem: string };

/**
 * Reads a token answer: JSON, or form-encoded (`access_token=...&token_type=bearer`), the access
 * token in `field` (dotted for nested objects), `token_type` (default Bearer), `expires_in` and
 * `refresh_token`. When it cannot be read, `problem` says why naming the fields found, never a value.
 */
export function readTokenAnswer(response: HttpResponse, field = DEFAULT_TOKEN_FIELD): TokenAnswer {
  const type = (response.headers['content-type'] ?? '').toLowerCase();
  const text = response.body.trim();
  let fields: Record<string, unknown> | undefined;
  let shape = '';
  if (/json/.test(type) || /^[{[]/.test(text)) {
    try {
      const json: unknown = JSON.parse(text);
      if (json && typeof json === 'object' && !Array.isArray(json)) fields = json as Record<string, unknown>;
      else shape = 'the token answer is JSON but not an object';
    } catch {
      shape = 'the token answer is not valid JSON';
    }
  } else if (/x-www-form-urlencoded|text\/plain/.test(type) || /^[\w.%-]+=[^\s]*$/.test(text)) {
    fields = Object.fromEntries(new URLSearchParams(text));
  } else {
    shape = `the token answer is neither JSON nor form-encoded (${type ? type.split(';')[0] : 'no content type'}, ${Buffer.byteLength(response.body)} bytes)`;
  }
  if (!fields) return { problem: shape };
  const o = fields;
  const accessToken = getPath(o, field);
  if (typeof accessToken !== 'string' || accessToken === '') {
    const names = Object.keys(o).slice(0, 20).map((k) => `'${k}'`).join(', ');
    return { problem: `the token answer has no text field '${field}' (fields found: ${names || 'none'})` };
  }
  const rawType = typeof o.token_type === 'string' && o.token_type ? o.token_type : 'Bearer';
  // RFC 6750 compares the scheme case-insensitively; some servers still insist on `Bearer`.
  const tokenType = rawType.toLowerCase() === 'bearer' ? 'Bearer' : rawType;
  const expires = typeof o.expires_in === 'number' ? o.expires_in : typeof o.expires_in === 'string' ? Number(o.expires_in) : NaN;
  const token: Token = { accessToken, tokenType, ...(Number.isFinite(expires) ? { expiresIn: expires } : {}) };
  if (typeof o.refresh_token === 'string' && o.refresh_token !== '') token.refreshToken = o.refresh_token;
  return { token, fields: o };
}

/** access_token, token_type (default Bearer) and expires_in of a token response, if present. */
export function parseToken(response: HttpResponse, field = DEFAULT_TOKEN_FIELD): Token | undefined {
  const r = readTokenAnswer(response, field);
  return 'token' in r ? r.token : undefined;
}

/** A response whose body is withheld: status and masked headers only. */
function withheld(r: HttpResponse, input: AuthInput): HttpResponse {
  return { ...maskResponse(r, input), body: '' };
}

/** Masked copy of a response (the token itself is known to the redactor by now). */
function maskResponse(r: HttpResponse, input: AuthInput): HttpResponse {
  const mask = input.redactor.mask;
  return {
    status: r.status,
    statusText: r.statusText,
    headers: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, mask(v)])),
    body: mask(r.body),
  };
}

function required(input: AuthInput, name: string, what: string): string {
  const v = input.secret(name);
  if (v === undefined) throw new SnipError('SNIP4008', `connection '${input.connection}' needs a secret named '${name}' for ${what}`);
  return v;
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}

// The hub's rules as pure checks: each returns every problem found, naming the field, so the CLI,
// the file store and a service all refuse the same things with the same words.
import type { Code } from '../../language/codes.js';
import {
  AUTH_TYPES,
  type AuthType,
  HTTP_VERBS,
  MAX_REQUESTS,
  isOAuth,
  type AuthDetails,
  type Connection,
  type HubProblem,
  type HubRequest,
  type Template,
} from './model.js';

const SECRET_REF = /\[\[\s*((?:(?!\]\]).)+?)\s*\]\]/gs;
// A Studio variable inside text: `{name}`, `{a.b}`, `{list[2]}`. JSON braces do not match.
const VARIABLE = /\{\s*[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*|\[[^\]{}]*\])*\s*\}/;
// RFC 9110 token characters for header names.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Whether `text` uses a `{variable}` (secret references `[[ ... ]]` are not variables). */
export function hasVariables(text: string): boolean {
  return VARIABLE.test(text.replace(SECRET_REF, 'secret'));
}

/** `SNIP4005: connection "X": ...` as printed by the CLI. */
export function formatProblem(p: HubProblem): string {
  return `${p.code}: ${p.message}`;
}

class Problems {
  readonly list: HubProblem[] = [];
  constructor(private readonly subject: string) {}
  add(code: Code, field: string, text: string): void {
    this.list.push({ code, field, message: `${this.subject}: ${field} ${text}` });
  }
}

function q(s: string): string {
  return JSON.stringify(s);
}

function checkName(p: Problems, field: string, value: unknown): void {
  if (typeof value !== 'string' || value.trim() === '') p.add('SNIP4021', field, 'must be a non-empty text');
  else if (value !== value.trim()) p.add('SNIP4021', field, 'must not start or end with blanks');
  else if (/[\r\n\t\u0000-\u001f]/.test(value)) p.add('SNIP4021', field, 'must not hold control characters or line breaks');
}

/** Problems of a secret name: any character is allowed except line breaks and `]]` (it ends a reference). */
export function validateSecretName(connection: string, name: string, field = 'secret name'): HubProblem[] {
  const p = new Problems(`connection ${q(connection)}`);
  checkName(p, field, name);
  if (typeof name === 'string' && (name.includes(']]') || name.includes('[['))) p.add('SNIP4021', field, `${q(name)} must not contain "[[" or "]]"`);
  // `token:<16 hex>` and its kin are token handles; a secret of that shape could never be referenced.
  if (typeof name === 'string' && /^(token|refresh-token|credential):[0-9a-f]{16}$/.test(name)) p.add('SNIP4021', field, `${q(name)} has the shape of a token handle`);
  return p.list;
}

/** Problems of a template. */
export function validateTemplate(t: Template): HubProblem[] {
  const p = new Problems(`template ${q(String(t.name ?? ''))}`);
  checkName(p, 'name', t.name);
  checkName(p, 'application', t.application);
  if (t.integrationMethod !== 'REST') p.add('SNIP4021', 'integrationMethod', `${q(String(t.integrationMethod))} is not supported (only REST)`);
  if (!AUTH_TYPES.includes(t.authType)) p.add('SNIP4021', 'authType', `${q(String(t.authType))} is not one of ${AUTH_TYPES.join(', ')}`);
  if (typeof t.description !== 'string') p.add('SNIP4021', 'description', 'must be a text');
  if (t.icon !== undefined && (typeof t.icon !== 'string' || t.icon === '')) p.add('SNIP4021', 'icon', 'must be a file name or a data: URL');
  if (!Array.isArray(t.verbs) || t.verbs.length === 0) p.add('SNIP4021', 'verbs', `must list at least one of ${HTTP_VERBS.join(', ')}`);
  else {
    const seen = new Set<string>();
    for (const v of t.verbs) {
      if (!(HTTP_VERBS as readonly string[]).includes(v)) p.add('SNIP4021', 'verbs', `${q(String(v))} is not one of ${HTTP_VERBS.join(', ')}`);
      else if (seen.has(v)) p.add('SNIP4021', 'verbs', `lists ${v} twice`);
      seen.add(v);
    }
  }
  if (!Array.isArray(t.authHeaders)) p.add('SNIP4021', 'authHeaders', 'must be a list');
  else {
    const seen = new Set<string>();
    t.authHeaders.forEach((h, i) => {
      const field = `authHeaders[${i}]`;
      if (typeof h?.name !== 'string' || !HEADER_NAME.test(h.name)) p.add('SNIP4021', `${field}.name`, `${q(String(h?.name))} is not a valid header name`);
      else if (seen.has(h.name.toLowerCase())) p.add('SNIP4021', `${field}.name`, `${q(h.name)} is declared twice`);
      else seen.add(h.name.toLowerCase());
      if (typeof h?.required !== 'boolean') p.add('SNIP4021', `${field}.required`, 'must be true or false');
    });
  }
  return p.list;
}

function checkUrl(p: Problems, field: string, url: string, httpsOnly = false): void {
  if (hasVariables(url)) {
    p.add('SNIP4022', field, `${q(url)} uses a {variable}; only [[ secret ]] references are allowed here`);
    return;
  }
  // A URL starting with a secret (e.g. `[[INSTANCEURI]]/token`) is only known at send time.
  if (/^\s*\[\[/.test(url)) return;
  let parsed: URL;
  try {
    parsed = new URL(url.replace(SECRET_REF, 'secret'));
  } catch {
    p.add('SNIP4021', field, `${q(url)} is not an absolute URL`);
    return;
  }
  if (parsed.protocol !== 'https:' && (httpsOnly || parsed.protocol !== 'http:')) {
    p.add('SNIP4021', field, `${q(url)} must be ${httpsOnly ? 'an https' : 'an http or https'} URL`);
  }
}

function checkRecord(p: Problems, field: string, r: unknown, headerNames: boolean): void {
  if (!r || typeof r !== 'object' || Array.isArray(r)) {
    p.add('SNIP4021', field, 'must be an object of names and text values');
    return;
  }
  for (const [k, v] of Object.entries(r)) {
    if (typeof v !== 'string') p.add('SNIP4021', `${field}.${k}`, 'must be a text');
    else if (hasVariables(v)) p.add('SNIP4022', `${field}.${k}`, `uses a {variable}; only [[ secret ]] references are allowed here`);
    if (headerNames && !HEADER_NAME.test(k)) p.add('SNIP4021', field, `${q(k)} is not a valid header name`);
    if (!headerNames && k === '') p.add('SNIP4021', field, 'has a parameter without a name');
  }
}

function checkVerb(p: Problems, field: string, method: string | undefined, template: Template): void {
  if (method === undefined || method === '') {
    p.add('SNIP4021', field, `is required (one of the template's verbs ${template.verbs.join(', ')})`);
  } else if (!template.verbs.includes(method)) {
    p.add('SNIP4005', field, `${q(method)} is not one of the template's verbs ${template.verbs.join(', ')}`);
  }
}

function checkBody(p: Problems, field: string, body: string | undefined): void {
  if (body === undefined) return;
  if (typeof body !== 'string') p.add('SNIP4021', field, 'must be a text');
  else if (hasVariables(body)) p.add('SNIP4022', field, `uses a {variable}; only [[ secret ]] references are allowed here`);
}

/** Whether authentication details were configured (`snip hub auth set` ran). */
export function authConfigured(a: AuthDetails): boolean {
  return a.url !== undefined || Object.keys(a.headers).length > 0 || a.body !== undefined;
}

/**
 * Problems of a connection's authentication details against its template: verb from the template,
 * required template headers present, no variables, an OAuth URL, mTLS only for OAuth over https.
 */
export function validateAuth(c: Pick<Connection, 'name' | 'auth' | 'mtls'>, template: Template): HubProblem[] {
  const p = new Problems(`connection ${q(c.name)}`);
  const a = c.auth;
  if (!a || typeof a !== 'object') {
    p.add('SNIP4021', 'auth', 'must be an object');
    return p.list;
  }
  checkRecord(p, 'auth.headers', a.headers, true);
  checkRecord(p, 'auth.query', a.query, false);
  checkBody(p, 'auth.body', a.body);
  if (a.mediaType !== undefined && !/^[\w.+-]+\/[\w.+-]+(\s*;.*)?$/.test(a.mediaType)) p.add('SNIP4021', 'auth.mediaType', `${q(a.mediaType)} is not a media type`);
  if (a.tokenField !== undefined && !/^[^.\s]+(\.[^.\s]+)*$/.test(a.tokenField)) {
    p.add('SNIP4021', 'auth.tokenField', `${q(String(a.tokenField))} must be a field name of the token answer (dotted for nested fields, e.g. data.access_token)`);
  }
  if (a.url !== undefined) {
    checkUrl(p, 'auth.url', a.url);
    checkVerb(p, 'auth.method', a.method, template);
  } else if (a.method !== undefined) {
    checkVerb(p, 'auth.method', a.method, template);
  }
  const configured = authConfigured(a);
  if (configured && isOAuth(template.authType) && a.url === undefined) {
    p.add('SNIP4021', 'auth.url', `is required for ${template.authType} (the token endpoint)`);
  }
  if (configured && a.headers && typeof a.headers === 'object') {
    for (const h of template.authHeaders.filter((x) => x.required)) {
      const v = Object.entries(a.headers).find(([k]) => k.toLowerCase() === h.name.toLowerCase())?.[1];
      if (v === undefined || v.trim() === '') p.add('SNIP4006', 'auth.headers', `is missing the required template header ${q(h.name)}`);
    }
  }
  if (c.mtls) {
    if (!isOAuth(template.authType)) {
      p.add('SNIP4020', 'mtls', `is only allowed with OAuth 2.0 templates (template ${q(template.name)} uses ${template.authType})`);
    } else if (!/^https:\/\//i.test(a.url ?? '')) {
      p.add('SNIP4020', 'mtls', 'needs an https authentication URL (auth.url)');
    }
    if (typeof c.mtls.certPem !== 'string' || !c.mtls.certPem.includes('-----BEGIN CERTIFICATE-----')) p.add('SNIP4021', 'mtls.certPem', 'must be a PEM certificate');
    if (typeof c.mtls.keyPem !== 'string' || !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(c.mtls.keyPem)) p.add('SNIP4021', 'mtls.keyPem', 'must be a PEM private key');
    if (c.mtls.passphraseSecret !== undefined) p.list.push(...validateSecretName(c.name, c.mtls.passphraseSecret, 'mtls.passphraseSecret'));
  }
  return p.list;
}

/** Problems of one request of connection `c` (the field names carry `prefix`, e.g. `requests[3].`). */
export function validateRequest(c: Pick<Connection, 'name' | 'resourceDomain'>, r: HubRequest, template: Template, prefix = ''): HubProblem[] {
  const p = new Problems(`connection ${q(c.name)}, request ${q(String(r.name ?? ''))}`);
  checkName(p, `${prefix}name`, r.name);
  if (typeof r.active !== 'boolean') p.add('SNIP4021', `${prefix}active`, 'must be true or false');
  checkRecord(p, `${prefix}headers`, r.headers, true);
  checkRecord(p, `${prefix}query`, r.query, false);
  if (r.trigger === 'manual') {
    if (typeof r.url !== 'string' || r.url === '') p.add('SNIP4021', `${prefix}url`, 'is required for a manual request');
    else {
      checkUrl(p, `${prefix}url`, r.url);
      checkDomain(p, `${prefix}url`, r.url, c.resourceDomain);
    }
    checkVerb(p, `${prefix}method`, r.method, template);
    checkBody(p, `${prefix}body`, r.body);
  } else if (r.trigger === 'studio') {
    // The script builds the whole request: fixed parts here would be silently ignored.
    for (const f of ['url', 'method', 'mediaType', 'body'] as const) {
      if (r[f] !== undefined) p.add('SNIP4021', `${prefix}${f}`, 'is not allowed on a studio request (the script passes it in requestPayload)');
    }
    if (Object.keys(r.headers ?? {}).length > 0) p.add('SNIP4021', `${prefix}headers`, 'are not allowed on a studio request');
    if (Object.keys(r.query ?? {}).length > 0) p.add('SNIP4021', `${prefix}query`, 'is not allowed on a studio request');
  } else {
    p.add('SNIP4021', `${prefix}trigger`, `${q(String(r.trigger))} is not manual or studio`);
  }
  return p.list;
}

function checkDomain(p: Problems, field: string, url: string, domain: string | undefined): void {
  if (!domain || /^\s*\[\[/.test(url) || hasVariables(url)) return;
  let u: URL;
  try {
    u = new URL(url.replace(SECRET_REF, 'secret'));
  } catch {
    return;
  }
  const base = domain.endsWith('/') ? domain : `${domain}/`;
  const href = u.href;
  if (u.protocol !== 'https:' || !(href === domain || href.startsWith(base) || `${href}/` === base)) {
    p.add('SNIP4018', field, `${q(url)} is outside the resource domain ${domain}`);
  }
}

/** Problems of a whole connection against its template (its requests included). */
export function validateConnection(c: Connection, template: Template): HubProblem[] {
  const p = new Problems(`connection ${q(String(c.name ?? ''))}`);
  checkName(p, 'name', c.name);
  if (c.template !== template.name) p.add('SNIP4021', 'template', `${q(String(c.template))} does not match template ${q(template.name)}`);
  if (!Number.isInteger(c.timeoutMs) || c.timeoutMs < 1 || c.timeoutMs > 300_000) p.add('SNIP4021', 'timeoutMs', `${String(c.timeoutMs)} must be a whole number of ms from 1 to 300000`);
  if (c.resourceDomain !== undefined) {
    checkUrl(p, 'resourceDomain', c.resourceDomain, true);
    if (/[?#]/.test(c.resourceDomain)) p.add('SNIP4021', 'resourceDomain', 'must not hold a query or fragment');
  }
  if (c.caBundle !== undefined && (typeof c.caBundle !== 'string' || !c.caBundle.includes('-----BEGIN CERTIFICATE-----'))) p.add('SNIP4021', 'caBundle', 'must be PEM certificates');
  if (c.status !== 'pending' && c.status !== 'authorized') p.add('SNIP4021', 'status', `${q(String(c.status))} is not pending or authorized`);
  p.list.push(...validateAuth(c, template));
  if (!Array.isArray(c.secrets)) p.add('SNIP4021', 'secrets', 'must be a list of names');
  else {
    const seen = new Set<string>();
    c.secrets.forEach((s, i) => {
      p.list.push(...validateSecretName(String(c.name), s, `secrets[${i}]`));
      if (seen.has(s)) p.add('SNIP4021', `secrets[${i}]`, `${q(s)} is listed twice`);
      seen.add(s);
    });
  }
  if (!Array.isArray(c.requests)) p.add('SNIP4021', 'requests', 'must be a list');
  else {
    if (c.requests.length > MAX_REQUESTS) p.add('SNIP4010', 'requests', `has ${c.requests.length} requests; at most ${MAX_REQUESTS} are allowed per connection`);
    const seen = new Set<string>();
    c.requests.forEach((r, i) => {
      p.list.push(...validateRequest(c, r, template, `requests[${i}].`));
      if (seen.has(r.name)) p.add('SNIP4003', `requests[${i}].name`, `${q(r.name)} is used by another request`);
      seen.add(r.name);
    });
  }
  return p.list;
}

/**
 * Warnings (not errors) about a connection: without a resource domain its credentials may go to
 * any https URL (or, for OAuth, its token endpoint's origin). Shown by `snip check` and
 * `snip hub connection show`; a connection with no authentication and no secrets gets none.
 */
export function connectionWarnings(c: Pick<Connection, 'name' | 'resourceDomain'> & { secrets?: readonly string[] }, authType: AuthType): string[] {
  if (c.resourceDomain) return [];
  if (authType === 'none' && (c.secrets?.length ?? 0) === 0) return [];
  const rule = isOAuth(authType)
    ? 'the origin of its authentication URL'
    : 'any https URL (plain http only to loopback)';
  return [`connection ${q(c.name)} has no resource domain: its credentials may go to ${rule}; set one with 'snip hub connection create --resource-domain URL' to limit them`];
}

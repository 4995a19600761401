// The hub's records as every store builds and edits them: a new template, connection or request
// from its input, a connection patch, and the request edits. Pure: the file store and a database
// store differ in how they read and write, never in what a record becomes, so both call these
// (rules.ts judges the results; the stores throw its problems).
import { SnipError } from '../errors.js';
import { problemsError } from './file-format.js';
import { DEFAULT_TIMEOUT_MS, MAX_REQUESTS, hasAuthentication, type Connection, type HubRequest, type Template } from './model.js';
import { validateConnection, validateRequest, validateTemplate } from './rules.js';
import type { ConnectionPatch, NewConnection, NewRequest, NewTemplate } from './store.js';

/** A checked template. @throws SnipError with the rules' problems. */
export function newTemplate(input: NewTemplate, at: string): Template {
  const t: Template = {
    name: input.name,
    application: input.application,
    integrationMethod: 'REST',
    authType: input.authType,
    description: input.description ?? '',
    verbs: input.verbs.map((v) => v.toUpperCase()),
    authHeaders: input.authHeaders ?? [],
    createdAt: at,
  };
  if (input.icon !== undefined) t.icon = input.icon;
  const problems = validateTemplate(t);
  if (problems.length) throw problemsError(problems);
  return t;
}

/** A checked connection of `template`, pending until it authenticates (when its type does). */
export function newConnection(input: NewConnection, template: Template, at: string): Connection {
  const c: Connection = {
    name: input.name,
    template: template.name,
    timeoutMs: input.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    auth: { headers: {}, query: {} },
    secrets: [],
    requests: [],
    status: hasAuthentication(template.authType) ? 'pending' : 'authorized',
    createdAt: at,
    updatedAt: at,
  };
  if (input.resourceDomain !== undefined) c.resourceDomain = input.resourceDomain;
  if (input.caBundle !== undefined) c.caBundle = input.caBundle;
  const problems = validateConnection(c, template);
  if (problems.length) throw problemsError(problems);
  return c;
}

/** Applies `patch` to `c`; new credentials put an authenticating connection back to pending. */
export function patchConnection(c: Connection, template: Template, patch: ConnectionPatch): void {
  if (patch.timeoutMs !== undefined) c.timeoutMs = patch.timeoutMs;
  setOptional(c, 'resourceDomain', patch.resourceDomain);
  setOptional(c, 'caBundle', patch.caBundle);
  setOptional(c, 'mtls', patch.mtls);
  if (patch.auth) c.auth = { ...patch.auth, headers: { ...patch.auth.headers }, query: { ...patch.auth.query } };
  if ((patch.auth || patch.mtls !== undefined) && hasAuthentication(template.authType)) {
    // New credentials have not been proven yet.
    c.status = 'pending';
    delete c.authorizedAt;
  }
}

/** A request record from its input (checked when added, against its connection). */
export function newRequest(input: NewRequest, at: string): HubRequest {
  const r: HubRequest = { name: input.name, trigger: input.trigger, active: input.active ?? true, headers: input.headers ?? {}, query: input.query ?? {}, createdAt: at, updatedAt: at };
  for (const k of ['url', 'method', 'mediaType', 'body'] as const) if (input[k] !== undefined) r[k] = k === 'method' ? input[k]!.toUpperCase() : input[k];
  return r;
}

/** Adds `r` to `c`. @throws SnipError SNIP4003 (name taken), SNIP4010 (too many), or the rules' problems. */
export function addRequestTo(c: Connection, template: Template, r: HubRequest): void {
  if (c.requests.some((x) => x.name === r.name)) throw new SnipError('SNIP4003', `connection "${c.name}" already has a request named "${r.name}"`);
  if (c.requests.length >= MAX_REQUESTS) throw new SnipError('SNIP4010', `connection "${c.name}" already has ${MAX_REQUESTS} requests, the most allowed; delete one first`);
  const problems = validateRequest(c, r, template);
  if (problems.length) throw problemsError(problems);
  c.requests.push(r);
}

/** The request `name` of connection `connection`. @throws SnipError SNIP4002 */
export function requestNamed(connection: string, requests: readonly HubRequest[], name: string): HubRequest {
  const r = requests.find((x) => x.name === name);
  if (!r) throw new SnipError('SNIP4002', `connection "${connection}" has no request named "${name}"`);
  return r;
}

/** Turns a request of `c` on or off. @throws SnipError SNIP4002 */
export function setRequestActive(c: Connection, name: string, active: boolean, at: string): void {
  const r = requestNamed(c.name, c.requests, name);
  r.active = active;
  r.updatedAt = at;
}

/** Removes a request of `c`. @throws SnipError SNIP4002 */
export function removeRequest(c: Connection, name: string): void {
  requestNamed(c.name, c.requests, name);
  c.requests = c.requests.filter((x) => x.name !== name);
}

function setOptional<K extends 'resourceDomain' | 'caBundle' | 'mtls'>(c: Connection, key: K, v: Connection[K] | null | undefined): void {
  if (v === undefined) return;
  if (v === null) delete c[key];
  else c[key] = v;
}

// Reading the hub's JSON files: shape checks that name the file and the field, then the hub rules.
// Files are meant to be edited by hand and reviewed in git, so every message says what to fix.
import { SnipError } from '../errors.js';
import type { AuthDetails, Connection, HubProblem, HubRequest, MtlsSettings, Template } from './model.js';
import type { SecretRecord } from './secret-box.js';

/** `{ connection, records }`: the encrypted secrets of one connection. */
export interface SecretsFile {
  connection: string;
  records: SecretRecord[];
}

type Obj = Record<string, unknown>;

class Reader {
  constructor(readonly file: string) {}

  fail(field: string, text: string): never {
    throw new SnipError('SNIP4001', `${this.file}: ${field} ${text}`, undefined, undefined);
  }

  obj(v: unknown, field: string): Obj {
    if (!v || typeof v !== 'object' || Array.isArray(v)) this.fail(field, 'must be a JSON object');
    return v as Obj;
  }

  str(o: Obj, key: string, prefix = ''): string {
    const v = o[key];
    if (typeof v !== 'string') this.fail(prefix + key, v === undefined ? 'is missing' : 'must be a text');
    return v;
  }

  optStr(o: Obj, key: string, prefix = ''): string | undefined {
    return o[key] === undefined ? undefined : this.str(o, key, prefix);
  }

  bool(o: Obj, key: string, prefix = '', dflt?: boolean): boolean {
    const v = o[key];
    if (v === undefined && dflt !== undefined) return dflt;
    if (typeof v !== 'boolean') this.fail(prefix + key, v === undefined ? 'is missing' : 'must be true or false');
    return v;
  }

  record(o: Obj, key: string, prefix = ''): Record<string, string> {
    const v = o[key];
    if (v === undefined) return {};
    const r = this.obj(v, prefix + key);
    for (const [k, x] of Object.entries(r)) if (typeof x !== 'string') this.fail(`${prefix}${key}.${k}`, 'must be a text');
    return r as Record<string, string>;
  }

  arr(o: Obj, key: string, prefix = ''): unknown[] {
    const v = o[key];
    if (v === undefined) return [];
    if (!Array.isArray(v)) this.fail(prefix + key, 'must be a list');
    return v;
  }
}

/** Parses JSON text; SNIP4001 naming the file when it is not JSON. */
export function parseJsonFile(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new SnipError('SNIP4001', `${file}: not valid JSON (${(e as Error).message})`);
  }
}

/** Reads a template file (shape only; rules are checked by the caller). */
export function readTemplate(json: unknown, file: string): Template {
  const r: Reader = new Reader(file);
  const o = r.obj(json, 'the file');
  const t: Template = {
    name: r.str(o, 'name'),
    application: r.str(o, 'application'),
    integrationMethod: r.str(o, 'integrationMethod') as 'REST',
    authType: r.str(o, 'authType') as Template['authType'],
    description: r.optStr(o, 'description') ?? '',
    verbs: r.arr(o, 'verbs').map((v, i) => (typeof v === 'string' ? v : r.fail(`verbs[${i}]`, 'must be a text'))),
    authHeaders: r.arr(o, 'authHeaders').map((h, i) => {
      const x = r.obj(h, `authHeaders[${i}]`);
      return { name: r.str(x, 'name', `authHeaders[${i}].`), required: r.bool(x, 'required', `authHeaders[${i}].`, false) };
    }),
    createdAt: r.str(o, 'createdAt'),
  };
  const icon = r.optStr(o, 'icon');
  if (icon !== undefined) t.icon = icon;
  return t;
}

function readAuth(r: Reader, v: unknown): AuthDetails {
  const o = v === undefined ? {} : r.obj(v, 'auth');
  const a: AuthDetails = { headers: r.record(o, 'headers', 'auth.'), query: r.record(o, 'query', 'auth.') };
  for (const k of ['url', 'method', 'mediaType', 'body', 'tokenField'] as const) {
    const s = r.optStr(o, k, 'auth.');
    if (s !== undefined) a[k] = s;
  }
  return a;
}

function readRequest(r: Reader, v: unknown, i: number): HubRequest {
  const p = `requests[${i}].`;
  const o = r.obj(v, `requests[${i}]`);
  const req: HubRequest = {
    name: r.str(o, 'name', p),
    trigger: r.str(o, 'trigger', p) as HubRequest['trigger'],
    active: r.bool(o, 'active', p, true),
    headers: r.record(o, 'headers', p),
    query: r.record(o, 'query', p),
    createdAt: r.optStr(o, 'createdAt', p) ?? '',
    updatedAt: r.optStr(o, 'updatedAt', p) ?? '',
  };
  for (const k of ['url', 'method', 'mediaType', 'body'] as const) {
    const s = r.optStr(o, k, p);
    if (s !== undefined) req[k] = s;
  }
  return req;
}

/** Reads a connection file (shape only). */
export function readConnection(json: unknown, file: string): Connection {
  const r: Reader = new Reader(file);
  const o = r.obj(json, 'the file');
  const timeout = o.timeoutMs;
  if (typeof timeout !== 'number') r.fail('timeoutMs', timeout === undefined ? 'is missing' : 'must be a number of ms');
  const c: Connection = {
    name: r.str(o, 'name'),
    template: r.str(o, 'template'),
    timeoutMs: timeout,
    auth: readAuth(r, o.auth),
    secrets: r.arr(o, 'secrets').map((s, i) => (typeof s === 'string' ? s : r.fail(`secrets[${i}]`, 'must be a text'))),
    requests: r.arr(o, 'requests').map((x, i) => readRequest(r, x, i)),
    status: (r.optStr(o, 'status') ?? 'pending') as Connection['status'],
    createdAt: r.str(o, 'createdAt'),
    updatedAt: r.optStr(o, 'updatedAt') ?? r.str(o, 'createdAt'),
  };
  for (const k of ['resourceDomain', 'caBundle', 'authorizedAt'] as const) {
    const s = r.optStr(o, k);
    if (s !== undefined) c[k] = s;
  }
  if (o.mtls !== undefined) {
    const m = r.obj(o.mtls, 'mtls');
    const mtls: MtlsSettings = { certPem: r.str(m, 'certPem', 'mtls.'), keyPem: r.str(m, 'keyPem', 'mtls.') };
    const pass = r.optStr(m, 'passphraseSecret', 'mtls.');
    if (pass !== undefined) mtls.passphraseSecret = pass;
    c.mtls = mtls;
  }
  return c;
}

/** Reads a secrets file. */
export function readSecretsFile(json: unknown, file: string): SecretsFile {
  const r: Reader = new Reader(file);
  const o = r.obj(json, 'the file');
  return {
    connection: r.str(o, 'connection'),
    records: r.arr(o, 'records').map((v, i) => {
      const p = `records[${i}].`;
      const x = r.obj(v, `records[${i}]`);
      const rec: SecretRecord = {
        name: r.str(x, 'name', p),
        keyId: r.str(x, 'keyId', p),
        iv: r.str(x, 'iv', p),
        tag: r.str(x, 'tag', p),
        data: r.str(x, 'data', p),
        fingerprint: r.str(x, 'fingerprint', p),
        changedAt: r.str(x, 'changedAt', p),
      };
      return rec;
    }),
  };
}

/**
 * One error for rule problems: the first problem's code (SNIP4001 for a file that does not load,
 * each line prefixed with the file), every problem on its own line.
 */
export function problemsError(problems: readonly HubProblem[], file?: string): SnipError {
  const lines = problems.map((p) => (file ? `${file}: ${p.message}` : p.message));
  return new SnipError(file ? 'SNIP4001' : problems[0]!.code, lines.join('\n  '));
}

/** JSON text as written to disk: two-space indentation, a final newline (diff-friendly in git). */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

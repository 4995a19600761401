// Token handles: what a script holds in place of an access token, a refresh token or an
// authentication header value (`Bearer [[token:3f9c0a7d51e2b846]]`). A handle names a connection of
// this session, never a value; the hub replaces it at send time, only towards the destinations that
// connection allows, so any transform a script makes of it (upper(), replace(), character codes,
// base64) yields nothing secret. Ids are random per session and resolve only through the session
// that gave them out, while it is open: a handle written by hand, or of a finished run, resolves
// to nothing.
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import type { Deadline } from './http.js';
import type { ConnectionView } from './send.js';

/** What a handle stands for: the access token, the refresh token, or a whole authentication header value. */
export type HandleKind = 'token' | 'refresh-token' | 'credential';

/** The connection a handle belongs to and what it resolves to there. */
export interface HandleTarget {
  conn: ConnectionView;
  kind: HandleKind;
  /** For `credential`: the authentication header whose value it stands for. */
  header?: string;
}

/** `token:<16 hex>` and the other kinds: the shape of a handle's name inside `[[ ]]`. */
export const HANDLE_NAME = /^(token|refresh-token|credential):[0-9a-f]{16}$/;

// Handle ids come from the system's CSPRNG drawn in bulk: one `randomBytes` call per 512 ids rather
// than one per handle (the call's fixed cost showed in profiles of runs that hand out handles).
// Each byte is used once, so every id is as unguessable as a fresh `randomBytes(8)`.
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let poolAt = 0;

/** 16 hex digits of fresh CSPRNG output. */
function freshId(): string {
  if (poolAt + 8 > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolAt = 0;
  }
  const id = pool.toString('hex', poolAt, poolAt + 8);
  // Spent bytes are wiped: a later look at the pool cannot tell which ids were given out.
  pool.fill(0, poolAt, poolAt + 8);
  poolAt += 8;
  return id;
}

/** Whether a reference name has the shape of a handle (known to this session or not). */
export function isHandleName(name: string): boolean {
  return HANDLE_NAME.test(name);
}

/** What resolves handles at send time: the hub session that gave them out. */
export interface HandleResolver {
  resolveHandles<R extends { url: string; headers: Record<string, string>; body?: string | undefined }>(req: R, deadline: Deadline): Promise<R>;
  readonly mask: (text: string) => string;
}

// Handle name -> the session that gave it out, for requests made where the run's hub is not at
// hand (GetRESTProxy inside Snippet code). Held weakly: a finished run's handles resolve to nothing.
const issuers = new Map<string, WeakRef<HandleResolver>>();
const forget = new FinalizationRegistry<string>((name) => {
  if (issuers.get(name)?.deref() === undefined) issuers.delete(name);
});

/** The session that gave out handle `name`, while it lives. */
export function handleIssuer(name: string): HandleResolver | undefined {
  const r = issuers.get(name)?.deref();
  if (r === undefined) issuers.delete(name);
  return r;
}

/** Every handle reference `[[kind:id]]` in `text` (names only). */
export function handleNames(text: string): string[] {
  return [...text.matchAll(/\[\[\s*((?:token|refresh-token|credential):[0-9a-f]{16})\s*\]\]/g)].map((m) => m[1]!);
}

/** The handles one hub session gave out; one per connection and kind, stable within the session. */
export class TokenHandles {
  private readonly byName = new Map<string, HandleTarget>();
  private readonly byKey = new Map<string, string>();

  /** Holds secret values or tokens: printing or serialising shows only what it is. */
  [inspect.custom](): string {
    return 'TokenHandles [values hidden]';
  }

  toJSON(): Record<string, never> {
    return {};
  }

  constructor(private readonly owner?: HandleResolver) {}

  /** The reference text `[[kind:id]]` for `kind` of `conn` (the same one every time). */
  reference(conn: ConnectionView, kind: HandleKind, header?: string): string {
    const key = [conn.hub, conn.name, kind, header?.toLowerCase() ?? ''].join('\u0000');
    let name = this.byKey.get(key);
    if (name === undefined) {
      name = `${kind}:${freshId()}`;
      this.byKey.set(key, name);
      if (this.owner) {
        issuers.set(name, new WeakRef(this.owner));
        forget.register(this.owner, name);
      }
    }
    // The latest view wins: a connection reloaded by a later run of the session keeps its handles.
    this.byName.set(name, { conn, kind, ...(header !== undefined ? { header } : {}) });
    return `[[${name}]]`;
  }

  /** Forgets every handle (the session closed): none of them resolves any more. */
  release(): void {
    for (const name of this.byKey.values()) issuers.delete(name);
    this.byKey.clear();
    this.byName.clear();
  }

  /** What a reference name stands for, when it is a handle of this session. */
  target(name: string): HandleTarget | undefined {
    return this.byName.get(name);
  }
}

/** Keys whose string values are credentials in a token answer (besides the configured token field). */
const SENSITIVE_KEY = /^(?!token_type$|token_expires).*(token|secret|password|assertion)/i;

/**
 * A token answer as a user may see it: the token field and every credential-like field replaced
 * by `replace(path)` (a handle for a script, `****` for the CLI). `path` is the dotted field path.
 */
export function sanitizeAnswer(fields: Record<string, unknown>, replace: (path: string) => string): Record<string, unknown> {
  const walk = (v: unknown, path: string, key: string): unknown => {
    if (typeof v === 'string') return SENSITIVE_KEY.test(key) ? replace(path) : v;
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${path}[${i}]`, key));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x, path ? `${path}.${k}` : k, k);
      return out;
    }
    return v;
  };
  return walk(fields, '', '') as Record<string, unknown>;
}

/** Replaces the value at a dotted `path` of a plain object (copying along the way). */
export function setPath(o: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const [head, ...tail] = path.split('.');
  const out = { ...o };
  if (tail.length === 0) out[head!] = value;
  else {
    const inner = out[head!];
    out[head!] = setPath(inner && typeof inner === 'object' && !Array.isArray(inner) ? (inner as Record<string, unknown>) : {}, tail.join('.'), value);
  }
  return out;
}

/** The value at a dotted `path` of a plain object. */
export function getPath(o: unknown, path: string): unknown {
  let v: unknown = o;
  for (const k of path.split('.')) {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

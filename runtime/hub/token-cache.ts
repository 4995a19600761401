// Tokens obtained by authentication, kept per hub + connection (lru-cache): reused until
// `expires_in` minus a skew, fetched once for any number of concurrent callers (single-flight), and
// refreshed once when a request answers 401. Every fetch, reuse and refresh is reported (masked).
import { LRUCache } from 'lru-cache';
import { inspect } from 'node:util';

/** An access token as the authentication response gave it. */
export interface Token {
  accessToken: string;
  /** `Bearer` unless the server said otherwise. */
  tokenType: string;
  /** Lifetime in seconds, when the server gave one. */
  expiresIn?: number;
  /** The refresh token, when the answer held one. */
  refreshToken?: string;
}

/** Identifies a cache entry: the hub (tenant) and the connection within it. */
export interface TokenKey {
  hub: string;
  connection: string;
}

/** A cache event worth a trace line; never holds the token itself. */
export interface TokenEvent {
  what: 'token-fetch' | 'token-reuse' | 'token-refresh';
  connection: string;
  detail: string;
}

export type TokenObserver = (event: TokenEvent) => void;

/** Options of `TokenCache`. */
export interface TokenCacheOptions {
  /** Entries kept (default 1000 connections). */
  max?: number;
  /** Seconds before expiry at which a token counts as expired (default 30, at most half its lifetime). */
  skewSeconds?: number;
  /** Clock in ms (tests). */
  now?: () => number;
}

interface Entry {
  token: Token;
  /** Epoch ms after which the token is not reused; Infinity without `expires_in`. */
  reuseUntil: number;
}

/**
 * What a session needs from a token cache: the in-memory `TokenCache` below (the default), or a
 * host's shared one (the service's Redis cache, kept out of the runtime). `peek` stays synchronous:
 * a shared cache answers it from its in-process layer, which holds every token this process used.
 */
export interface TokenCacheLike {
  /** A valid token for `key`, fetched once for any number of concurrent callers. */
  get(key: TokenKey, fetch: () => Promise<Token>, observe?: TokenObserver): Promise<Token>;
  /** After a 401 with `stale`: a fresh token, fetched once however many callers saw the 401. */
  refresh(key: TokenKey, stale: Token, fetch: () => Promise<Token>, observe?: TokenObserver): Promise<Token>;
  /** Forgets the token of `key` (connection changed or deleted). */
  invalidate(key: TokenKey): void | Promise<void>;
  /** The token this process holds for `key`, if still valid. */
  peek(key: TokenKey): Token | undefined;
}

/** Shared by every run of a process (or a service): one per hub store is typical. */
export class TokenCache implements TokenCacheLike {
  private readonly cache: LRUCache<string, Entry>;
  private readonly inflight = new Map<string, Promise<Token>>();
  private readonly skewMs: number;
  private readonly now: () => number;

  /** Holds secret values or tokens: printing or serialising shows only what it is. */
  [inspect.custom](): string {
    return 'TokenCache [values hidden]';
  }

  toJSON(): Record<string, never> {
    return {};
  }

  constructor(options: TokenCacheOptions = {}) {
    this.cache = new LRUCache<string, Entry>({ max: options.max ?? 1000 });
    this.skewMs = (options.skewSeconds ?? 30) * 1000;
    this.now = options.now ?? Date.now;
  }

  /**
   * A valid token for `key`: the cached one while it lasts, otherwise the result of `fetch`.
   * Concurrent callers share one fetch. A failed fetch is not cached.
   */
  async get(key: TokenKey, fetch: () => Promise<Token>, observe?: TokenObserver): Promise<Token> {
    const id = cacheId(key);
    const entry = this.cache.get(id);
    if (entry && this.now() < entry.reuseUntil) {
      observe?.({ what: 'token-reuse', connection: key.connection, detail: `reused cached ${entry.token.tokenType} token${remaining(entry, this.now())}` });
      return entry.token;
    }
    return this.fetchOnce(key, fetch, entry ? 'token-refresh' : 'token-fetch', observe);
  }

  /**
   * After a 401 with `stale`: a fresh token. If another caller already replaced `stale`, that one is
   * returned without a new fetch, so a burst of 401s causes one refresh.
   */
  async refresh(key: TokenKey, stale: Token, fetch: () => Promise<Token>, observe?: TokenObserver): Promise<Token> {
    const id = cacheId(key);
    const entry = this.cache.get(id);
    if (entry && entry.token.accessToken !== stale.accessToken && this.now() < entry.reuseUntil) {
      observe?.({ what: 'token-reuse', connection: key.connection, detail: `reused a token refreshed by another request${remaining(entry, this.now())}` });
      return entry.token;
    }
    if (entry?.token.accessToken === stale.accessToken) this.cache.delete(id);
    return this.fetchOnce(key, fetch, 'token-refresh', observe);
  }

  /** Forgets the token of `key` (connection changed or deleted). */
  invalidate(key: TokenKey): void {
    this.cache.delete(cacheId(key));
  }

  /** The cached token, if any and still valid (for status displays). */
  peek(key: TokenKey): Token | undefined {
    const entry = this.cache.get(cacheId(key));
    return entry && this.now() < entry.reuseUntil ? entry.token : undefined;
  }

  private fetchOnce(key: TokenKey, fetch: () => Promise<Token>, what: 'token-fetch' | 'token-refresh', observe?: TokenObserver): Promise<Token> {
    const id = cacheId(key);
    const pending = this.inflight.get(id);
    if (pending) {
      return pending.then((token) => {
        observe?.({ what: 'token-reuse', connection: key.connection, detail: `shared a ${token.tokenType} token fetched by a concurrent request` });
        return token;
      });
    }
    const started = this.now();
    const p = (async () => {
      try {
        const token = await fetch();
        this.cache.set(id, { token, reuseUntil: reuseUntil(token, started, this.skewMs) });
        observe?.({
          what,
          connection: key.connection,
          detail: obtainedDetail(what, token),
        });
        return token;
      } finally {
        this.inflight.delete(id);
      }
    })();
    this.inflight.set(id, p);
    return p;
  }

}

function cacheId(key: TokenKey): string {
  return `${key.hub}\u0000${key.connection}`;
}

/**
 * Epoch ms after which a token fetched at `fetchedAt` is not reused: its lifetime less the skew (at
 * most half the lifetime); Infinity without `expires_in`. Shared by every cache implementation.
 */
export function reuseUntil(token: Token, fetchedAt: number, skewMs: number): number {
  if (token.expiresIn === undefined || !Number.isFinite(token.expiresIn)) return Infinity;
  const lifetimeMs = Math.max(0, token.expiresIn * 1000);
  // The clock starts when the request left: the server's lifetime started no earlier.
  return fetchedAt + lifetimeMs - Math.min(skewMs, lifetimeMs / 2);
}

/** The trace detail of a fetch or refresh (never the token). */
export function obtainedDetail(what: 'token-fetch' | 'token-refresh', token: Token): string {
  return `${what === 'token-fetch' ? 'fetched' : 'refreshed'} ${token.tokenType} token${token.expiresIn !== undefined ? ` (expires in ${token.expiresIn} s)` : ''}`;
}

/** ` (N s left)` for an entry, or nothing when it does not expire. */
export function remaining(entry: { reuseUntil: number }, now: number): string {
  return entry.reuseUntil === Infinity ? '' : ` (${Math.max(0, Math.round((entry.reuseUntil - now) / 1000))} s left)`;
}

// Upstream OAuth tokens shared by every worker through Redis, so an upstream sees one token request
// per connection and token lifetime however many `snip serve` processes run. Three layers:
//   1. in-process: the token this process last used, reused until its skewed expiry with no Redis
//      round trip (the run path pays Redis only when the process has no valid token); concurrent
//      callers of one process share one flight;
//   2. Redis: the token encrypted with the tenant's hub key (AES-256-GCM, bound to its key name),
//      namespaced per tenant + hub + connection, expiring at the skewed expiry;
//   3. a fetch lock per key (SET NX PX + a token-checked release): one worker fetches, the others
//      poll the token key until the holder stored it. The lock expires, so a worker that dies while
//      fetching blocks the others for at most the lock's lifetime.
// A 401 refreshes once for everyone: a refresh compares against the stale token, takes any other
// valid token already stored, and only the lock holder fetches. A stored refresh is announced on a
// channel so other processes drop their stale in-process copy before they use it.
import { createHash, randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { SnipError } from '../../runtime/errors.js';
import type { SecretBox } from '../../runtime/hub/secret-box.js';
import { obtainedDetail, remaining, reuseUntil, type Token, type TokenCacheLike, type TokenKey, type TokenObserver } from '../../runtime/hub/token-cache.js';

/** Options of `RedisTokenCache`. */
export interface RedisTokenCacheOptions {
  /** A command connection (fails fast when Redis is down: no offline queue). */
  redis: Redis;
  /** The tenant: every key is under it. */
  tenant: string;
  /** The tenant's hub key ring: tokens are encrypted with its current key. */
  box: () => Promise<SecretBox>;
  /** Key prefix (default `snip`). */
  prefix?: string;
  /** Lifetime of a fetch lock in ms (default 10 s): longer than a token request may take. */
  lockMs?: number;
  /** Poll interval of a worker waiting for another's fetch (default 15 ms). */
  pollMs?: number;
  /** Seconds before expiry at which a token counts as expired (default 30, at most half its lifetime). */
  skewSeconds?: number;
  /** Kept in Redis this long when the server gave no `expires_in` (default 24 h). */
  maxTtlMs?: number;
  /** Told after a refresh was stored (the setup publishes it to the other processes). */
  announce?: (tenant: string, id: string) => void;
  now?: () => number;
}

interface Entry {
  token: Token;
  /** Epoch ms after which the token is not reused. */
  reuseUntil: number;
}

/** What Redis holds under a token key: the encrypted token and when it stops being reused. */
interface Stored {
  v: 1;
  until: number;
  keyId: string;
  iv: string;
  tag: string;
  data: string;
}

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** The Redis-backed token cache of one tenant. */
export class RedisTokenCache implements TokenCacheLike {
  private readonly local: LRUCache<string, Entry>;
  private readonly getting = new Map<string, Promise<Token>>();
  private readonly refreshing = new Map<string, Promise<Token>>();
  /** Hub id -> its hash (a tenant has one or few hubs: computed once, not per run). */
  private readonly hubIds = new Map<string, string>();
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly lockMs: number;
  private readonly pollMs: number;
  private readonly skewMs: number;
  private readonly maxTtlMs: number;
  private readonly now: () => number;

  /** Holds tokens: printing or serialising shows only what it is. */
  [inspect.custom](): string {
    return `RedisTokenCache(${this.options.tenant}) [values hidden]`;
  }

  toJSON(): { tenant: string } {
    return { tenant: this.options.tenant };
  }

  constructor(private readonly options: RedisTokenCacheOptions) {
    this.redis = options.redis;
    this.prefix = options.prefix ?? 'snip';
    this.lockMs = options.lockMs ?? 10_000;
    this.pollMs = options.pollMs ?? 15;
    this.skewMs = (options.skewSeconds ?? 30) * 1000;
    this.maxTtlMs = options.maxTtlMs ?? 24 * 3600_000;
    this.now = options.now ?? Date.now;
    this.local = new LRUCache<string, Entry>({ max: 1000 });
  }

  get tenant(): string {
    return this.options.tenant;
  }

  async get(key: TokenKey, fetch: () => Promise<Token>, observe?: TokenObserver): Promise<Token> {
    const id = this.idOf(key);
    const entry = this.local.get(id);
    if (entry && this.now() < entry.reuseUntil) {
      observe?.({ what: 'token-reuse', connection: key.connection, detail: `reused cached ${entry.token.tokenType} token${remaining(entry, this.now())}` });
      return entry.token;
    }
    return this.flight(this.getting, id, key, () => this.shared(id, key, fetch, undefined, observe), observe);
  }

  async refresh(key: TokenKey, stale: Token, fetch: () => Promise<Token>, observe?: TokenObserver): Promise<Token> {
    const id = this.idOf(key);
    const entry = this.local.get(id);
    if (entry && entry.token.accessToken !== stale.accessToken && this.now() < entry.reuseUntil) {
      observe?.({ what: 'token-reuse', connection: key.connection, detail: `reused a token refreshed by another request${remaining(entry, this.now())}` });
      return entry.token;
    }
    if (entry?.token.accessToken === stale.accessToken) this.local.delete(id);
    return this.flight(this.refreshing, id, key, () => this.shared(id, key, fetch, stale, observe), observe);
  }

  async invalidate(key: TokenKey): Promise<void> {
    const id = this.idOf(key);
    this.local.delete(id);
    await this.command(() => this.redis.del(this.tokenKey(id)));
    this.options.announce?.(this.options.tenant, id);
  }

  peek(key: TokenKey): Token | undefined {
    const entry = this.local.get(this.idOf(key));
    return entry && this.now() < entry.reuseUntil ? entry.token : undefined;
  }

  /** Another process stored a new token for `id` (or dropped it): forget this process's copy. */
  dropLocal(id: string): void {
    this.local.delete(id);
  }

  /** The Redis key of a token id (tests and the leak suite list them). */
  tokenKey(id: string): string {
    return `${this.prefix}:tok:${this.options.tenant}:${id}`;
  }

  /** The cache id of a key: the hub (a hash: store ids may be paths) and the connection name. */
  idOf(key: TokenKey): string {
    let hub = this.hubIds.get(key.hub);
    if (hub === undefined) {
      hub = createHash('sha256').update(key.hub).digest('hex').slice(0, 16);
      this.hubIds.set(key.hub, hub);
    }
    return `${hub}:${encodeURIComponent(key.connection)}`;
  }

  /** One flight per id in this process; concurrent callers share it (and its failure). */
  private flight(map: Map<string, Promise<Token>>, id: string, key: TokenKey, run: () => Promise<Token>, observe?: TokenObserver): Promise<Token> {
    const pending = map.get(id);
    if (pending) {
      return pending.then((token) => {
        observe?.({ what: 'token-reuse', connection: key.connection, detail: `shared a ${token.tokenType} token fetched by a concurrent request` });
        return token;
      });
    }
    const p = run().finally(() => map.delete(id));
    map.set(id, p);
    return p;
  }

  /** The cross-process part: Redis first, else the lock holder fetches and the others wait for it. */
  private async shared(id: string, key: TokenKey, fetch: () => Promise<Token>, stale: Token | undefined, observe?: TokenObserver): Promise<Token> {
    const tokenKey = this.tokenKey(id);
    const lockKey = `${tokenKey}:lock`;
    const usable = (e: Entry | undefined): e is Entry => !!e && this.now() < e.reuseUntil && (!stale || e.token.accessToken !== stale.accessToken);
    const found = await this.read(tokenKey);
    if (usable(found)) return this.take(id, key, found, 'reused a token cached in Redis', observe);
    const lockValue = randomUUID();
    // A waiter gives up only well past a lock's lifetime: a dead holder's lock has expired by then.
    const giveUpAt = this.now() + 3 * this.lockMs;
    for (;;) {
      const got = await this.command(() => this.redis.set(lockKey, lockValue, 'PX', this.lockMs, 'NX'));
      if (got === 'OK') {
        try {
          // Someone may have stored a token between the first read and the lock.
          const again = await this.read(tokenKey);
          if (usable(again)) return this.take(id, key, again, 'reused a token cached in Redis', observe);
          const started = this.now();
          const token = await fetch();
          const entry: Entry = { token, reuseUntil: reuseUntil(token, started, this.skewMs) };
          await this.write(tokenKey, entry);
          this.local.set(id, entry);
          if (stale || found) this.options.announce?.(this.options.tenant, id);
          const what = stale || found ? 'token-refresh' : 'token-fetch';
          observe?.({
            what,
            connection: key.connection,
            detail: obtainedDetail(what, token),
          });
          return token;
        } finally {
          await this.redis.eval(RELEASE, 1, lockKey, lockValue).catch(() => undefined);
        }
      }
      await new Promise((r) => setTimeout(r, this.pollMs));
      const e = await this.read(tokenKey);
      if (usable(e)) return this.take(id, key, e, 'shared a token fetched by another worker', observe);
      if (this.now() > giveUpAt) {
        throw new SnipError('SNIP6051', `no token for '${key.connection}': another worker held the token fetch lock for too long`);
      }
    }
  }

  private take(id: string, key: TokenKey, e: Entry, how: string, observe?: TokenObserver): Token {
    this.local.set(id, e);
    observe?.({ what: 'token-reuse', connection: key.connection, detail: `${how}: ${e.token.tokenType} token${remaining(e, this.now())}` });
    return e.token;
  }

  private async read(tokenKey: string): Promise<Entry | undefined> {
    const text = await this.command(() => this.redis.get(tokenKey));
    if (!text) return undefined;
    try {
      const s = JSON.parse(text) as Stored;
      const box = await this.options.box();
      const json = box.decrypt(tokenKey, { name: 'token', keyId: s.keyId, iv: s.iv, tag: s.tag, data: s.data, fingerprint: '', changedAt: '' }, 'the token cache');
      return { token: JSON.parse(json) as Token, reuseUntil: s.until };
    } catch {
      // Unreadable (another key, edited): as if absent; the next fetch overwrites it.
      return undefined;
    }
  }

  private async write(tokenKey: string, e: Entry): Promise<void> {
    const box = await this.options.box();
    const r = box.encrypt(tokenKey, 'token', JSON.stringify(e.token));
    const until = Number.isFinite(e.reuseUntil) ? e.reuseUntil : this.now() + this.maxTtlMs;
    const stored: Stored = { v: 1, until, keyId: r.keyId, iv: r.iv, tag: r.tag, data: r.data };
    const ttl = Math.max(1, Math.min(this.maxTtlMs, until - this.now()));
    await this.command(() => this.redis.set(tokenKey, JSON.stringify(stored), 'PX', ttl));
  }

  /** A Redis command; a connection failure becomes SNIP6051 (the run sees a clear error). */
  private async command<T>(f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch {
      throw new SnipError('SNIP6051', 'the shared token cache (Redis) is unreachable; try again shortly');
    }
  }
}

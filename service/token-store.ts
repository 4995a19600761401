// Access tokens issued by `/1.0/token`: random, shown once in the token response, kept only as a
// SHA-256 hash with the client, tenant, scopes and expiry. Held in memory (a restart signs every
// client out; clients fetch a new token as OAuth expects). Bounded: expired entries go first.
import { hash as oneShotHash, randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Scope } from './client-store.js';

/** Who a bearer token speaks for. */
export interface Principal {
  clientId: string;
  tenant: string;
  scopes: Scope[];
}

interface Entry extends Principal {
  expiresAt: number;
}

/** Prefix of access tokens: lets the log masker recognise one anywhere. */
export const TOKEN_PREFIX = 'snipat_';

/**
 * How a token is stored: its SHA-256, never the token. `crypto.hash` (Node 20.12+) is the one-shot
 * form: the same digest without a Hash object per bearer check.
 */
export const hashToken = (token: string) => oneShotHash('sha256', token, 'base64url');
const hash = hashToken;

/** A new random access token. */
export function newAccessToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/**
 * Where issued access tokens are kept (hashed): process memory (`TokenStore`, the default) or
 * PostgreSQL (`PgTokenStore`, shared by every worker). Either may answer synchronously.
 */
export interface AccessTokens {
  issue(principal: Principal): { accessToken: string; expiresIn: number } | Promise<{ accessToken: string; expiresIn: number }>;
  verify(token: string): Principal | undefined | Promise<Principal | undefined>;
  revokeClient(clientId: string): void | Promise<void>;
}

export class TokenStore implements AccessTokens {
  private readonly tokens: LRUCache<string, Entry>;

  constructor(
    private readonly lifetimeSeconds: number,
    max = 100_000,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = new LRUCache<string, Entry>({ max });
  }

  /** Issues a token for `principal`; the caller hands it out once. */
  issue(principal: Principal): { accessToken: string; expiresIn: number } {
    const accessToken = newAccessToken();
    this.tokens.set(hash(accessToken), { ...principal, expiresAt: this.now() + this.lifetimeSeconds * 1000 });
    return { accessToken, expiresIn: this.lifetimeSeconds };
  }

  /** The principal of a valid token, else undefined (unknown, forged or expired). */
  verify(token: string): Principal | undefined {
    if (!token.startsWith(TOKEN_PREFIX)) return undefined;
    const key = hash(token);
    const e = this.tokens.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= this.now()) {
      this.tokens.delete(key);
      return undefined;
    }
    return { clientId: e.clientId, tenant: e.tenant, scopes: e.scopes };
  }

  /** Drops every token of a client (after it was removed). */
  revokeClient(clientId: string): void {
    for (const [k, e] of this.tokens.entries()) if (e.clientId === clientId) this.tokens.delete(k);
  }
}

/** Replaces anything shaped like one of our tokens or client secrets: for logs and errors. */
export function maskCredentials(text: string): string {
  // Every form starts with 'snip': a text without it (most) costs one scan, no regex.
  if (!text.includes('snip')) return text;
  return text.replace(/snip(?:at|cs)_[A-Za-z0-9_-]+/g, (m) => `${m.slice(0, 7)}***`);
}

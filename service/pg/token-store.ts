// Issued access tokens in PostgreSQL (table access_tokens): only the SHA-256 of a token is stored,
// with its client, tenant, scopes and expiry, so a token issued by one worker works on every
// worker. A verified token is remembered in the process for a few seconds (bounded), so a busy
// client costs one query per token and interval, not one per request; a removed client's tokens
// stop working everywhere within that interval.
import { LRUCache } from 'lru-cache';
import type { Scope } from '../client-store.js';
import { TOKEN_PREFIX, hashToken, newAccessToken, type AccessTokens, type Principal } from '../token-store.js';
import type { Database } from './database.js';

interface Remembered {
  principal: Principal;
  expiresAt: number;
  checkedAt: number;
}

export class PgTokenStore implements AccessTokens {
  private readonly seen: LRUCache<string, Remembered>;
  private lastSweep = 0;

  constructor(
    private readonly db: Database,
    private readonly lifetimeSeconds: number,
    private readonly recheckMs = 5000,
    private readonly now: () => number = Date.now,
  ) {
    this.seen = new LRUCache({ max: 10_000 });
  }

  async issue(principal: Principal): Promise<{ accessToken: string; expiresIn: number }> {
    const accessToken = newAccessToken();
    const expiresAt = this.now() + this.lifetimeSeconds * 1000;
    await this.db.query('INSERT INTO access_tokens (hash, client_id, tenant, scopes, expires_at) VALUES ($1, $2, $3, $4, $5)', [
      hashToken(accessToken),
      principal.clientId,
      principal.tenant,
      principal.scopes,
      new Date(expiresAt),
    ]);
    await this.sweep();
    return { accessToken, expiresIn: this.lifetimeSeconds };
  }

  /**
   * The principal of a valid token. A token verified within the recheck interval answers at once
   * (no promise: the bearer check goes on in the same tick); otherwise the database is asked.
   */
  verify(token: string): Principal | undefined | Promise<Principal | undefined> {
    if (!token.startsWith(TOKEN_PREFIX)) return undefined;
    const key = hashToken(token);
    const t = this.now();
    const hit = this.seen.get(key);
    if (hit && hit.expiresAt > t && t - hit.checkedAt < this.recheckMs) return { ...hit.principal };
    return this.lookup(key, t);
  }

  private async lookup(key: string, t: number): Promise<Principal | undefined> {
    const r = await this.db.query<{ client_id: string; tenant: string; scopes: Scope[]; expires_at: Date }>(
      'SELECT client_id, tenant, scopes, expires_at FROM access_tokens WHERE hash = $1 AND expires_at > now()',
      [key],
    );
    const row = r.rows[0];
    if (!row || row.expires_at.getTime() <= t) {
      this.seen.delete(key);
      return undefined;
    }
    const principal: Principal = { clientId: row.client_id, tenant: row.tenant, scopes: row.scopes };
    this.seen.set(key, { principal, expiresAt: row.expires_at.getTime(), checkedAt: t });
    return { ...principal };
  }

  async revokeClient(clientId: string): Promise<void> {
    await this.db.query('DELETE FROM access_tokens WHERE client_id = $1', [clientId]);
    for (const [k, e] of this.seen.entries()) if (e.principal.clientId === clientId) this.seen.delete(k);
  }

  /** Expired tokens go, at most once a minute per worker. */
  private async sweep(): Promise<void> {
    if (this.now() - this.lastSweep < 60_000) return;
    this.lastSweep = this.now();
    await this.db.query('DELETE FROM access_tokens WHERE expires_at < now()');
  }
}

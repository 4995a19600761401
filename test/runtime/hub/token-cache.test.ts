// The token cache: reuse, expiry with skew, single-flight and refresh after a 401.
import { describe, expect, it } from 'vitest';
import { TokenCache, type Token, type TokenEvent } from '../../../runtime/hub/token-cache.js';

const key = { hub: 'h1', connection: 'Agents API' };

function counter(lifetime?: number) {
  let n = 0;
  const fetch = async (): Promise<Token> => {
    n++;
    await new Promise((r) => setImmediate(r));
    return { accessToken: `tok-${n}`, tokenType: 'Bearer', ...(lifetime !== undefined ? { expiresIn: lifetime } : {}) };
  };
  return { fetch, count: () => n };
}

describe('TokenCache', () => {
  it('reuses a token until expires_in minus the skew', async () => {
    let now = 0;
    const cache = new TokenCache({ now: () => now, skewSeconds: 30 });
    const f = counter(300);
    const events: TokenEvent[] = [];
    const observe = (e: TokenEvent) => events.push(e);
    expect((await cache.get(key, f.fetch, observe)).accessToken).toBe('tok-1');
    now = 269_000;
    expect((await cache.get(key, f.fetch, observe)).accessToken).toBe('tok-1');
    now = 270_000;
    expect((await cache.get(key, f.fetch, observe)).accessToken).toBe('tok-2');
    expect(f.count()).toBe(2);
    expect(events.map((e) => e.what)).toEqual(['token-fetch', 'token-reuse', 'token-refresh']);
    expect(events.every((e) => !e.detail.includes('tok-'))).toBe(true);
  });

  it('caps the skew at half of a short lifetime', async () => {
    let now = 0;
    const cache = new TokenCache({ now: () => now, skewSeconds: 30 });
    const f = counter(4);
    await cache.get(key, f.fetch);
    now = 1999;
    await cache.get(key, f.fetch);
    expect(f.count()).toBe(1);
    now = 2000;
    await cache.get(key, f.fetch);
    expect(f.count()).toBe(2);
  });

  it('keeps a token without expires_in until it is refreshed', async () => {
    let now = 0;
    const cache = new TokenCache({ now: () => now });
    const f = counter();
    const first = await cache.get(key, f.fetch);
    now = 1e12;
    expect(await cache.get(key, f.fetch)).toBe(first);
    const second = await cache.refresh(key, first, f.fetch);
    expect(second.accessToken).toBe('tok-2');
  });

  it('fetches once for 50 concurrent callers', async () => {
    const cache = new TokenCache();
    const f = counter(300);
    const tokens = await Promise.all(Array.from({ length: 50 }, () => cache.get(key, f.fetch)));
    expect(f.count()).toBe(1);
    expect(new Set(tokens.map((t) => t.accessToken))).toEqual(new Set(['tok-1']));
  });

  it('refreshes once for a burst of 401s on the same stale token', async () => {
    const cache = new TokenCache();
    const f = counter(300);
    const stale = await cache.get(key, f.fetch);
    const fresh = await Promise.all(Array.from({ length: 20 }, () => cache.refresh(key, stale, f.fetch)));
    expect(f.count()).toBe(2);
    expect(new Set(fresh.map((t) => t.accessToken))).toEqual(new Set(['tok-2']));
    const late = await cache.refresh(key, stale, f.fetch);
    expect(late.accessToken).toBe('tok-2');
    expect(f.count()).toBe(2);
  });

  it('does not cache a failed fetch, and keys by hub and connection', async () => {
    const cache = new TokenCache();
    await expect(cache.get(key, async () => { throw new Error('down'); })).rejects.toThrow('down');
    const f = counter(300);
    await cache.get(key, f.fetch);
    await cache.get({ hub: 'h2', connection: key.connection }, f.fetch);
    await cache.get({ hub: 'h1', connection: 'Other' }, f.fetch);
    expect(f.count()).toBe(3);
    cache.invalidate(key);
    expect(cache.peek(key)).toBeUndefined();
  });
});

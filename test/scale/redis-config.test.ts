// The `redis` config block and SNIP_REDIS_URL: defaults, checks with SNIP6054 naming the field, and a
// URL with a password that never shows in an error. No Redis needed.
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../service/config.js';
import { connectionOptions } from '../../service/redis/config.js';

const tenants = { acme: { scripts: 'acme/scripts' } };

describe('redis config', () => {
  it('is absent unless configured; SNIP_REDIS_URL or redis.url turn it on with defaults', () => {
    expect(resolveConfig({ tenants }, '/srv', {}).redis).toBeUndefined();
    const fromEnv = resolveConfig({ tenants }, '/srv', { SNIP_REDIS_URL: 'redis://127.0.0.1:6390' }).redis;
    expect(fromEnv).toEqual({ url: 'redis://127.0.0.1:6390', prefix: 'snip', lockMs: 10_000, queue: { concurrency: 16, lockMs: 30_000, stalledMs: 30_000, maxStalled: 1 } });
    const given = resolveConfig({ tenants, redis: { url: 'redis://10.0.0.5:6379/2', prefix: 'team-a', lockMs: 500, queue: { concurrency: 2 } } }, '/srv', { SNIP_REDIS_URL: 'redis://ignored:1' }).redis;
    expect(given).toMatchObject({ url: 'redis://10.0.0.5:6379/2', prefix: 'team-a', lockMs: 500, queue: { concurrency: 2, lockMs: 30_000 } });
    expect(connectionOptions('redis://u:p%40ss@10.0.0.5:6380/3')).toEqual({ host: '10.0.0.5', port: 6380, username: 'u', password: 'p@ss', db: 3 });
  });

  it('refuses bad values with SNIP6054 naming the field, never echoing the URL', () => {
    const bad = (redis: object) => () => resolveConfig({ tenants, redis } as never, '/srv', {});
    expect(bad({})).toThrow(expect.objectContaining({ code: 'SNIP6054', message: expect.stringMatching(/redis\.url/) }));
    expect(bad({ url: 'http://x:hunter2secret@h' })).toThrow(expect.objectContaining({ code: 'SNIP6054' }));
    try {
      bad({ url: 'http://x:hunter2secret@h' })();
    } catch (e) {
      expect((e as Error).message).not.toContain('hunter2secret');
    }
    expect(bad({ url: 'redis://h', lockMs: 0 })).toThrow(expect.objectContaining({ code: 'SNIP6054', message: expect.stringMatching(/redis\.lockMs/) }));
    expect(bad({ url: 'redis://h', queue: { concurrency: 1.5 } })).toThrow(expect.objectContaining({ message: expect.stringMatching(/redis\.queue\.concurrency/) }));
    expect(bad({ url: 'redis://h', prefix: 'a b' })).toThrow(expect.objectContaining({ message: expect.stringMatching(/redis\.prefix/) }));
  });
});

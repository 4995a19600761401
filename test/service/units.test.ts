// The service's small parts with a fake clock or counts only: token expiry, run record bounds,
// the run gate's per-tenant fairness, the tenant hub store's freshness, config checks, routes files.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TokenStore, maskCredentials } from '../../service/token-store.js';
import { RunRegistry } from '../../service/run-registry.js';
import { RunGate } from '../../service/run-gate.js';
import { Tenant } from '../../service/tenants.js';
import { resolveConfig } from '../../service/config.js';
import { loadRoutes } from '../../service/routes-file.js';
import { hashSecret, verifySecret } from '../../service/client-store.js';
import { FileHubStore } from '../../runtime/hub/file-store.js';

describe('TokenStore', () => {
  it('accepts a token until it expires, and only the exact token', () => {
    let now = 1_000_000;
    const store = new TokenStore(60, 100, () => now);
    const { accessToken, expiresIn } = store.issue({ clientId: 'c1', tenant: 'acme', scopes: ['run'] });
    expect(expiresIn).toBe(60);
    expect(store.verify(accessToken)).toEqual({ clientId: 'c1', tenant: 'acme', scopes: ['run'] });
    expect(store.verify(accessToken.slice(0, -1) + (accessToken.endsWith('A') ? 'B' : 'A'))).toBeUndefined();
    expect(store.verify('not-ours')).toBeUndefined();
    now += 59_999;
    expect(store.verify(accessToken)).toBeDefined();
    now += 1;
    expect(store.verify(accessToken)).toBeUndefined();
  });

  it('masks anything shaped like a token or client secret', () => {
    expect(maskCredentials('GET /x?t=snipat_abcDEF123-_ and snipcs_zzz9')).toBe('GET /x?t=snipat_*** and snipcs_***');
  });
});

describe('client secrets', () => {
  it('hash with scrypt and verify only the right secret', async () => {
    const h = await hashSecret('s3cret');
    expect(h).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(h).not.toContain('s3cret');
    expect(await verifySecret('s3cret', h)).toBe(true);
    expect(await verifySecret('s3cret!', h)).toBe(false);
    expect(await verifySecret('s3cret', 'garbage')).toBe(false);
  });
});

describe('RunRegistry', () => {
  it('keeps ended runs bounded by count and age, never drops a running one, and hides other tenants\' runs', async () => {
    let now = 0;
    const reg = new RunRegistry(3, 1000, () => now);
    const running = reg.create('acme', 's', 'r0', () => new Promise(() => undefined));
    running.view.status = 'running';
    const ended = [1, 2].map((i) => {
      const r = reg.create('acme', 's', `r${i}`, async () => undefined);
      r.view.status = 'completed';
      return r;
    });
    expect(reg.get('globex', ended[0]!.view.id)).toBeUndefined();
    expect(reg.get('acme', ended[0]!.view.id)).toBeDefined();
    expect(reg.size).toBe(3);
    // A fourth record: the count bound drops the oldest ended one, not the running one.
    reg.create('acme', 's', 'r3', async () => undefined).view.status = 'completed';
    expect(reg.get('acme', running.view.id)).toBeDefined();
    expect(reg.get('acme', ended[0]!.view.id)).toBeUndefined();
    expect(reg.get('acme', ended[1]!.view.id)).toBeDefined();
    expect(reg.size).toBe(3);
    now = 5000;
    reg.prune();
    expect(reg.size).toBe(1);
    expect(reg.active()).toEqual([running]);
  });
});

describe('RunGate', () => {
  it('caps per process and per tenant, queues FIFO without letting a capped tenant block others, and refuses past the queue', async () => {
    const gate = new RunGate(3, () => 2, 2);
    const a1 = await gate.acquire('a');
    const a2 = await gate.acquire('a');
    const started: string[] = [];
    const a3 = gate.acquire('a').then((r) => (started.push('a3'), r));
    const b1 = gate.acquire('b').then((r) => (started.push('b1'), r));
    await expect(gate.acquire('c')).rejects.toMatchObject({ status: 429, code: 'SNIP6011' });
    expect(gate.queued).toBe(2);
    a1();
    // The freed slot goes to a3 (a is back under its cap) and b1 takes the third process slot.
    await Promise.all([a3, b1]);
    expect(started.sort()).toEqual(['a3', 'b1']);
    expect(gate.inFlight).toBe(3);
    a2();
    (await a3)();
    (await b1)();
    expect(gate.inFlight).toBe(0);
  });

  it('drops a queued run whose signal aborts', async () => {
    const gate = new RunGate(1, () => 1, 5);
    const first = await gate.acquire('a');
    const ac = new AbortController();
    const waiting = gate.acquire('a', ac.signal);
    ac.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'SNIP6023' });
    expect(gate.queued).toBe(0);
    first();
  });
});

describe('the tenant hub store (watch mode)', () => {
  it('is the hub folder in watch mode: its own writes are seen at once, outside writes once their event arrives', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'snip-cache-'));
    try {
      const files = new FileHubStore({ dir, env: {} });
      await files.init();
      await files.createTemplate({ name: 'T', application: 'a', authType: 'none', verbs: ['GET'] });
      await files.createConnection({ name: 'C', template: 'T' });
      await files.setSecret('C', 'k', 'v1');
      const tenant = new Tenant({ name: 'acme', scriptsDir: dir, hubDir: dir });
      expect(tenant.store).toBe(tenant.files);
      expect(tenant.files!.watching).toBe(true);
      expect((await tenant.store.resolveSecrets('C')).get('k')).toBe('v1');
      await files.setSecret('C', 'k', 'v2'); // outside the tenant's store, like `snip hub`
      let seen = (await tenant.store.resolveSecrets('C')).get('k');
      for (let i = 0; i < 400 && seen !== 'v2'; i++) {
        await new Promise((r) => setTimeout(r, 25));
        seen = (await tenant.store.resolveSecrets('C')).get('k');
      }
      expect(seen).toBe('v2');
      await tenant.store.setSecret('C', 'k', 'v3'); // through the tenant's store, like the admin API
      expect((await tenant.store.resolveSecrets('C')).get('k')).toBe('v3');
      await expect(tenant.store.getConnection('nope')).rejects.toMatchObject({ code: 'SNIP4002' });
      tenant.files!.close();
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('config and routes files', () => {
  it('rejects bad configs with SNIP6001 naming the field', () => {
    expect(() => resolveConfig({ tenants: {} }, '/')).toThrow(/at least one tenant/);
    expect(() => resolveConfig({ tenants: { 'a/b': { scripts: 's' } } }, '/')).toThrow(/tenant name/);
    expect(() => resolveConfig({ tenants: { a: { scripts: 's' } }, limits: { maxQueue: -1 } }, '/')).toThrow(/limits.maxQueue/);
    const c = resolveConfig({ tenants: { a: { scripts: 's' } } }, path.sep + 'base');
    expect(c.tenants.get('a')!.scriptsDir).toBe(path.resolve(path.sep + 'base', 's'));
    expect(c.limits.maxConcurrentRuns).toBe(64);
  });

  it('rejects bad routes with SNIP6024 naming the route', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'snip-routes-'));
    try {
      const write = async (routes: unknown) => {
        const f = path.join(dir, 'routes.json');
        await fs.writeFile(f, JSON.stringify({ routes }));
        return f;
      };
      await expect(loadRoutes(await write([{ method: 'TRACE', path: '/x', script: 's' }]))).rejects.toMatchObject({ code: 'SNIP6024', message: expect.stringMatching(/routes\[0\]\.method/) });
      await expect(loadRoutes(await write([{ method: 'GET', path: 'x', script: 's' }]))).rejects.toThrow(/routes\[0\]\.path/);
      await expect(loadRoutes(await write([{ method: 'GET', path: '/x', script: '../s' }]))).rejects.toThrow(/routes\[0\]\.script/);
      await expect(loadRoutes(await write([{ method: 'GET', path: '/x', script: 's', auth: 'root' }]))).rejects.toThrow(/routes\[0\]\.auth/);
      await expect(loadRoutes(await write([{ method: 'GET', path: '/x', script: 's' }, { method: 'get', path: '/x', script: 't' }]))).rejects.toThrow(/listed twice/);
      expect(await loadRoutes(await write([{ method: 'post', path: '/x/:id', script: 's' }]))).toEqual([{ method: 'POST', path: '/x/:id', script: 's', auth: 'run' }]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

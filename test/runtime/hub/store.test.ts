// The file store: round trips, validation on load naming file and field, atomic writes, the key
// file, wrong keys refused, rotation keeping every secret, and the ConnectionView bridge.
import { readFileSync, readdirSync, statSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SnipError } from '../../../runtime/errors.js';
import { FileHubStore } from '../../../runtime/hub/file-store.js';
import { writeFileAtomic } from '../../../runtime/atomic-write.js';
import { generateKey } from '../../../runtime/hub/secret-box.js';
import { connectionView } from '../../../runtime/hub/connection-view.js';
import { tempDir } from '../../helpers/temp-dir.js';

function fresh(env: Record<string, string> = {}): { store: FileHubStore; dir: string; notices: string[] } {
  const cwd = tempDir('snip-store-');
  const notices: string[] = [];
  return { store: new FileHubStore({ dir: 'hub', cwd, env, notice: (t) => notices.push(t) }), dir: path.join(cwd, 'hub'), notices };
}

async function seed(store: FileHubStore): Promise<void> {
  await store.createTemplate({ name: 'Agents', application: 'Agents API', authType: 'oauth2-client-credentials', verbs: ['get', 'POST'], authHeaders: [{ name: 'X-Tenant', required: true }] });
  await store.createConnection({ name: 'Agents API', template: 'Agents', resourceDomain: 'https://api.example.com' });
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return e instanceof SnipError ? `${e.code} ${e.message}` : `not a SnipError: ${String(e)}`;
  }
  return 'no error';
}

describe('FileHubStore', () => {
  it('round-trips templates, connections and requests through JSON files', async () => {
    const { store, dir } = fresh();
    await seed(store);
    await store.updateConnection('Agents API', { auth: { url: 'https://id.example.com/token', method: 'POST', headers: { 'X-Tenant': '[[tenant]]' }, query: {}, mediaType: 'application/x-www-form-urlencoded' } });
    await store.addRequest('Agents API', { name: 'Lookup', trigger: 'studio' });
    await store.addRequest('Agents API', { name: 'List', trigger: 'manual', url: 'https://api.example.com/agents', method: 'get', query: { limit: '5' } });
    const reopened = new FileHubStore({ dir: 'hub', cwd: path.dirname(dir) });
    const t = await reopened.getTemplate('Agents');
    expect(t).toMatchObject({ integrationMethod: 'REST', verbs: ['GET', 'POST'], authHeaders: [{ name: 'X-Tenant', required: true }] });
    const c = await reopened.getConnection('Agents API');
    expect(c).toMatchObject({ template: 'Agents', timeoutMs: 10000, status: 'pending', resourceDomain: 'https://api.example.com', auth: { method: 'POST', headers: { 'X-Tenant': '[[tenant]]' } } });
    expect(c.requests.map((r) => [r.name, r.trigger, r.active, r.method ?? null])).toEqual([['Lookup', 'studio', true, null], ['List', 'manual', true, 'GET']]);
    await store.createTemplate({ name: 'agents', application: 'Same slug', authType: 'none', verbs: ['GET'] });
    expect(readdirSync(path.join(dir, 'templates'))).toEqual(['agents-2.json', 'agents.json']);
    expect((await reopened.getTemplate('agents')).application).toBe('Same slug');
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toContain('.hubkey');
    expect(JSON.parse(readFileSync(path.join(dir, 'hub.json'), 'utf8')).id).toBe(reopened.id);
  });

  it('refuses to change a template (SNIP4004) and duplicate connections (SNIP4003)', async () => {
    const { store } = fresh();
    await seed(store);
    expect(await codeOf(store.createTemplate({ name: 'Agents', application: 'Other', authType: 'none', verbs: ['GET'] }))).toMatch(/^SNIP4004 template "Agents" already exists/);
    expect(await codeOf(store.createConnection({ name: 'Agents API', template: 'Agents' }))).toMatch(/^SNIP4003/);
    expect(await codeOf(store.createConnection({ name: 'X', template: 'Nope' }))).toMatch(/^SNIP4002 no template named "Nope"/);
    expect(await codeOf(store.getConnection('Nope'))).toMatch(/^SNIP4002/);
  });

  it('enforces the rules on update: verbs, required headers, 50 requests, inactive', async () => {
    const { store } = fresh();
    await seed(store);
    expect(await codeOf(store.updateConnection('Agents API', { auth: { url: 'https://id.example.com/t', method: 'PUT', headers: { 'X-Tenant': 't' }, query: {} } }))).toMatch(/^SNIP4005 connection "Agents API": auth.method "PUT"/);
    expect(await codeOf(store.updateConnection('Agents API', { auth: { url: 'https://id.example.com/t', method: 'POST', headers: {}, query: {} } }))).toMatch(/^SNIP4006 .*"X-Tenant"/);
    for (let i = 0; i < 50; i++) await store.addRequest('Agents API', { name: `r${i}`, trigger: 'studio' });
    expect(await codeOf(store.addRequest('Agents API', { name: 'one more', trigger: 'studio' }))).toMatch(/^SNIP4010/);
    expect(await codeOf(store.addRequest('Agents API', { name: 'r1', trigger: 'studio' }))).toMatch(/^SNIP4003/);
    const r = await store.setRequestActive('Agents API', 'r3', false);
    expect(r.active).toBe(false);
    expect((await store.getRequest('Agents API', 'r3')).active).toBe(false);
    await store.deleteRequest('Agents API', 'r3');
    expect(await codeOf(store.getRequest('Agents API', 'r3'))).toMatch(/^SNIP4002/);
  });

  it('shows pending until authorized, and pending again after the credentials change', async () => {
    const { store } = fresh();
    await seed(store);
    await store.createTemplate({ name: 'Open', application: 'Open', authType: 'none', verbs: ['GET'] });
    expect((await store.createConnection({ name: 'Open API', template: 'Open' })).status).toBe('authorized');
    const c = await store.markAuthorized('Agents API');
    expect(c.status).toBe('authorized');
    expect(c.authorizedAt).toMatch(/^\d{4}-/);
    const after = await store.updateConnection('Agents API', { auth: { url: 'https://id.example.com/t', method: 'POST', headers: { 'X-Tenant': 'b' }, query: {} } });
    expect(after.status).toBe('pending');
    expect(after.authorizedAt).toBeUndefined();
  });

  it('validates files on load with messages naming the file and the field', async () => {
    const { store, dir } = fresh();
    await seed(store);
    const file = path.join(dir, 'connections', readdirSync(path.join(dir, 'connections'))[0]!);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...json, auth: { url: 'https://id.example.com/t', method: 'PATCH', headers: { 'X-Tenant': 't' } } }));
    const message = `SNIP4001 hub/connections/${path.basename(file)}: connection "Agents API": auth.method "PATCH" is not one of the template's verbs GET, POST`;
    expect(await codeOf(store.getConnection('Agents API'))).toBe(message);
    // A broken file is reported, not fatal: listing shows the others, `problems()` names it.
    expect(await store.listConnections()).toEqual([]);
    expect((await store.problems()).map((p) => `${p.error.code} ${p.error.message}`)).toEqual([message]);
    writeFileSync(file, JSON.stringify({ ...json, timeoutMs: 'soon' }));
    expect(await codeOf(store.getConnection('Agents API'))).toBe(`SNIP4001 hub/connections/${path.basename(file)}: timeoutMs must be a number of ms`);
    writeFileSync(file, JSON.stringify({ ...json, requests: [{ name: 'a', trigger: 'manual', headers: { x: 1 } }] }));
    expect(await codeOf(store.getConnection('Agents API'))).toMatch(/requests\[0\]\.headers\.x must be a text$/);
    writeFileSync(file, '{ not json');
    expect(await codeOf(store.getConnection('Agents API'))).toMatch(/^SNIP4001 hub\/connections\/.*: not valid JSON/);
    writeFileSync(path.join(dir, 'templates', 'agents.json'), JSON.stringify({ name: 'Agents', application: 'A', integrationMethod: 'REST', authType: 'none', verbs: ['GET'], createdAt: 'x', authHeaders: [{ required: true }] }));
    expect(await codeOf(store.getTemplate('Agents'))).toBe('SNIP4001 hub/templates/agents.json: authHeaders[0].name is missing');
  });

  it('leaves the old file intact when a write is interrupted before the rename', async () => {
    const { store, dir } = fresh();
    await seed(store);
    const file = path.join(dir, 'templates', 'agents.json');
    const before = readFileSync(file, 'utf8');
    let temp = '';
    const crash = writeFileAtomic(file, '{"half": ', {
      beforeRename: (t) => {
        temp = t;
        expect(readFileSync(t, 'utf8')).toBe('{"half": ');
        throw new Error('simulated crash');
      },
    });
    await expect(crash).rejects.toThrow('simulated crash');
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(existsSync(temp)).toBe(false);
    // A real crash leaves the temporary file behind: loading ignores it.
    writeFileSync(path.join(dir, 'templates', '.agents.json.1234.tmp'), '{"half": ');
    expect((await store.listTemplates()).map((t) => t.name)).toEqual(['Agents']);
  });
});

describe('secrets in the file store', () => {
  it('creates a 0600 key file on first use with a notice, and round-trips values encrypted', async () => {
    const { store, dir, notices } = fresh();
    await seed(store);
    const info = await store.setSecret('Agents API', 'client secret', 's3cr3t-value');
    expect(info).toMatchObject({ name: 'client secret', fingerprint: expect.stringMatching(/^[0-9a-f]{12}$/) });
    expect(statSync(path.join(dir, '.hubkey')).mode & 0o777).toBe(0o600);
    expect(notices).toEqual([expect.stringContaining('hub/.hubkey')]);
    const files = readdirSync(path.join(dir, 'connections'));
    const all = files.map((f) => readFileSync(path.join(dir, 'connections', f), 'utf8')).join('\n');
    expect(all).not.toContain('s3cr3t-value');
    expect((await store.getConnection('Agents API')).secrets).toEqual(['client secret']);
    expect(await store.listSecrets('Agents API')).toEqual([info]);
    expect([...(await store.resolveSecrets('Agents API'))]).toEqual([['client secret', 's3cr3t-value']]);
    await store.setSecret('Agents API', 'client secret', 'other');
    expect((await store.listSecrets('Agents API'))[0]!.fingerprint).not.toBe(info.fingerprint);
    await store.deleteSecret('Agents API', 'client secret');
    expect(await store.listSecrets('Agents API')).toEqual([]);
    expect(await codeOf(store.deleteSecret('Agents API', 'client secret'))).toMatch(/^SNIP4008/);
    expect(notices).toHaveLength(1);
  });

  it('stops with SNIP4009 when the key cannot decrypt, and when the key file is gone', async () => {
    const { store, dir } = fresh();
    await seed(store);
    await store.setSecret('Agents API', 'a', 'value-a');
    const wrong = new FileHubStore({ dir: 'hub', cwd: path.dirname(dir), env: { SNIP_HUB_KEY: generateKey().toString('base64') } });
    expect(await codeOf(wrong.resolveSecrets('Agents API'))).toMatch(/^SNIP4009 .*secret "a" was encrypted with key k-/);
    // Setting a secret beside records the key cannot read is refused too (no silent mix of keys).
    expect(await codeOf(wrong.setSecret('Agents API', 'b', 'value-b'))).toMatch(/^SNIP4009/);
    const keyText = readFileSync(path.join(dir, '.hubkey'), 'utf8');
    writeFileSync(path.join(dir, '.hubkey.bak'), keyText);
    (await import('node:fs')).rmSync(path.join(dir, '.hubkey'));
    expect(await codeOf(store.resolveSecrets('Agents API'))).toMatch(/^SNIP4009 no hub key/);
    expect(await codeOf(store.setSecret('Agents API', 'b', 'x'))).toMatch(/^SNIP4009 no hub key/);
    expect(existsSync(path.join(dir, '.hubkey'))).toBe(false);
    writeFileSync(path.join(dir, '.hubkey'), keyText);
    expect((await store.resolveSecrets('Agents API')).get('a')).toBe('value-a');
  });

  it('reads SNIP_HUB_KEY as base64 or hex', async () => {
    const key = generateKey();
    const { store, dir } = fresh({ SNIP_HUB_KEY: key.toString('hex') });
    await seed(store);
    await store.setSecret('Agents API', 'a', 'value-a');
    expect(existsSync(path.join(dir, '.hubkey'))).toBe(false);
    const b64 = new FileHubStore({ dir: 'hub', cwd: path.dirname(dir), env: { SNIP_HUB_KEY: key.toString('base64') } });
    expect((await b64.resolveSecrets('Agents API')).get('a')).toBe('value-a');
  });

  it('rotate-key re-encrypts every secret under a new key and keeps every value', async () => {
    const { store, dir } = fresh();
    await seed(store);
    await store.createTemplate({ name: 'Basic', application: 'B', authType: 'basic', verbs: ['GET'] });
    await store.createConnection({ name: 'B1', template: 'Basic' });
    const values: Record<string, Record<string, string>> = { 'Agents API': { client_id: 'id-1', client_secret: 'sec-1', 'spaced name!': 'v 3' }, B1: { username: 'u', password: 'pw-2' } };
    for (const [c, s] of Object.entries(values)) for (const [n, v] of Object.entries(s)) await store.setSecret(c, n, v);
    const oldKey = readFileSync(path.join(dir, '.hubkey'), 'utf8');
    const r = await store.rotateKey();
    expect(r).toMatchObject({ secrets: 5, connections: 2, keyFile: true });
    expect(r.previousKeyIds).not.toContain(r.keyId);
    const newKey = readFileSync(path.join(dir, '.hubkey'), 'utf8');
    expect(newKey).not.toBe(oldKey);
    expect(statSync(path.join(dir, '.hubkey')).mode & 0o777).toBe(0o600);
    const reopened = new FileHubStore({ dir: 'hub', cwd: path.dirname(dir) });
    for (const [c, s] of Object.entries(values)) expect(Object.fromEntries(await reopened.resolveSecrets(c))).toEqual(s);
    for (const f of readdirSync(path.join(dir, 'connections')).filter((x) => x.endsWith('.secrets.json'))) {
      for (const rec of JSON.parse(readFileSync(path.join(dir, 'connections', f), 'utf8')).records) expect(rec.keyId).toBe(r.keyId);
    }
    // The old key no longer decrypts anything.
    writeFileSync(path.join(dir, '.hubkey'), oldKey);
    expect(await codeOf(reopened.resolveSecrets('B1'))).toMatch(/^SNIP4009/);
  });

  it('rotate-key with SNIP_HUB_KEY needs the new key and leaves no key file', async () => {
    const key = generateKey();
    const { store, dir } = fresh({ SNIP_HUB_KEY: key.toString('base64') });
    await seed(store);
    await store.setSecret('Agents API', 'a', 'value-a');
    expect(await codeOf(store.rotateKey())).toMatch(/^SNIP4009 .*SNIP_HUB_NEW_KEY/);
    const next = generateKey();
    await store.rotateKey(next);
    expect(existsSync(path.join(dir, '.hubkey'))).toBe(false);
    const after = new FileHubStore({ dir: 'hub', cwd: path.dirname(dir), env: { SNIP_HUB_KEY: next.toString('base64') } });
    expect((await after.resolveSecrets('Agents API')).get('a')).toBe('value-a');
  });

  it('builds the ConnectionView the HTTP layer takes', async () => {
    const { store } = fresh();
    await seed(store);
    await store.updateConnection('Agents API', { auth: { url: 'https://id.example.com/t', method: 'POST', headers: { 'X-Tenant': 't' }, query: {} } });
    await store.setSecret('Agents API', 'client_id', 'cid');
    const view = await connectionView(store, 'Agents API');
    expect(view).toMatchObject({ hub: store.id, name: 'Agents API', authKind: 'oauth2-client-credentials', verbs: ['GET', 'POST'], requiredHeaders: ['X-Tenant'], timeoutMs: 10000, resourceDomain: 'https://api.example.com' });
    expect(view.secrets.get('client_id')).toBe('cid');
  });
});

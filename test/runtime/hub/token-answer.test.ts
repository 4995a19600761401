// Issue 9, item 1: token answers are parsed (JSON with escapes, form-encoded, a configured field)
// and an answer the hub cannot read is described by its field names, never copied anywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../../runtime/cli/main.js';
import { connectionView } from '../../../runtime/hub/connection-view.js';
import { FileHubStore } from '../../../runtime/hub/file-store.js';
import { fakeIO } from '../../cli/fake-io.js';
import { AuthError } from '../../../runtime/hub/auth.js';
import { formatProbe, testAuthentication } from '../../../runtime/hub/probe.js';
import { HubSession, type ConnectionView } from '../../../runtime/hub/send.js';
import { startScriptedServer, type ScriptedServer } from './token-server.js';

let srv: ScriptedServer;
beforeAll(async () => {
  srv = await startScriptedServer();
});
afterAll(() => srv.close());

const TOKEN = 'eyJ0/ok+en==<tail>&x';

function conn(tokenField?: string): ConnectionView {
  return {
    hub: 'answers',
    name: 'Answers',
    authKind: 'oauth2-client-credentials',
    verbs: ['GET'],
    requiredHeaders: [],
    timeoutMs: 5000,
    auth: { url: `${srv.url}/token`, ...(tokenField ? { tokenField } : {}) },
    secrets: new Map([['client_id', 'cid-123'], ['client_secret', 'csecret-456']]),
    requests: [],
  };
}

/** Every form of TOKEN a careless copy would show. */
const forms = [TOKEN, JSON.stringify(TOKEN).slice(1, -1), TOKEN.replaceAll('/', '\\/'), encodeURIComponent(TOKEN), 'eyJ0', 'ok+en'];

describe('token answers', () => {
  it('reads a JSON answer written with \\/ and \\u escapes; the shown answer holds no form of the token', async () => {
    const escaped = TOKEN.replaceAll('/', '\\/').replaceAll('+', '\\u002b').replaceAll('<', '\\u003C').replaceAll('&', '\\u0026');
    srv.answer = { body: `{"access_token":"${escaped}","token_type":"bearer","expires_in":60,"refresh_token":"r\\/efresh-777"}` };
    const s = new HubSession();
    const r = await s.authenticate(conn());
    expect(r.token?.accessToken).toBe(TOKEN);
    expect(r.token?.refreshToken).toBe('r/efresh-777');
    expect(JSON.parse(r.response!.body)).toEqual({ access_token: '****', token_type: 'bearer', expires_in: 60, refresh_token: '****' });
    // The raw answer as the server wrote it is masked whole by the session.
    expect(s.mask(srv.answer.body)).not.toMatch(/eyJ0|ok\\u002ben|efresh-777/);
    const shown = JSON.stringify(r.response) + s.mask(`${escaped} ${Buffer.from(`Bearer ${TOKEN}`).toString('base64')}`);
    for (const f of [...forms, 'efresh-777']) expect(shown).not.toContain(f);
  });

  it('reads a form-encoded answer', async () => {
    srv.answer = { type: 'application/x-www-form-urlencoded', body: `access_token=${encodeURIComponent(TOKEN)}&token_type=bearer&expires_in=120&scope=read` };
    const s = new HubSession();
    const r = await s.authenticate(conn());
    expect(r.token).toEqual({ accessToken: TOKEN, tokenType: 'Bearer', expiresIn: 120 });
    expect(r.answer).toEqual({ access_token: '****', token_type: 'bearer', expires_in: '120', scope: 'read' });
    for (const f of forms) expect(JSON.stringify([r.response, r.answer])).not.toContain(f);
  });

  it('reads the token from a configured field, nested ones included', async () => {
    srv.answer = { body: JSON.stringify({ data: { jwt: TOKEN, kind: 'jwt' }, ttl: 5 }) };
    const s = new HubSession();
    const r = await s.authenticate(conn('data.jwt'));
    expect(r.token?.accessToken).toBe(TOKEN);
    expect(r.answer).toEqual({ data: { jwt: '****', kind: 'jwt' }, ttl: 5 });
    expect(r.headers.Authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('an answer with the token under another name fails naming the fields found, not their values', async () => {
    srv.answer = { body: JSON.stringify({ token: TOKEN, type: 'bearer' }) };
    const s = new HubSession();
    const e = await s.authenticate(conn()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AuthError);
    const err = e as AuthError;
    expect(err.code).toBe('SNIP4017');
    expect(err.message).toContain("no text field 'access_token' (fields found: 'token', 'type')");
    expect(err.response?.status).toBe(200);
    expect(err.response?.body).toBe('');
    for (const f of forms) expect(JSON.stringify([err.message, err.response])).not.toContain(f);
  });

  it('an unreadable answer (not JSON, not a form) is described, never copied: auth test output included', async () => {
    srv.answer = { type: 'text/html', body: `<html><p>your token: ${TOKEN}</p></html>` };
    const probe = await testAuthentication({ connectionView: () => conn() }, 'Answers');
    expect(probe.ok).toBe(false);
    expect(probe.error?.code).toBe('SNIP4017');
    expect(probe.error?.message).toMatch(/neither JSON nor form-encoded \(text\/html, \d+ bytes\)/);
    const out = formatProbe(probe) + JSON.stringify(probe);
    for (const f of forms) expect(out).not.toContain(f);
    expect(out).not.toContain('your token');
  });

  it('invalid JSON with a token in it is described, not copied', async () => {
    srv.answer = { body: `{"access_token":"${TOKEN}",` };
    const e = (await new HubSession().authenticate(conn()).catch((x: unknown) => x)) as AuthError;
    expect(e.message).toContain('not valid JSON');
    expect(JSON.stringify([e.message, e.response])).not.toContain('eyJ0');
  });
});

describe('the token field in the hub files', () => {
  it('is stored, read back, validated, and set by `snip hub auth set --token-field`', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'snip-token-field-'));
    try {
      const store = new FileHubStore({ dir: path.join(dir, 'hub'), env: {} });
      await store.createTemplate({ name: 'OAuth', application: 'A', authType: 'oauth2-client-credentials', verbs: ['POST'] });
      await store.createConnection({ name: 'Nested', template: 'OAuth' });
      const io = fakeIO(dir);
      expect(await main(['hub', 'auth', 'set', 'Nested', '--url', `${srv.url}/token`, '--method', 'POST', '--token-field', 'data.jwt'], io)).toBe(0);
      const fresh = new FileHubStore({ dir: path.join(dir, 'hub'), env: {} });
      expect((await fresh.getConnection('Nested')).auth.tokenField).toBe('data.jwt');
      expect((await connectionView(fresh, 'Nested')).auth?.tokenField).toBe('data.jwt');
      const bad = fakeIO(dir);
      expect(await main(['hub', 'auth', 'set', 'Nested', '--url', `${srv.url}/token`, '--method', 'POST', '--token-field', 'a..b'], bad)).toBe(1);
      expect(bad.stderrText()).toContain('auth.tokenField');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

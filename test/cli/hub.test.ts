// `snip hub` end to end in temporary folders: every subcommand, --json, exit codes, refusals while in
// use, auth/request tests against a real server on 127.0.0.1, and no secret value in any output.
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { fakeIO, type RecordingIO } from './fake-io.js';
import { tempDir } from '../helpers/temp-dir.js';

const root = path.resolve(__dirname, '../..');
const SECRETS = { client_id: 'cid-7Hq2xLz', client_secret: 'csec-Pz9!Wq3 "quoted"', 'api key': 'akey-Mm4Rt8Vb' };
const TOKEN = 'tok-Zx81Qw77ab';

let server: Server;
let base: string;
let tokenRequests = 0;
const outputs: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.url === '/token') {
        tokenRequests++;
        const ok = body.includes(encodeURIComponent(SECRETS.client_secret)) || body.includes(SECRETS.client_secret);
        res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
        res.end(JSON.stringify(ok ? { access_token: TOKEN, token_type: 'bearer', expires_in: 3600 } : { error: 'invalid_client' }));
        return;
      }
      // An echo endpoint that sends every header and the body back, secrets included.
      res.writeHead(200, { 'content-type': 'application/json', 'x-echo-auth': String(req.headers.authorization ?? '') });
      res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  const all = outputs.join('\n');
  for (const v of [...Object.values(SECRETS), TOKEN]) expect(all).not.toContain(v);
});

function workspace(): string {
  return tempDir('snip-hub-cli-');
}

async function hub(dir: string, args: string[], stdin?: string, env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string; io: RecordingIO }> {
  const io = fakeIO(dir);
  io.env = env;
  if (stdin !== undefined) io.readStdin = async () => stdin;
  const code = await main(['hub', ...args], io);
  const r = { code, out: io.stdoutText(), err: io.stderrText(), io };
  outputs.push(r.out, r.err);
  return r;
}

async function setup(dir: string): Promise<void> {
  const steps: [string[], string?][] = [
    [['template', 'create', 'Agents', '--application', 'Agents API', '--auth', 'oauth2-client-credentials', '--verbs', 'GET,POST', '--header', 'X-Tenant:required', '--description', 'Agent directory']],
    [['connection', 'create', 'Agents API', '--template', 'Agents', '--timeout', '5000']],
    [['auth', 'set', 'Agents API', '--url', `${base}/token`, '--method', 'POST', '--header', 'X-Tenant=acme', '--media-type', 'application/x-www-form-urlencoded', '--body', 'grant_type=client_credentials&client_id=[[client_id]]&client_secret=[[client_secret]]']],
    ...Object.entries(SECRETS).map(([k, v]) => [['secret', 'set', 'Agents API', k], `${v}\n`] as [string[], string]),
    [['request', 'add', 'Agents API', 'Echo', '--trigger', 'manual', '--url', `${base}/echo`, '--method', 'POST', '--header', 'X-Api-Key=[[api key]]', '--query', 'q=1', '--body', '{"secret":"[[client_secret]]"}', '--media-type', 'application/json']],
    [['request', 'add', 'Agents API', 'Lookup agent', '--trigger', 'studio']],
  ];
  for (const [args, stdin] of steps) {
    const r = await hub(dir, args, stdin);
    expect(r.err, args.join(' ')).toBe(stdin === undefined ? '' : r.err);
    expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(0);
  }
}

describe('snip hub', () => {
  it('builds a hub from the CLI and shows it back, as text and --json', async () => {
    const dir = workspace();
    expect((await hub(dir, ['init'])).out).toContain('initialized hub in hub');
    await setup(dir);
    expect(statSync(path.join(dir, 'hub/.hubkey')).mode & 0o777).toBe(0o600);

    const t = JSON.parse((await hub(dir, ['template', 'show', 'Agents', '--json'])).out);
    expect(t).toMatchObject({ name: 'Agents', application: 'Agents API', authType: 'oauth2-client-credentials', verbs: ['GET', 'POST'], authHeaders: [{ name: 'X-Tenant', required: true }], description: 'Agent directory' });
    expect((await hub(dir, ['template', 'list'])).out).toMatch(/Agents\s+Agents API\s+oauth2-client-credentials\s+GET,POST/);

    const list = JSON.parse((await hub(dir, ['connection', 'list', '--json'])).out);
    expect(list).toEqual([expect.objectContaining({ name: 'Agents API', status: 'pending', requests: 2, secrets: ['api key', 'client_id', 'client_secret'] })]);
    const show = await hub(dir, ['connection', 'show', 'Agents API']);
    expect(show.out).toMatch(/status\s+pending/);
    expect(show.out).toContain(`POST ${base}/token`);

    const secrets = JSON.parse((await hub(dir, ['secret', 'list', 'Agents API', '--json'])).out);
    expect(secrets.map((s: { name: string }) => s.name)).toEqual(['api key', 'client_id', 'client_secret']);
    expect(Object.keys(secrets[0]).sort()).toEqual(['changedAt', 'fingerprint', 'name']);

    const reqs = JSON.parse((await hub(dir, ['request', 'list', 'Agents API', '--json'])).out);
    expect(reqs.map((r: { name: string; trigger: string; active: boolean }) => [r.name, r.trigger, r.active])).toEqual([['Echo', 'manual', true], ['Lookup agent', 'studio', true]]);

    const studio = await hub(dir, ['request', 'show', 'Agents API', 'Lookup agent']);
    expect(studio.out).toContain('"HTTPMETHOD": "GET"');
    expect(studio.out).toContain('ASSIGN requestPayload.HEADERS.ContentHYPHENPLACEHOLDERType = "application/json"');
    expect(studio.out).toContain('CONNECTREQUEST call (connectName = "Agents API", requestName = "Lookup agent", requestPayload = payloadJSON)');
    const studioJson = JSON.parse((await hub(dir, ['request', 'show', 'Agents API', 'Lookup agent', '--json'])).out);
    expect(Object.keys(studioJson.examplePayload)).toEqual(['URL', 'HTTPMETHOD', 'HEADERS', 'QUERYPARAMETERS', 'BODY']);

    expect((await hub(dir, ['request', 'deactivate', 'Agents API', 'Lookup agent'])).out).toContain('is inactive');
    expect(JSON.parse((await hub(dir, ['request', 'show', 'Agents API', 'Lookup agent', '--json'])).out).active).toBe(false);
    expect((await hub(dir, ['request', 'activate', 'Agents API', 'Lookup agent'])).code).toBe(0);
    expect((await hub(dir, ['request', 'delete', 'Agents API', 'Lookup agent'])).code).toBe(0);
    expect((await hub(dir, ['request', 'show', 'Agents API', 'Lookup agent'])).code).toBe(1);

    const onDisk = readdirSync(path.join(dir, 'hub/connections')).map((f) => readFileSync(path.join(dir, 'hub/connections', f), 'utf8')).join('');
    for (const v of Object.values(SECRETS)) expect(onDisk).not.toContain(v);
  });

  it('auth test authorizes the connection and request test masks echoed secrets and tokens', async () => {
    const dir = workspace();
    await setup(dir);
    const before = tokenRequests;
    const auth = await hub(dir, ['auth', 'test', 'Agents API']);
    expect(auth.code, auth.out + auth.err).toBe(0);
    expect(auth.out).toContain('HTTP 200');
    expect(tokenRequests).toBe(before + 1);
    expect(JSON.parse((await hub(dir, ['connection', 'list', '--json'])).out)[0]).toMatchObject({ status: 'authorized', authorizedAt: expect.any(String) });

    const test = await hub(dir, ['request', 'test', 'Agents API', 'Echo', '--json']);
    expect(test.code, test.err).toBe(0);
    const r = JSON.parse(test.out);
    expect(r).toMatchObject({ ok: true, status: 200 });
    const echoed = JSON.parse(r.body);
    expect(echoed.headers['x-api-key']).toBe('****');
    expect(echoed.headers.authorization).toBe('Bearer ****');
    expect(echoed.url).toBe('/echo?q=1');

    const text = await hub(dir, ['request', 'test', 'Agents API', 'Echo']);
    expect(text.out).toMatch(/^HTTP 200/m);
  });

  it('a failed authentication exits 1 and leaves the connection pending', async () => {
    const dir = workspace();
    await setup(dir);
    await hub(dir, ['secret', 'set', 'Agents API', 'client_secret'], 'wrong-secret-value');
    const auth = await hub(dir, ['auth', 'test', 'Agents API']);
    expect(auth.code).toBe(1);
    expect(auth.out).toContain('SNIP4017');
    expect(JSON.parse((await hub(dir, ['connection', 'show', 'Agents API', '--json'])).out).status).toBe('pending');
  });

  it('refuses to delete a connection or secret in use, listing where; --force overrides', async () => {
    const dir = workspace();
    await setup(dir);
    writeFileSync(path.join(dir, 'lookup.studio'), 'SCRIPT "x"\nBEGIN start -> auth\n\nCONNECTAUTH auth (connectName = "Agents API")\n  OnSuccess -> done\nSNIPPET s {\n  ASSIGN k = "[[ api key ]]"\n}\nEND done\n');
    const del = await hub(dir, ['connection', 'delete', 'Agents API']);
    expect(del.code).toBe(1);
    expect(del.err).toContain('snip hub: error SNIP4011: connection "Agents API" is used by lookup.studio:4');

    const sec = await hub(dir, ['secret', 'delete', 'Agents API', 'client_secret']);
    expect(sec.code).toBe(1);
    expect(sec.err).toContain('SNIP4011: secret "client_secret" of "Agents API" is used by authentication details, request "Echo"');
    const sec2 = await hub(dir, ['secret', 'delete', 'Agents API', 'api key', '--json']);
    expect(sec2.code).toBe(1);
    expect(JSON.parse(sec2.out).error.message).toContain('lookup.studio:7');
    expect((await hub(dir, ['secret', 'delete', 'Agents API', 'api key', '--force'])).code).toBe(0);
    expect((await hub(dir, ['secret', 'delete', 'Agents API', 'nope'])).err).toContain('SNIP4008');

    const forced = await hub(dir, ['connection', 'delete', 'Agents API', '--force']);
    expect(forced.code).toBe(0);
    expect(forced.err).toContain('warning');
    expect(readdirSync(path.join(dir, 'hub/connections'))).toEqual([]);
  });

  it('reports rule violations, not-found and usage errors with the right exit codes', async () => {
    const dir = workspace();
    await setup(dir);
    const verb = await hub(dir, ['auth', 'set', 'Agents API', '--url', `${base}/token`, '--method', 'PATCH', '--header', 'X-Tenant=a']);
    expect(verb.code).toBe(1);
    expect(verb.err).toBe(`snip hub: error SNIP4005: connection "Agents API": auth.method "PATCH" is not one of the template's verbs GET, POST\n`);
    expect((await hub(dir, ['auth', 'set', 'Agents API', '--url', `${base}/token`, '--method', 'POST'])).err).toContain('SNIP4006');
    expect((await hub(dir, ['template', 'create', 'Agents', '--application', 'A', '--auth', 'none', '--verbs', 'GET'])).err).toContain('SNIP4004');
    expect((await hub(dir, ['connection', 'show', 'Nope'])).err).toBe('snip hub: error SNIP4002: no connection named "Nope"\n');
    expect((await hub(dir, ['request', 'add', 'Agents API', 'V', '--trigger', 'manual', '--url', 'https://x.example.com/{id}', '--method', 'GET'])).err).toContain('SNIP4022');
    const mtls = await hub(dir, ['auth', 'set', 'Agents API', '--url', `${base}/token`, '--method', 'POST', '--header', 'X-Tenant=a', '--client-cert', 'c.pem', '--client-key', 'k.pem']);
    expect(mtls.code).toBe(2);
    writeFileSync(path.join(dir, 'c.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    writeFileSync(path.join(dir, 'k.pem'), '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n');
    expect((await hub(dir, ['auth', 'set', 'Agents API', '--url', `${base}/token`, '--method', 'POST', '--header', 'X-Tenant=a', '--client-cert', 'c.pem', '--client-key', 'k.pem'])).err).toContain('SNIP4020');

    for (const args of [['template', 'create', 'T'], ['template', 'create', 'T', '--application', 'A', '--auth', 'magic', '--verbs', 'GET'], ['frobnicate'], ['template', 'explode'], ['connection', 'create', 'X'], ['request', 'add', 'Agents API', 'R', '--trigger', 'timer'], ['secret', 'set', 'Agents API'], ['connection', 'list', '--bogus']]) {
      const r = await hub(dir, args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(/^snip hub: .+\nRun 'snip hub --help' for usage\.\n$/);
    }
    const help = await hub(dir, ['request', 'add', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('request add CONN NAME --trigger manual|studio');
    expect((await hub(dir, ['request', 'test', 'Agents API', 'Echo2'])).code).toBe(1);
  });

  it('takes the hub folder from --hub and SNIP_HUB, and the key from SNIP_HUB_KEY', async () => {
    const dir = workspace();
    expect((await hub(dir, ['template', 'create', 'T', '--application', 'A', '--auth', 'basic', '--verbs', 'GET', '--hub', 'elsewhere'])).code).toBe(0);
    expect(existsSync(path.join(dir, 'elsewhere/templates/t.json'))).toBe(true);
    const viaEnv = await hub(dir, ['template', 'list', '--json'], undefined, { SNIP_HUB: 'elsewhere' });
    expect(JSON.parse(viaEnv.out).map((t: { name: string }) => t.name)).toEqual(['T']);
    const key = Buffer.alloc(32, 7).toString('base64');
    await hub(dir, ['connection', 'create', 'C', '--template', 'T'], undefined, { SNIP_HUB: 'elsewhere', SNIP_HUB_KEY: key });
    const set = await hub(dir, ['secret', 'set', 'C', 'password'], 'pw-value-123', { SNIP_HUB: 'elsewhere', SNIP_HUB_KEY: key });
    expect(set.err).toBe('');
    expect(existsSync(path.join(dir, 'elsewhere/.hubkey'))).toBe(false);
    const wrong = await hub(dir, ['auth', 'test', 'C'], undefined, { SNIP_HUB: 'elsewhere', SNIP_HUB_KEY: Buffer.alloc(32, 8).toString('base64') });
    expect(wrong.code).toBe(1);
    expect(wrong.out).toContain('SNIP4009');
  });

  it('rotate-key keeps every secret usable', async () => {
    const dir = workspace();
    await setup(dir);
    const key = readFileSync(path.join(dir, 'hub/.hubkey'), 'utf8');
    const r = await hub(dir, ['rotate-key', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ secrets: 3, connections: 1 });
    expect(readFileSync(path.join(dir, 'hub/.hubkey'), 'utf8')).not.toBe(key);
    const test = await hub(dir, ['request', 'test', 'Agents API', 'Echo', '--json']);
    expect(JSON.parse(test.out).ok).toBe(true);
  });

  it('works through the real binary (secret from a pipe, never echoed)', async () => {
    const bin = path.join(root, 'bin/snip.js');
    if (!existsSync(path.join(root, 'dist/cli/main.js'))) throw new Error('run `npm run build` before this test (the binary runs dist/)');
    const dir = workspace();
    const run = (args: string[], input?: string) =>
      new Promise<{ code: number; out: string; err: string }>((resolve) => {
        const child = execFile(process.execPath, [bin, 'hub', ...args], { cwd: dir, env: { PATH: process.env.PATH ?? '' } }, (e, out, err) => {
          outputs.push(out, err);
          resolve({ code: e ? (e.code as number) : 0, out, err });
        });
        child.stdin!.end(input ?? '');
      });
    expect((await run(['template', 'create', 'T', '--application', 'A', '--auth', 'basic', '--verbs', 'GET'])).code).toBe(0);
    expect((await run(['connection', 'create', 'C', '--template', 'T'])).code).toBe(0);
    const set = await run(['secret', 'set', 'C', 'password'], SECRETS['api key']);
    expect(set.code).toBe(0);
    expect(set.err).toContain('created a new secret key in hub/.hubkey');
    const list = await run(['secret', 'list', 'C']);
    expect(list.out).toMatch(/^password\s+[0-9a-f]{12}\s+\d{4}-/m);
    expect((await run(['connection', 'show', 'Nope'])).code).toBe(1);
    expect((await run(['template', 'create'])).code).toBe(2);
  });
});

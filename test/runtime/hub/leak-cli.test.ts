// The leak suite through the real binary: a script sends every secret of its connection to an
// echoing server (URL path, query, headers, body) under every authentication kind, traces the
// echoed responses, and fails one request on purpose. `snip run --trace --trace-format jsonl`
// must show no secret, token or basic credential in stdout, stderr, trace files or errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { packageRoot } from '../../../runtime/cli/commands/demo.js';
import { FileHubStore } from '../../../runtime/hub/file-store.js';
import type { AuthType } from '../../../runtime/hub/model.js';
import { startDemoApi, type DemoApi } from '../../../samples/demo-api/index.js';

const root = packageRoot();
let api: DemoApi;
let ws: string;

const SECRETS: Record<string, string> = {
  client_id: 'demo-client',
  client_secret: 'demo-secret',
  username: 'agent.smith',
  password: 'demo-password',
  'api key': 'k3y with spaces & "quotes"/+=',
  pin: 'P1n-42!',
};
const KINDS: AuthType[] = ['oauth2-client-credentials', 'oauth2-password', 'basic', 'custom-headers'];

function payloadSnippet(label: string, url: string, next: string): string {
  return [
    `SNIPPET ${label} {`,
    '  DYNAMIC p',
    `  ASSIGN p.URL = "${url}"`,
    '  ASSIGN p.HTTPMETHOD = "POST"',
    '  ASSIGN p.HEADERS.XHYPHENPLACEHOLDERSECRET = "[[api key]]"',
    '  ASSIGN p.QUERYPARAMETERS.pin = "[[pin]]"',
    '  ASSIGN p.QUERYPARAMETERS.key = "[[api key]]"',
    '  ASSIGN p.BODY = "user=[[username]]&pass=[[password]]&cs=[[client_secret]]&id=[[client_id]]"',
    '  ASSIGN j = p.asjson()',
    '  ASSIGN j = j.replace("HYPHENPLACEHOLDER", "-")',
    '}',
    `  -> ${next}`,
  ].join('\n');
}

/** One auth + echo request per kind, each echo traced; then a request that fails with secrets in its URL. */
function leakScript(): string {
  const parts = ['SCRIPT "Leak"', 'BEGIN start -> p0', ''];
  KINDS.forEach((kind, i) => {
    const conn = `Leaky ${kind}`;
    parts.push(
      payloadSnippet(`p${i}`, '[[INSTANCEURI]]/echo/[[pin]]', `a${i}`),
      `CONNECTAUTH a${i} (connectName = "${conn}")`,
      `CONNECTREQUEST r${i} (connectName = "${conn}", requestName = "Echo", requestPayload = j)`,
      `SNIPPET t${i} {`,
      '  ASSIGN echoed = requestBody.asjson()',
      '  TRACE echoed',
      '  TRACE "auth: {authHeadersList.Authorization} body: {authBody.asjson()}"',
      '}',
      `  -> ${i + 1 < KINDS.length ? `p${i + 1}` : 'pbad'}`,
      '',
    );
  });
  parts.push(
    payloadSnippet('pbad', 'http://127.0.0.1:1/[[pin]]/[[password]]', 'rbad'),
    'CONNECTREQUEST rbad (connectName = "Leaky basic", requestName = "Echo", requestPayload = j)',
    'SNIPPET tbad {',
    '  TRACE "failed: {_ERR}"',
    '}',
    '  -> done',
    'END done',
    '',
  );
  return parts.join('\n');
}

beforeAll(async () => {
  api = await startDemoApi();
  ws = await mkdtemp(path.join(tmpdir(), 'snip-leak-'));
  const store = new FileHubStore({ dir: path.join(ws, 'hub'), env: {} });
  await store.init();
  for (const kind of KINDS) {
    const name = `Leaky ${kind}`;
    await store.createTemplate({
      name: `T ${kind}`,
      application: 'Leak',
      authType: kind,
      verbs: ['GET', 'POST'],
      ...(kind === 'custom-headers' ? { authHeaders: [{ name: 'X-API-Key', required: true }] } : {}),
    });
    await store.createConnection({ name, template: `T ${kind}`, timeoutMs: 5000 });
    await store.setSecret(name, 'INSTANCEURI', api.url);
    for (const [k, v] of Object.entries(SECRETS)) await store.setSecret(name, k, v);
    const auth =
      kind === 'custom-headers'
        ? { headers: { 'X-API-Key': '[[api key]]' }, query: {} }
        : { url: kind === 'basic' ? '[[INSTANCEURI]]/me' : '[[INSTANCEURI]]/oauth/token', method: kind === 'basic' ? 'GET' : 'POST', headers: {}, query: {} };
    await store.updateConnection(name, { auth });
    await store.addRequest(name, { name: 'Echo', trigger: 'studio' });
  }
  await writeFile(path.join(ws, 'leak.studio'), leakScript());
});

afterAll(async () => {
  await api.close();
  await rm(ws, { recursive: true, force: true });
});

function snip(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(root, 'bin/snip.js'), ...args], { cwd: ws, env: { PATH: process.env.PATH ?? '' } }, (e, out, err) =>
      resolve({ code: e ? (e.code as number) : 0, out, err }),
    );
  });
}

/** Every form in which a secret or credential could leak. */
function forbidden(): string[] {
  const values = [...Object.values(SECRETS), api.url, `${SECRETS.username}:${SECRETS.password}`];
  const forms = new Set<string>();
  for (const v of values) {
    forms.add(v);
    forms.add(encodeURIComponent(v));
    forms.add(new URLSearchParams({ v }).toString().slice(2));
    forms.add(JSON.stringify(v).slice(1, -1));
    forms.add(Buffer.from(v).toString('base64'));
  }
  return [...forms];
}

function expectNoLeak(what: string, text: string): void {
  for (const f of forbidden()) {
    if (text.includes(f)) throw new Error(`${what} leaks ${JSON.stringify(f).slice(0, 6)}…`);
  }
  // Tokens are random: every bearer credential shown must be masked, or a token handle (issue 9).
  // ("Bearer token" is the wording of token events.)
  const shown = /^(\*\*\*\*|\[\[token:[0-9a-f]{16}\]\])$/;
  for (const m of text.matchAll(/Bearer\s+(?!token\b)([^\s"\\,}]+)/g)) expect(m[1], what).toMatch(shown);
  for (const m of text.matchAll(/access_token\\?"\s*:\s*\\?"([^"\\]*)/g)) expect(m[1], what).toMatch(shown);
}

describe('no secret leaks through `snip run`', () => {
  it('JSON Lines trace file, printed variables and errors are masked', async () => {
    if (!existsSync(path.join(root, 'dist/runtime/cli/main.js'))) throw new Error('run `npm run build` before this test (the binary runs dist/)');
    const r = await snip(['run', 'leak.studio', '--trace=statements', '--trace-format', 'jsonl', '--trace-out', 'trace.jsonl', '--print-vars']);
    const trace = readFileSync(path.join(ws, 'trace.jsonl'), 'utf8');
    expect(r.code, r.err).toBe(0);
    const events = trace.trim().split('\n').map((l) => JSON.parse(l) as { type: string; label?: string; branch?: string; what?: string; message?: string; error?: string });
    const branches = events.filter((e) => e.type === 'action').map((e) => `${e.label}:${e.branch ?? '-'}`);
    for (let i = 0; i < KINDS.length; i++) expect(branches).toEqual(expect.arrayContaining([`a${i}:OnSuccess`, `r${i}:OnSuccess`]));
    expect(branches).toContain('rbad:OnError');
    expect(events.some((e) => e.type === 'hub' && e.what === 'token-fetch')).toBe(true);
    // The echoes really carried the secrets back (masked), so the test exercises the redactor.
    const echoes = events.filter((e) => e.type === 'message' && e.message?.includes('"x-secret"'));
    expect(echoes).toHaveLength(KINDS.length);
    expect(echoes[0]!.message).toContain('"x-secret":"****"');
    expect(events.find((e) => e.label === 'rbad' && e.type === 'action')!.error).toMatch(/connection failed/);
    expectNoLeak('stdout (--print-vars)', r.out);
    expectNoLeak('stderr', r.err);
    expectNoLeak('trace.jsonl', trace);
  });

  it('the table trace on stderr is masked too', async () => {
    const r = await snip(['run', 'leak.studio', '--trace']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/CONNECTREQUEST/);
    expectNoLeak('stdout', r.out);
    expectNoLeak('stderr (table)', r.err);
  });
});

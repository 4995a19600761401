// Leak check of the extension's output paths: a script sends its connection's secrets to the
// echoing demo API and traces the echoes; the run goes through `snip run --trace=statements
// --trace-format jsonl` exactly as the extension starts it, and its stderr is split the way
// commands/run.ts splits it. Trace rows, the details the view shows, end-of-line decorations, the
// exported JSON Lines, the output channel text and the flow path must hold no secret.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../runtime/cli/commands/demo.js';
import { FileHubStore } from '../../runtime/hub/file-store.js';
import { startDemoApi, type DemoApi } from '../../samples/demo-api/index.js';
import { TraceModel, lastValues, parseTraceLine, runPath, toJsonl, type TraceEvent } from '../../vscode-extension/src/views/trace/rows.js';

const root = packageRoot();
const SECRETS: Record<string, string> = { 'api key': 'k3y-for-the-view "q"/+=', pin: 'P1n-4242!' };
let api: DemoApi;
let ws: string;

const SCRIPT = [
  'SCRIPT "View leak"',
  'BEGIN start -> build',
  'SNIPPET build {',
  '  DYNAMIC p',
  '  ASSIGN p.URL = "[[INSTANCEURI]]/echo/[[pin]]"',
  '  ASSIGN p.HTTPMETHOD = "POST"',
  '  ASSIGN p.HEADERS.XHYPHENPLACEHOLDERSECRET = "[[api key]]"',
  '  ASSIGN p.BODY = "pin=[[pin]]"',
  '  ASSIGN j = p.asjson()',
  '  ASSIGN j = j.replace("HYPHENPLACEHOLDER", "-")',
  '}',
  '  -> auth',
  'CONNECTAUTH auth (connectName = "Leaky")',
  '  OnSuccess -> call',
  '  OnError -> done',
  '  OnTimeout -> done',
  'CONNECTREQUEST call (connectName = "Leaky", requestName = "Echo", requestPayload = j)',
  '  OnSuccess -> show',
  '  OnError -> done',
  '  OnTimeout -> done',
  'SNIPPET show {',
  '  ASSIGN echoed = requestBody.asjson()',
  '  ASSIGN headers = requestBody',
  '  TRACE echoed',
  '}',
  '  -> done',
  'END done',
  '',
].join('\n');

beforeAll(async () => {
  api = await startDemoApi();
  ws = await mkdtemp(path.join(tmpdir(), 'snip-vsleak-'));
  const store = new FileHubStore({ dir: path.join(ws, 'hub'), env: {} });
  await store.init();
  await store.createTemplate({ name: 'T', application: 'Leak', authType: 'custom-headers', verbs: ['GET', 'POST'], authHeaders: [{ name: 'X-API-Key', required: true }] });
  await store.createConnection({ name: 'Leaky', template: 'T', timeoutMs: 5000 });
  await store.setSecret('Leaky', 'INSTANCEURI', api.url);
  for (const [k, v] of Object.entries(SECRETS)) await store.setSecret('Leaky', k, v);
  await store.updateConnection('Leaky', { auth: { headers: { 'X-API-Key': '[[api key]]' }, query: {} } });
  await store.addRequest('Leaky', { name: 'Echo', trigger: 'studio' });
  await writeFile(path.join(ws, 'leak.studio'), SCRIPT);
});

afterAll(async () => {
  await api.close();
  await rm(ws, { recursive: true, force: true });
});

function forbidden(): string[] {
  const forms = new Set<string>();
  for (const v of [...Object.values(SECRETS), api.url]) {
    forms.add(v);
    forms.add(encodeURIComponent(v));
    forms.add(JSON.stringify(v).slice(1, -1));
    forms.add(Buffer.from(v).toString('base64'));
  }
  return [...forms];
}

function expectNoLeak(what: string, text: string): void {
  for (const f of forbidden()) if (text.includes(f)) throw new Error(`${what} leaks a secret (${JSON.stringify(f).slice(0, 5)}…)`);
}

describe('no secret reaches the trace view, decorations, export or output channel', () => {
  it('masks every path the extension shows a run through', async () => {
    if (!existsSync(path.join(root, 'dist/runtime/cli/main.js'))) throw new Error('run `npm run build` before this test (the binary runs dist/)');
    const args = ['run', 'leak.studio', '--trace=statements', '--trace-format', 'jsonl', '--print-vars', '--hub', path.join(ws, 'hub')];
    const r = await new Promise<{ code: number; out: string; err: string }>((resolve) =>
      execFile(process.execPath, [path.join(root, 'bin/snip.js'), ...args], { cwd: ws, env: { PATH: process.env.PATH ?? '' } }, (e, out, err) =>
        resolve({ code: e ? (e.code as number) : 0, out, err }),
      ),
    );
    expect(r.code, r.err).toBe(0);
    // As commands/run.ts does: events to the view, everything else (and TRACE text) to the output channel.
    const events: TraceEvent[] = [];
    const channel: string[] = [];
    for (const line of r.err.split('\n')) {
      const e = parseTraceLine(line);
      if (!e) channel.push(line);
      else {
        events.push(e);
        if (e.type === 'message') channel.push(`${e.fileName}:${e.line}: trace: ${e.message}`);
      }
    }
    channel.push(`variables: ${r.out}`);
    const model = new TraceModel(events);
    // The run really echoed the secrets back, masked, so this exercises the masking.
    expect(model.rows.find((row) => row.label === 'call' && row.depth === 0)?.branch).toBe('OnSuccess');
    const echoed = model.rows.find((row) => row.kind === 'message')!.messages[0]!;
    expect(echoed).toContain('"x-secret":"****"');
    expectNoLeak('trace rows', JSON.stringify(model.rows));
    expectNoLeak('filtered rows', JSON.stringify(model.filter('secret')));
    expectNoLeak('decorations', JSON.stringify([...lastValues(events)].map(([f, m]) => [f, [...m]])));
    expectNoLeak('exported JSON Lines', toJsonl(events));
    expectNoLeak('flow path', JSON.stringify([...runPath(events).visited, ...runPath(events).edges]));
    expectNoLeak('output channel', channel.join('\n'));
  });
});

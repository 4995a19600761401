// A new output path (issue 9, item 6): Ctrl-C writes the trace so far and an error line. Neither
// may show a secret or a token: a script authenticates, sends its secrets to an echoing server,
// traces the echo, then spins until it is interrupted; the trace file and stderr are searched.
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../runtime/cli/main.js';
import { FileHubStore } from '../../../runtime/hub/file-store.js';
import { startDemoApi, type DemoApi } from '../../../samples/demo-api/index.js';
import { fakeIO } from '../../cli/fake-io.js';

const SECRETS: Record<string, string> = { username: 'agent.smith', password: 'demo-password', pin: 'P1n-42!' };
let api: DemoApi;
let ws: string;

beforeAll(async () => {
  api = await startDemoApi();
  ws = await mkdtemp(path.join(tmpdir(), 'snip-interrupt-leak-'));
  const store = new FileHubStore({ dir: path.join(ws, 'hub'), env: {} });
  await store.init();
  await store.createTemplate({ name: 'T basic', application: 'Leak', authType: 'basic', verbs: ['GET', 'POST'] });
  await store.createConnection({ name: 'Leaky', template: 'T basic', timeoutMs: 5000 });
  await store.setSecret('Leaky', 'INSTANCEURI', api.url);
  for (const [k, v] of Object.entries(SECRETS)) await store.setSecret('Leaky', k, v);
  await store.updateConnection('Leaky', { auth: { url: '[[INSTANCEURI]]/me', method: 'GET', headers: {}, query: {} } });
  await store.addRequest('Leaky', { name: 'Echo', trigger: 'studio' });
  const script = [
    'BEGIN start -> p',
    'SNIPPET p {',
    '  DYNAMIC q',
    '  ASSIGN q.URL = "[[INSTANCEURI]]/echo/[[pin]]"',
    '  ASSIGN q.HTTPMETHOD = "POST"',
    '  ASSIGN q.BODY = "user=[[username]]&pass=[[password]]"',
    '  ASSIGN j = q.asjson()',
    '}',
    '  -> a',
    'CONNECTAUTH a (connectName = "Leaky")',
    'CONNECTREQUEST r (connectName = "Leaky", requestName = "Echo", requestPayload = j)',
    'SNIPPET spin {',
    '  ASSIGN echoed = requestBody.asjson()',
    '  TRACE echoed',
    '  TRACE "auth: {authHeadersList.Authorization}"',
    '  WHILE true {',
    '    n = n + 1',
    '  }',
    '}',
    '  -> done',
    'END done',
    '',
  ].join('\n');
  await writeFile(path.join(ws, 'spin.studio'), script);
});

afterAll(async () => {
  await api.close();
  await rm(ws, { recursive: true, force: true });
});

describe('Ctrl-C output', () => {
  it('shows no secret or credential in the trace so far or on stderr', async () => {
    const io = { ...fakeIO(ws), isTTY: true };
    io.onInterrupt = (handler) => {
      const t = setInterval(() => {
        if (io.err.join('').includes('running:')) handler();
      }, 50);
      return () => clearInterval(t);
    };
    const code = await main(['run', 'spin.studio', '--trace=statements', '--trace-out', 'spin.jsonl', '--trace-format', 'jsonl', '--max-steps', '1000000000000'], io);
    expect(code, io.stderrText()).toBe(130);
    const trace = await readFile(path.join(ws, 'spin.jsonl'), 'utf8');
    expect(trace).toContain('"outcome":"aborted"');
    expect(trace).toContain('/echo/****'); // the echo was traced, masked
    expect(trace).toContain('Basic ****');
    const basic = Buffer.from(`${SECRETS.username}:${SECRETS.password}`).toString('base64');
    for (const [what, text] of [['trace', trace], ['stderr', io.stderrText()], ['stdout', io.stdoutText()]] as const) {
      for (const v of [...Object.values(SECRETS), encodeURIComponent(SECRETS.pin!), api.url, basic]) {
        expect(text.includes(v), `${what} shows a secret`).toBe(false);
      }
    }
  });
});

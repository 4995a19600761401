// Token handles through record and replay: CONNECTAUTH gives the script `Bearer [[token:...]]`, a
// REST API action sends it, and the hub resolves it at send time towards the connection's allowed
// origin. The cassette must hold the `[[ access_token ]]` placeholder: never the token the upstream
// issued, nor the run's random handle (which would make the cassette differ on every recording).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadTestFile } from '../../runtime/testing/model.js';
import { runTests } from '../../runtime/testing/runner.js';
import { CLIENT_SECRET, ORDERS_HUB, startUpstream, type Upstream } from './fixture.js';

// The upstream checks the token before the API key: a 403 proves the handle became the real token.
const SCRIPT = `SCRIPT "Order with a handle"
PARAMS base

BEGIN start -> auth

CONNECTAUTH auth (connectName = "Orders")
  OnSuccess -> call
  OnError -> failed
  OnTimeout -> failed

RESTAPI call (URL = "{base}/orders/o-1", Verb = "POST", Headers = authHeadersList, Body = "{}")
  OnSuccess -> ok
  OnError -> answered

ASSIGN ok (Variable = status, Value = "ok") -> done
ASSIGN answered (Variable = status, Value = "{resultSet.statusCode}") -> done
ASSIGN failed (Variable = status, Value = "failed") -> done

END done
`;

let upstream: Upstream;
let dir: string;

beforeAll(async () => {
  upstream = await startUpstream();
  dir = mkdtempSync(path.join(tmpdir(), 'snip-test-handles-'));
  mkdirSync(path.join(dir, 'hub'));
  writeFileSync(path.join(dir, 'handle.studio'), SCRIPT);
  writeFileSync(path.join(dir, 'hub', 'orders-hub.json'), JSON.stringify(ORDERS_HUB));
  writeFileSync(
    path.join(dir, 'handle.test.json'),
    JSON.stringify({
      script: 'handle.studio',
      hub: 'hub/orders-hub.json',
      vars: { ORIGIN: 'https://orders.test' },
      cases: [
        {
          name: 'the handle is sent as the token',
          inputs: { base: '{{ORIGIN}}' },
          expect: { outputs: { status: '403' }, path: ['start', 'auth:OnSuccess', 'call:OnError', 'answered', 'done'] },
        },
      ],
    }),
  );
});

afterAll(async () => {
  await upstream.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('token handles in snip test', () => {
  it('records the resolved token as a placeholder, never the token or the handle, and replays offline', async () => {
    const testFile = path.join(dir, 'handle.test.json');
    const rec = await runTests([await loadTestFile(testFile)], { cwd: dir, record: true, vars: { ORIGIN: upstream.url } });
    expect(rec[0]!.failures).toEqual([]);
    expect(upstream.tokens.length).toBe(1);

    const text = readFileSync(path.join(dir, '__cassettes__', 'handle.cassette.json'), 'utf8');
    for (const value of [...upstream.tokens, CLIENT_SECRET, encodeURIComponent(CLIENT_SECRET), upstream.url]) expect(text).not.toContain(value);
    expect(text).not.toMatch(/token:[0-9a-f]{16}/);
    const [token, call] = JSON.parse(text).cases['the handle is sent as the token'];
    expect(token.request.url).toBe('[[ BASE ]]/oauth/token');
    expect(call.request).toMatchObject({ method: 'POST', url: '[[ BASE ]]/orders/o-1', headers: { authorization: 'Bearer [[ access_token ]]' } });
    expect(call.response.status).toBe(403);

    const before = upstream.connections;
    const replay = await runTests([await loadTestFile(testFile)], { cwd: dir, keepActual: true });
    expect(replay[0]!.failures).toEqual([]);
    expect(upstream.connections).toBe(before);
    expect(JSON.stringify(replay[0]!.actual)).not.toMatch(/tok-[0-9a-f]{24}/);
  });
});

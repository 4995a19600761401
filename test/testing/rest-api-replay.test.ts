// A REST API action (no connection, no secrets) records and replays too: a test file without a hub
// definition still gets an empty hub, whose HTTP client is the one the replay controls, so the
// action never reaches the network on replay. The origin is a var, so the cassette has no port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadTestFile } from '../../runtime/testing/model.js';
import { runTests } from '../../runtime/testing/runner.js';
import { startUpstream, type Upstream } from './fixture.js';

const SCRIPT = `SCRIPT "Missing order"
PARAMS base

BEGIN start -> call

RESTAPI call (URL = "{base}/orders/missing", Verb = "POST", Body = "{}")
  OnSuccess -> ok
  OnError -> failed

ASSIGN ok (Variable = status, Value = "ok") -> done
ASSIGN failed (Variable = status, Value = "{resultSet.statusCode}") -> done

END done
`;

let upstream: Upstream;
let dir: string;

beforeAll(async () => {
  upstream = await startUpstream();
  dir = mkdtempSync(path.join(tmpdir(), 'snip-test-rest-'));
  writeFileSync(path.join(dir, 'rest.studio'), SCRIPT);
  writeFileSync(
    path.join(dir, 'rest.test.json'),
    JSON.stringify({
      script: 'rest.studio',
      vars: { ORIGIN: 'http://orders.test' },
      cases: [{ name: 'unauthorized', inputs: { base: '{{ORIGIN}}' }, expect: { path: ['start', 'call:OnError', 'failed', 'done'] } }],
    }),
  );
});

afterAll(async () => {
  await upstream.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('REST API record and replay', () => {
  it('records with the origin as a var and replays with no connection', async () => {
    // Recording points the case's input ({{ORIGIN}}) at the real upstream through the var.
    const file = await loadTestFile(path.join(dir, 'rest.test.json'));
    const rec = await runTests([file], { cwd: dir, record: true, vars: { ORIGIN: upstream.url } });
    expect(rec[0]!.failures).toEqual([]);
    const text = readFileSync(path.join(dir, '__cassettes__', 'rest.cassette.json'), 'utf8');
    expect(text).not.toContain(upstream.url);
    expect(JSON.parse(text).cases.unauthorized[0].request.url).toBe('{{ORIGIN}}/orders/missing');

    const before = upstream.connections;
    const replay = await runTests([await loadTestFile(path.join(dir, 'rest.test.json'))], { cwd: dir });
    expect(replay[0]!.failures).toEqual([]);
    expect(upstream.connections).toBe(before);
  });
});

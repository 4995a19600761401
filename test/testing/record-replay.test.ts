// Recording against a real local upstream, then replaying with the network forbidden: cassettes
// hold no secret, no token and no port; a replay never connects; a changed request fails with a
// diff; faults take the OnTimeout/OnError branches without a misbehaving server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { loadTestFile } from '../../runtime/testing/model.js';
import { runTests, type CaseResult } from '../../runtime/testing/runner.js';
import { updateTestFile } from '../../runtime/testing/update.js';
import { jsonReport, junitReport, prettySummary } from '../../runtime/testing/reporters.js';
import { API_KEY, CLIENT_ID, CLIENT_SECRET, ordersCases, ordersProject, startUpstream, type Upstream } from './fixture.js';

let upstream: Upstream;
let project: ReturnType<typeof ordersProject>;

async function run(opts: { record?: boolean; filter?: string } = {}): Promise<CaseResult[]> {
  const file = await loadTestFile(project.testFile);
  return runTests([file], { cwd: project.dir, ...opts, ...(opts.record ? { vars: { ORIGIN: upstream.url } } : {}) });
}

beforeAll(async () => {
  upstream = await startUpstream();
  project = ordersProject();
});

afterAll(async () => {
  await upstream.close();
  rmSync(project.dir, { recursive: true, force: true });
});

describe('record then replay', () => {
  it('records every exchange against the real upstream, with placeholders for secrets, tokens and the origin', async () => {
    const results = await run({ record: true });
    expect(results.map((r) => [r.name, r.passed, r.failures])).toEqual([
      ['a shipped order', true, []],
      ['a missing order', true, []],
    ]);
    expect(upstream.tokens.length).toBe(2);
    const text = readFileSync(project.cassette, 'utf8');
    for (const value of [CLIENT_ID, CLIENT_SECRET, API_KEY, encodeURIComponent(CLIENT_SECRET), ...upstream.tokens]) {
      expect(text).not.toContain(value);
    }
    expect(text).not.toContain(upstream.url);
    expect(text).not.toContain(upstream.url.split(':').pop()!);
    const cassette = JSON.parse(text);
    const shipped = cassette.cases['a shipped order'];
    expect(shipped[0].request).toEqual({
      method: 'POST',
      url: '[[ BASE ]]/oauth/token',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=[[ client_id ]]&client_secret=[[ client_secret ]]',
    });
    expect(JSON.parse(shipped[0].response.body).access_token).toBe('[[ access_token ]]');
    expect(shipped[1].request.headers).toEqual({ authorization: 'Bearer [[ access_token ]]', 'x-api-key': '[[ apiKey ]]' });
    expect(JSON.parse(shipped[1].request.body)).toEqual({ note: 'check' });
    // The upstream echoed the key: the response in the cassette shows the placeholder.
    expect(JSON.parse(shipped[1].response.body).key).toBe('[[ apiKey ]]');
  });

  it('replays without a single connection to the upstream', async () => {
    const before = upstream.connections;
    const results = await run();
    expect(results.every((r) => r.passed)).toBe(true);
    expect(upstream.connections).toBe(before);
  });

  it('a changed request fails the case with a request diff, and still never connects', async () => {
    const cases = ordersCases() as { inputs: Record<string, string> }[];
    cases[0]!.inputs.orderId = 'o-2';
    project.write(cases);
    try {
      const before = upstream.connections;
      const [shipped] = await run({ filter: 'shipped' });
      expect(upstream.connections).toBe(before);
      expect(shipped!.passed).toBe(false);
      const request = shipped!.failures.find((f) => f.kind === 'request' && f.message.startsWith('unexpected'));
      expect(request?.message).toContain('url: expected [[ BASE ]]/orders/o-1');
      expect(request?.message).toContain('got      [[ BASE ]]/orders/o-2');
      // The script saw a refused connection: OnError.
      expect(shipped!.failures.some((f) => f.kind === 'path' && f.message.includes('expected call:OnSuccess, got call:OnError'))).toBe(true);
      for (const report of [prettySummary([shipped!]), jsonReport([shipped!]), junitReport([shipped!])]) {
        for (const value of [CLIENT_ID, CLIENT_SECRET, API_KEY, upstream.url, ...upstream.tokens]) expect(report).not.toContain(value);
      }
    } finally {
      project.write(ordersCases());
    }
  });

  it('a case without a recorded exchange says to record', async () => {
    project.write([...ordersCases(), { name: 'never recorded', inputs: { orderId: 'o-9' }, expect: { outputs: { status: 'shipped' } } }]);
    try {
      const results = await run({ filter: 'never recorded' });
      expect(results[0]!.passed).toBe(false);
      expect(results[0]!.failures[0]!.message).toMatch(/no recorded exchange left for POST \[\[ BASE \]\]\/oauth\/token \(record with --record\)/);
    } finally {
      project.write(ordersCases());
    }
  });
});

describe('--update never writes a secret', () => {
  it('a recording run whose response echoes the API key updates the test file with it masked', async () => {
    project.write([{ name: 'a shipped order', inputs: { orderId: 'o-1' }, expect: { outputs: { requestBody: 'x', status: 'shipped' } } }]);
    try {
      const file = await loadTestFile(project.testFile);
      const results = await runTests([file], { cwd: project.dir, record: true, keepActual: true, vars: { ORIGIN: upstream.url } });
      expect(results[0]!.passed).toBe(false);
      expect(await updateTestFile(project.testFile, results)).toBe(1);
      const text = readFileSync(project.testFile, 'utf8');
      expect(JSON.parse(text).cases[0].expect.outputs.requestBody).toMatchObject({ id: 'o-1', state: 'shipped' });
      for (const value of [CLIENT_ID, CLIENT_SECRET, API_KEY, ...upstream.tokens]) expect(text).not.toContain(value);
    } finally {
      project.write(ordersCases());
      await run({ record: true });
    }
  });
});

describe('fault injection on replay', () => {
  const withFaults = (faults: unknown[], expectations: unknown) => [{ name: 'a shipped order', inputs: { orderId: 'o-1' }, faults, expect: expectations }];

  it.each([
    ['timeout', [{ request: '/orders/', kind: 'timeout' }], 'call:OnTimeout', 'timeout'],
    ['refused', [{ request: '/orders/', kind: 'refused' }], 'call:OnError', 'error'],
    ['503', [{ request: 'POST [[ BASE ]]/orders/o-1', kind: 'status', status: 503 }], 'call:OnError', 'error'],
    ['refused token endpoint', [{ request: '/oauth/token', kind: 'refused' }], 'call:OnError', 'error'],
  ])('%s takes the right branch', async (_name, faults, step, status) => {
    project.write(withFaults(faults, { outputs: { status }, path: ['start', 'build', step, status === 'timeout' ? 'timed_out' : 'failed', 'done'] }));
    try {
      const before = upstream.connections;
      const [r] = await run();
      expect(r!.failures).toEqual([]);
      expect(upstream.connections).toBe(before);
    } finally {
      project.write(ordersCases());
    }
  });

  it('a 401 once is retried with a fresh token (the cassette answers the retry)', async () => {
    project.write(withFaults([{ request: '/orders/', kind: 'status', status: 401, times: 1 }], {
      outputs: { status: 'shipped' },
      requests: ['POST [[ BASE ]]/oauth/token', 'POST [[ BASE ]]/orders/o-1', 'POST [[ BASE ]]/oauth/token', 'POST [[ BASE ]]/orders/o-1'],
    }));
    try {
      const [r] = await run();
      expect(r!.failures).toEqual([]);
    } finally {
      project.write(ordersCases());
    }
  });

  it('a fault that never fires fails the case', async () => {
    project.write(withFaults([{ request: '/nowhere', kind: 'timeout' }], { outputs: { status: 'shipped' } }));
    try {
      const [r] = await run();
      expect(r!.passed).toBe(false);
      expect(r!.failures.map((f) => f.kind)).toEqual(['fault']);
    } finally {
      project.write(ordersCases());
    }
  });
});

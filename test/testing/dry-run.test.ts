// `snip run --dry-run`: prints each final request with secrets as [[ name ]], sends nothing (a real
// upstream sees no connection), the CONNECT action takes OnError with SNIP7009 in its details, and
// a cassette can answer instead. No secret or token value appears in any output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { main } from '../../cli/main.js';
import { openHubFixture, type HubFixture } from '../../runtime/testing/hub-fixture.js';
import { loadTestFile } from '../../runtime/testing/model.js';
import { runTests } from '../../runtime/testing/runner.js';
import { fakeIO } from '../cli/fake-io.js';
import { API_KEY, CLIENT_ID, CLIENT_SECRET, ordersProject, startUpstream, type Upstream } from './fixture.js';

let upstream: Upstream;
let project: ReturnType<typeof ordersProject>;
let hub: HubFixture;

beforeAll(async () => {
  upstream = await startUpstream();
  project = ordersProject();
  hub = await openHubFixture(path.join(project.dir, 'hub', 'orders-hub.json'), { ORIGIN: upstream.url });
});

afterAll(async () => {
  await hub.dispose();
  await upstream.close();
  rmSync(project.dir, { recursive: true, force: true });
});

describe('snip run --dry-run', () => {
  it('prints the token request, sends nothing and takes OnError', async () => {
    const io = fakeIO(project.dir);
    const before = upstream.connections;
    const code = await main(['run', 'orders.studio', '--hub', hub.dir, '--dry-run', '--input', 'orderId=o-1', '--print-vars'], io);
    expect(code).toBe(0);
    expect(upstream.connections).toBe(before);
    const err = io.stderrText();
    expect(err).toContain('dry run: POST [[ BASE ]]/oauth/token\n');
    expect(err).toContain('  body: grant_type=client_credentials&client_id=[[ client_id ]]&client_secret=[[ client_secret ]]\n');
    expect(err).toContain('  not sent\n');
    const vars = JSON.parse(io.stdoutText());
    expect(vars.status).toBe('error');
    expect(vars.requestErrorDetails.code).toBe('SNIP7009');
    expect(vars._ERR).toMatch(/^dry run: POST \[\[ BASE \]\]\/oauth\/token was not sent/);
    for (const s of [CLIENT_ID, CLIENT_SECRET, API_KEY, upstream.url]) expect(io.stdoutText() + err).not.toContain(s);
  });

  it('a cassette answers: the request with its [[ apiKey ]] header is printed and the run succeeds', async () => {
    // Record the project's cassette against the real upstream first.
    const rec = await runTests([await loadTestFile(project.testFile)], { cwd: project.dir, record: true, vars: { ORIGIN: upstream.url } });
    expect(rec.every((r) => r.passed)).toBe(true);
    const io = fakeIO(project.dir);
    const before = upstream.connections;
    const code = await main(['run', 'orders.studio', '--hub', hub.dir, '--dry-run', '--cassette', project.cassette, '--input', 'orderId=o-1', '--print-vars'], io);
    expect(code).toBe(0);
    expect(upstream.connections).toBe(before);
    const err = io.stderrText();
    expect(err).toContain('dry run: POST [[ BASE ]]/orders/o-1\n');
    expect(err).toContain('  x-api-key: [[ apiKey ]]\n');
    expect(err).toContain('  answered from the cassette: 200\n');
    expect(JSON.parse(io.stdoutText()).status).toBe('shipped');
    for (const s of [CLIENT_ID, CLIENT_SECRET, API_KEY, upstream.url, ...upstream.tokens]) expect(io.stdoutText() + err).not.toContain(s);
  });

  it('--cassette without --dry-run is a usage error', async () => {
    const io = fakeIO(project.dir);
    expect(await main(['run', 'orders.studio', '--cassette', 'x.json'], io)).toBe(2);
    expect(io.stderrText()).toMatch(/--cassette only goes with --dry-run/);
  });
});

// The BYOC sample end to end, both tenants: `snip demo byoc` in-process (the service, the demo API as
// contact center and external platform, real HTTP) and through the built binary.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { main } from '../../runtime/cli/main.js';
import { fakeIO } from '../cli/fake-io.js';

const root = path.resolve(__dirname, '..', '..');

function expectAllSteps(out: string): void {
  for (const tenant of ['northwind', 'contoso']) {
    expect(out).toContain(`ok  ${tenant}: POST /1.0/token as the contact center (run, admin) client: 200`);
    expect(out).toMatch(new RegExp(`${tenant}:\\n  ok  create a channel without externalPlatformIcon: 400`));
  }
  for (const step of [
    'create a channel with externalPlatformIcon: 201',
    'validate recipient +15550100001: 200',
    "validate recipient 'not an address': 400  {\"error\":\"invalid address\"}",
    'outbound message to the external platform: 202',
    'inbound message relayed to the contact center: 202',
  ]) {
    expect(out.split(`ok  ${step}`).length - 1).toBe(2);
  }
  expect(out).toContain("ok  northwind's token on contoso's route: 404");
  expect(out).toContain('platform  northwind-platform   to +15550100002: Hello from northwind');
  expect(out).toContain('platform  contoso-platform     to +15550100002: Hello from contoso');
  expect(out).toContain('contact center  contoso-chat     inbound from customer@example.test: Reply to contoso');
  expect(out).toContain('ok  contact center OAuth tokens fetched (one per tenant, then cached): 2');
  expect(out).not.toContain('BAD');
  // No credential of either side is printed.
  for (const secret of ['northwind-cc-secret', 'contoso-cc-secret', 'northwind-platform-pw', 'contoso-platform-pw', 'snipcs_', 'snipat_']) {
    expect(out).not.toContain(secret);
  }
}

describe('snip demo byoc', () => {
  it('runs the BYOC middleware for two tenants end to end (in-process)', async () => {
    const io = fakeIO(root);
    const code = await main(['demo', 'byoc'], io);
    expect(io.stderrText()).toBe('');
    expect(code).toBe(0);
    expectAllSteps(io.stdoutText());
    expect(io.stdoutText()).toContain('BYOC demo finished: every step answered as expected.');
  });

  it('runs through the built binary', async () => {
    await promisify(execFile)(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(root, 'tsconfig.json')]);
    const r = await promisify(execFile)(process.execPath, [path.join(root, 'bin', 'snip.js'), 'demo', 'byoc'], { cwd: root });
    expectAllSteps(r.stdout);
  }, 120_000);
});

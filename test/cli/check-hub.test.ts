// Issue 9, item 3: `snip check` and `snip hub connection show` warn about connections without a
// resource domain (their credentials may go to any https URL, or the token endpoint's origin).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../runtime/cli/main.js';
import { FileHubStore } from '../../runtime/hub/file-store.js';
import { fakeIO } from './fake-io.js';

let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'snip-check-hub-'));
  const store = new FileHubStore({ dir: path.join(dir, 'hub'), env: {} });
  await store.createTemplate({ name: 'OAuth', application: 'A', authType: 'oauth2-client-credentials', verbs: ['GET'] });
  await store.createTemplate({ name: 'Open', application: 'A', authType: 'none', verbs: ['GET'] });
  await store.createConnection({ name: 'Loose', template: 'OAuth' });
  await store.createConnection({ name: 'Fenced', template: 'OAuth', resourceDomain: 'https://api.example.test/v1' });
  await store.createConnection({ name: 'Public', template: 'Open' });
  writeFileSync(
    path.join(dir, 'flow.studio'),
    'BEGIN start -> a\nCONNECTAUTH a (connectName = "Loose")\n  -> b\nCONNECTAUTH b (connectName = "Fenced")\n  -> c\n' +
      'CONNECTREQUEST c (connectName = "Public", requestName = "X")\n  -> done\nEND done\n',
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...args: string[]) {
  const io = fakeIO(dir);
  const code = await main(args, io);
  return { code, out: io.stdoutText(), err: io.stderrText() };
}

describe('warnings about connections without a resource domain', () => {
  it('snip check warns at the connectName of such a connection, and only there', async () => {
    const r = await cli('check', 'flow.studio');
    expect(r.code).toBe(0);
    const warnings = r.out.split('\n').filter((l) => l.includes('SNIP4030'));
    expect(warnings).toEqual([
      'flow.studio:2:16: warning SNIP4030: connection "Loose" has no resource domain: its credentials may go to the origin of its authentication URL; set one with \'snip hub connection create --resource-domain URL\' to limit them',
    ]);
    expect(r.out).toContain('1 warning');
  });

  it('snip check without a hub at hand warns about nothing', async () => {
    const bare = mkdtempSync(path.join(tmpdir(), 'snip-check-bare-'));
    try {
      writeFileSync(path.join(bare, 'f.studio'), 'BEGIN start -> a\nCONNECTAUTH a (connectName = "Loose")\n  -> done\nEND done\n');
      const io = fakeIO(bare);
      expect(await main(['check', 'f.studio'], io)).toBe(0);
      expect(io.stdoutText()).not.toContain('SNIP4030');
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });

  it('snip hub connection show prints the warning (text and --json)', async () => {
    const text = await cli('hub', 'connection', 'show', 'Loose');
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/\nwarning: connection "Loose" has no resource domain: /);
    const json = JSON.parse((await cli('hub', 'connection', 'show', 'Loose', '--json')).out) as { warnings?: string[] };
    expect(json.warnings).toHaveLength(1);
    expect((await cli('hub', 'connection', 'show', 'Fenced')).out).not.toContain('warning');
  });
});

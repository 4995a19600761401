// `snip demo`: the README's first command. Runs in-process (demo API on a free loopback port, a
// temporary hub, the traced agent lookup) and through the real binary; cleans up after itself.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { main } from '../../cli/main.js';
import { packageRoot } from '../../cli/commands/demo.js';
import { fakeIO } from './fake-io.js';

const root = packageRoot();
const DEMO_SECRETS = ['demo-secret', 'demo-client'];

describe('snip demo', () => {
  it('runs the agent lookup with a trace, prints the outputs and exits 0', async () => {
    const io = fakeIO(root);
    const code = await main(['demo'], io);
    const out = io.stdoutText();
    expect(io.stderrText()).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/demo API listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(out).toContain('sample hub: connection "Agents API"');
    // The trace table: every action of the happy path, with its branch.
    for (const row of [/build\s+SNIPPET\s+Default -> auth/, /auth\s+CONNECTAUTH\s+OnSuccess -> call/, /call\s+CONNECTREQUEST\s+OnSuccess -> greet/]) {
      expect(out).toMatch(row);
    }
    expect(out).toMatch(/hub Agents API token-fetch/);
    expect(out).toMatch(/hub Agents API token-reuse/);
    expect(out).toMatch(/agentName\s+Ada Lovelace/);
    expect(out).toMatch(/connection status\s+authorized/);
    expect(out).toMatch(/token requests\s+1\n/);
    expect(out).toContain('demo API stopped');
    for (const s of DEMO_SECRETS) expect(out).not.toContain(s);
    // The instance URL is a secret too: it appears only in the "listening" line.
    const url = /listening on (\S+)/.exec(out)![1]!;
    expect(out.split(url).length - 1).toBe(1);
  });

  it('--keep-hub leaves the sample hub with its secrets encrypted', async () => {
    const io = fakeIO(root);
    expect(await main(['demo', '--keep-hub'], io)).toBe(0);
    const dir = /sample hub kept in (.+)\n/.exec(io.stdoutText())![1]!;
    try {
      const files = readdirSync(path.join(dir, 'connections'));
      expect(files.some((f) => f.endsWith('.secrets.json'))).toBe(true);
      for (const f of files) {
        const text = readFileSync(path.join(dir, 'connections', f), 'utf8');
        for (const s of DEMO_SECRETS) expect(text).not.toContain(s);
      }
    } finally {
      rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  });

  it('refuses unexpected arguments with exit 2', async () => {
    const io = fakeIO(root);
    expect(await main(['demo', 'extra'], io)).toBe(2);
    expect(io.stderrText()).toMatch(/unexpected argument 'extra'/);
  });

  it('works through the real binary, as `npm run demo` runs it', async () => {
    if (!existsSync(path.join(root, 'dist/cli/main.js'))) throw new Error('run `npm run build` before this test (the binary runs dist/)');
    const r = await new Promise<{ code: number; out: string; err: string }>((resolve) => {
      execFile(process.execPath, [path.join(root, 'bin/snip.js'), 'demo'], { cwd: root, env: { PATH: process.env.PATH ?? '' } }, (e, out, err) =>
        resolve({ code: e ? (e.code as number) : 0, out, err }),
      );
    });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/completed in [\d.]+ ms, 6 actions/);
    expect(r.out).toMatch(/status\s+found/);
  });
});

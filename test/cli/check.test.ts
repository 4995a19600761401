// `snip check`: diagnostics lines, summary, exit codes, JSON output, directories; once through
// the real binary.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { fakeIO } from './fake-io.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'snip-check-'));
  writeFileSync(path.join(dir, 'good.snip'), 'ASSIGN a = 1\nTRACE "{a}"\n');
  writeFileSync(path.join(dir, 'warn.snip'), 'ASSIGN a = b\n');
  writeFileSync(path.join(dir, 'bad.snip'), 'x = 1\nBREAK\ny = lenght(x)\n');
  mkdirSync(path.join(dir, 'flows/nested'), { recursive: true });
  writeFileSync(path.join(dir, 'flows/nested/f.studio'), 'BEGIN start -> nowhere\nEND done\n');
  writeFileSync(path.join(dir, 'flows/readme.txt'), 'not a script');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...args: string[]) {
  const io = fakeIO(dir);
  const code = await main(['check', ...args], io);
  return { code, out: io.stdoutText(), err: io.stderrText() };
}

describe('snip check', () => {
  it('exits 0 on a clean file and says so', async () => {
    const r = await run('good.snip');
    expect(r.code).toBe(0);
    expect(r.out).toBe('1 file checked: 0 errors, 0 warnings\n');
  });

  it('exits 0 with warnings, printing them with relative paths', async () => {
    const r = await run('warn.snip');
    expect(r.code).toBe(0);
    expect(r.out).toContain('warn.snip:1:12: warning SNIP2009:');
  });

  it('exits 1 on errors and prints file:line:col: severity CODE: message', async () => {
    const r = await run('bad.snip', 'good.snip');
    expect(r.code).toBe(1);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toBe('bad.snip:2:1: error SNIP2005: BREAK can only be used inside FOR, FOREACH, REPEAT or WHILE');
    expect(lines[1]).toMatch(/^bad\.snip:3:5: error SNIP2003: unknown function 'lenght'; did you mean 'length'\?$/);
    expect(lines.at(-1)).toBe('2 files checked: 2 errors, 0 warnings');
  });

  it('searches directories recursively for .snip and .studio files only', async () => {
    const r = await run('flows');
    expect(r.code).toBe(1);
    expect(r.out).toContain('flows/nested/f.studio:1:16: error SNIP2001:');
    expect(r.out).toContain('1 file checked');
  });

  it('prints JSON for tools', async () => {
    const r = await run('--format', 'json', 'bad.snip', 'warn.snip');
    const json = JSON.parse(r.out);
    expect(json).toMatchObject({ files: 2, errors: 2, warnings: 1 });
    expect(json.diagnostics[0]).toMatchObject({ file: 'bad.snip', line: 2, column: 1, severity: 'error', code: 'SNIP2005' });
  });

  it('exits 2 on usage problems with a clear message', async () => {
    expect((await run()).code).toBe(2);
    const missing = await run('nope.snip');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('no such file or directory: nope.snip');
    const flag = await run('--frobnicate', 'good.snip');
    expect(flag.code).toBe(2);
    expect(flag.err).toContain("snip check: ");
    expect((await run('--format', 'xml', 'good.snip')).code).toBe(2);
  });

  it('prints help', async () => {
    const r = await run('--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Usage: snip check');
  });

  it('works through the real binary', async () => {
    const bin = path.join(root, 'bin/snip.js');
    if (!existsSync(path.join(root, 'dist/cli/main.js'))) {
      throw new Error('run `npm run build` before this test (the binary runs dist/)');
    }
    const exec = promisify(execFile);
    const ok = await exec(process.execPath, [bin, 'check', 'good.snip'], { cwd: dir });
    expect(ok.stdout).toContain('1 file checked: 0 errors');
    const failed = await exec(process.execPath, [bin, 'check', 'bad.snip'], { cwd: dir }).then(
      () => ({ code: 0, stdout: '' }),
      (e: { code: number; stdout: string }) => e,
    );
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('bad.snip:2:1: error SNIP2005');
  });
});

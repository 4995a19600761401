// `snip run`: exit codes, --print-vars, --input/--inputs, error and diagnostic lines.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../runtime/cli/main.js';
import { fakeIO } from './fake-io.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'snip-run-'));
  writeFileSync(path.join(dir, 'ok.snip'), 'ASSIGN greeting = "hello {name}"\nTRACE greeting\nn = count + 1\n');
  writeFileSync(path.join(dir, 'fail.snip'), 'a = 1\nb[63000001] = "x"\n');
  writeFileSync(path.join(dir, 'syntax.snip'), 'IF x = 1 {\n');
  writeFileSync(path.join(dir, 'in.json'), JSON.stringify({ name: 'json', count: 41, obj: { k: [1, 2] } }));
});

describe('snip run', () => {
  it('prints variables with --print-vars and exits 0', async () => {
    const io = fakeIO(dir);
    const code = await main(['run', 'ok.snip', '--inputs', 'in.json', '--input', 'name=cli', '--print-vars'], io);
    expect(code).toBe(0);
    const vars = JSON.parse(io.stdoutText());
    expect(vars).toMatchObject({ greeting: 'hello cli', n: '42', obj: { k: ['1', '2'] } });
    expect(io.stderrText()).toContain('ok.snip:2: trace: hello cli');
  });
  it('a script error exits 1 with file:line:col: error CODE', async () => {
    const io = fakeIO(dir);
    expect(await main(['run', 'fail.snip'], io)).toBe(1);
    expect(io.stderrText()).toMatch(/^fail\.snip:2:1: error SNIP3006: Array index out of bounds/);
  });
  it('syntax errors exit 2 with diagnostics', async () => {
    const io = fakeIO(dir);
    expect(await main(['run', 'syntax.snip'], io)).toBe(2);
    expect(io.stderrText()).toMatch(/^syntax\.snip:\d+:\d+: error SNIP1\d{3}: /m);
  });
  it('usage errors exit 2', async () => {
    const io = fakeIO(dir);
    expect(await main(['run'], io)).toBe(2);
    expect(await main(['run', 'ok.snip', '--input', 'novalue'], fakeIO(dir))).toBe(2);
  });
});

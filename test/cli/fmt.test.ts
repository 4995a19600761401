// `snip fmt`: rewrites files in place, --check lists what would change, syntax errors leave
// files untouched; once through the real binary.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { fakeIO } from './fake-io.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let dir: string;

const MESSY = 'if x=1{trace "one"}\n';
const CLEAN = 'IF x = 1 {\n  TRACE "one"\n}\n';

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'snip-fmt-'));
  writeFileSync(path.join(dir, 'messy.snip'), MESSY);
  writeFileSync(path.join(dir, 'clean.snip'), CLEAN);
  mkdirSync(path.join(dir, 'sub'));
  writeFileSync(path.join(dir, 'sub/flow.studio'), 'begin start -> e\nend e\n');
  writeFileSync(path.join(dir, 'broken.snip'), 'IF x = 1 {\n');
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(...args: string[]) {
  const io = fakeIO(dir);
  const code = await main(['fmt', ...args], io);
  return { code, out: io.stdoutText(), err: io.stderrText() };
}

const read = (f: string) => readFileSync(path.join(dir, f), 'utf8');

describe('snip fmt', () => {
  it('--check lists files that would change, changes nothing, exits 1', async () => {
    const r = await run('--check', 'messy.snip', 'clean.snip', 'sub');
    expect(r.code).toBe(1);
    expect(r.out).toBe('messy.snip\nsub/flow.studio\n');
    expect(read('messy.snip')).toBe(MESSY);
  });

  it('--check exits 0 when everything is formatted', async () => {
    const r = await run('--check', 'clean.snip');
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
  });

  it('rewrites files in place (many files and directories), leaving no temp files', async () => {
    const r = await run('messy.snip', 'clean.snip', 'sub');
    expect(r.code).toBe(0);
    expect(read('messy.snip')).toBe(CLEAN);
    expect(read('sub/flow.studio')).toBe('BEGIN start -> e\nEND e\n');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect((await run('--check', '.')).out).not.toContain('messy.snip');
  });

  it('leaves a file with syntax errors unchanged and reports why (exit 1)', async () => {
    const r = await run('broken.snip');
    expect(r.code).toBe(1);
    expect(read('broken.snip')).toBe('IF x = 1 {\n');
    expect(r.err).toMatch(/broken\.snip:\d+:\d+: error SNIP1\d{3}/);
  });

  it('exits 2 on usage problems', async () => {
    expect((await run()).code).toBe(2);
    expect((await run('missing.snip')).code).toBe(2);
    expect((await run('--bogus', 'clean.snip')).code).toBe(2);
    const help = await run('--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('--check');
  });

  it('works through the real binary', async () => {
    const exec = promisify(execFile);
    const r = await exec(process.execPath, [path.join(root, 'bin/snip.js'), 'fmt', 'messy.snip'], { cwd: dir });
    expect(r.stdout).toContain('formatted messy.snip');
    expect(read('messy.snip')).toBe(CLEAN);
  });
});

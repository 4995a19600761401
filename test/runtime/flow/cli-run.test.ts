// `snip run` on .studio files, in-process with a fake CliIO: trace flags, formats, --trace-out,
// limits, exit codes; and the .snip behaviour kept (TRACE lines on stderr).
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.js';
import { parseJsonLines } from '../../../runtime/trace/jsonl.js';
import { fakeIO } from '../../cli/fake-io.js';
import { tempDir } from '../../helpers/temp-dir.js';

let dir: string;
beforeAll(() => {
  dir = tempDir('snip-run-studio-');
  writeFileSync(
    path.join(dir, 'hi.studio'),
    'PARAMS name\nBEGIN start -> greet\nSNIPPET greet {\n  greeting = "Hi {name}"\n  TRACE greeting\n}\n  -> done\nEND done\n',
  );
  writeFileSync(path.join(dir, 'loop.studio'), 'BEGIN s -> a\nASSIGN a (Variable = n, Value = 1)\n  -> a\n');
  writeFileSync(path.join(dir, 'bad.studio'), 'BEGIN s -> missing\n');
  writeFileSync(path.join(dir, 'wait.studio'), 'BEGIN s -> w\nWAIT w (Milliseconds = 5000)\n  -> d\nEND d\n');
  writeFileSync(path.join(dir, 't.snip'), 'TRACE "from snip"\nx = 1\n');
});

describe('snip run FILE.studio', () => {
  it('runs with inputs and prints variables on stdout', async () => {
    const io = fakeIO(dir);
    expect(await main(['run', 'hi.studio', '--input', 'name=Ada', '--print-vars'], io)).toBe(0);
    expect(JSON.parse(io.stdoutText())).toMatchObject({ name: 'Ada', greeting: 'Hi Ada' });
    expect(io.stderrText()).toContain('hi.studio:5: trace: Hi Ada');
  });
  it('--trace prints the table on stderr, stdout stays for --print-vars', async () => {
    const io = fakeIO(dir);
    expect(await main(['run', 'hi.studio', '--trace', '--print-vars', '--input', 'name=Bo'], io)).toBe(0);
    const err = io.stderrText();
    expect(err).toMatch(/#\s+label\s+action/);
    expect(err).toMatch(/greet\s+SNIPPET\s+Default -> done/);
    expect(err).toContain('greeting: (new) -> "Hi Bo"');
    expect(err).toContain('trace: Hi Bo');
    expect(err).toMatch(/completed in/);
    expect(err).not.toMatch(/\x1b\[/);
    expect(JSON.parse(io.stdoutText())).toMatchObject({ greeting: 'Hi Bo' });
  });
  it('--trace=statements --trace-format jsonl writes schema v1 events', async () => {
    const io = fakeIO(dir);
    expect(await main(['run', 'hi.studio', '--trace=statements', '--trace-format', 'jsonl'], io)).toBe(0);
    const events = parseJsonLines(io.stderrText());
    expect(events.every((e) => e.v === 1)).toBe(true);
    expect(events.map((e) => e.type)).toEqual(['action', 'statement', 'message', 'statement', 'action', 'action', 'end']);
    expect(events.find((e) => e.type === 'statement')).toMatchObject({ statement: 'Assign', line: 4, label: 'greet' });
  });
  it('--trace-out writes the trace to a file and nothing to stderr', async () => {
    const io = fakeIO(dir);
    expect(await main(['run', 'hi.studio', '--trace-format', 'jsonl', '--trace-out', 'out.jsonl'], io)).toBe(0);
    expect(io.stderrText()).toBe('');
    const events = parseJsonLines(readFileSync(path.join(dir, 'out.jsonl'), 'utf8'));
    expect(events.at(-1)).toMatchObject({ type: 'end', outcome: 'completed' });
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
  it('--max-steps stops a branch loop with exit 1 and a located error', async () => {
    const io = fakeIO(dir);
    expect(await main(['run', 'loop.studio', '--max-steps', '50'], io)).toBe(1);
    expect(io.stderrText()).toMatch(/^loop\.studio:2:8: error SNIP3002: Step limit exceeded/m);
  });
  it('--timeout stops a long WAIT with exit 1', async () => {
    const io = fakeIO(dir);
    expect(await main(['run', 'wait.studio', '--timeout', '20'], io)).toBe(1);
    expect(io.stderrText()).toContain('error SNIP3003');
  });
  it('an unknown label is a compile error: exit 2 with file:line:col', async () => {
    const io = fakeIO(dir);
    expect(await main(['run', 'bad.studio'], io)).toBe(2);
    expect(io.stderrText()).toMatch(/^bad\.studio:1:12: error SNIP2001: /m);
  });
  it('bad flag values are usage errors (exit 2)', async () => {
    expect(await main(['run', 'hi.studio', '--trace=everything'], fakeIO(dir))).toBe(2);
    expect(await main(['run', 'hi.studio', '--trace-format', 'xml'], fakeIO(dir))).toBe(2);
    expect(await main(['run', 'hi.studio', '--max-steps', 'many'], fakeIO(dir))).toBe(2);
  });
  it('runs a sample with RUNSUB from another folder (subscripts resolve beside the script)', async () => {
    const io = fakeIO(path.resolve(import.meta.dirname, '../../..'));
    expect(await main(['run', 'samples/runsub-main.studio', '--print-vars', '--trace'], io)).toBe(0);
    expect(JSON.parse(io.stdoutText())).toMatchObject({ message: '20 + 22 = 42 after 1 call' });
    expect(io.stderrText()).toMatch(/give_back\s+RETURN/);
  });
  it('--help documents the flags and exit codes', async () => {
    const io = fakeIO(dir);
    expect(await main(['run', '--help'], io)).toBe(0);
    for (const flag of ['--trace[=LEVEL]', '--trace-format', '--trace-out', '--input', '--inputs', '--print-vars', '--timeout', '--max-steps']) {
      expect(io.stdoutText()).toContain(flag);
    }
    expect(io.stdoutText()).toMatch(/Exit codes: 0 success, 1 script error/);
  });
  it('.snip files keep their TRACE lines and can be traced too', async () => {
    const io = fakeIO(dir);
    expect(await main(['run', 't.snip'], io)).toBe(0);
    expect(io.stderrText()).toBe('t.snip:1: trace: from snip\n');
    const traced = fakeIO(dir);
    expect(await main(['run', 't.snip', '--trace'], traced)).toBe(0);
    expect(traced.stderrText()).toMatch(/snippet\s+SNIPPET/);
  });
});

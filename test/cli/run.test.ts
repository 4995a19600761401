// `snip run`: exit codes, --print-vars, --input/--inputs, error and diagnostic lines; what it
// refuses before a run starts (issue 9, item 8) and Ctrl-C (a real process and a real SIGINT).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { parseJsonLines } from '../../runtime/trace/jsonl.js';
import type { EndEvent } from '../../runtime/trace/events.js';
import { fakeIO } from './fake-io.js';
import { tempDir } from '../helpers/temp-dir.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BUSY = 'TRACE "started"\nx = 0\nWHILE true {\n  x = x + 1\n}\n';

let dir: string;
beforeAll(() => {
  dir = tempDir('snip-run-');
  writeFileSync(path.join(dir, 'ok.snip'), 'ASSIGN greeting = "hello {name}"\nTRACE greeting\nn = count + 1\n');
  writeFileSync(path.join(dir, 'fail.snip'), 'a = 1\nb[63000001] = "x"\n');
  writeFileSync(path.join(dir, 'syntax.snip'), 'IF x = 1 {\n');
  writeFileSync(path.join(dir, 'in.json'), JSON.stringify({ name: 'json', count: 41, obj: { k: [1, 2] } }));
  writeFileSync(path.join(dir, 'busy.snip'), BUSY);
  writeFileSync(path.join(dir, 'notes.txt'), 'x = 1\n');
  writeFileSync(path.join(dir, 'image.snip'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48]));
  mkdirSync(path.join(dir, 'scripts.snip'));
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

describe('snip run refuses before the run starts', () => {
  it('a path that is not .snip/.studio, a folder, or a binary file', async () => {
    for (const [arg, message] of [
      ['notes.txt', /notes\.txt is not a \.snip or \.studio file/],
      ['scripts.snip', /scripts\.snip is a folder/],
      ['image.snip', /image\.snip looks like a binary file/],
    ] as const) {
      const io = fakeIO(dir);
      expect(await main(['run', arg], io), arg).toBe(2);
      expect(io.stderrText()).toMatch(message);
    }
  });
  it('snip check refuses a binary file the same way', async () => {
    const io = fakeIO(dir);
    expect(await main(['check', 'image.snip'], io)).toBe(2);
    expect(io.stderrText()).toMatch(/image\.snip looks like a binary file/);
  });
  it('a --trace-out that cannot be written, without running the script', async () => {
    for (const [out, why] of [
      ['no/such/folder/t.jsonl', /its folder does not exist/],
      ['scripts.snip', /it is a folder/],
    ] as const) {
      const io = fakeIO(dir);
      expect(await main(['run', 'ok.snip', '--trace-out', out], io), out).toBe(2);
      expect(io.stderrText()).toMatch(why);
      expect(io.stderrText()).not.toContain('trace:');
    }
    expect(existsSync(path.join(dir, 'no'))).toBe(false);
  });
});

describe('snip run --max-memory', () => {
  it('stops a run whose variables outgrow it with SNIP3021 and the line', async () => {
    writeFileSync(path.join(dir, 'grow.snip'), 'DYNAMIC kept\nFOR i = 1 TO 100000 {\n  kept[i] = "{i} {i} {i} {i} {i} {i} {i} {i}"\n}\n');
    const io = fakeIO(dir);
    expect(await main(['run', 'grow.snip', '--max-memory', '1'], io)).toBe(1);
    expect(io.stderrText()).toMatch(/^grow\.snip:3:3: error SNIP3021: Memory limit exceeded/m);
    expect(await main(['run', 'grow.snip', '--max-memory', '256'], fakeIO(dir))).toBe(0);
  });
});

describe('Ctrl-C', () => {
  it('writes the trace so far to --trace-out with an end event saying so, and exits 130', async () => {
    const io = { ...fakeIO(dir), isTTY: true };
    // The host's Ctrl-C arrives while the script is busy in WHILE true: once the progress line
    // shows, a second into the run (a loaded machine may take a while to get the run going).
    io.onInterrupt = (handler) => {
      const t = setInterval(() => {
        if (io.err.join('').includes('running:')) handler();
      }, 50);
      return () => clearInterval(t);
    };
    const code = await main(['run', 'busy.snip', '--trace-out', 'busy.jsonl', '--trace-format', 'jsonl', '--max-steps', '1000000000000'], io);
    expect(code).toBe(130);
    expect(io.stderrText()).toMatch(/busy\.snip:4:3: error SNIP3015: The run was interrupted \(Ctrl-C\)/);
    const events = parseJsonLines(readFileSync(path.join(dir, 'busy.jsonl'), 'utf8'));
    expect(events[0]).toMatchObject({ type: 'message', message: 'started' });
    expect(events.at(-1)).toMatchObject({
      type: 'end',
      outcome: 'aborted',
      error: { code: 'SNIP3015', message: 'The run was interrupted (Ctrl-C)' },
    } satisfies Partial<EndEvent>);
  });

  it('the progress line shows on a terminal while WHILE true runs', async () => {
    const io = { ...fakeIO(dir), isTTY: true };
    io.onInterrupt = (handler) => {
      // Interrupt once the progress line has been drawn: proof the busy run let its timer fire.
      const t = setInterval(() => {
        if (io.err.join('').includes('running:')) handler();
      }, 50);
      return () => clearInterval(t);
    };
    expect(await main(['run', 'busy.snip', '--max-steps', '1000000000000'], io)).toBe(130);
    expect(io.err.join('')).toMatch(/running: \d+ actions, \d+\.\d s/);
  });

  it('a real SIGINT to bin/snip.js ends a busy run with the end event and exit code 130', async () => {
    const child = spawn(
      process.execPath,
      [path.join(root, 'bin/snip.js'), 'run', 'busy.snip', '--trace', '--trace-format', 'jsonl', '--max-steps', '1000000000000'],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let err = '';
    let signalled = false;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (t: string) => {
      err += t;
      // The first trace line means the handler is installed and the loop is about to spin.
      if (!signalled && err.includes('"started"')) {
        signalled = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(code, err).toBe(130);
    const lines = err.split('\n').filter((l) => l.startsWith('{'));
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ type: 'end', outcome: 'aborted', error: { code: 'SNIP3015' } });
  });
});

// A CliIO that records output, for running `main([...])` in-process.
import type { CliIO } from '../../cli/io.js';

export interface RecordingIO extends CliIO {
  out: string[];
  err: string[];
  stdoutText(): string;
  stderrText(): string;
}

export function fakeIO(cwd: string): RecordingIO {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    readStdin: async () => undefined,
    isTTY: false,
    env: {},
    cwd,
    stdoutText: () => out.join(''),
    stderrText: () => err.join(''),
  };
}

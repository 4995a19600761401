// Runs the bundled `snip` CLI (dist/snip.js) as a Node child process: the extension host's own
// runtime with ELECTRON_RUN_AS_NODE=1, as VS Code starts its own Node helpers. Output arrives line by
// line so a trace can stream into its view while the run goes.
import { spawn } from 'node:child_process';
import * as path from 'node:path';

export interface SnipOptions {
  cwd?: string;
  /** Written to the child's stdin, then closed (secret values travel this way, never in argv). */
  stdin?: string;
  env?: Record<string, string | undefined>;
  onStdoutLine?: (line: string) => void;
  onStderrLine?: (line: string) => void;
  signal?: AbortSignal;
}

export interface SnipResult {
  code: number;
  stdout: string;
  stderr: string;
}

let extensionRoot = '';

/** Set once on activation: where dist/snip.js lives. */
export function setExtensionRoot(root: string): void {
  extensionRoot = root;
}

function lineSplitter(onLine: ((line: string) => void) | undefined): { push(chunk: string): void; end(): void } {
  let rest = '';
  return {
    push(chunk) {
      if (!onLine) return;
      rest += chunk;
      let i: number;
      while ((i = rest.indexOf('\n')) >= 0) {
        onLine(rest.slice(0, i).replace(/\r$/, ''));
        rest = rest.slice(i + 1);
      }
    },
    end() {
      if (onLine && rest) onLine(rest);
      rest = '';
    },
  };
}

/** Runs `snip ARGS...`; resolves with the exit code and the whole output, never rejects on exit codes. */
export function runSnip(args: string[], options: SnipOptions = {}): Promise<SnipResult> {
  return new Promise((resolve, reject) => {
    const script = path.join(extensionRoot, 'dist', 'snip.js');
    const child = spawn(process.execPath, [script, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env, ELECTRON_RUN_AS_NODE: '1', NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
      signal: options.signal,
      windowsHide: true,
    });
    let stdout = '';
    let stderr = '';
    const out = lineSplitter(options.onStdoutLine);
    const err = lineSplitter(options.onStderrLine);
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      out.push(c);
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
      err.push(c);
    });
    child.on('error', (e) => {
      if ((e as NodeJS.ErrnoException).code === 'ABORT_ERR') resolve({ code: 130, stdout, stderr });
      else reject(e);
    });
    child.on('close', (code) => {
      out.end();
      err.end();
      resolve({ code: code ?? 1, stdout, stderr });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.stdin ?? '');
  });
}

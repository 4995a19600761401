// The CLI's view of the outside world, passed in so commands run the same in-process (tests) and
// as the `snip` binary.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Reads all of standard input (for secrets piped in); undefined when there is none. */
  readStdin(): Promise<string | undefined>;
  /** Whether stdout is a terminal (colour, progress lines). */
  isTTY: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
  /**
   * Calls `handler` on Ctrl-C (SIGINT) until the returned function is called; a second Ctrl-C
   * ends the process at once. Absent when the host has no such signal (tests call handlers directly).
   */
  onInterrupt?(handler: () => void): () => void;
}

/** Exit codes shared by every command (documented in README and `snip --help`). */
export const EXIT = {
  ok: 0,
  /** Script error, diagnostics with errors, or a check that found differences. */
  failure: 1,
  /** Bad usage or a file that does not compile. */
  usage: 2,
  /** A bug in snip itself (bin/snip.js prints "internal error" without a stack). */
  internal: 70,
  /** Stopped by Ctrl-C (128 + SIGINT, as shells report it). */
  interrupted: 130,
} as const;

/** A command of `snip`: its one-line summary, its `--help` text and its runner. */
export interface Command {
  summary: string;
  help: string;
  run(args: string[], io: CliIO): Promise<number>;
}

/** The process-backed IO used by the real binary. */
export function processIO(): CliIO {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    readStdin: async () => {
      if (process.stdin.isTTY) return undefined;
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    isTTY: Boolean(process.stdout.isTTY),
    env: process.env,
    cwd: process.cwd(),
    onInterrupt(handler) {
      let count = 0;
      const listener = (): void => {
        if (++count > 1) process.exit(EXIT.interrupted);
        handler();
      };
      process.on('SIGINT', listener);
      return () => void process.off('SIGINT', listener);
    },
  };
}

export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * `util.parseArgs` with usage errors as `UsageError` (so commands print a clean message and exit 2,
 * never a stack trace).
 */
export function parseCommandArgs<T extends ParseArgsConfig['options']>(
  args: string[],
  options: T,
): { values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[] } {
  try {
    const r = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: r.values as Record<string, string | boolean | (string | boolean)[] | undefined>, positionals: r.positionals };
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}

// Entry of `snip dap`: one debug session over standard input and output until the client goes.
import { SnipDebugSession } from './session.js';

/** Serves DAP on stdin/stdout; resolves when the client closes the connection. */
export function serveStdio(): Promise<void> {
  const session = new SnipDebugSession();
  session.start(process.stdin, process.stdout);
  return new Promise<void>((resolve) => {
    process.stdin.on('end', () => resolve());
    process.stdin.on('close', () => resolve());
  });
}

// The bundled `snip` CLI (dist/snip.js): the same `main` as bin/snip.js, so runs and hub operations
// started from VS Code use the runtime code `snip run` and `snip hub` use, not a copy.
import { main } from '../../../runtime/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`snip: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 70;
  },
);

#!/usr/bin/env node
// Entry point of the `snip` CLI: the compiled TypeScript lives in dist/.
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => {
    // A bug in snip itself, never a user error: say so briefly, without a stack unless asked.
    process.stderr.write(`snip: internal error: ${err && err.message ? err.message : String(err)}\n`);
    if (process.env.SNIP_DEBUG) process.stderr.write(String(err && err.stack) + '\n');
    process.exitCode = 70;
  },
);

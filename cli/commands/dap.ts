// `snip dap`: runs the debug adapter over standard input/output until the client disconnects.
import { EXIT, UsageError, parseCommandArgs, type Command } from '../io.js';

const HELP = `snip dap: start the Snippet debug adapter (for .snip and .studio files)

Usage: snip dap [--stdio]

The adapter speaks the Debug Adapter Protocol over standard input and output; editors start it
(the VS Code extension does, for launch configurations of type "snip"). Launch arguments:
program, inputs or inputsFile, hub, stopOnEntry, trace, limits (docs/debugging.md).

Options:
  --stdio        talk DAP over stdin/stdout (the default and only transport)
  -h, --help     show this help
`;

export const command: Command = {
  summary: 'start the debug adapter (DAP over stdio)',
  help: HELP,
  async run(args) {
    const { positionals } = parseCommandArgs(args, { stdio: { type: 'boolean' } });
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const { serveStdio } = await import('../../dap/main.js');
    await serveStdio();
    return EXIT.ok;
  },
};

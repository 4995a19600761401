// `snip lsp --stdio`: runs the language server over standard input/output until the client exits.
import { EXIT, UsageError, parseCommandArgs, type Command } from '../io.js';

const HELP = `snip lsp: start the Snippet language server (for .snip and .studio files)

Usage: snip lsp --stdio [--hub DIR]

The server speaks the Language Server Protocol over standard input and output; editors start it
(the VS Code extension does). It reads the .snip/.studio files of the workspace folder and the
names in the integration hub (connections, requests, secret names; never secret values).

Options:
  --stdio        talk LSP over stdin/stdout (the only transport)
  --hub DIR      the hub directory (default: SNIP_HUB, else hub/ in the workspace folder)
  -h, --help     show this help
`;

export const command: Command = {
  summary: 'start the language server (--stdio)',
  help: HELP,
  async run(args, io) {
    const { values } = parseCommandArgs(args, { stdio: { type: 'boolean' }, hub: { type: 'string' } });
    if (!values.stdio) throw new UsageError('the language server needs --stdio');
    const { startServer } = await import('../../lsp/server.js');
    const env = { ...io.env, ...(typeof values.hub === 'string' ? { SNIP_HUB: values.hub } : {}) };
    const connection = startServer(undefined, env);
    await new Promise<void>((resolve) => {
      connection.onExit(() => resolve());
      process.stdin.on('end', () => resolve());
    });
    return EXIT.ok;
  },
};

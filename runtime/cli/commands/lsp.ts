// Placeholder until the 'lsp' command lands; replaced by its real implementation.
import { EXIT, type Command } from '../io.js';

export const command: Command = {
  summary: 'lsp',
  help: 'snip lsp: not available yet in this build.',
  async run(_args, io) {
    io.stderr("snip lsp: not available yet in this build.\n");
    return EXIT.usage;
  },
};

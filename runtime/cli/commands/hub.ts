// Placeholder until the 'hub' command lands; replaced by its real implementation.
import { EXIT, type Command } from '../io.js';

export const command: Command = {
  summary: 'hub',
  help: 'snip hub: not available yet in this build.',
  async run(_args, io) {
    io.stderr("snip hub: not available yet in this build.\n");
    return EXIT.usage;
  },
};

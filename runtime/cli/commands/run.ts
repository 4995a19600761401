// Placeholder until the 'run' command lands; replaced by its real implementation.
import { EXIT, type Command } from '../io.js';

export const command: Command = {
  summary: 'run',
  help: 'snip run: not available yet in this build.',
  async run(_args, io) {
    io.stderr("snip run: not available yet in this build.\n");
    return EXIT.usage;
  },
};

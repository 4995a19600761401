// Placeholder until the 'fmt' command lands; replaced by its real implementation.
import { EXIT, type Command } from '../io.js';

export const command: Command = {
  summary: 'fmt',
  help: 'snip fmt: not available yet in this build.',
  async run(_args, io) {
    io.stderr("snip fmt: not available yet in this build.\n");
    return EXIT.usage;
  },
};

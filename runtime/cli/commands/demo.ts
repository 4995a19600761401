// Placeholder until the 'demo' command lands; replaced by its real implementation.
import { EXIT, type Command } from '../io.js';

export const command: Command = {
  summary: 'demo',
  help: 'snip demo: not available yet in this build.',
  async run(_args, io) {
    io.stderr("snip demo: not available yet in this build.\n");
    return EXIT.usage;
  },
};

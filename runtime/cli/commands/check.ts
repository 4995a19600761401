// Placeholder until the 'check' command lands; replaced by its real implementation.
import { EXIT, type Command } from '../io.js';

export const command: Command = {
  summary: 'check',
  help: 'snip check: not available yet in this build.',
  async run(_args, io) {
    io.stderr("snip check: not available yet in this build.\n");
    return EXIT.usage;
  },
};

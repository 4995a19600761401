// A masked terminal prompt for secret values: echoes `*` per character, never the character.
import { stdin, stderr } from 'node:process';
import { UsageError } from '../io.js';

/** Reads one line from the terminal without echoing it; undefined when stdin is not a terminal. */
export function promptHidden(question: string): Promise<string | undefined> {
  if (!stdin.isTTY) return Promise.resolve(undefined);
  return new Promise((resolvePrompt, reject) => {
    let value = '';
    stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (result: string | undefined, error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      stderr.write('\n');
      if (error) reject(error);
      else resolvePrompt(result);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done(value);
        if (ch === '\u0003') return done(undefined, new UsageError('cancelled'));
        if (ch === '\u007f' || ch === '\b') {
          if (value.length > 0) {
            value = value.slice(0, -1);
            stderr.write('\b \b');
          }
        } else if (ch >= ' ') {
          value += ch;
          stderr.write('*');
        }
      }
    };
    stdin.on('data', onData);
  });
}

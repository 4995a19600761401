// `snip`: dispatches to one module per command under ./commands, loaded on demand so that
// `snip check` never pays for the HTTP stack.
import { EXIT, UsageError, processIO, type CliIO, type Command } from './io.js';

/** Every command, in the order `snip --help` lists them. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<{ command: Command }> }> = {
  check: { summary: 'report syntax and analysis problems in .snip/.studio files', load: () => import('./commands/check.js') },
  fmt: { summary: 'format .snip/.studio files (--check to verify only)', load: () => import('./commands/fmt.js') },
  run: { summary: 'run a .snip or .studio file, optionally with a trace', load: () => import('./commands/run.js') },
  test: { summary: 'run the script tests in *.test.json files (replayed HTTP, faults, JUnit)', load: () => import('./commands/test.js') },
  hub: { summary: 'manage the integration hub: templates, connections, secrets, requests', load: () => import('./commands/hub.js') },
  lsp: { summary: 'start the language server (--stdio)', load: () => import('./commands/lsp.js') },
  dap: { summary: 'start the debug adapter (DAP over stdio)', load: () => import('./commands/dap.js') },
  serve: { summary: 'run the headless script service (HTTP API with OAuth 2.0)', load: () => import('./commands/serve.js') },
  demo: { summary: 'run the offline demo: local API, sample hub, traced sample script', load: () => import('./commands/demo.js') },
};

function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  const lines = Object.entries(COMMANDS).map(([k, c]) => `  ${k.padEnd(width)}  ${c.summary}`);
  return [
    'snip: Snippet scripts, action flows and the integration hub',
    '',
    'Usage: snip <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `snip <command> --help` for a command\'s options.',
    'Exit codes: 0 success, 1 script error or problems found, 2 usage or compile error,',
    '70 internal error in snip, 130 interrupted by Ctrl-C.',
    '',
  ].join('\n');
}

/** Runs the CLI with `args` (without `node` and the script name) and returns the exit code. */
export async function main(args: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(mainHelp());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout('snip 0.1.0\n');
    return EXIT.ok;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    io.stderr(`snip: unknown command '${name}'. Run 'snip --help' for the list.\n`);
    return EXIT.usage;
  }
  let command: Command;
  try {
    command = (await entry.load()).command;
  } catch {
    io.stderr(`snip: the '${name}' command is not available in this build.\n`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.help.endsWith('\n') ? command.help : command.help + '\n');
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`snip ${name}: ${e.message}\nRun 'snip ${name} --help' for usage.\n`);
      return EXIT.usage;
    }
    throw e;
  }
}

// `snip run FILE.snip`: runs a snippet as one SNIPPET action, with inputs from the command line or
// a JSON file; prints TRACE output on stderr, the final variables on stdout with --print-vars.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { formatDiagnostic } from '../../../language/diagnostics.js';
import { compile } from '../../compile.js';
import { displayPath } from '../files.js';
import { EXIT, UsageError, parseCommandArgs, type Command } from '../io.js';

const HELP = `snip run: run a .snip file as one SNIPPET action

Usage: snip run [options] FILE.snip

Options:
  --input NAME=VALUE   preset a variable (repeatable; VALUE is text)
  --inputs FILE.json   preset variables from a JSON object (objects and arrays become
                       dynamic objects); --input values win over it
  --print-vars         print the final variables as one JSON object on stdout
  -h, --help           show this help

TRACE output goes to stderr as "file:line: trace: message".

Exit codes: 0 success, 1 script error (file:line:col: error CODE: message on stderr),
2 usage or compile errors.
`;

async function readInputsFile(file: string, cwd: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await fs.readFile(path.resolve(cwd, file), 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new UsageError(`${file} must hold a JSON object of variable names to values`);
  }
  return data as Record<string, unknown>;
}

export const command: Command = {
  summary: 'run a .snip file',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      input: { type: 'string', multiple: true },
      inputs: { type: 'string' },
      'print-vars': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help === true) {
      io.stdout(HELP);
      return EXIT.ok;
    }
    if (positionals.length !== 1) throw new UsageError('give exactly one .snip file to run');
    const file = path.resolve(io.cwd, positionals[0]!);
    const shown = displayPath(file, io.cwd);
    const inputs: Record<string, unknown> = Object.create(null);
    if (typeof values.inputs === 'string') Object.assign(inputs, await readInputsFile(values.inputs, io.cwd));
    for (const pair of (values.input as string[] | undefined) ?? []) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new UsageError(`--input expects NAME=VALUE, got '${pair}'`);
      inputs[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    let source: string;
    try {
      source = await fs.readFile(file, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read ${shown}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const { diagnostics, program } = compile(source, { fileName: shown });
    if (program === undefined) {
      for (const d of diagnostics) if (d.severity === 'error') io.stderr(formatDiagnostic(shown, d) + '\n');
      return EXIT.usage;
    }
    const result = await program.run({
      inputs,
      onTrace: (message, line) => io.stderr(`${shown}:${line}: trace: ${message}\n`),
    });
    if (values['print-vars'] === true) io.stdout(JSON.stringify(result.variables, null, 2) + '\n');
    if (result.error !== undefined) {
      const e = result.error;
      const where = e.line !== undefined ? `${shown}:${e.line}:${e.column}: ` : `${shown}: `;
      io.stderr(`${where}error ${e.code}: ${e.message}\n`);
      return EXIT.failure;
    }
    return EXIT.ok;
  },
};

// `snip run FILE.studio|FILE.snip`: runs a flow (or a snippet as one SNIPPET action) with inputs from
// the command line or a JSON file; optionally traces it as a table or JSON Lines; prints the final
// variables on stdout with --print-vars. TRACE output and the trace table go to stderr.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { formatDiagnostic } from '../../language/diagnostics.js';
import { missingHub } from '../../runtime/hub/file-store.js';
import { openFileHub } from '../../runtime/hub/services.js';
import { runScript } from '../../runtime/run-script.js';
import type { TraceEvent, TraceLevel, TraceSink } from '../../runtime/trace/events.js';
import { jsonlSink } from '../../runtime/trace/jsonl.js';
import { tableSink } from '../../runtime/trace/table.js';
import { readCassette, type Exchange } from '../../runtime/testing/cassette.js';
import { DryRunHttpClient } from '../../runtime/testing/dry-run.js';
import { checkScriptFile, checkWritable, displayPath, writeFileAtomic } from '../files.js';
import { EXIT, UsageError, parseCommandArgs, type CliIO, type Command } from '../io.js';

const HELP = `snip run: run a .studio flow, or a .snip file as one SNIPPET action

Usage: snip run [options] FILE.studio|FILE.snip

Options:
  --input NAME=VALUE      preset a variable or PARAM (repeatable; VALUE is text)
  --inputs FILE.json      preset variables from a JSON object (objects and arrays become
                          dynamic objects); --input values win over it
  --print-vars            print the final variables as one JSON object on stdout
  --trace[=LEVEL]         trace the run: actions (default) or statements
  --trace-format FORMAT   table (default, readable) or jsonl (schema v1, docs/trace.md)
  --trace-out FILE        write the trace to FILE (atomically) instead of stderr
  --timeout MS            stop the run after MS milliseconds (default 10000)
  --max-steps N           stop the run after N steps: actions, statements and loop turns
                          (default 1000000)
  --max-memory MB         stop the run when its variables hold more than MB megabytes of
                          text and objects (default 64)
  --hub DIR               the integration hub for CONNECTAUTH / CONNECTREQUEST
                          (default: $SNIP_HUB, then ./hub); secrets and tokens are masked
  --dry-run               send nothing: print each request a CONNECTAUTH, CONNECTREQUEST or
                          RESTAPI action would send (secrets as [[ name ]]) on stderr; the
                          action then takes OnError, unless --cassette answers it
  --cassette FILE         with --dry-run: answer matching requests from a snip test cassette
  -h, --help              show this help

Without --trace, TRACE output goes to stderr as "file:line: trace: message".
A progress line shows on stderr during long runs when it is a terminal.

Ctrl-C stops the run: the trace so far is written (its end event says the run was
interrupted) and snip exits 130; a second Ctrl-C exits at once.

Exit codes: 0 success, 1 script error (file:line:col: error CODE: message on stderr),
2 usage or compile errors, 70 an internal error in snip, 130 interrupted by Ctrl-C.
`;

/** The abort reason, and so the error and trace message, of a run stopped by Ctrl-C. */
const INTERRUPTED = 'The run was interrupted (Ctrl-C)';

const LEVELS: readonly TraceLevel[] = ['actions', 'statements'];

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

function positiveInt(name: string, v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${name} expects a positive whole number, got '${String(v)}'`);
  return n;
}

/** The --dry-run HTTP client, with the exchanges of every case of `--cassette` to answer from. */
async function dryRunClient(io: CliIO, cassette: string | undefined): Promise<DryRunHttpClient> {
  let exchanges: Exchange[] = [];
  if (cassette !== undefined) {
    try {
      exchanges = Object.values((await readCassette(path.resolve(io.cwd, cassette))).cases).flat();
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  return new DryRunHttpClient(io.stderr, exchanges);
}

/** `--trace` alone means `--trace=actions` (parseArgs has no optional values). */
function normaliseArgs(args: string[]): string[] {
  return args.map((a) => (a === '--trace' ? '--trace=actions' : a));
}

/** Redraws one status line on a terminal while a run takes long; cleared when it ends. */
function progress(io: CliIO, enabled: boolean): { sink: TraceSink; stop(): void } {
  let actions = 0;
  let label = '';
  const started = Date.now();
  let shown = false;
  const timer = enabled
    ? setInterval(() => {
        if (Date.now() - started < 1000) return;
        shown = true;
        const at = label === '' ? '' : `, at ${label}`;
        io.stderr(`\r\x1b[2Krunning: ${actions} actions, ${((Date.now() - started) / 1000).toFixed(1)} s${at}`);
      }, 250)
    : undefined;
  timer?.unref();
  return {
    sink: (e) => {
      if (e.type === 'action') {
        actions++;
        label = e.label;
      }
    },
    stop: () => {
      if (timer) clearInterval(timer);
      if (shown) io.stderr('\r\x1b[2K');
    },
  };
}

export const command: Command = {
  summary: 'run a .snip or .studio file, optionally with a trace',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(normaliseArgs(args), {
      input: { type: 'string', multiple: true },
      inputs: { type: 'string' },
      'print-vars': { type: 'boolean' },
      trace: { type: 'string' },
      'trace-format': { type: 'string' },
      'trace-out': { type: 'string' },
      timeout: { type: 'string' },
      'max-steps': { type: 'string' },
      'max-memory': { type: 'string' },
      hub: { type: 'string' },
      'dry-run': { type: 'boolean' },
      cassette: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help === true) {
      io.stdout(HELP);
      return EXIT.ok;
    }
    if (positionals.length !== 1) throw new UsageError('give exactly one .studio or .snip file to run');
    const format = (values['trace-format'] as string | undefined) ?? 'table';
    if (format !== 'table' && format !== 'jsonl') throw new UsageError(`--trace-format expects table or jsonl, got '${format}'`);
    const traceOut = values['trace-out'] as string | undefined;
    let level = values.trace as string | undefined;
    if (level !== undefined && !LEVELS.includes(level as TraceLevel)) {
      throw new UsageError(`--trace expects actions or statements, got '${level}'`);
    }
    if (level === undefined && (traceOut !== undefined || values['trace-format'] !== undefined)) level = 'actions';
    const timeout = positiveInt('--timeout', values.timeout);
    const maxSteps = positiveInt('--max-steps', values['max-steps']);
    const maxMemoryMb = positiveInt('--max-memory', values['max-memory']);

    const file = path.resolve(io.cwd, positionals[0]!);
    const shown = displayPath(file, io.cwd);
    const inputs: Record<string, unknown> = Object.create(null);
    if (typeof values.inputs === 'string') Object.assign(inputs, await readInputsFile(values.inputs, io.cwd));
    for (const pair of (values.input as string[] | undefined) ?? []) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new UsageError(`--input expects NAME=VALUE, got '${pair}'`);
      inputs[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    await checkScriptFile(file, shown);
    if (traceOut !== undefined) await checkWritable(path.resolve(io.cwd, traceOut), traceOut);
    // A hub named with --hub or SNIP_HUB must exist: a typo is not an empty hub (the default ./hub may be absent).
    const namedHub = (values.hub as string | undefined) ?? (io.env['SNIP_HUB'] || undefined);
    if (namedHub !== undefined && !(await isFolder(path.resolve(io.cwd, namedHub)))) {
      io.stderr(`snip run: error SNIP4040: ${missingHub(namedHub).message}\n`);
      return EXIT.usage;
    }

    const color = io.isTTY && traceOut === undefined && !io.env['NO_COLOR'];
    let traceText = '';
    const writeTrace = traceOut !== undefined ? (t: string) => void (traceText += t) : io.stderr;
    const traceSink: TraceSink | undefined =
      level === undefined ? undefined : format === 'jsonl' ? jsonlSink(writeTrace) : tableSink({ write: writeTrace, color });
    const bar = progress(io, io.isTTY && (traceSink === undefined || traceOut !== undefined));
    const onTrace = (e: TraceEvent): void => {
      bar.sink(e);
      if (traceSink) traceSink(e);
      else if (e.type === 'message') io.stderr(`${e.fileName ?? shown}:${e.line}: trace: ${e.message}\n`);
    };
    const limits = {
      ...(timeout !== undefined ? { maxTimeMs: timeout } : {}),
      ...(maxSteps !== undefined ? { maxSteps } : {}),
      ...(maxMemoryMb !== undefined ? { maxMemoryBytes: maxMemoryMb * 1024 * 1024 } : {}),
    };
    if (values.cassette !== undefined && values['dry-run'] !== true) throw new UsageError('--cassette only goes with --dry-run');
    const dry = values['dry-run'] === true ? await dryRunClient(io, values.cassette as string | undefined) : undefined;
    const hub = openFileHub({ dir: values.hub as string | undefined, cwd: io.cwd, env: io.env, notice: (t) => io.stderr(`${t}\n`), ...(dry ? { http: dry } : {}) });
    await dry?.attach(hub);
    const interrupt = new AbortController();
    const stopListening = io.onInterrupt?.(() => interrupt.abort(INTERRUPTED));
    let result;
    try {
      result = await runScript(file, {
        signal: interrupt.signal,
        fileName: shown,
        inputs,
        limits,
        onTrace,
        traceLevel: (level as TraceLevel | undefined) ?? 'actions',
        hub,
        masker: hub.mask,
      });
    } finally {
      stopListening?.();
      bar.stop();
      await hub.close();
    }
    if (traceOut !== undefined) {
      try {
        await writeFileAtomic(path.resolve(io.cwd, traceOut), traceText);
      } catch (e) {
        io.stderr(`snip run: cannot write ${traceOut}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
        return EXIT.failure;
      }
    }
    if (result.diagnostics !== undefined) {
      for (const d of result.diagnostics) if (d.severity === 'error') io.stderr(formatDiagnostic(result.error?.fileName ?? shown, d) + '\n');
      return EXIT.usage;
    }
    if (values['print-vars'] === true) io.stdout(hub.mask(JSON.stringify(result.variables, null, 2)) + '\n');
    if (result.error !== undefined) {
      const e = result.error;
      const where = e.line !== undefined ? `${e.fileName ?? shown}:${e.line}:${e.column}: ` : `${e.fileName ?? shown}: `;
      io.stderr(`${where}error ${e.code}: ${hub.mask(e.message)}\n`);
      return interrupt.signal.aborted && e.code === 'SNIP3015' ? EXIT.interrupted : EXIT.failure;
    }
    return EXIT.ok;
  },
};

async function isFolder(dir: string): Promise<boolean> {
  try {
    return (await fs.stat(dir)).isDirectory();
  } catch {
    return false;
  }
}

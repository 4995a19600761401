// The host API: `runScript(fileOrSource, options)` runs a `.studio` flow or a `.snip` file headless
// and returns its outputs, variables, error and (on request) its trace. Every run owns its store,
// budget and trace counter: runs are re-entrant and many may run at once in one process.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../language/diagnostics.js';
import { SnipError, SnipLimitError, toRunError, type RunError } from './errors.js';
import { ActionRegistry, defaultActions } from './flow/actions/index.js';
import { compileScript, type CompiledScriptResult, type ScriptKind } from './flow/compile-script.js';
import { runFlow, type FlowDebugHook, type FlowRunOptions, type FlowScope } from './flow/engine.js';
import type { ActionHandler, CompiledFlow, LoadedScript } from './flow/types.js';
import { DEFAULT_YIELD_MS, FunctionRegistry, VariableStore, resolveLimits, type RunLimitsInput } from './interpreter/api.js';
import { valueFromPlain } from './interpreter/plain.js';
import { TraceEmitter } from './trace/emitter.js';
import { noMask, type Masker, type TraceEvent, type TraceLevel, type TraceSink } from './trace/events.js';
import { toPlain, type SnipDate } from './values.js';
import { compileFile, compiledNow } from './script-cache.js';

/** Options of one run. */
export interface RunScriptOptions {
  /** Variables preset before BEGIN (the PARAMS), as plain JSON: objects/arrays become dynamic objects. */
  inputs?: Record<string, unknown>;
  limits?: RunLimitsInput;
  /** Receives every trace event as it happens (the EndEvent last). */
  onTrace?: TraceSink;
  /** Collect the events into `result.trace`. */
  collectTrace?: boolean;
  /** Default `actions` when a trace is requested, else `off`. */
  traceLevel?: TraceLevel;
  signal?: AbortSignal;
  /**
   * A long run yields to the event loop about this often, in ms (default 50), so it never blocks
   * its host for longer; 0 never yields on its own (awaited built-ins still do).
   */
  yieldEveryMs?: number;
  /** Names the script in events and errors; its extension decides `.snip` vs `.studio` for source text. */
  fileName?: string;
  kind?: ScriptKind;
  /** Masks secret values and tokens in every trace text. */
  masker?: Masker;
  /** The integration hub for CONNECT* actions (put in the action context's `services.hub`). */
  hub?: unknown;
  /** Further host services for actions, by name. */
  services?: Record<string, unknown>;
  /** Extra action types (or replacements). */
  actions?: readonly ActionHandler[];
  /** RUNSUB scripts must live in this folder or below; default: the main script's folder. */
  baseDir?: string;
  /**
   * For long-lived hosts that run script files many times: watch the script's folder (and those of
   * its RUNSUB subscripts) instead of a stat per file and run; an edit is seen once its change event
   * arrives. The watchers do not keep the process alive (`closeScriptWatchers()` stops them).
   */
  watch?: boolean;
  /** Reads a subscript; default: the file system. */
  readFile?(file: string): Promise<string>;
  random?(): number;
  now?(): SnipDate;
  /** A debugger's hooks (runtime/debug); runs without it take the fast path unchanged. */
  debug?: FlowDebugHook;
  /** Told of every hub event (unmasked, whatever the trace level): a host's metrics, not a trace. */
  onHub?: FlowRunOptions['onHub'];
}

/** What a run returns. */
export interface RunScriptResult {
  /** The variables at END, or `{ ReturnValue }` when the script ended with RETURN; empty on error. */
  outputs: Record<string, unknown>;
  /** Every variable at the end of the run (plain JSON). */
  variables: Record<string, unknown>;
  /** What ended the run early (limits, abort, compile errors, a `.snip` script error). */
  error: RunError | undefined;
  /** Compile problems when the script could not start. */
  diagnostics?: Diagnostic[];
  trace?: TraceEvent[];
}

const FILE_ARG = /^[^\n{}]*\.(?:studio|snip)\s*$/i;

// `path.resolve` of script paths a host runs again and again. Only absolute paths are kept: their
// resolution does not depend on the working folder, which may change between runs.
const RESOLVED = new Map<string, { file: string; base: string }>();

/** The absolute path of a script file argument and its base name. */
function resolvedPath(arg: string): { file: string; base: string } {
  let r = RESOLVED.get(arg);
  if (r !== undefined) return r;
  const trimmed = arg.trim();
  const file = path.resolve(trimmed);
  r = { file, base: path.basename(file) };
  if (path.isAbsolute(trimmed)) {
    if (RESOLVED.size >= 1000) RESOLVED.clear();
    RESOLVED.set(arg, r);
  }
  return r;
}

function cannotRead(fileOrSource: string, code: string): RunScriptResult {
  return { outputs: {}, variables: {}, error: { code: 'SNIP3012', message: `cannot read ${fileOrSource}: ${code}` } };
}

function compileError(diagnostics: Diagnostic[], fileName: string | undefined): RunError {
  const d = diagnostics.find((x) => x.severity === 'error') ?? diagnostics[0]!;
  const e: RunError = { code: d.code, message: d.message, line: d.range.start.line, column: d.range.start.column };
  if (fileName !== undefined) e.fileName = fileName;
  return e;
}

/**
 * RUNSUB's loader: names resolve against the calling script's folder and must stay inside `root`
 * (Studio wants subscripts beside the main script or below it). Each file is compiled once a run.
 */
function subscriptLoader(
  options: RunScriptOptions,
  registry: ActionRegistry,
  root: string,
  main: { shown: string | undefined; file: string },
): FlowRunOptions['loadScript'] {
  const read = options.readFile ?? ((f: string) => fs.readFile(f, 'utf8'));
  const files = new Map<string | undefined, string>([[main.shown, main.file]]);
  const loaded = new Map<string, Promise<LoadedScript>>();
  const shownPrefix = main.shown !== undefined ? path.posix.dirname(main.shown) : '.';
  // On the real file system a symbolic link must not lead out of the folder either.
  let realRoot: Promise<string> | undefined;
  const insideForReal = async (file: string, shown: string): Promise<void> => {
    realRoot ??= fs.realpath(root).catch(() => path.resolve(root));
    let real: string;
    try {
      real = await fs.realpath(file);
    } catch {
      throw new SnipError('SNIP3012', `RUNSUB cannot read the subscript '${shown}'`);
    }
    const rel = path.relative(await realRoot, real);
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      throw new SnipError('SNIP3012', `RUNSUB: '${shown}' is a link that leads outside the script's folder`);
    }
  };
  // Files on disk with the default actions come from the per-path cache (compiled once per edit).
  const cached = options.readFile === undefined && registry === defaultActions;
  const load = async (file: string, shown: string): Promise<LoadedScript> => {
    if (options.readFile === undefined) await insideForReal(file, shown);
    let r: CompiledScriptResult;
    if (cached) {
      const got = await compileFile(file, { fileName: shown, kind: 'studio', watch: options.watch === true });
      if ('readFailed' in got) throw new SnipError('SNIP3012', `RUNSUB cannot read the subscript '${shown}'`);
      r = got;
    } else {
      let source: string;
      try {
        source = await read(file);
      } catch {
        throw new SnipError('SNIP3012', `RUNSUB cannot read the subscript '${shown}'`);
      }
      r = compileScript(source, { fileName: shown, kind: 'studio', actions: registry });
    }
    if (r.flow === undefined) {
      const e = compileError(r.diagnostics, shown);
      throw new SnipError('SNIP3018', `The subscript ${shown}:${e.line}:${e.column} does not compile: ${e.code} ${e.message}`);
    }
    return { flow: r.flow, fileName: shown };
  };
  return (name, from) => {
    const withExt = path.extname(name) === '' ? `${name}.studio` : name;
    const caller = files.get(from) ?? main.file;
    const file = path.resolve(path.dirname(caller), withExt);
    const rel = path.relative(root, file);
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      return Promise.reject(new SnipError('SNIP3012', `RUNSUB: '${name}' is outside the script's folder`));
    }
    if (path.extname(file).toLowerCase() !== '.studio') {
      return Promise.reject(new SnipError('SNIP3012', `RUNSUB runs .studio scripts only, not '${name}'`));
    }
    const shown = path.posix.join(shownPrefix, rel.split(path.sep).join('/'));
    files.set(shown, file);
    let p = loaded.get(file);
    if (p === undefined) {
      p = load(file, shown);
      loaded.set(file, p);
    }
    return p;
  };
}

/**
 * Runs a script: a path ending in `.studio`/`.snip` is read from disk; any other text is the
 * source itself (name it with `fileName`). Never throws for script problems: they are in `error`.
 */
export function runScript(fileOrSource: string, options: RunScriptOptions = {}): Promise<RunScriptResult> {
  try {
    const started = startKnown(fileOrSource, options);
    if (started !== undefined) return started;
  } catch (e) {
    return Promise.resolve({ outputs: {}, variables: {}, error: hostError(e) });
  }
  return readAndRun(fileOrSource, options).catch((e: unknown) => ({ outputs: {}, variables: {}, error: hostError(e) }));
}

/**
 * The common host path without waiting a turn: a script file with the default actions whose
 * compiled form is known now (script-cache.ts). Undefined when the file must be read first.
 * (`runCompiledScript` never rejects: every failure is in its result.)
 */
function startKnown(fileOrSource: string, options: RunScriptOptions): Promise<RunScriptResult> | undefined {
  if (options.actions?.length || !FILE_ARG.test(fileOrSource)) return undefined;
  const { file: mainFile, base } = resolvedPath(fileOrSource);
  const fileName = options.fileName ?? base;
  const now = compiledNow(mainFile, { fileName, kind: options.kind, watch: options.watch === true });
  if ('read' in now) return undefined;
  if ('readFailed' in now) return Promise.resolve(cannotRead(fileOrSource, now.readFailed));
  // The name goes beside the options, not into a copy of them: a spread copy of the host's options
  // is an object every property read of the run is slower on (measured: about 2 µs a run).
  return runCompiledScript(now, options, { registry: defaultActions, mainFile, fileName });
}

/** What escaped a run (bad host options such as an unknown MaxStringSize, or a bug), as a value. */
function hostError(e: unknown): RunError {
  if (e instanceof SnipError) return toRunError(e);
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return { code: 'SNIP3004', message: 'Call depth limit exceeded: the host stack ran out' };
  }
  return { code: 'SNIP3012', message: `The run could not start: ${e instanceof Error ? e.message : String(e)}` };
}

async function readAndRun(fileOrSource: string, options: RunScriptOptions): Promise<RunScriptResult> {
  let source = fileOrSource;
  let fileName = options.fileName;
  let mainFile: string;
  const registry = options.actions?.length ? defaultActions.withActions(options.actions) : defaultActions;
  if (FILE_ARG.test(fileOrSource)) {
    const resolved = resolvedPath(fileOrSource);
    mainFile = resolved.file;
    fileName ??= resolved.base;
    if (registry === defaultActions) {
      // The common host path: compiled once per file version (script-cache.ts).
      const got = await compileFile(mainFile, { fileName, kind: options.kind, watch: options.watch === true });
      if ('readFailed' in got) return cannotRead(fileOrSource, got.readFailed);
      return runCompiledScript(got, options, { registry, mainFile, fileName });
    }
    try {
      source = await fs.readFile(mainFile, 'utf8');
    } catch (e) {
      return cannotRead(fileOrSource, (e as NodeJS.ErrnoException).code ?? 'error');
    }
  } else mainFile = path.resolve(options.baseDir ?? process.cwd(), fileName ?? 'script.studio');
  const compiled = compileScript(source, { fileName, kind: options.kind, actions: registry });
  return runCompiledScript(compiled, options, { registry, mainFile, ...(fileName !== undefined ? { fileName } : {}) });
}

/**
 * Runs a script compiled by `compileScript` (compile once, run many times concurrently).
 * `where.mainFile` anchors RUNSUB paths (default: `fileName` under `baseDir` or the working folder);
 * `where.fileName` names the script in place of `options.fileName`.
 */
export function runCompiledScript(
  compiled: CompiledScriptResult,
  options: RunScriptOptions = {},
  where: RunWhere = {},
): Promise<RunScriptResult> {
  try {
    return runCompiledUnsafe(compiled, options, where).catch((e: unknown) => ({ outputs: {}, variables: {}, error: hostError(e) }));
  } catch (e) {
    return Promise.resolve({ outputs: {}, variables: {}, error: hostError(e) });
  }
}

/** Where a compiled script runs from (see `runCompiledScript`). */
export interface RunWhere {
  registry?: ActionRegistry;
  mainFile?: string;
  fileName?: string;
}

function runCompiledUnsafe(compiled: CompiledScriptResult, options: RunScriptOptions, where: RunWhere): Promise<RunScriptResult> {
  const fileName = where.fileName ?? options.fileName;
  const mainFile = where.mainFile ?? path.resolve(options.baseDir ?? process.cwd(), fileName ?? 'script.studio');
  const registry = where.registry ?? (options.actions?.length ? defaultActions.withActions(options.actions) : defaultActions);
  return runCompiled(compiled.flow, compiled.kind, compiled.diagnostics, options, registry, mainFile, fileName);
}

async function runCompiled(
  flow: CompiledFlow | undefined,
  kind: ScriptKind,
  diagnostics: Diagnostic[],
  options: RunScriptOptions,
  registry: ActionRegistry,
  mainFile: string,
  fileName: string | undefined,
): Promise<RunScriptResult> {
  const collected: TraceEvent[] | undefined = options.collectTrace ? [] : undefined;
  const user = options.onTrace;
  const sink: TraceSink | undefined =
    collected && user ? (e) => (collected.push(e), user(e)) : collected ? (e) => void collected.push(e) : user;
  const level = options.traceLevel ?? (sink ? 'actions' : 'off');
  const trace = new TraceEmitter(level, options.masker ?? noMask, sink);
  const withTrace = (r: RunScriptResult): RunScriptResult => (collected ? { ...r, trace: collected } : r);

  if (flow === undefined) {
    const error = compileError(diagnostics, fileName);
    trace.end({ type: 'end', outcome: 'error', durationMs: trace.elapsed(), error: { code: error.code, message: error.message } });
    return withTrace({ outputs: {}, variables: {}, error, diagnostics });
  }
  const store = new VariableStore();
  for (const [name, v] of Object.entries(options.inputs ?? {})) store.set(name, valueFromPlain(v));
  const services = options.hub === undefined ? options.services : { ...options.services, hub: options.hub };
  let loader: FlowRunOptions['loadScript'];
  const run: FlowRunOptions = {
    limits: resolveLimits(options.limits),
    budget: { steps: 0, startedAt: Date.now(), yieldEveryMs: options.yieldEveryMs ?? DEFAULT_YIELD_MS },
    signal: options.signal,
    trace,
    services,
    // Made on the first RUNSUB: most runs never load a subscript.
    loadScript: (name, from) => (loader ??= subscriptLoader(options, registry, options.baseDir ?? path.dirname(mainFile), { shown: fileName, file: mainFile }))!(name, from),
    random: options.random,
    now: options.now,
    debug: options.debug,
    onHub: options.onHub,
  };
  const scope: FlowScope = { flow, store, functions: new FunctionRegistry(), depth: 0 };
  let error: SnipError | undefined;
  let outputs: Record<string, unknown> = {};
  try {
    const end = await runFlow(run, scope);
    if (kind === 'snip' && scope.lastError !== undefined) error = scope.lastError;
    else outputs = end.end === 'return' ? { ReturnValue: toPlain(end.returnValue ?? '') } : store.toPlainOnRead();
  } catch (e) {
    error = e instanceof SnipError ? e : new SnipError('SNIP3001', `Internal error: ${e instanceof Error ? e.message : String(e)}`);
  }
  const runError = error ? toRunError(error) : undefined;
  trace.end({
    type: 'end',
    outcome: error === undefined ? 'completed' : error instanceof SnipLimitError && error.code === 'SNIP3015' ? 'aborted' : 'error',
    durationMs: trace.elapsed(),
    ...(runError ? { error: { code: runError.code, message: runError.message } } : {}),
  });
  // Outputs and variables convert when a host reads them: a host reading one variable does not pay for every object.
  return withTrace({ outputs, variables: store.toPlainOnRead(), error: runError });
}

// The public `compile()`: source text to a reusable program. Compiled programs are cached by a hash
// of the file name and source, hold no mutable state, and run many times concurrently.
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Diagnostic } from '../language/diagnostics.js';
import { hasErrors } from '../language/diagnostics.js';
import { parseSnippet } from '../language/parse.js';
import { analyzeSnippet, mergeDiagnostics } from '../language/analyze.js';
import { toRunError, type RunError } from './errors.js';
import type { SnipDate } from './values.js';
import { DEFAULT_YIELD_MS, FunctionRegistry, VariableStore, compileSnippetAst, resolveLimits, type CompiledSnippet, type RunLimitsInput } from './interpreter/api.js';
import { compileFailure, guardCompile } from './interpreter/compile-guard.js';
import { valueFromPlain } from './interpreter/plain.js';

/** Options of one `program.run()`. */
export interface RunOptions {
  /** Variables preset before the run (plain JSON: objects and arrays become dynamic objects). */
  inputs?: Record<string, unknown>;
  /** Any subset of the limits; `maxStringSize` also accepts `Limit2K` ... `Limit32K`. */
  limits?: RunLimitsInput;
  /** TRACE statement output, with the line it came from. */
  onTrace?(message: string, line: number): void;
  signal?: AbortSignal;
  /** A long run yields to the event loop about this often, in ms (default 50); 0 never. */
  yieldEveryMs?: number;
  /** Uniform in [0, 1), for deterministic runs. */
  random?(): number;
  now?(): SnipDate;
}

/** What a run returns: every variable as plain JSON (scalars as text; objects converted when first read) and the error, if any. */
export interface RunResult {
  variables: Record<string, unknown>;
  error: RunError | undefined;
}

/** A compiled snippet program. */
export interface Program {
  readonly fileName: string | undefined;
  run(options?: RunOptions): Promise<RunResult>;
  /** The compiled form, for hosts that manage stores themselves (flow engine, debugger). */
  readonly compiled: CompiledSnippet;
}

export interface CompileResult {
  diagnostics: Diagnostic[];
  /** Undefined when there are errors (syntax or analysis, as `snip check` reports them). */
  program: Program | undefined;
}

const cache = new LRUCache<string, CompileResult>({ max: 500 });
/**
 * Sources compiled once so far, by key only. A program enters the cache the second time its source
 * is compiled: a host compiling a stream of one-off scripts then keeps no ASTs alive (which made
 * the garbage collector most of a cold start's cost), and a repeated source is still compiled twice
 * at most.
 */
const seenOnce = { current: new Set<string>(), previous: new Set<string>() };
const SEEN_MAX = 2000;

/** Whether `key` was compiled before (recently); records it otherwise. Two generations: O(1). */
function seenBefore(key: string): boolean {
  if (seenOnce.current.has(key) || seenOnce.previous.has(key)) return true;
  if (seenOnce.current.size >= SEEN_MAX) {
    seenOnce.previous = seenOnce.current;
    seenOnce.current = new Set();
  }
  seenOnce.current.add(key);
  return false;
}

/** Parses and compiles Snippet source once (from its second compile on, identical sources share one program). */
export function compile(source: string, options: { fileName?: string } = {}): CompileResult {
  try {
    return compileCached(source, options);
  } catch (e) {
    // A host passing something that is not text, or a bug: a diagnostic, never an exception.
    return { diagnostics: [compileFailure(e, NOWHERE)], program: undefined };
  }
}

const NOWHERE = { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };

function compileCached(source: string, options: { fileName?: string }): CompileResult {
  if (typeof source !== 'string') throw new TypeError(`the source must be text, not ${source === null ? 'null' : typeof source}`);
  const fileName = options?.fileName;
  const key = createHash('sha256')
    .update(fileName ?? '')
    .update('\0')
    .update(source)
    .digest('base64');
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const parsed = parseSnippet(source, { fileName });
  // One verdict: whatever `snip check` calls an error (syntax or analysis) stops compilation.
  const diagnostics = mergeDiagnostics(parsed.diagnostics, analyzeSnippet(parsed.value).diagnostics);
  const result: CompileResult = { diagnostics, program: undefined };
  if (!hasErrors(diagnostics)) {
    const compiled = guardCompile(() => compileSnippetAst(parsed.value, { fileName }), parsed.value.range, (d) => {
      result.diagnostics = [...result.diagnostics, d];
    });
    if (compiled !== undefined) result.program = makeProgram(compiled);
  }
  if (seenBefore(key)) cache.set(key, result);
  return result;
}

function makeProgram(compiled: CompiledSnippet): Program {
  return {
    fileName: compiled.fileName,
    compiled,
    async run(options: RunOptions = {}): Promise<RunResult> {
      // Host mistakes (an unknown MaxStringSize, inputs that are not plain JSON) are values too.
      let limits;
      const store = new VariableStore();
      try {
        limits = resolveLimits(options.limits);
        for (const [name, v] of Object.entries(options.inputs ?? {})) store.set(name, valueFromPlain(v));
      } catch (e) {
        return { variables: {}, error: { code: 'SNIP3012', message: `The run could not start: ${(e as Error).message}` } };
      }
      const onTrace = options.onTrace;
      const error = await compiled.execute({
        store,
        functions: new FunctionRegistry(),
        limits,
        onTrace: onTrace ? (message, range) => onTrace(message, range.start.line) : undefined,
        signal: options.signal,
        budget: { steps: 0, startedAt: Date.now(), yieldEveryMs: options.yieldEveryMs ?? DEFAULT_YIELD_MS },
        random: options.random,
        now: options.now,
      });
      return { variables: store.toPlainOnRead(), error: error ? toRunError(error) : undefined };
    },
  };
}

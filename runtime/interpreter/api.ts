// The interpreter's contract for other runtime parts (flow engine, CLI, debug adapter): a shared
// variable store, a shared function registry, compiled snippets and expressions, and run hooks.
import type { Range, Statement } from '../../language/ast.js';
import type { SnipError } from '../errors.js';
import type { SnipDate, Value } from '../values.js';
import type { RunLimits } from './limits.js';
import type { Links } from './links.js';
import type { VariableStore } from './store.js';

export { Cell, VariableStore, type VariableSnapshot } from './store.js';
export type { Links } from './links.js';
export { DEFAULT_LIMITS, DEFAULT_YIELD_MS, resolveLimits, parseMaxStringSize, type RunLimits, type RunLimitsInput } from './limits.js';

/** A user FUNCTION bound to one run; callable from any later snippet of that run. */
export interface UserFunction {
  /** As declared. */
  readonly name: string;
  readonly paramCount: number;
  /** The declaration's range and file, for "wrong argument count" messages and the debugger. */
  readonly range: Range;
  readonly fileName: string | undefined;
  /**
   * Calls it (argument count already checked by the caller); a promise only when it reached an
   * async built-in. `context` is the calling run's internal state (compiled code passes it so the
   * callee counts against the caller's limits); hosts omit it.
   */
  invoke(args: Value[], context?: object): Value | Promise<Value>;
}

/** User functions of one run, by case-insensitive name. A later declaration replaces an earlier one. */
export class FunctionRegistry {
  private readonly fns = new Map<string, UserFunction>();
  get(name: string): UserFunction | undefined {
    return this.fns.get(name.toLowerCase());
  }
  set(fn: UserFunction): void {
    this.fns.set(fn.name.toLowerCase(), fn);
  }
  names(): string[] {
    return [...this.fns.values()].map((f) => f.name);
  }
  /** How many functions are declared (the trace's change log notices new declarations). */
  get size(): number {
    return this.fns.size;
  }
}

/** What `onStatement` and the debug hook learn about a statement. */
export interface StatementInfo {
  /** The AST kind, e.g. `Assign`, `If`. */
  kind: Statement['kind'];
  range: Range;
  fileName: string | undefined;
  /** 0 at the top level, +1 inside each user-function call (for step over / step out). */
  depth: number;
  /** The parameters of the function being executed (empty at the top level), as plain values. */
  locals(): Record<string, unknown>;
  /**
   * Debug mode: the call sites of the functions being executed, by depth (entry `k` is the
   * statement at depth `k` that made the call at depth `k + 1`; only the first `depth` are live).
   * A debugger that skips statements while nothing is armed rebuilds its stack from them.
   */
  callers?: readonly CallSite[];
}

/** Where a user function was called from (reused by the interpreter: copy what you keep). */
export interface CallSite {
  range: Range | undefined;
  fileName: string | undefined;
  locals(): Record<string, unknown>;
}

/**
 * Debug mode's switch, shared by the debugger and every run it watches. While `armed` is false
 * (no breakpoint, step, pause or entry stop pending) a statement costs one flag check. The debugger
 * sets `armed` as soon as anything could stop the run; the interpreter sets it at each of its clock
 * checks (every 1024 steps) so that the hook runs now and then and the debugger can let its host
 * in, then disarm again.
 */
export interface DebugGate {
  armed: boolean;
}

/**
 * Debug mode: `beforeStatement` runs before every statement; return a promise to pause there
 * (breakpoints, stepping). Variables are read from the store and `info.locals()`. The info object
 * is reused for the statement's next run: copy what you keep beyond the call.
 */
export interface DebugHook {
  beforeStatement(info: StatementInfo): void | Promise<void>;
  /** Without a gate the hook runs before every statement. */
  gate?: DebugGate;
  /**
   * A statement failed (once per error, at the innermost statement): where the run stands when
   * the error reaches the debugger, also when statements skipped the hook (unarmed gate).
   */
  failed?(info: StatementInfo): void;
}

/**
 * Shared counters so several SNIPPET actions of one flow run draw on one budget. When omitted,
 * each `execute` starts a fresh budget.
 */
export interface RunBudget {
  steps: number;
  /** `Date.now()` when the run started. */
  startedAt: number;
  /**
   * When set, a long run yields to the host's event loop about this often (ms): loops pause for
   * one `setImmediate` turn once a time slice is used up, so timers, I/O, an AbortSignal and a
   * CLI's Ctrl-C get their turn. Unset: the run never yields on its own (synchronous embedders).
   */
  yieldEveryMs?: number;
  /** `Date.now()` at which the current time slice ends (kept here so all actions of a run share it). */
  sliceEnd?: number;
}

/** Everything one execution needs. Nothing here is shared between concurrent runs unless the host shares it. */
export interface ExecEnv {
  store: VariableStore;
  functions: FunctionRegistry;
  /** Defaults apply to anything not given (see limits.ts). */
  limits?: RunLimits;
  /** TRACE statement output. */
  onTrace?(message: string, range: Range, fileName: string | undefined): void;
  /**
   * Statement-level trace, called after each statement has run (inner statements first, then the
   * compound statement that holds them). Requesting it selects a traced compilation; the fast path
   * never calls anything. Pair with `store.snapshot()` / `store.diff()` for changes.
   */
  onStatement?(info: StatementInfo): void;
  /** Debug mode (a separate, fully asynchronous compilation). */
  debug?: DebugHook;
  signal?: AbortSignal;
  /** Uniform in [0, 1); defaults to Math.random. */
  random?(): number;
  /** The current time; defaults to the machine clock. */
  now?(): SnipDate;
  budget?: RunBudget;
}

/**
 * A compiled snippet: immutable, reusable, safe to execute concurrently against different stores.
 * `execute` never throws for script errors: it returns the error (with range and file) after
 * setting `_ERR` and `__err` to its short text. Assignments made before the failure remain.
 * It returns a promise only when the code reached an async built-in, a loop paused to let the
 * host's event loop run, or it runs in debug mode.
 */
export interface CompiledSnippet {
  readonly fileName: string | undefined;
  /**
   * True when some statement may await (an async built-in or an unknown function) or pause (a
   * loop, when the budget asks runs to yield; see RunBudget.yieldEveryMs).
   */
  readonly mayBeAsync: boolean;
  execute(env: ExecEnv): SnipError | undefined | Promise<SnipError | undefined>;
}

/**
 * A compiled expression (IF action's Expression, CASE Variable, action properties). `evaluate`
 * throws a SnipError on failure and does not touch `_ERR` (the caller decides the branch).
 */
export interface CompiledExpression {
  readonly mayBeAsync: boolean;
  evaluate(env: ExecEnv): Value | Promise<Value>;
}

/** Options of `compileSnippetAst` / `compileExpression`. */
export interface CompileOptions {
  fileName?: string;
  /** Stand-ins for the catalog, implementations or text parsers (tests); the real ones by default. */
  links?: Partial<Links>;
}

export { compileSnippetAst, compileExpression } from './compile-snippet.js';

// Per-execution state: budget (steps, clock, depth), hooks, the built-in context, and frames.
// Compiled closures are shared by every run; everything mutable lives here or in the store.
import type { Range } from '../../language/ast.js';
import type { Code } from '../../language/codes.js';
import type { BuiltinContext } from '../builtins/types.js';
import { SnipError, SnipLimitError } from '../errors.js';
import { SnipDate, type Value } from '../values.js';
import type { CallSite, Cell, DebugGate, DebugHook, ExecEnv, FunctionRegistry, RunBudget, StatementInfo } from './api.js';
import { DEFAULT_LIMITS, type RunLimits } from './limits.js';
import { MIN_MEASURE_GAP, heldBytes, megabytes } from './memory.js';
import type { VariableStore } from './store.js';

/** Steps between looks at the clock and the signal. */
const CLOCK_EVERY = 1024;
/** Steps a due pause waits for a loop turn to take it before a new slice starts without one. */
const DUE_PATIENCE = 4096;

function machineNow(): SnipDate {
  return new SnipDate(Date.now() / 86400000 + 25569);
}

/** The state of one `execute` call. Also the BuiltinContext handed to built-ins. */
export class Run implements BuiltinContext {
  readonly limits: RunLimits;
  readonly budget: RunBudget;
  readonly maxSteps: number;
  readonly deadline: number;
  readonly signal: AbortSignal | undefined;
  readonly store: VariableStore;
  readonly functions: FunctionRegistry;
  readonly debug: DebugHook | undefined;
  /** Debug mode: whether statements must call the hook (always, for a hook without a gate). */
  readonly gate: DebugGate;
  /** Debug mode: the call site at each function depth (see StatementInfo.callers). */
  readonly callSites: CallSite[] = [];
  /** Debug mode: the error last reported to the hook's `failed` (reported once, innermost first). */
  failure: unknown = undefined;
  readonly onStatement: ((info: StatementInfo) => void) | undefined;
  private readonly onTrace: ExecEnv['onTrace'];
  private readonly rand: () => number;
  private readonly clock: () => SnipDate;
  depth = 0;
  /** The statement being executed and its file (for error locations and hooks). */
  range: Range | undefined = undefined;
  file: string | undefined;
  /** Set by the clock check once the time slice is used up: the next loop turn pauses. */
  yieldDue = false;
  /** The step count at which step/turn next take the slow path (checkpoint). */
  private nextCheck: number;
  /** Steps since a pause fell due. */
  private dueSteps = 0;
  /** When the current time slice ends; never when the run does not yield. */
  private sliceEnd: number;
  /** Bytes created since the memory was last measured, and the count that triggers the next look. */
  private allocated = 0;
  private nextMeasure: number;
  /** Parameters of the innermost user-function call, for the debugger. */
  localsView: () => Record<string, unknown> = () => ({});

  constructor(env: ExecEnv, fileName: string | undefined) {
    this.limits = env.limits ?? DEFAULT_LIMITS;
    this.budget = env.budget ?? { steps: 0, startedAt: Date.now() };
    this.maxSteps = this.limits.maxSteps;
    this.deadline = this.budget.startedAt + this.limits.maxTimeMs;
    this.signal = env.signal;
    this.store = env.store;
    this.functions = env.functions;
    this.debug = env.debug;
    this.gate = env.debug?.gate ?? { armed: true };
    this.onStatement = env.onStatement;
    this.onTrace = env.onTrace;
    this.rand = env.random ?? Math.random;
    this.clock = env.now ?? machineNow;
    this.file = fileName;
    this.nextMeasure = Math.min(MIN_MEASURE_GAP, this.limits.maxMemoryBytes / 4);
    this.nextCheck = Math.min(this.budget.steps + CLOCK_EVERY, this.maxSteps + 1);
    const every = this.budget.yieldEveryMs;
    // A run that yields starts its slice at its first clock check (execute makes one at once).
    this.sliceEnd = every === undefined || !(every > 0) ? Infinity : (this.budget.sliceEnd ?? NaN);
  }

  /** Debug mode, before a user function is entered: the current statement is its call site. */
  enterCall(): void {
    const site = this.callSites[this.depth];
    if (site === undefined) this.callSites[this.depth] = { range: this.range, fileName: this.file, locals: this.localsView };
    else {
      site.range = this.range;
      site.fileName = this.file;
      site.locals = this.localsView;
    }
  }

  random(): number {
    return this.rand();
  }
  now(): SnipDate {
    return this.clock();
  }
  trace(message: string): void {
    this.onTrace?.(message, this.range ?? ZERO_RANGE, this.file);
  }

  /** Counts one statement or loop iteration; every 1024 checks the limits, the clock and cancellation. */
  step(): void {
    if (++this.budget.steps >= this.nextCheck) this.checkpoint();
  }

  /**
   * `step()` for a loop turn that also says whether the loop should pause now (its time slice is
   * used up). The flag is only looked at on the slow path, so the hottest loops cost what they did
   * before runs could yield.
   */
  turn(): boolean {
    if (++this.budget.steps < this.nextCheck) return false;
    this.checkpoint();
    return this.yieldDue;
  }

  /** The slow path of step/turn: the step limit, the clock and the signal; then when to look again. */
  private checkpoint(): void {
    const n = this.budget.steps;
    if (n > this.maxSteps) {
      throw new SnipLimitError('SNIP3002', `Step limit exceeded: more than ${this.maxSteps} statements executed`);
    }
    if (this.yieldDue) {
      // A pause is due and the next loop turn takes it (turn() reports the flag): until then every
      // step looks, since a statement's step may have found the slice used up. Code without loops
      // (recursion) never takes it: after a while start a new slice instead.
      if (++this.dueSteps < DUE_PATIENCE) {
        this.nextCheck = n + 1;
        return;
      }
      this.yieldDue = false;
      this.sliceEnd = this.budget.sliceEnd = Date.now() + this.budget.yieldEveryMs!;
    }
    this.dueSteps = 0;
    this.checkClock();
    this.nextCheck = this.yieldDue ? n + 1 : Math.min(n + CLOCK_EVERY, this.maxSteps + 1);
    // Debug mode: the next statement calls the hook (see DebugGate).
    if (this.debug !== undefined) this.gate.armed = true;
  }

  checkClock(): void {
    if (this.signal?.aborted) throw cancelled(this.signal);
    const now = Date.now();
    if (now > this.deadline) {
      throw new SnipLimitError('SNIP3003', `Time limit exceeded: the run took longer than ${this.limits.maxTimeMs} ms`);
    }
    if (now >= this.sliceEnd) this.yieldDue = true;
    else if (this.sliceEnd !== this.sliceEnd) this.sliceEnd = this.budget.sliceEnd = now + this.budget.yieldEveryMs!;
  }

  /** Counts `n` bytes just created; measures what the run holds once enough has piled up. */
  alloc(n: number): void {
    if ((this.allocated += n) > this.nextMeasure) this.measure(n);
  }

  /** Fails with SNIP3021 when the variables hold more than the budget (or `pending` alone exceeds it). */
  measure(pending = 0): void {
    const max = this.limits.maxMemoryBytes;
    const held = pending > max ? pending : heldBytes(this.store);
    if (held > max) {
      throw new SnipLimitError('SNIP3021', `Memory limit exceeded: the run holds about ${megabytes(held)} of text and objects (limit ${megabytes(max)})`);
    }
    this.allocated = 0;
    // Look again before new allocation could take the run past its limit, but not after every
    // small allocation; the gap never falls below the minimum, so a run near its limit stays usable.
    this.nextMeasure = Math.max(Math.min(held, max - held), Math.min(MIN_MEASURE_GAP, max / 4));
  }

  /**
   * Lets the host's event loop run once (timers, I/O, abort), then starts a new time slice and
   * checks the clock and the signal. Loops call it when `yieldDue` is set. A zero timeout rather
   * than setImmediate: timers already due run before it, so a host's timer is late by at most one
   * slice; the cost is about 1 ms per slice.
   */
  pause(): Promise<void> {
    return new Promise<void>((resolve) => setTimeout(resolve, 0)).then(() => {
      this.yieldDue = false;
      this.dueSteps = 0;
      this.nextCheck = Math.min(this.budget.steps + CLOCK_EVERY, this.maxSteps + 1);
      this.sliceEnd = this.budget.sliceEnd = Date.now() + this.budget.yieldEveryMs!;
      this.checkClock();
    });
  }
}

/** The error of a cancelled run; a text reason (e.g. the CLI's Ctrl-C) becomes its message. */
export function cancelled(signal: AbortSignal): SnipLimitError {
  const why = typeof signal.reason === 'string' && signal.reason !== '' ? signal.reason : 'The run was cancelled';
  return new SnipLimitError('SNIP3015', why);
}

const ZERO_RANGE: Range = { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };

/** One activation: the unit's resolved global cells, the locals (parameters), the return value. */
export class Frame {
  ret: Value = null;
  constructor(
    readonly rt: Run,
    readonly g: Cell[],
    readonly l: Value[],
  ) {}
}

/** Statement results: 0 go on, 1 BREAK, 2 RETURN. */
export type Sig = 0 | 1 | 2;
export const GO: Sig = 0;
export const BREAK: Sig = 1;
export const RETURN: Sig = 2;

/** A runtime error for the script, located later if no range is given. */
export function fail(code: Code, message: string, range?: Range): never {
  throw new SnipError(code, message, range);
}

/**
 * Turns anything thrown while running into a located SnipError: script errors keep their code,
 * JavaScript stack overflows become SNIP3004, anything else an internal SNIP3001 without a stack.
 */
export function locate(e: unknown, range: Range | undefined, file: string | undefined): SnipError {
  let err: SnipError;
  if (e instanceof SnipError) err = e;
  else if (e instanceof RangeError && /call stack/i.test(e.message)) {
    err = new SnipLimitError('SNIP3004', 'Call depth limit exceeded: the host stack ran out');
  } else if (e instanceof RangeError && /invalid (string|array) length/i.test(e.message)) {
    // A built-in asked the engine for a string or array beyond what it can hold (e.g. replace()
    // multiplying a long text): the size limits' error, not an internal one.
    err = new SnipError('SNIP3005', 'String too long: the result would exceed what the host can hold');
  } else {
    err = new SnipError('SNIP3001', `Internal error: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (err.range === undefined && range !== undefined) {
    err.range = range;
    err.fileName = file;
  } else if (err.fileName === undefined) err.fileName = file;
  return err;
}

/** Continues with `k` now, or after the promise when `v` is one (the async path costs only there). */
export function andThen<T, U>(v: T | Promise<T>, k: (x: T) => U | Promise<U>): U | Promise<U> {
  return v instanceof Promise ? v.then(k) : k(v);
}

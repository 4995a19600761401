// The contract between the interpreter and the built-in implementations.
import type { Value, SnipDate } from '../values.js';

/** Limits a built-in must respect (all configurable per run). */
export interface BuiltinLimits {
  /** Max characters of a string result (SNIPPET MaxStringSize; default Limit32K = 32768). */
  maxStringSize: number;
  /** Max bytes of a dynamic object's JSON/XML text; longer output is truncated (documented). */
  maxDynamicBytes: number;
  /** Largest array index (documented: 63,000,000). */
  maxArrayIndex: number;
  /** Max bytes of an HTTP response body (documented 32 KB). */
  maxResponseBytes: number;
}

/** What a built-in may use of its run: never the host's files, environment or process. */
export interface BuiltinContext {
  limits: BuiltinLimits;
  /** Uniform in [0, 1): injectable so tests and replays are deterministic. */
  random(): number;
  /** The business unit's current time. */
  now(): SnipDate;
  /** TRACE-style output of the run. */
  trace(message: string): void;
  /** Aborts I/O when the run is cancelled or times out. */
  signal: AbortSignal | undefined;
}

/**
 * A built-in's implementation. `args` are in function form (receiver first for method calls).
 * Throw a `SnipError` for a runtime error; return a promise only from `async` catalog entries.
 */
export type BuiltinImpl = (args: Value[], ctx: BuiltinContext) => Value | Promise<Value>;

// Run limits with Studio's defaults where Studio has them (docs/language.md, "Limits").
import type { BuiltinLimits } from '../builtins/types.js';

/** Every limit of one run. All are configurable per run. */
export interface RunLimits extends BuiltinLimits {
  /** Statements (and loop iterations) executed before SNIP3002 step-limit. */
  maxSteps: number;
  /** Wall time in milliseconds before SNIP3003 time-limit. */
  maxTimeMs: number;
  /** Nested user-function calls before SNIP3004 call-depth-limit. */
  maxCallDepth: number;
  /**
   * Bytes of text and dynamic objects the run's variables may hold before SNIP3021 memory-limit
   * (a character counts as a byte, plus a small overhead per object, member and element).
   */
  maxMemoryBytes: number;
}

/** How long a run under runScript() or program.run() may hold the event loop at a time by default (ms). */
export const DEFAULT_YIELD_MS = 50;

/** What a host may pass: any subset; `maxStringSize` also accepts `Limit2K` ... `Limit32K`. */
export type RunLimitsInput = Partial<Omit<RunLimits, 'maxStringSize'>> & { maxStringSize?: number | string };

export const DEFAULT_LIMITS: Readonly<RunLimits> = Object.freeze({
  maxStringSize: 32768,
  maxDynamicBytes: 32768,
  maxArrayIndex: 63_000_000,
  maxResponseBytes: 32768,
  maxSteps: 1_000_000,
  maxTimeMs: 10_000,
  maxCallDepth: 256,
  maxMemoryBytes: 64 * 1024 * 1024,
});

const SIZE_NAMES: Record<string, number> = {
  limit2k: 2048,
  limit4k: 4096,
  limit8k: 8192,
  limit16k: 16384,
  limit32k: 32768,
};

/** The byte count of a MaxStringSize setting (`Limit8K`, `8192`), or undefined when unknown. */
export function parseMaxStringSize(v: number | string): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v > 0 ? Math.floor(v) : undefined;
  const named = SIZE_NAMES[v.trim().toLowerCase()];
  if (named !== undefined) return named;
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : undefined;
}

/** Fills in defaults. Throws a plain Error on an unknown MaxStringSize name (a host mistake). */
export function resolveLimits(input?: RunLimitsInput): RunLimits {
  if (input === undefined) return { ...DEFAULT_LIMITS };
  const out: RunLimits = { ...DEFAULT_LIMITS };
  for (const k of Object.keys(DEFAULT_LIMITS) as (keyof RunLimits)[]) {
    const v = input[k];
    if (v === undefined) continue;
    if (k === 'maxStringSize') {
      const n = parseMaxStringSize(v);
      if (n === undefined) throw new Error(`Unknown MaxStringSize '${String(v)}' (use Limit2K, Limit4K, Limit8K, Limit16K or Limit32K)`);
      out.maxStringSize = n;
    } else if (typeof v === 'number' && v >= 0) {
      out[k] = v;
    }
  }
  return out;
}

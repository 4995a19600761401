// Calls built-ins the way the interpreter does (function form, a BuiltinContext) and holds the
// case tables every category test shares, so the registry test can count cases per built-in.
import { expect, it } from 'vitest';
import { SnipError } from '../../../runtime/errors.js';
import { findBuiltin } from '../../../language/catalog.js';
import { BUILTIN_IMPLS } from '../../../runtime/builtins/index.js';
import type { BuiltinContext, BuiltinLimits } from '../../../runtime/builtins/types.js';
import { Dyn, SnipDate, toPlain, toText, type Value } from '../../../runtime/values.js';

export const LIMITS: BuiltinLimits = { maxStringSize: 32768, maxDynamicBytes: 32768, maxArrayIndex: 63_000_000, maxResponseBytes: 32768 };

export interface TestContext extends BuiltinContext {
  traces: string[];
}

/** A context with a fixed clock (2025-01-05 14:30 UTC), a scripted random source and a trace log. */
export function makeCtx(over: Partial<BuiltinContext> & { randoms?: number[] } = {}): TestContext {
  const traces: string[] = [];
  const randoms = over.randoms ?? [0.5];
  let i = 0;
  return {
    limits: over.limits ?? LIMITS,
    random: over.random ?? (() => randoms[i++ % randoms.length]!),
    now: over.now ?? (() => new SnipDate(45662 + 14.5 / 24)),
    trace: (m) => traces.push(m),
    signal: over.signal,
    traces,
  };
}

/** Calls a built-in by name or alias with function-form arguments. */
export function call(name: string, args: Value[], ctx: BuiltinContext = makeCtx()): Value | Promise<Value> {
  const entry = findBuiltin(name);
  if (entry === undefined) throw new Error(`no catalog entry '${name}'`);
  const impl = BUILTIN_IMPLS.get(entry.name.toLowerCase());
  if (impl === undefined) throw new Error(`no implementation for '${entry.name}'`);
  return impl(args, ctx);
}

/** One table row: built-in, arguments, and the expected value or error code. */
export type Case = [name: string, args: Value[], expected: Value | { error: string }];

/** The value compared in tests: dates as their default text, dynamic objects as plain JSON. */
export function shown(v: Value): unknown {
  if (v instanceof SnipDate) return `#${toText(v)}`;
  return v instanceof Dyn ? toPlain(v) : v;
}

function label(c: Case): string {
  const args = c[1].map((a) => (a instanceof Dyn ? JSON.stringify(toPlain(a)) : a instanceof SnipDate ? `#${toText(a)}` : JSON.stringify(a)));
  return `${c[0]}(${args.join(', ')})`;
}

/** One test per row: the result (or the SnipError code) matches. */
export function runCases(cases: Case[]): void {
  it.each(cases.map((c) => [label(c), c] as const))('%s', async (_l, [name, args, expected]) => {
    if (expected !== null && typeof expected === 'object' && 'error' in expected) {
      let caught: unknown;
      try {
        await call(name, args);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(SnipError);
      expect((caught as SnipError).code).toBe(expected.error);
      return;
    }
    expect(shown(await call(name, args))).toEqual(shown(expected));
  });
}

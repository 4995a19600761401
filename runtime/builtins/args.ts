// Argument conversions shared by the built-in implementations, each failing with a SNIP3xxx error
// that names the built-in. Null and "" count as 0 where a number is expected.
import { SnipError } from '../errors.js';
import { parseDateText } from '../dates.js';
import { SnipDate, toNumber, toText, type Value } from '../values.js';
import type { BuiltinContext } from './types.js';

/** Throws SNIP3012 invalid-argument, naming the built-in. */
export function invalid(fn: string, message: string): never {
  throw new SnipError('SNIP3012', `${fn}: ${message}`);
}

/** The argument as a number: null and "" are 0, other text must be wholly a number. */
export function num(fn: string, v: Value | undefined, what = 'value'): number {
  if (v === null || v === undefined || v === '') return 0;
  const n = toNumber(v);
  if (Number.isNaN(n)) invalid(fn, `${what} '${toText(v)}' is not a number`);
  return n;
}

/** The argument as a whole number (fractions are truncated toward zero). */
export function int(fn: string, v: Value | undefined, what = 'value'): number {
  return Math.trunc(num(fn, v, what));
}

/** The argument as text (null is ""). */
export function str(v: Value | undefined): string {
  return v === undefined ? '' : toText(v);
}

/** Returns text that fits the run's MaxStringSize, or throws SNIP3005. */
export function capText(fn: string, s: string, ctx: BuiltinContext): string {
  if (s.length > ctx.limits.maxStringSize) {
    throw new SnipError(
      'SNIP3005',
      `String too long: the result of ${fn} has ${s.length} characters, more than the maximum string size (${ctx.limits.maxStringSize})`,
    );
  }
  return s;
}

/** The argument as a date: a date value, an OLE Automation number, or date text. */
export function date(fn: string, v: Value | undefined): SnipDate {
  if (v instanceof SnipDate) return v;
  if (typeof v === 'number') return new SnipDate(v);
  const text = str(v);
  const d = parseDateText(text);
  if (d === undefined) throw new SnipError('SNIP3017', `${fn}: '${text}' is not a valid date/time`);
  return d;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** The characters (Unicode code points) of a text; plain strings stay cheap. */
export function chars(s: string): string[] | undefined {
  return SURROGATE.test(s) ? Array.from(s) : undefined;
}

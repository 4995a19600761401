// Number and math built-ins. Results that are not finite numbers are invalid arguments, never NaN.
import { elementsOf } from '../arrays.js';
import { Dyn, formatNumber, toNumber, type Value } from '../values.js';
import { int, invalid, num } from './args.js';
import { formatNumberPattern, roundHalfAway } from './number-format.js';
import type { BuiltinImpl } from './types.js';

function finite(fn: string, n: number): number {
  if (!Number.isFinite(n)) invalid(fn, 'the result is not a finite number');
  return n;
}

/** The numbers of min/max arguments: arrays (dynamic or pipe) contribute their elements. */
function numbersOf(fn: string, args: Value[]): number[] {
  const out: number[] = [];
  for (const a of args) {
    const spread = a instanceof Dyn || (typeof a === 'string' && a.includes('|'));
    for (const x of spread ? elementsOf(a) : [a]) out.push(num(fn, x));
  }
  return out;
}

export const NUMBER_IMPLS: Record<string, BuiltinImpl> = {
  abs: ([v]) => Math.abs(num('abs', v)),
  round: ([v, d]) => {
    const digits = d === undefined ? 0 : int('round', d, 'digits');
    if (digits < 0 || digits > 15) invalid('round', `digits must be 0 to 15 (got ${digits})`);
    return roundHalfAway(num('round', v), digits);
  },
  floor: ([v]) => Math.floor(num('floor', v)),
  ceiling: ([v]) => Math.ceil(num('ceiling', v)),
  min: (args) => Math.min(...numbersOf('min', args)),
  max: (args) => Math.max(...numbersOf('max', args)),
  pow: ([b, e]) => finite('pow', Math.pow(num('pow', b, 'base'), num('pow', e, 'exponent'))),
  sqrt: ([v]) => {
    const n = num('sqrt', v);
    if (n < 0) invalid('sqrt', `cannot take the square root of ${formatNumber(n)}`);
    return Math.sqrt(n);
  },
  mod: ([v, d]) => {
    const divisor = num('mod', d, 'divisor');
    if (divisor === 0) invalid('mod', 'division by zero');
    return num('mod', v) % divisor;
  },
  logn: ([v, b]) => {
    const n = num('logn', v);
    const base = num('logn', b, 'base');
    if (n <= 0) invalid('logn', `value must be more than 0 (got ${formatNumber(n)})`);
    if (base <= 0 || base === 1) invalid('logn', `base must be more than 0 and not 1 (got ${formatNumber(base)})`);
    // Exact powers come out whole (log(8)/log(2) is 2.9999999999999996 in floating point).
    return Number((Math.log(n) / Math.log(base)).toPrecision(15));
  },
  random: ([limit], ctx) => {
    if (limit === undefined) return ctx.random();
    const n = int('random', limit, 'limit');
    if (n < 1) invalid('random', `limit must be 1 or more (got ${n})`);
    return Math.min(n - 1, Math.floor(ctx.random() * n));
  },
  isnumeric: ([v]) => typeof v === 'number' ? Number.isFinite(v) : typeof v === 'string' && !Number.isNaN(toNumber(v)),
  tonumber: ([v]) => {
    const n = toNumber(v ?? null);
    return Number.isNaN(n) ? 0 : n;
  },
  ascurrency: ([v]) => formatNumberPattern(num('ascurrency', v), 'C'),
};

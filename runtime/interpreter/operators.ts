// Operator semantics (docs/language.md, "Semantics"): numeric evaluation that ignores operands
// which are not numbers, comparisons via compareValues, logical & | ~ on truthiness.
import type { BinaryOperator } from '../../language/ast.js';
import { SnipDate, compareValues, isTruthy, toNumber, valuesEqual, type Value } from '../values.js';
import { fail } from './run.js';

/**
 * Arithmetic on two values. An operand that is not a number (text that is not wholly numeric,
 * null, objects) is ignored: the result is as if it and its operator were absent, so
 * `123 + 456 + "my string"` is 579 and `"x" - 2` is -2. Both ignored: null (empty).
 */
export function arith(op: BinaryOperator, a: Value, b: Value): Value {
  if (a instanceof SnipDate && (op === '+' || op === '-')) {
    if (b instanceof SnipDate) return op === '-' ? a.oa - b.oa : a;
    const d = toNumber(b);
    if (Number.isNaN(d)) return a;
    return new SnipDate(op === '+' ? a.oa + d : a.oa - d);
  }
  const x = toNumber(a);
  const y = toNumber(b);
  if (Number.isNaN(x)) {
    if (Number.isNaN(y)) return null;
    return op === '-' ? -y : y;
  }
  if (Number.isNaN(y)) return x;
  return numeric(op, x, y);
}

/** Both operands are numbers. Division (any kind) by zero is a runtime error. */
export function numeric(op: BinaryOperator, x: number, y: number): number {
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      if (y === 0) fail('SNIP3001', 'Division by zero');
      return x / y;
    case '\\':
      if (y === 0) fail('SNIP3001', 'Division by zero');
      return Math.trunc(x / y);
    case '%':
      if (y === 0) fail('SNIP3001', 'Division by zero');
      return x % y;
    case '^':
      return Math.pow(x, y);
    default:
      return fail('SNIP3001', `Operator ${op} is not arithmetic`);
  }
}

/** Unary minus; an operand that is not a number is ignored (null). */
export function negate(v: Value): Value {
  if (typeof v === 'number') return -v;
  const n = toNumber(v);
  return Number.isNaN(n) ? null : -n;
}

/** Comparison operators; always a boolean. */
export function compare(op: BinaryOperator, a: Value, b: Value): boolean {
  switch (op) {
    case '=':
      return valuesEqual(a, b);
    case '!=':
      return !valuesEqual(a, b);
    case '<':
      return compareValues(a, b) < 0;
    case '<=':
      return compareValues(a, b) <= 0;
    case '>':
      return compareValues(a, b) > 0;
    default:
      return compareValues(a, b) >= 0;
  }
}

export const ARITHMETIC = new Set<BinaryOperator>(['+', '-', '*', '/', '\\', '%', '^']);
export const COMPARISON = new Set<BinaryOperator>(['=', '!=', '<', '<=', '>', '>=']);

/** `~`: exclusive or of the two truth values. */
export function xor(a: Value, b: Value): boolean {
  return isTruthy(a) !== isTruthy(b);
}

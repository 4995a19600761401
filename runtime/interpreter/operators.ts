// Operator semantics (docs/language.md, "Semantics"): numeric evaluation that ignores operands
// which are not numbers, comparisons via compareValues (as text for `$` names), logical & | ~ on
// truthiness. Comparison and logic results are the numbers 1 and 0 (Variables page).
import type { BinaryExpression, BinaryOperator } from '../../language/ast.js';
import { SnipDate, compareValues, isTruthy, toNumber, toText, valuesEqual, type Value } from '../values.js';
import { fail } from './run.js';
import { isTextName } from './text-names.js';

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
    if (Number.isNaN(y)) {
      if (op === '+' && isWord(a) && isWord(b)) {
        // String Handling page: `+` never joins text. Two texts and no number: the script meant to join them.
        fail('SNIP3033', `'+' does not join text: put both values into one string with interpolation, "{a}{b}"`);
      }
      return null;
    }
    return op === '-' ? -y : y;
  }
  if (Number.isNaN(y)) return x;
  return numeric(op, x, y);
}

/** Non-empty text (already known not to be a number). */
function isWord(v: Value): boolean {
  return typeof v === 'string' && v.trim() !== '';
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

/**
 * Comparison operators. The result is 1 or 0, not a boolean: the Variables page states that after
 * `x = a > b` the variable holds 1 for true and 0 for false, so that is its text everywhere.
 */
export function compare(op: BinaryOperator, a: Value, b: Value): number {
  switch (op) {
    case '=':
      return valuesEqual(a, b) ? 1 : 0;
    case '!=':
      return valuesEqual(a, b) ? 0 : 1;
    case '<':
      return compareValues(a, b) < 0 ? 1 : 0;
    case '<=':
      return compareValues(a, b) <= 0 ? 1 : 0;
    case '>':
      return compareValues(a, b) > 0 ? 1 : 0;
    default:
      return compareValues(a, b) >= 0 ? 1 : 0;
  }
}

/**
 * A comparison in which a variable whose name ends in `$` takes part: always as text (ordinal),
 * never as numbers, so `"100" < "20"` (Variables page). Chosen at compile time per operand name.
 */
export function compareText(op: BinaryOperator, a: Value, b: Value): number {
  const s = toText(a);
  const t = toText(b);
  switch (op) {
    case '=':
      return s === t ? 1 : 0;
    case '!=':
      return s === t ? 0 : 1;
    case '<':
      return s < t ? 1 : 0;
    case '<=':
      return s <= t ? 1 : 0;
    case '>':
      return s > t ? 1 : 0;
    default:
      return s >= t ? 1 : 0;
  }
}

export const ARITHMETIC = new Set<BinaryOperator>(['+', '-', '*', '/', '\\', '%', '^']);
export const COMPARISON = new Set<BinaryOperator>(['=', '!=', '<', '<=', '>', '>=']);

/** `~`: exclusive or of the two truth values, as 1 or 0 like every operator result. */
export function xor(a: Value, b: Value): number {
  return isTruthy(a) !== isTruthy(b) ? 1 : 0;
}

/** The operation of a binary operator on two values (`&` and `|` without short-circuit). */
export function binaryApply(op: BinaryOperator, asText: boolean): (a: Value, b: Value) => Value {
  if (ARITHMETIC.has(op)) return (a, b) => arith(op, a, b);
  if (op === '~') return xor;
  if (op === '&') return (a, b) => (isTruthy(a) && isTruthy(b) ? 1 : 0);
  if (op === '|') return (a, b) => (isTruthy(a) || isTruthy(b) ? 1 : 0);
  if (asText) return (a, b) => compareText(op, a, b);
  return (a, b) => compare(op, a, b);
}

/** A comparison with a `$` variable on either side compares text (decided here, once per expression). */
export function textComparison(e: BinaryExpression): boolean {
  return COMPARISON.has(e.operator) && (isTextName(e.left) || isTextName(e.right));
}

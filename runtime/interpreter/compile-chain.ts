// Long left-associative operator chains (`a + b + c + ...`, 100,000 terms from generated code) as
// one flat loop instead of one nested closure per operator: neither the compiler nor the run then
// recurses once per term, so the host stack cannot run out. Short chains keep the nested closures
// of compile-expr.ts (fastest for the usual two or three terms).
import type { BinaryExpression, Expression, Range } from '../../language/ast.js';
import { SnipError } from '../errors.js';
import { isTruthy, type Value } from '../values.js';
import { binaryApply, textComparison } from './operators.js';
import type { Frame } from './run.js';

/** Left-spine length from which a chain is compiled flat. Deeper nesting risks the host stack. */
export const FLAT_CHAIN_FROM = 48;

/** The left spine of `e` from the innermost operand out: `first`, then each `(operator, right)` step. */
export interface Chain {
  first: Expression;
  steps: BinaryExpression[];
}

/** The chain under `e` when its left spine is at least FLAT_CHAIN_FROM operators long, else undefined. */
export function longChain(e: BinaryExpression): Chain | undefined {
  let n = 0;
  let x: Expression = e;
  while (x.kind === 'Binary') {
    n++;
    x = x.left;
  }
  if (n < FLAT_CHAIN_FROM) return undefined;
  const steps: BinaryExpression[] = new Array(n);
  let y: Expression = e;
  for (let i = n - 1; y.kind === 'Binary'; i--) {
    steps[i] = y;
    y = y.left;
  }
  return { first: x, steps };
}

type Apply = (a: Value, b: Value) => Value;

/** As in the nested form (a `$` variable on either side compares as text). */
function applyOf(step: BinaryExpression): Apply {
  return binaryApply(step.operator, textComparison(step));
}

/** Errors of an operator (division by zero) point at that operator. */
function at(e: unknown, range: Range): never {
  if (e instanceof SnipError && e.range === undefined) e.range = range;
  throw e;
}

type Ev<T> = (f: Frame) => T;

/**
 * A flat chain: `first`, then each step in order. `&` and `|` short-circuit as in the nested form.
 * `rights` may return promises only when `async` is set; then the result may be a promise.
 */
export function flatChain(
  steps: readonly BinaryExpression[],
  first: Ev<Value | Promise<Value>>,
  rights: readonly Ev<Value | Promise<Value>>[],
  async: boolean,
): Ev<Value | Promise<Value>> {
  const n = steps.length;
  const ops = steps.map((s) => s.operator);
  const ranges = steps.map((s) => s.operatorRange);
  const applies = steps.map((s) => (s.operator === '&' || s.operator === '|' ? undefined : applyOf(s)));
  // Runs steps i.. with `acc`; continues through `then` only when a promise appears.
  const from = (f: Frame, start: number, acc: Value): Value | Promise<Value> => {
    for (let i = start; i < n; i++) {
      const op = ops[i]!;
      if (op === '&' || op === '|') {
        const stop = op === '|';
        // Logical results are 1 or 0, like the nested form's.
        if (isTruthy(acc) === stop) {
          acc = stop ? 1 : 0;
          continue;
        }
        const b = rights[i]!(f);
        if (b instanceof Promise) return b.then((x) => from(f, i + 1, isTruthy(x) ? 1 : 0));
        acc = isTruthy(b) ? 1 : 0;
        continue;
      }
      const b = rights[i]!(f);
      if (b instanceof Promise) {
        const a = acc;
        const apply = applies[i]!;
        const r = ranges[i]!;
        return b.then((x) => {
          let v: Value;
          try {
            v = apply(a, x);
          } catch (e) {
            at(e, r);
          }
          return from(f, i + 1, v);
        });
      }
      try {
        acc = applies[i]!(acc, b);
      } catch (e) {
        at(e, ranges[i]!);
      }
    }
    return acc;
  };
  if (!async) return (f) => from(f, 0, first(f) as Value);
  return (f) => {
    const a = first(f);
    return a instanceof Promise ? a.then((x) => from(f, 0, x)) : from(f, 0, a);
  };
}

// Text where a number belongs. The Expressions page says a variable put in braces and quotes inside
// a numeric expression makes the script fail, and the String Handling page says `+` never joins
// text. Both are visible in the source, so analysis reports them as errors (and `snip run`,
// `runScript()` and `compile()` refuse such code, like `snip check` does).
import type { BinaryExpression, BinaryOperator, Expression, StringLiteral } from '../ast.js';
import { report, type AnalysisContext } from './context.js';

const ARITHMETIC = new Set<BinaryOperator>(['+', '-', '*', '/', '\\', '%', '^']);
/** A quoted number counts as a number in arithmetic (Variables page: "unless it is evaluated in a math expression"). */
const NUMERIC = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)\s*$/;

/** Checks one binary expression; `handled` keeps a `+` chain to one report. */
export function checkNumericOperands(ctx: AnalysisContext, e: BinaryExpression, handled: WeakSet<Expression>): void {
  if (!ARITHMETIC.has(e.operator) || handled.has(e)) return;
  if (e.operator === '+') {
    const leaves: Expression[] = [];
    plusLeaves(e, leaves, handled);
    for (const leaf of leaves) quotedVariable(ctx, leaf);
    if (leaves.some(isPlainText)) {
      const suggestion = leaves.map(asInterpolated).join('');
      report(
        ctx,
        'SNIP1025',
        `'+' does not join text in Snippet: write the pieces into one string with interpolation, "${suggestion}"`,
        e.operatorRange,
        'error',
        { data: { suggestion: `"${suggestion}"` } },
      );
    }
    return;
  }
  for (const side of [e.left, e.right]) {
    if (quotedVariable(ctx, side)) continue;
    if (isPlainText(side)) {
      report(
        ctx,
        'SNIP2025',
        `${printExpression(side)} is text, not a number: '${e.operator}' needs numbers (a quoted number such as "12" is fine)`,
        side.range,
      );
    }
  }
}

/**
 * The operands of `a + b + c`, left to right; inner `+` nodes are marked as handled. An explicit
 * stack, not recursion: generated code has `+` chains of 100,000 terms.
 */
function plusLeaves(e: Expression, out: Expression[], handled: WeakSet<Expression>): void {
  const stack: Expression[] = [e];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x.kind === 'Binary' && x.operator === '+') {
      handled.add(x);
      stack.push(x.right, x.left);
    } else out.push(x);
  }
}

function unwrap(e: Expression): Expression {
  return e.kind === 'Group' ? unwrap(e.expression) : e;
}

/** A string literal with interpolations (`"{x}"`) used as a number: an error in Studio. */
function quotedVariable(ctx: AnalysisContext, operand: Expression): boolean {
  const e = unwrap(operand);
  if (e.kind !== 'String' || e.date || !e.parts.some((p) => p.kind === 'Interpolation')) return false;
  const only = e.parts.length === 1 && e.parts[0]!.kind === 'Interpolation' ? e.parts[0]!.expression : undefined;
  const fix = only !== undefined ? `write ${printExpression(only)} without braces and quotes` : 'compute the number outside the string';
  const message = `a variable in braces and quotes cannot be used in a numeric expression: ${fix}`;
  if (only === undefined) report(ctx, 'SNIP2024', message, e.range);
  else report(ctx, 'SNIP2024', message, e.range, 'error', { data: { suggestion: printExpression(only) } });
  return true;
}

/** A string literal without interpolation whose text is not a number. */
function isPlainText(operand: Expression): operand is StringLiteral {
  const e = unwrap(operand);
  if (e.kind !== 'String' || e.date || e.parts.some((p) => p.kind === 'Interpolation')) return false;
  return !NUMERIC.test(e.parts.map((p) => (p.kind === 'Text' ? p.value : '')).join(''));
}

/** One piece of the interpolated replacement: literal text as written, anything else in braces. */
function asInterpolated(leaf: Expression): string {
  const e = unwrap(leaf);
  if (e.kind === 'String' && !e.date) return e.parts.map((p) => (p.kind === 'Text' ? p.raw : `{${p.expression ? printExpression(p.expression) : ''}}`)).join('');
  return `{${printExpression(leaf)}}`;
}

/** Source-like text of an expression, rebuilt from the tree (analysis has no source text). */
function printExpression(e: Expression): string {
  switch (e.kind) {
    case 'Number':
    case 'Boolean':
      return e.raw;
    case 'String': {
      const prefix = e.escapes ? '$' : e.date ? '#' : '';
      const body = e.parts.map((p) => (p.kind === 'Text' ? p.raw : `{${p.expression ? printExpression(p.expression) : ''}}`)).join('');
      return `${prefix}${e.quote}${body}${e.quote}`;
    }
    case 'Identifier':
      return e.name;
    case 'Member':
      return `${printExpression(e.object)}.${e.name}`;
    case 'Index':
      return `${printExpression(e.object)}[${printExpression(e.index)}]`;
    case 'Call':
      return `${e.callee.name}(${e.args.map(printExpression).join(', ')})`;
    case 'MethodCall':
      return `${printExpression(e.receiver)}.${e.name}(${e.args.map(printExpression).join(', ')})`;
    case 'Unary':
      return `-${printExpression(e.operand)}`;
    case 'Group':
      return `(${printExpression(e.expression)})`;
    case 'Binary':
      return `${printExpression(e.left)} ${e.operator} ${printExpression(e.right)}`;
  }
}

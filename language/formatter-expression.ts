// Prints expressions canonically: one space around binary operators, none inside parentheses or
// after a unary minus, `, ` between arguments. Strings are copied from the source as written.
import type { BinaryExpression, Expression } from './ast.js';

/** The canonical text of `e`; `source` supplies string literals verbatim. */
export function printExpression(e: Expression, source: string): string {
  switch (e.kind) {
    case 'Number':
    case 'Boolean':
      return e.raw;
    case 'String':
      return source.slice(e.range.start.offset, e.range.end.offset);
    case 'Identifier':
      return e.name;
    case 'Member':
      return `${printExpression(e.object, source)}.${e.name}`;
    case 'Index':
      return `${printExpression(e.object, source)}[${printExpression(e.index, source)}]`;
    case 'Call':
      return `${e.callee.name}(${e.args.map((a) => printExpression(a, source)).join(', ')})`;
    case 'MethodCall':
      return `${printExpression(e.receiver, source)}.${e.name}(${e.args.map((a) => printExpression(a, source)).join(', ')})`;
    case 'Unary': {
      const operand = printExpression(e.operand, source);
      // `- -x` must not become `--x`.
      return operand.startsWith('-') ? `- ${operand}` : `-${operand}`;
    }
    case 'Group':
      return `(${printExpression(e.expression, source)})`;
    case 'Binary': {
      // Along the left spine without recursion: generated chains run to 100,000 terms.
      const steps: BinaryExpression[] = [];
      let x: Expression = e;
      while (x.kind === 'Binary') {
        steps.push(x);
        x = x.left;
      }
      let out = printExpression(x, source);
      for (let i = steps.length - 1; i >= 0; i--) out += ` ${steps[i]!.operator} ${printExpression(steps[i]!.right, source)}`;
      return out;
    }
  }
}

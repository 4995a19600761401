// Tiny builders for hand-made ASTs, so the compiler core is tested without the parser.
import type * as A from '../../../language/ast.js';

const R: A.Range = { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 2, offset: 1 } };
export const num = (value: number): A.NumberLiteral => ({ kind: 'Number', value, raw: String(value), range: R });
export const id = (name: string): A.Identifier => ({ kind: 'Identifier', name, key: name.toLowerCase(), range: R });
export const str = (...parts: (string | A.Expression)[]): A.StringLiteral => ({
  kind: 'String',
  quote: '"',
  escapes: false,
  date: false,
  range: R,
  parts: parts.map((p) =>
    typeof p === 'string' ? { kind: 'Text', value: p, raw: p, range: R } : { kind: 'Interpolation', expression: p, range: R },
  ),
});
export const bin = (left: A.Expression, operator: A.BinaryOperator, right: A.Expression): A.BinaryExpression => ({
  kind: 'Binary',
  operator,
  operatorRange: R,
  left,
  right,
  range: R,
});
export const call = (name: string, ...args: A.Expression[]): A.CallExpression => ({ kind: 'Call', callee: id(name), args, range: R });
export const assign = (target: A.AssignTarget, value: A.Expression): A.AssignStatement => ({
  kind: 'Assign',
  keyword: true,
  target,
  value,
  range: R,
});
export const block = (...body: A.Statement[]): A.Block => ({ kind: 'Block', body, range: R });
export const forLoop = (v: string, from: A.Expression, to: A.Expression, ...body: A.Statement[]): A.ForStatement => ({
  kind: 'For',
  variable: id(v),
  from,
  to,
  body: block(...body),
  range: R,
});
export const fn = (name: string, params: string[], ...body: A.Statement[]): A.FunctionDeclaration => ({
  kind: 'Function',
  name: id(name),
  params: params.map(id),
  body: block(...body),
  doc: undefined,
  range: R,
});
export const ret = (value?: A.Expression): A.ReturnStatement => ({ kind: 'Return', value, range: R });
export const iff = (condition: A.Expression, then: A.Statement[], els?: A.Statement[]): A.IfStatement => ({
  kind: 'If',
  condition,
  then: block(...then),
  else: els ? block(...els) : undefined,
  range: R,
});
export const program = (...body: A.Statement[]): A.SnippetProgram => ({ kind: 'Snippet', body, comments: [], range: R });

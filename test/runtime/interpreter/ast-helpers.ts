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
export const member = (object: A.Expression, name: string): A.MemberExpression => ({ kind: 'Member', object, name, nameRange: R, range: R });
export const index = (object: A.Expression, i: A.Expression): A.IndexExpression => ({ kind: 'Index', object, index: i, range: R });
export const mcall = (receiver: A.Expression, name: string, ...args: A.Expression[]): A.MethodCallExpression => ({
  kind: 'MethodCall',
  receiver,
  name,
  nameRange: R,
  args,
  range: R,
});
export const dyn = (name: string, init?: A.Expression): A.DynamicStatement => ({ kind: 'Dynamic', name: id(name), init, range: R });
export const stmt = (expression: A.CallExpression | A.MethodCallExpression): A.ExpressionStatement => ({
  kind: 'ExpressionStatement',
  expression,
  range: R,
});
export const foreach = (v: string, iterable: A.Expression, ...body: A.Statement[]): A.ForEachStatement => ({
  kind: 'ForEach',
  variable: id(v),
  iterable,
  body: block(...body),
  range: R,
});
export const whileLoop = (condition: A.Expression, ...body: A.Statement[]): A.WhileStatement => ({
  kind: 'While',
  condition,
  body: block(...body),
  range: R,
});
export const repeat = (count: A.Expression, ...body: A.Statement[]): A.RepeatStatement => ({ kind: 'Repeat', count, body: block(...body), range: R });
export const brk = (): A.BreakStatement => ({ kind: 'Break', range: R });
export const trace = (value: A.Expression): A.TraceStatement => ({ kind: 'Trace', value, range: R });
export const uses = (value: A.Expression): A.UsesStatement => ({ kind: 'Uses', value, range: R });
export const bool = (value: boolean): A.BooleanLiteral => ({ kind: 'Boolean', value, raw: String(value), range: R });
export const select = (cases: [A.Expression[], A.Statement[]][], dflt?: A.Statement[]): A.SelectStatement => ({
  kind: 'Select',
  cases: cases.map(([conditions, body]) => ({ kind: 'SelectCase', conditions, body: block(...body), range: R })),
  default: dflt ? block(...dflt) : undefined,
  range: R,
});
export const switchOf = (subject: A.Expression, cases: [A.Expression[], A.Statement[]][], dflt?: A.Statement[]): A.SwitchStatement => ({
  kind: 'Switch',
  subject,
  cases: cases.map(([values, body]) => ({ kind: 'SwitchCase', values, body: block(...body), range: R })),
  default: dflt ? block(...dflt) : undefined,
  range: R,
});

// Parser behaviour: every statement form, precedence, statement ends, ranges and `.studio` files.
import { describe, expect, it } from 'vitest';
import type { Expression, Statement } from '../../language/ast.js';
import { parseDocument, parseExpression, parseSnippet, parseStudio } from '../../language/parse.js';

function ok(source: string): Statement[] {
  const { value, diagnostics } = parseSnippet(source);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return value.body;
}

/** Renders an expression with explicit parentheses, to check precedence. */
function show(e: Expression | undefined): string {
  if (!e) return '?';
  switch (e.kind) {
    case 'Binary':
      return `(${show(e.left)} ${e.operator} ${show(e.right)})`;
    case 'Unary':
      return `(-${show(e.operand)})`;
    case 'Number':
      return e.raw;
    case 'Identifier':
      return e.name;
    case 'Group':
      return show(e.expression);
    case 'Member':
      return `${show(e.object)}.${e.name}`;
    case 'Index':
      return `${show(e.object)}[${show(e.index)}]`;
    case 'Call':
      return `${e.callee.name}(${e.args.map(show).join(', ')})`;
    case 'MethodCall':
      return `${show(e.receiver)}.${e.name}(${e.args.map(show).join(', ')})`;
    default:
      return e.kind;
  }
}

function expr(text: string): string {
  const r = parseExpression(text);
  expect(r.diagnostics).toEqual([]);
  return show(r.value);
}

describe('expressions', () => {
  it.each([
    ['1 + 2 * 3', '(1 + (2 * 3))'],
    ['2 ^ 3 ^ 2', '(2 ^ (3 ^ 2))'],
    ['-2 ^ 2', '((-2) ^ 2)'],
    ['2 ^ -1', '(2 ^ (-1))'],
    ['a - b - c', '((a - b) - c)'],
    ['a \\ b % c * d / e', '((((a \\ b) % c) * d) / e)'],
    ['a + 1 > b * 2', '((a + 1) > (b * 2))'],
    ['a = 1 & b != 2 | c', '(((a = 1) & (b != 2)) | c)'],
    ['a | b ~ c & d', '(a | (b ~ (c & d)))'],
    ['x => 0', '(x >= 0)'],
    ['x <> 0', '(x != 0)'],
    ['(a + b) * c', '((a + b) * c)'],
    ['obj.m[i].sub', 'obj.m[i].sub'],
    ['x.a.b.f(1, y)', 'x.a.b.f(1, y)'],
    ['Names.size', 'Names.size'],
    ['o.$value', 'o.$value'],
    ['f(g(1), -x)', 'f(g(1), (-x))'],
    ['o.default.in', 'o.default.in'],
  ])('%s', (text, shape) => {
    expect(expr(text)).toBe(shape);
  });

  it('keeps exact operator and node ranges', () => {
    const r = parseExpression('ab + cd');
    const e = r.value;
    expect(e?.kind === 'Binary' && [e.operatorRange.start.column, e.range.start.column, e.range.end.column]).toEqual([4, 1, 8]);
  });
});

describe('statements', () => {
  it('reads ASSIGN with and without the keyword, to names, members and elements', () => {
    const body = ok('ASSIGN x = 1\ny = 2\nobj.a.b = 3\nnames[2] = "b"\nobj.m[1].sub = 4');
    expect(body.map((s) => (s.kind === 'Assign' ? `${s.keyword}:${s.target.kind}` : s.kind))).toEqual([
      'true:Identifier',
      'false:Identifier',
      'false:Member',
      'false:Index',
      'false:Member',
    ]);
  });

  it('reads DYNAMIC with and without text', () => {
    const body = ok('DYNAMIC a\nDYNAMIC b = "{}"');
    expect(body.map((s) => s.kind === 'Dynamic' && [s.name.name, s.init?.kind])).toEqual([['a', undefined], ['b', 'String']]);
  });

  it('reads IF with braces on following lines and ELSE on its own line', () => {
    const [s] = ok('IF TEST = 1\n{\n  x = 1\n}\nELSE\n{\n  x = 2\n}');
    expect(s?.kind === 'If' && [s.then.body.length, s.else?.body.length]).toEqual([1, 1]);
    expect(s?.range).toMatchObject({ start: { line: 1, column: 1 }, end: { line: 8, column: 2 } });
  });

  it('allows two complete IFs on one line', () => {
    expect(ok('IF x=1 {TRACE "one" } IF x=2 {TRACE "two" }').map((s) => s.kind)).toEqual(['If', 'If']);
  });

  it('reads SELECT with stacked CASE lines and DEFAULT', () => {
    const [s] = ok('SELECT\n{\n\tCASE HTTPStatus = 200 // ok\n\tCASE HTTPStatus = 204 // ok\n\t{\n\t}\n\n\tDEFAULT\n\t{\n\t\tdfoerror = true\n\t}\n}');
    expect(s?.kind === 'Select' && [s.cases.length, s.cases[0]?.conditions.length, s.default?.body.length]).toEqual([1, 2, 1]);
  });

  it('reads SWITCH with values, stacked values and DEFAULT', () => {
    const [s] = ok('SWITCH var\n{\n  CASE "a"\n  CASE "b" { x = 1 }\n  CASE 2 { x = 2 }\n  DEFAULT { x = 3 }\n}');
    expect(s?.kind === 'Switch' && s.cases.map((c) => c.values.length)).toEqual([2, 1]);
  });

  it('reads the loops', () => {
    const body = ok('FOR i = 1 TO n + 1 {\n  BREAK\n}\nFOREACH x IN arr { TRACE x }\nREPEAT 3 { n = n + 1 }\nWHILE n < 10 { n = n + 1 }');
    expect(body.map((s) => s.kind)).toEqual(['For', 'ForEach', 'Repeat', 'While']);
  });

  it('reads FUNCTION with its doc comment, RETURN with and without a value', () => {
    const [f] = ok('FUNCTION add(a, b) // Adds two numbers\n{\n  IF a = 0 { RETURN }\n  RETURN a + b\n}');
    expect(f?.kind === 'Function' && [f.name.name, f.params.map((p) => p.name), f.doc, f.body.body.length]).toEqual([
      'add',
      ['a', 'b'],
      'Adds two numbers',
      2,
    ]);
  });

  it('reads TRACE, USES and call statements', () => {
    const body = ok('TRACE "x={x}"\nUSES "proxy"\ngenerateskill(100)\nproxy.AddHeader("a", "b")\nx.a.b.f()');
    expect(body.map((s) => (s.kind === 'ExpressionStatement' ? s.expression.kind : s.kind))).toEqual(['Trace', 'Uses', 'Call', 'MethodCall', 'MethodCall']);
  });

  it('collects comments, trailing ones included', () => {
    const { value } = parseSnippet('// head\nx = 1 // Jeff\n');
    expect(value.comments.map((c) => [c.text, c.range.start.line, c.range.start.column])).toEqual([
      [' head', 1, 1],
      [' Jeff', 2, 7],
    ]);
  });

  it('gives the program the whole file as its range', () => {
    const { value } = parseSnippet('x = 1\r\ny = 2\n');
    expect(value.range.end).toEqual({ line: 3, column: 1, offset: 13 });
    expect(value.body[1]?.range.start).toEqual({ line: 2, column: 1, offset: 7 });
  });
});

describe('.studio scripts', () => {
  const SKETCH = [
    'SCRIPT "Agent lookup"',
    'PARAMS ani, accountId',
    '',
    'BEGIN start -> build',
    '',
    'SNIPPET build {',
    '  DYNAMIC requestPayload',
    '  ASSIGN requestPayload.URL = "[[INSTANCEURI]]/agents/{accountId}" // the url',
    '}',
    '  Error -> failed',
    '',
    'CONNECTREQUEST call (connectName = "Agents API",',
    '    requestName = "Lookup agent", requestPayload = payloadJSON)',
    '  OnSuccess -> done',
    '  OnError -> failed',
    '',
    'CASE pick (Variable = dnis)',
    '  "8881234567" -> done',
    '  42 -> done',
    '  -> failed',
    '',
    'end done',
    'END failed',
  ].join('\n');

  it('reads the design sketch', () => {
    const { value, diagnostics } = parseStudio(SKETCH);
    expect(diagnostics).toEqual([]);
    expect(value.name?.parts[0]).toMatchObject({ kind: 'Text', value: 'Agent lookup' });
    expect(value.params.map((p) => p.name)).toEqual(['ani', 'accountId']);
    expect(value.actions.map((a) => [a.type, a.label.name, a.properties.map((p) => p.name.name), a.branches.map((b) => `${b.name?.name ?? ''}->${b.target.name}`)])).toEqual([
      ['BEGIN', 'start', [], ['->build']],
      ['SNIPPET', 'build', [], ['Error->failed']],
      ['CONNECTREQUEST', 'call', ['connectName', 'requestName', 'requestPayload'], ['OnSuccess->done', 'OnError->failed']],
      ['CASE', 'pick', ['Variable'], ['8881234567->done', '42->done', '->failed']],
      ['END', 'done', [], []],
      ['END', 'failed', [], []],
    ]);
  });

  it('parses a SNIPPET body in place with the file positions and its comments', () => {
    const { value } = parseStudio(SKETCH);
    const body = value.actions[1]?.body;
    expect(body?.body.map((s) => [s.kind, s.range.start.line, s.range.start.column])).toEqual([
      ['Dynamic', 7, 3],
      ['Assign', 8, 3],
    ]);
    expect(body?.comments.map((c) => c.text)).toEqual([' the url']);
    expect(value.comments).toHaveLength(1);
  });

  it('is chosen by parseDocument for .studio files only', () => {
    expect(parseDocument('a.STUDIO', 'END x').value.kind).toBe('Studio');
    expect(parseDocument('a.snip', 'x = 1').value.kind).toBe('Snippet');
  });
});

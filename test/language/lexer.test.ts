// The lexer and string literals: token kinds and positions, interpolation positions in the file,
// nested quotes, escapes, dates, case-insensitive keywords and `Global:` names.
import { describe, expect, it } from 'vitest';
import type { Expression, StringLiteral } from '../../language/ast.js';
import { tokenize, tokenizeDeep } from '../../language/lexer.js';
import { parseSnippet } from '../../language/parse.js';

function kinds(source: string): string[] {
  return tokenize(source).map((t) => `${t.kind}:${t.image}`);
}

/** The value of the single assignment in `source`. */
function valueOf(source: string): Expression {
  const { value, diagnostics } = parseSnippet(source);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const s = value.body[0];
  if (s?.kind !== 'Assign') throw new Error(`expected an assignment, got ${s?.kind}`);
  return s.value;
}

function stringOf(source: string): StringLiteral {
  const v = valueOf(source);
  if (v.kind !== 'String') throw new Error(`expected a string, got ${v.kind}`);
  return v;
}

describe('tokenize', () => {
  it('gives kinds, images and 1-based positions, comments included', () => {
    const toks = tokenize('x = 1\n  IF y { TRACE "a" } // done');
    expect(toks.map((t) => [t.kind, t.image, t.line, t.column, t.offset])).toEqual([
      ['Identifier', 'x', 1, 1, 0],
      ['Equals', '=', 1, 3, 2],
      ['NumberLiteral', '1', 1, 5, 4],
      ['IF', 'IF', 2, 3, 8],
      ['Identifier', 'y', 2, 6, 11],
      ['LCurly', '{', 2, 8, 13],
      ['TRACE', 'TRACE', 2, 10, 15],
      ['StringLiteral', '"a"', 2, 16, 21],
      ['RCurly', '}', 2, 20, 25],
      ['Comment', '// done', 2, 22, 27],
    ]);
  });

  it('reads keywords in any case, and keeps longer names whole', () => {
    expect(kinds('foreach Foreach FOREACH format iffy toString')).toEqual([
      'FOREACH:foreach',
      'FOREACH:Foreach',
      'FOREACH:FOREACH',
      'Identifier:format',
      'Identifier:iffy',
      'Identifier:toString',
    ]);
  });

  it('reads names with _, $ and a Global: prefix', () => {
    expect(kinds('_ERR __httpstatuscode name$ $value Global:total')).toEqual([
      'Identifier:_ERR',
      'Identifier:__httpstatuscode',
      'Identifier:name$',
      'Identifier:$value',
      'Identifier:Global:total',
    ]);
  });

  it('reads operators longest first, with => and <> as synonyms', () => {
    expect(kinds('a->b <= >= => != <> < > = ^ \\ % ~ & |').filter((k) => !k.startsWith('Identifier'))).toEqual([
      'Arrow:->',
      'LessEquals:<=',
      'GreaterEquals:>=',
      'GreaterEquals:=>',
      'NotEquals:!=',
      'NotEquals:<>',
      'Less:<',
      'Greater:>',
      'Equals:=',
      'Caret:^',
      'Backslash:\\',
      'Percent:%',
      'Tilde:~',
      'Ampersand:&',
      'Pipe:|',
    ]);
  });

  it('reads a string with nested quotes inside its interpolation as one token', () => {
    const src = `x = "{mailbody.replace('"','\\"')}" + 1`;
    const str = tokenize(src).find((t) => t.kind === 'StringLiteral');
    expect(str?.image).toBe(`"{mailbody.replace('"','\\"')}"`);
  });

  it('reads the same quote nested inside an interpolation', () => {
    const str = tokenize('x = "a{f("b")}c" // after').find((t) => t.kind === 'StringLiteral');
    expect(str?.image).toBe('"a{f("b")}c"');
  });

  it('ends an unterminated string at the end of its line', () => {
    expect(kinds('x = "abc\ny = 1')).toEqual(['Identifier:x', 'Equals:=', 'StringLiteral:"abc', 'Identifier:y', 'Equals:=', 'NumberLiteral:1']);
  });
});

describe('string literals', () => {
  it('splits text and interpolations with positions in the file', () => {
    const s = stringOf('x = "a{b + 1}c"');
    expect(s.parts.map((p) => [p.kind, p.range.start.column, p.range.end.column])).toEqual([
      ['Text', 6, 7],
      ['Interpolation', 7, 14],
      ['Text', 14, 15],
    ]);
    const inner = s.parts[1];
    expect(inner?.kind === 'Interpolation' && inner.expression?.kind).toBe('Binary');
    const b = inner?.kind === 'Interpolation' ? inner.expression : undefined;
    expect(b?.kind === 'Binary' && [b.left.range.start, b.right.range.end]).toEqual([
      { line: 1, column: 8, offset: 7 },
      { line: 1, column: 13, offset: 12 },
    ]);
  });

  it('parses method calls with nested strings inside an interpolation (CE-70 shape)', () => {
    const s = stringOf(`body = "{mailbody.replace('"','\\"')}"`);
    const part = s.parts[0];
    if (part?.kind !== 'Interpolation' || part.expression?.kind !== 'MethodCall') throw new Error('expected a method call');
    const args = part.expression.args as StringLiteral[];
    expect(args.map((a) => a.parts.map((p) => (p.kind === 'Text' ? p.value : '?')).join(''))).toEqual(['"', '\\"']);
    expect(args[1]?.range.start).toEqual({ line: 1, column: 31, offset: 30 });
  });

  it('keeps backslashes in plain strings and processes escapes in $-strings', () => {
    expect(stringOf('x = "a\\tb"').parts[0]).toMatchObject({ kind: 'Text', value: 'a\\tb' });
    const s = stringOf('x = $"\\{ \\"k\\": {v} \\} \\t\\r\\n\\b\\0\\\\\\\'"');
    expect(s.escapes).toBe(true);
    expect(s.parts.map((p) => (p.kind === 'Text' ? p.value : '{}'))).toEqual(['{ "k": ', '{}', ' } \t\r\n\b\0\\\'']);
  });

  it('reports an unknown escape at the backslash', () => {
    const { diagnostics } = parseSnippet('x = $"a\\qb"');
    expect(diagnostics.map((d) => [d.code, d.range.start.column, d.range.end.column])).toEqual([['SNIP1014', 8, 10]]);
  });

  it('marks date literals and interpolates inside them', () => {
    const s = stringOf('x = #"{date} 8:00"');
    expect(s.date).toBe(true);
    expect(s.parts.map((p) => p.kind)).toEqual(['Interpolation', 'Text']);
  });

  it('keeps {} and a lone { as text', () => {
    expect(stringOf('x = "{}"').parts).toEqual([expect.objectContaining({ kind: 'Text', value: '{}' })]);
    const { diagnostics } = parseSnippet('x = "a { b"');
    expect(diagnostics.map((d) => [d.code, d.severity, d.range.start.column])).toEqual([['SNIP1012', 'warning', 8]]);
  });

  it('accepts single-quoted strings with interpolation', () => {
    expect(stringOf("x = 'n={n}'").quote).toBe("'");
    expect(stringOf("x = 'n={n}'").parts.map((p) => p.kind)).toEqual(['Text', 'Interpolation']);
  });

  it('reads Global: names as global identifiers with the bare key', () => {
    const { value } = parseSnippet('Global:Total = 1');
    const s = value.body[0];
    expect(s?.kind === 'Assign' && s.target).toMatchObject({ kind: 'Identifier', key: 'total', global: true });
  });

  it('reads true/false in any case', () => {
    expect(valueOf('x = TRUE')).toMatchObject({ kind: 'Boolean', value: true });
    expect(valueOf('x = False')).toMatchObject({ kind: 'Boolean', value: false });
  });
});

describe('stray braces in strings', () => {
  it('keeps a later stray { from changing where the string ends', () => {
    const src = 'x = "{f("a")} {"';
    expect(tokenize(src).map((t) => t.kind)).toEqual(['Identifier', 'Equals', 'StringLiteral']);
    const { value, diagnostics } = parseSnippet(src);
    expect(diagnostics.map((d) => [d.code, d.severity])).toEqual([['SNIP1012', 'warning']]);
    const s = value.body[0];
    expect(s?.kind === 'Assign' && s.value.kind === 'String' && s.value.parts.map((p) => p.kind)).toEqual(['Interpolation', 'Text']);
  });
});

describe('tokenizeDeep', () => {
  it('splits strings into text pieces and the tokens of their interpolations', () => {
    const src = `x = "a{b.f('c{d}')}e" // z`;
    const toks = tokenizeDeep(src);
    expect(toks.map((t) => `${t.kind}:${t.image}@${t.column}`)).toEqual([
      'Identifier:x@1',
      'Equals:=@3',
      'StringText:"a{@5',
      'Identifier:b@8',
      'Dot:.@9',
      'Identifier:f@10',
      'LParen:(@11',
      "StringText:'c{@12",
      'Identifier:d@15',
      "StringText:}'@16",
      'RParen:)@18',
      'StringText:}e"@19',
      'Comment:// z@23',
    ]);
    for (const t of toks) expect(src.slice(t.offset, t.offset + t.length)).toBe(t.image);
  });
});

// Small constructors for AST nodes and ranges from Chevrotain tokens, used by the parser's
// embedded actions. Kept apart so the grammar file reads as grammar.
import type { IToken } from 'chevrotain';
import type * as A from './ast.js';

export function startOf(t: IToken): A.Position {
  return { line: t.startLine ?? 1, column: t.startColumn ?? 1, offset: t.startOffset };
}

export function endOf(t: IToken): A.Position {
  return { line: t.endLine ?? 1, column: (t.endColumn ?? 0) + 1, offset: (t.endOffset ?? t.startOffset) + 1 };
}

export function tokenRange(a: IToken, b: IToken = a): A.Range {
  return { start: startOf(a), end: endOf(b) };
}

export function spanRange(a: { range: A.Range }, b: { range: A.Range }): A.Range {
  return { start: a.range.start, end: b.range.end };
}

export function fromTo(start: A.Position, b: { range: A.Range } | IToken): A.Range {
  return { start, end: 'range' in b ? b.range.end : endOf(b) };
}

/** A zero-width placeholder where recovery had to invent an expression or a name. */
export function missingIdentifier(at: A.Position): A.Identifier {
  return { kind: 'Identifier', name: '', key: '', range: { start: at, end: at } };
}

export function identifier(t: IToken): A.Identifier {
  const image = t.image;
  const colon = image.indexOf(':');
  if (colon > 0) {
    const bare = image.slice(colon + 1);
    return { kind: 'Identifier', name: image, key: bare.toLowerCase(), global: true, range: tokenRange(t) };
  }
  return { kind: 'Identifier', name: image, key: image.toLowerCase(), range: tokenRange(t) };
}

const OPERATORS: Record<string, A.BinaryOperator> = {
  Pipe: '|',
  Tilde: '~',
  Ampersand: '&',
  Equals: '=',
  NotEquals: '!=',
  Less: '<',
  LessEquals: '<=',
  Greater: '>',
  GreaterEquals: '>=',
  Plus: '+',
  Minus: '-',
  Star: '*',
  Slash: '/',
  Backslash: '\\',
  Percent: '%',
  Caret: '^',
};

export function binary(op: IToken, left: A.Expression, right: A.Expression): A.BinaryExpression {
  return {
    kind: 'Binary',
    operator: OPERATORS[op.tokenType.name] as A.BinaryOperator,
    operatorRange: tokenRange(op),
    left,
    right,
    range: spanRange(left, right),
  };
}

/** A string literal whose parts are filled in after the main parse (see interpolation.ts). */
export function stringLiteral(t: IToken): A.StringLiteral {
  const first = t.image.charCodeAt(0);
  const prefixed = first === 36 || first === 35; // $ or #
  const quote = (prefixed ? t.image[1] : t.image[0]) as '"' | "'";
  return { kind: 'String', parts: [], quote, escapes: first === 36, date: first === 35, range: tokenRange(t) };
}

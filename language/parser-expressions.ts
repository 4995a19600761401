// Expressions by precedence climbing, lowest first: `|`, `~`, `&`, comparisons, `+ -`,
// `* / \ %`, `^` (right-associative), unary minus, then postfix member/index/call.
// String literals are split into parts here; each `{...}` is lexed and parsed in place.
// An expression never spans lines: a line break ends it, which keeps error recovery line-based.
import { tokenMatcher, type IToken, type TokenType } from 'chevrotain';
import type { BinaryOperator, Expression, Position, StringLiteral } from './ast.js';
import { binary, fromTo, identifier, missingIdentifier, startOf, stringLiteral, tokenRange } from './ast-build.js';
import { splitString } from './interpolation.js';
import { snippetLexer } from './lexer.js';
import { describe, EndOfInput, lc, ParseError, ParserBase, type ParseContext } from './parser-core.js';
import { isTerminated } from './string-scan.js';
import * as T from './tokens.js';

/** Binary operator tokens and their level, lowest first. */
const LEVEL_OF = new Map<TokenType, number>([
  [T.Pipe, 0],
  [T.Tilde, 1],
  [T.Ampersand, 2],
  [T.Equals, 3],
  [T.NotEquals, 3],
  [T.Less, 3],
  [T.LessEquals, 3],
  [T.Greater, 3],
  [T.GreaterEquals, 3],
  [T.Plus, 4],
  [T.Minus, 4],
  [T.Star, 5],
  [T.Slash, 5],
  [T.Backslash, 5],
  [T.Percent, 5],
]);

/** Operators from other languages (two tokens each), and what Snippet writes instead. */
const FOREIGN: Record<string, { as: BinaryOperator; hint: string }> = {
  '==': { as: '=', hint: "use '=' to compare" },
  '&&': { as: '&', hint: "use '&' for AND" },
  '||': { as: '|', hint: "use '|' for OR" },
};

export class ExpressionParser extends ParserBase {
  constructor(tokens: IToken[], ctx: ParseContext, end: Position, endText = '') {
    super(tokens, ctx, end, endText);
  }

  /** Parses one expression; reports and throws ParseError when there is none. */
  parseExpression(): Expression {
    return this.nested(() => this.binaryLevel(0));
  }

  /** Reports anything left after an interpolation's expression. */
  expectEnd(): void {
    const t = this.peek();
    if (t.tokenType !== EndOfInput) {
      this.fail('SNIP1003', `unexpected ${describe(t)} in the interpolation: one expression is allowed inside { }`, this.errorRange());
    }
  }

  /** Precedence climbing: operators at `minLevel` or above; each level is left-associative. */
  private binaryLevel(minLevel: number): Expression {
    let left = this.power();
    for (;;) {
      const t = this.peek();
      const level = LEVEL_OF.get(t.tokenType);
      if (level === undefined || level < minLevel) return left;
      const foreign = this.foreignOperator(t);
      if (foreign === undefined) this.next();
      const right = this.binaryLevel(level + 1);
      left = foreign
        ? { kind: 'Binary', operator: foreign.as, operatorRange: foreign.range, left, right, range: { start: left.range.start, end: right.range.end } }
        : binary(t, left, right);
    }
  }

  /** `==`, `&&`, `||`: reported once, consumed, and read as the Snippet operator. */
  private foreignOperator(a: IToken): { as: BinaryOperator; range: ReturnType<typeof tokenRange> } | undefined {
    const b = this.peek(1);
    if (b.tokenType !== a.tokenType || b.startOffset !== a.startOffset + 1) return undefined;
    const f = FOREIGN[a.image + b.image];
    if (f === undefined) return undefined;
    this.next();
    this.next();
    const range = tokenRange(a, b);
    this.report('SNIP1026', `'${a.image + b.image}' is not a Snippet operator: ${f.hint}`, range);
    return { as: f.as, range };
  }

  /** `^` is right-associative; a unary minus binds tighter (`-2^2` is 4, `2^-1` is 0.5). */
  private power(): Expression {
    const base = this.unary();
    if (!this.at(T.Caret)) return base;
    const op = this.next();
    const exponent = this.nested(() => this.power());
    return binary(op, base, exponent);
  }

  private unary(): Expression {
    const t = this.peek();
    if (t.tokenType === T.Minus) {
      this.next();
      const operand = this.nested(() => this.unary());
      return { kind: 'Unary', operator: '-', operand, range: fromTo(startOf(t), operand) };
    }
    return this.postfix(this.primary());
  }

  /** Member access, indexing and method calls after a primary expression. */
  protected postfix(expr: Expression): Expression {
    for (;;) {
      const t = this.peek();
      if (t.tokenType === T.Dot) {
        this.next();
        const nameTok = this.peek();
        if (!tokenMatcher(nameTok, T.Word)) {
          this.fail('SNIP1007', `expected a member name after '.', but found ${describe(nameTok)}`, this.errorRange());
        }
        this.next();
        if (this.at(T.LParen)) {
          const args = this.args();
          expr = { kind: 'MethodCall', receiver: expr, name: nameTok.image, nameRange: tokenRange(nameTok), args, range: fromTo(expr.range.start, this.prev()) };
        } else {
          expr = { kind: 'Member', object: expr, name: nameTok.image, nameRange: tokenRange(nameTok), range: fromTo(expr.range.start, nameTok) };
        }
      } else if (t.tokenType === T.LBracket) {
        this.next();
        const index = this.parseExpression();
        this.expect(T.RBracket, 'SNIP1009', `expected ']' to close the '[' at ${lc(startOf(t))}, but found ${describe(this.peek())}`, {
          message: "'[' is here",
          range: tokenRange(t),
        });
        expr = { kind: 'Index', object: expr, index, range: fromTo(expr.range.start, this.prev()) };
      } else return expr;
    }
  }

  /** A literal, name, call or parenthesised expression. */
  protected primary(): Expression {
    const t = this.peek();
    const type = t.tokenType;
    if (type === T.NumberLiteral) {
      this.next();
      if (tokenMatcher(this.peek(), T.Word) && this.peek().startOffset === t.endOffset! + 1) {
        const w = this.next();
        this.fail('SNIP1017', `'${t.image}${w.image}' is not a number: a name cannot start with a digit`, tokenRange(t, w));
      }
      return { kind: 'Number', value: Number(t.image), raw: t.image, range: tokenRange(t) };
    }
    if (type === T.StringLiteral) {
      this.next();
      return this.stringLiteral(t);
    }
    if (type === T.True || type === T.False) {
      this.next();
      return { kind: 'Boolean', value: type === T.True, raw: t.image, range: tokenRange(t) };
    }
    if (type === T.Identifier) {
      this.next();
      const id = identifier(t);
      if (this.at(T.LParen) && !id.global) {
        const args = this.args();
        return { kind: 'Call', callee: id, args, range: fromTo(id.range.start, this.prev()) };
      }
      return id;
    }
    if (type === T.LParen) {
      this.next();
      const inner = this.parseExpression();
      this.expect(T.RParen, 'SNIP1008', `expected ')' to close the '(' at ${lc(startOf(t))}, but found ${describe(this.peek())}`, {
        message: "'(' is here",
        range: tokenRange(t),
      });
      return { kind: 'Group', expression: inner, range: tokenRange(t, this.prev()) };
    }
    if (type === T.Equals && this.prev().tokenType === T.Equals && this.prev().startOffset === t.startOffset - 1) {
      this.fail('SNIP1026', "'==' is not a Snippet operator: use '=' to compare or to assign", tokenRange(this.prev(), t));
    }
    if (tokenMatcher(t, T.Word)) {
      this.fail('SNIP1006', `expected an expression, but found the keyword ${t.image.toUpperCase()}`, tokenRange(t));
    }
    this.fail('SNIP1006', `expected an expression, but found ${describe(t)}`, this.errorRange());
  }

  /** `( args )` with the cursor on `(`. */
  private args(): Expression[] {
    const open = this.next();
    const args: Expression[] = [];
    if (this.at(T.RParen)) {
      this.next();
      return args;
    }
    for (;;) {
      args.push(this.parseExpression());
      if (this.at(T.Comma)) {
        this.next();
        continue;
      }
      this.expect(T.RParen, 'SNIP1008', `expected ',' or ')' to close the argument list opened at ${lc(startOf(open))}, but found ${describe(this.peek())}`, {
        message: "'(' is here",
        range: tokenRange(open),
      });
      return args;
    }
  }

  /** Builds a string literal: its text parts and its parsed interpolations. */
  protected stringLiteral(token: IToken): StringLiteral {
    const lit = stringLiteral(token);
    const image = token.image;
    const terminated = isTerminated(image);
    if (!terminated) {
      this.report('SNIP1002', `unterminated string: add the closing ${lit.quote === '"' ? 'double' : 'single'} quote on this line`, tokenRange(token));
    }
    const prefix = lit.escapes || lit.date ? 1 : 0;
    const { segments, problems } = splitString(image, prefix + 1, terminated ? image.length - 1 : image.length, lit.escapes);
    const base = token.startOffset;
    const line = token.startLine ?? 1;
    const col = token.startColumn ?? 1;
    const at = (i: number): Position => ({ line, column: col + i, offset: base + i });
    for (const pr of problems) {
      this.report(pr.code, pr.message, { start: at(pr.start), end: at(pr.end) }, pr.code === 'SNIP1014' ? 'error' : 'warning');
    }
    for (const seg of segments) {
      const range = { start: at(seg.start), end: at(seg.end) };
      if (seg.kind === 'text') lit.parts.push({ kind: 'Text', value: seg.value, raw: image.slice(seg.start, seg.end), range });
      else lit.parts.push({ kind: 'Interpolation', expression: parseEmbedded(this.ctx, at(seg.start + 1), seg.end - seg.start - 2), range });
    }
    return lit;
  }
}

/** Parses the `length` characters at `start` (inside one line) as a single expression. */
export function parseEmbedded(ctx: ParseContext, start: Position, length: number): ReturnType<ExpressionParser['parseExpression']> | undefined {
  const text = ctx.source.slice(start.offset, start.offset + length);
  const lexed = snippetLexer.tokenize(text);
  const dc = start.column - 1;
  for (const t of lexed.tokens) {
    t.startOffset += start.offset;
    t.endOffset = (t.endOffset ?? 0) + start.offset;
    t.startColumn = (t.startColumn ?? 1) + dc;
    t.endColumn = (t.endColumn ?? 1) + dc;
    t.startLine = start.line;
    t.endLine = start.line;
  }
  for (const e of lexed.errors) {
    const p = { line: start.line, column: start.column + e.offset, offset: start.offset + e.offset };
    ctx.diagnostics.push({
      code: 'SNIP1001',
      message: `unexpected character '${text.slice(e.offset, e.offset + e.length)}'`,
      range: { start: p, end: { ...p, column: p.column + e.length, offset: p.offset + e.length } },
      severity: 'error',
    });
  }
  const end: Position = { line: start.line, column: start.column + length, offset: start.offset + length };
  const p = new ExpressionParser(lexed.tokens, ctx, end, '}');
  try {
    const e = p.parseExpression();
    p.expectEnd();
    return e;
  } catch (err) {
    if (err instanceof ParseError) return undefined;
    throw err;
  }
}

/** A zero-width stand-in where a header expression could not be read (an error was reported). */
export function placeholder(at: Position): Expression {
  return missingIdentifier(at);
}


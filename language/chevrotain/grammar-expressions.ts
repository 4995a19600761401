// Expression rules by precedence climbing, lowest first: `|`, `~`, `&`, comparisons, `+ -`,
// `* / \ %`, `^` (right-associative), unary minus, then postfix member/index/call. String literals
// are split into parts here; each `{...}` is queued and parsed, with the same parser, after the
// enclosing parse. An expression never spans lines, which keeps error recovery line-based.
import { tokenMatcher, type IOrAlt, type IToken, type TokenType } from 'chevrotain';
import type { BinaryOperator, Expression, InterpolationPart, Position, Range, StringLiteral } from '../ast.js';
import { binary, fromTo, identifier, startOf, stringLiteral, tokenRange } from '../ast-build.js';
import { splitString } from '../interpolation.js';
import { isTerminated } from '../string-scan.js';
import * as T from '../tokens.js';
import { describe, EndOfInput, lc, ParserCursor } from './recovery.js';

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

/** The tokens a primary expression starts with. */
const PRIMARY_FIRST = new Set<TokenType>([T.NumberLiteral, T.StringLiteral, T.True, T.False, T.Identifier, T.LParen]);

/** An interpolation waiting to be parsed once the enclosing parse is done. */
export interface PendingInterpolation {
  part: InterpolationPart;
  start: Position;
  length: number;
}

/** The expression rules; statement and `.studio` rules extend this class. */
export class ExpressionGrammar extends ParserCursor {
  /** Interpolations queued by string literals (see the module comment). */
  protected pending: PendingInterpolation[] = [];

  private opAlts: IOrAlt<IToken>[] | undefined;
  private primAlts: IOrAlt<Expression>[] | undefined;
  private readonly values: Expression[] = [];
  private readonly ops: { t: IToken; level: number; foreign: { as: BinaryOperator; range: Range } | undefined }[] = [];

  /** One expression; reports and throws ParseError when there is none. */
  readonly expression = this.RULE('expression', (): Expression => {
    if (this.recording) {
      this.SUBRULE(this.power);
      this.MANY(() => {
        this.OR(this.operatorAlts());
        this.SUBRULE2(this.power);
      });
      return undefined as never;
    }
    this.enter();
    try {
      return this.climb();
    } finally {
      this.leave();
    }
  });

  /** `^` is right-associative; a unary minus binds tighter (`-2^2` is 4, `2^-1` is 0.5). */
  private readonly power = this.RULE('power', (): Expression => {
    const base = this.SUBRULE(this.unary);
    if (this.recording || !this.at(T.Caret)) return base;
    const op = this.CONSUME(T.Caret);
    this.enter();
    try {
      return binary(op, base, this.SUBRULE(this.power));
    } finally {
      this.leave();
    }
  });

  private readonly unary = this.RULE('unary', (): Expression => {
    if (this.recording) return this.postfixed();
    const t = this.peek();
    if (t.tokenType === T.Minus) {
      this.CONSUME(T.Minus);
      this.enter();
      try {
        const operand = this.SUBRULE(this.unary);
        return { kind: 'Unary', operator: '-', operand, range: fromTo(startOf(t), operand) };
      } finally {
        this.leave();
      }
    }
    return this.postfixed();
  });

  /** A primary expression and its member accesses, indexes and method calls. */
  protected readonly operand = this.RULE('operand', (): Expression => this.postfixed());

  /** A literal, name, call or parenthesised expression. */
  private readonly primary = this.RULE('primary', (): Expression => this.OR(this.primaryAlts()));

  /** `( args )`. */
  private readonly args = this.RULE('args', (): Expression[] => {
    const open = this.CONSUME(T.LParen);
    const args: Expression[] = [];
    if (this.recording) return args;
    if (this.at(T.RParen)) {
      this.CONSUME(T.RParen);
      return args;
    }
    for (;;) {
      args.push(this.SUBRULE(this.expression));
      if (this.at(T.Comma)) {
        this.CONSUME(T.Comma);
        continue;
      }
      this.expect(T.RParen, 'SNIP1008', () => `expected ',' or ')' to close the argument list opened at ${lc(startOf(open))}, but found ${describe(this.peek())}`, {
        message: "'(' is here",
        range: tokenRange(open),
      });
      return args;
    }
  });

  /** An interpolation on its own: one expression, then nothing. */
  protected readonly interpolation = this.RULE('interpolation', (): Expression => {
    const e = this.SUBRULE(this.expression);
    this.ACTION(() => {
      const t = this.peek();
      if (t.tokenType !== EndOfInput) {
        this.fail('SNIP1003', `unexpected ${describe(t)} in the interpolation: one expression is allowed inside { }`, this.errorRange());
      }
    });
    return e;
  });

  /** Binary operators by precedence with shared operand/operator stacks, so one rule call per operand. */
  private climb(): Expression {
    const values = this.values;
    const ops = this.ops;
    const vBase = values.length;
    const oBase = ops.length;
    try {
      values.push(this.SUBRULE(this.power));
      for (;;) {
        const t = this.peek();
        const level = LEVEL_OF.get(t.tokenType);
        if (level === undefined) break;
        while (ops.length > oBase && ops[ops.length - 1]!.level >= level) this.reduce();
        const foreign = this.foreignOperator(t);
        if (foreign === undefined) this.OR(this.operatorAlts());
        ops.push({ t, level, foreign });
        values.push(this.SUBRULE2(this.power));
      }
      while (ops.length > oBase) this.reduce();
      return values[vBase]!;
    } finally {
      values.length = vBase;
      ops.length = oBase;
    }
  }

  private reduce(): void {
    const op = this.ops.pop()!;
    const right = this.values.pop()!;
    const left = this.values.pop()!;
    const f = op.foreign;
    this.values.push(
      f ? { kind: 'Binary', operator: f.as, operatorRange: f.range, left, right, range: { start: left.range.start, end: right.range.end } } : binary(op.t, left, right),
    );
  }

  /** A primary expression, then its postfix member accesses, indexes and calls. */
  private postfixed(): Expression {
    if (!this.recording && !PRIMARY_FIRST.has(this.peek().tokenType)) this.noExpression();
    let expr = this.SUBRULE(this.primary);
    if (this.recording) return expr;
    for (;;) {
      const t = this.peek();
      if (t.tokenType === T.Dot) {
        this.CONSUME(T.Dot);
        const nameTok = this.peek();
        if (!tokenMatcher(nameTok, T.Word)) this.fail('SNIP1007', `expected a member name after '.', but found ${describe(nameTok)}`, this.errorRange());
        this.CONSUME(T.Word);
        if (this.at(T.LParen)) {
          const args = this.SUBRULE(this.args);
          expr = { kind: 'MethodCall', receiver: expr, name: nameTok.image, nameRange: tokenRange(nameTok), args, range: fromTo(expr.range.start, this.prev()) };
        } else {
          expr = { kind: 'Member', object: expr, name: nameTok.image, nameRange: tokenRange(nameTok), range: fromTo(expr.range.start, nameTok) };
        }
      } else if (t.tokenType === T.LBracket) {
        this.CONSUME(T.LBracket);
        const index = this.SUBRULE(this.expression);
        this.expect(T.RBracket, 'SNIP1009', () => `expected ']' to close the '[' at ${lc(startOf(t))}, but found ${describe(this.peek())}`, {
          message: "'[' is here",
          range: tokenRange(t),
        });
        expr = { kind: 'Index', object: expr, index, range: fromTo(expr.range.start, this.prev()) };
      } else return expr;
    }
  }

  private primaryAlts(): IOrAlt<Expression>[] {
    return (this.primAlts ??= [
      {
        ALT: () => {
          const t = this.CONSUME(T.NumberLiteral);
          if (this.recording) return undefined as never;
          const w = this.peek();
          if (tokenMatcher(w, T.Word) && w.startOffset === t.endOffset! + 1) {
            this.next();
            this.fail('SNIP1017', `'${t.image}${w.image}' is not a number: a name cannot start with a digit`, tokenRange(t, w));
          }
          return { kind: 'Number', value: Number(t.image), raw: t.image, range: tokenRange(t) };
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.StringLiteral);
          return this.recording ? (undefined as never) : this.stringLiteral(t);
        },
      },
      { ALT: () => this.boolean(this.CONSUME(T.True)) },
      { ALT: () => this.boolean(this.CONSUME(T.False)) },
      {
        ALT: () => {
          const t = this.CONSUME(T.Identifier);
          if (this.recording) return undefined as never;
          const id = identifier(t);
          if (this.at(T.LParen) && !id.global) {
            const args = this.SUBRULE2(this.args);
            return { kind: 'Call', callee: id, args, range: fromTo(id.range.start, this.prev()) };
          }
          return id;
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.LParen);
          const inner = this.SUBRULE(this.expression);
          if (this.recording) return undefined as never;
          this.expect(T.RParen, 'SNIP1008', () => `expected ')' to close the '(' at ${lc(startOf(t))}, but found ${describe(this.peek())}`, {
            message: "'(' is here",
            range: tokenRange(t),
          });
          return { kind: 'Group', expression: inner, range: tokenRange(t, this.prev()) };
        },
      },
    ]);
  }

  private boolean(t: IToken): Expression {
    return this.recording ? (undefined as never) : { kind: 'Boolean', value: t.tokenType === T.True, raw: t.image, range: tokenRange(t) };
  }

  private operatorAlts(): IOrAlt<IToken>[] {
    return (this.opAlts ??= [...LEVEL_OF.keys()].map((type) => ({ ALT: () => this.CONSUME(type) })));
  }

  private noExpression(): never {
    const t = this.peek();
    const p = this.prev();
    if (t.tokenType === T.Equals && p.tokenType === T.Equals && p.startOffset === t.startOffset - 1) {
      this.fail('SNIP1026', "'==' is not a Snippet operator: use '=' to compare or to assign", tokenRange(p, t));
    }
    if (tokenMatcher(t, T.Word)) this.fail('SNIP1006', `expected an expression, but found the keyword ${t.image.toUpperCase()}`, tokenRange(t));
    this.fail('SNIP1006', `expected an expression, but found ${describe(t)}`, this.errorRange());
  }

  /** `==`, `&&`, `||`: reported once, consumed, and read as the Snippet operator. */
  private foreignOperator(a: IToken): { as: BinaryOperator; range: Range } | undefined {
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

  /** Builds a string literal: its text parts, and its interpolations queued for parsing. */
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
      else {
        const part: InterpolationPart = { kind: 'Interpolation', expression: undefined, range };
        lit.parts.push(part);
        this.pending.push({ part, start: at(seg.start + 1), length: seg.end - seg.start - 2 });
      }
    }
    return lit;
  }
}

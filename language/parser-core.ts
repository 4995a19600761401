// The token cursor shared by the hand-written parsers: lookahead, ranges, diagnostics and the
// panic-mode recovery that skips the rest of a statement so one typo gives one error.
import type { IToken, TokenType } from 'chevrotain';
import type { Position, Range } from './ast.js';
import { endOf, startOf, tokenRange } from './ast-build.js';
import type { Code } from './codes.js';
import type { Diagnostic, Severity } from './diagnostics.js';
import * as T from './tokens.js';

/** Thrown inside a statement after its error was reported; caught where parsing can resume. */
export class ParseError extends Error {
  override readonly name = 'ParseError';
}

/** The synthetic token type of the token past the last one. */
export const EndOfInput = { name: 'EOF', PATTERN: undefined } as unknown as TokenType;

/** Shared by a parse and the parsers of its interpolations. */
export interface ParseContext {
  source: string;
  diagnostics: Diagnostic[];
}

export type Related = { message: string; range: Range };

/** How a token is named in messages: `'}'`, `the end of the line`, `'foo'`. */
export function describe(t: IToken): string {
  if (t.tokenType === EndOfInput) return t.image === '}' ? "the closing '}' of the interpolation" : 'the end of the file';
  if (t.tokenType === T.Newline) return 'the end of the line';
  const img = t.image.length > 30 ? `${t.image.slice(0, 27)}...` : t.image;
  return `'${img}'`;
}

/** `line:column` of a position, as messages show it. */
export function lc(p: Position): string {
  return `${p.line}:${p.column}`;
}

/** Blocks and parentheses nested deeper than this are refused (real scripts stay far below). */
export const MAX_NESTING = 200;

/** The cursor over one token list; subclasses add the grammar. */
export class ParserBase {
  protected pos = 0;
  private depth = 0;
  protected readonly eof: IToken;

  constructor(
    protected readonly tokens: IToken[],
    protected readonly ctx: ParseContext,
    end: Position,
    endText = '',
  ) {
    this.eof = {
      image: endText,
      tokenType: EndOfInput,
      tokenTypeIdx: -1,
      startOffset: end.offset,
      endOffset: end.offset - 1,
      startLine: end.line,
      endLine: end.line,
      startColumn: end.column,
      endColumn: end.column - 1,
    };
  }

  protected peek(k = 0): IToken {
    return this.tokens[this.pos + k] ?? this.eof;
  }

  protected at(type: TokenType): boolean {
    return (this.tokens[this.pos] ?? this.eof).tokenType === type;
  }

  protected next(): IToken {
    const t = this.tokens[this.pos] ?? this.eof;
    if (this.pos < this.tokens.length) this.pos++;
    return t;
  }

  /** The token just consumed (for end positions). */
  protected prev(): IToken {
    return this.tokens[this.pos - 1] ?? this.eof;
  }

  protected atLineEnd(): boolean {
    const t = this.peek().tokenType;
    return t === T.Newline || t === EndOfInput;
  }

  protected skipNewlines(): void {
    while (this.at(T.Newline)) this.pos++;
  }

  /** The first token after any newlines (without moving). */
  protected peekPastNewlines(): IToken {
    let k = 0;
    while (this.peek(k).tokenType === T.Newline) k++;
    return this.peek(k);
  }

  /** Consumes `type` or reports `message` at the current token and throws. */
  protected expect(type: TokenType, code: Code, message: string, related?: Related): IToken {
    if (this.at(type)) return this.next();
    this.fail(code, message, this.errorRange(), related);
  }

  /** The range to blame at the current token (a newline or the end is blamed as a point after the previous token). */
  protected errorRange(): Range {
    const t = this.peek();
    if (t.tokenType === T.Newline || t.tokenType === EndOfInput) {
      const p = this.pos > 0 ? endOf(this.prev()) : startOf(t);
      return { start: p, end: p };
    }
    return tokenRange(t);
  }

  protected report(code: Code, message: string, range: Range, severity: Severity = 'error', related?: Related): void {
    const d: Diagnostic = { code, message, range, severity };
    if (related) d.related = [related];
    this.ctx.diagnostics.push(d);
  }

  protected fail(code: Code, message: string, range: Range, related?: Related): never {
    this.report(code, message, range, 'error', related);
    throw new ParseError(message);
  }

  /**
   * Skips to the end of the line, or to a `}` that closes an enclosing block (so recovery never
   * swallows the brace that ends the current block).
   */
  protected skipLine(): void {
    let depth = 0;
    for (;;) {
      const t = this.peek().tokenType;
      if (t === EndOfInput || (t === T.Newline && depth === 0)) return;
      if (t === T.LCurly) depth++;
      else if (t === T.RCurly) {
        if (depth === 0) return;
        depth--;
      }
      this.pos++;
    }
  }

  /** Runs `read` one nesting level deeper, refusing absurd depths with a diagnostic. */
  protected nested<R>(read: () => R): R {
    if (this.depth >= MAX_NESTING) {
      this.fail('SNIP1028', `nested more than ${MAX_NESTING} levels deep: split this code into functions`, this.errorRange());
    }
    this.depth++;
    try {
      return read();
    } finally {
      this.depth--;
    }
  }

  /** With the cursor on `{`: skips to just past its matching `}` (or the end), without parsing. */
  protected skipBraces(): void {
    let depth = 0;
    for (;;) {
      const t = this.next().tokenType;
      if (t === EndOfInput) return;
      if (t === T.LCurly) depth++;
      else if (t === T.RCurly && --depth === 0) return;
    }
  }

  /** Skips to the next `{` or end of line on this line (a header that failed). */
  protected skipToBlockOrLineEnd(): void {
    for (;;) {
      const t = this.peek().tokenType;
      if (t === EndOfInput || t === T.Newline || t === T.LCurly || t === T.RCurly) return;
      this.pos++;
    }
  }

  /** Per token: the best `}`-minus-`{` balance of any run starting there (computed once, lazily). */
  private closeBalance: Int32Array | undefined;

  /** Whether an unmatched `}` follows before the end of input (used when a `{` is missing). */
  protected closingBraceAhead(): boolean {
    if (this.closeBalance === undefined) {
      const n = this.tokens.length;
      const m = new Int32Array(n + 1);
      for (let i = n - 1; i >= 0; i--) {
        const t = this.tokens[i]!.tokenType;
        const v = t === T.RCurly ? 1 : t === T.LCurly ? -1 : 0;
        m[i] = v + Math.max(0, m[i + 1]!);
      }
      this.closeBalance = m;
    }
    return this.closeBalance[this.pos]! >= 1;
  }
}

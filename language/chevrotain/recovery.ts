// The Chevrotain parser's base: one reusable EmbeddedActionsParser, a cursor over its token vector
// (lookahead that never yields Chevrotain's NaN-positioned EOF), diagnostics, and the panic-mode
// recovery that skips the rest of a statement so one typo gives one error.
import { EmbeddedActionsParser, type IToken, type TokenType } from 'chevrotain';
import type { Position, Range } from '../ast.js';
import { endOf, startOf, tokenRange } from '../ast-build.js';
import type { Code } from '../codes.js';
import type { Diagnostic, Severity } from '../diagnostics.js';
import * as T from '../tokens.js';

/** Thrown inside a statement after its error was reported; caught where parsing can resume. */
export class ParseError extends Error {
  override readonly name = 'ParseError';
}

/** Errors in one file after which parsing stops (garbage or binary input stays fast). */
export const MAX_ERRORS = 100;

/** Thrown past every statement's recovery once a file has more than MAX_ERRORS errors. */
export class TooManyErrors extends Error {
  override readonly name = 'TooManyErrors';
  constructor(readonly at: Range) {
    super('too many errors');
  }
}

/** The synthetic token type of the token past the last one (never Chevrotain's EOF, whose positions are NaN). */
export const EndOfInput = { name: 'EOF', PATTERN: undefined } as unknown as TokenType;

/** Shared by a parse and the parses of its interpolations. */
export interface ParseContext {
  source: string;
  diagnostics: Diagnostic[];
  /** Errors reported so far (parsing stops past MAX_ERRORS). */
  errors?: number;
  /** Set when parsing stopped for too many errors: the SNIP1029 diagnostic reported last. */
  stopped?: Diagnostic;
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

/** A token standing for the end of `end`'s text (`endText` '}' inside an interpolation). */
export function endToken(end: Position, endText: string): IToken {
  return {
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

interface Engine {
  currIdx: number;
  tokVector: IToken[];
  tokVectorLength: number;
  RECORDING_PHASE: boolean;
}

/** The cursor and recovery helpers; subclasses add the grammar rules. */
export class ParserCursor extends EmbeddedActionsParser {
  protected ctx: ParseContext = { source: '', diagnostics: [] };
  protected toks: IToken[] = [];
  /** The real token count (Chevrotain pads its token vector with EOF sentinels while parsing). */
  protected len = 0;
  protected eof: IToken = endToken({ line: 1, column: 1, offset: 0 }, '');
  private depth = 0;
  private closeBalance: Int32Array | undefined;

  /** `validate` runs Chevrotain's grammar checks (slow, so only tests ask for them). */
  constructor(validate = false) {
    super(T.ALL_TOKENS as TokenType[], { recoveryEnabled: true, maxLookahead: 2, skipValidations: !validate });
  }

  /** Points the parser at a new token list (resets Chevrotain's state too). */
  protected begin(tokens: IToken[], ctx: ParseContext, end: Position, endText: string, fresh = true): void {
    if (fresh) this.input = tokens;
    else {
      // Between the interpolations of one parse Chevrotain's state is already clean: skip its reset.
      const engine = this as unknown as Engine;
      engine.tokVector = tokens;
      engine.tokVectorLength = tokens.length;
      engine.currIdx = -1;
    }
    this.toks = tokens;
    this.len = tokens.length;
    this.ctx = ctx;
    this.eof = endToken(end, endText);
    this.depth = 0;
    this.closeBalance = undefined;
  }

  protected get recording(): boolean {
    return (this as unknown as Engine).RECORDING_PHASE;
  }

  /** Index of the next token. */
  protected get pos(): number {
    return (this as unknown as Engine).currIdx + 1;
  }

  protected set pos(p: number) {
    (this as unknown as Engine).currIdx = p - 1;
  }

  protected peek(k = 0): IToken {
    const i = this.pos + k;
    return i < this.len ? this.toks[i]! : this.eof;
  }

  protected at(type: TokenType): boolean {
    return this.peek().tokenType === type;
  }

  protected next(): IToken {
    const t = this.peek();
    if (this.pos < this.len) this.pos++;
    return t;
  }

  protected prev(): IToken {
    const i = this.pos - 1;
    return i >= 0 && i < this.len ? this.toks[i]! : this.eof;
  }

  protected atLineEnd(): boolean {
    const t = this.peek().tokenType;
    return t === T.Newline || t === EndOfInput;
  }

  protected skipNewlines(): void {
    while (this.at(T.Newline)) this.pos++;
  }

  protected peekPastNewlines(): IToken {
    let k = 0;
    while (this.peek(k).tokenType === T.Newline) k++;
    return this.peek(k);
  }

  /** Consumes `type` or reports `message` at the current token and throws. */
  protected expect(type: TokenType, code: Code, message: () => string, related?: Related): IToken {
    if (this.at(type)) return this.next();
    this.fail(code, message(), this.errorRange(), related);
  }

  /** A newline or the end is blamed as a point after the previous token. */
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
    if (severity === 'error' && (this.ctx.errors = (this.ctx.errors ?? 0) + 1) > MAX_ERRORS) throw new TooManyErrors(range);
    this.ctx.diagnostics.push(d);
  }

  protected fail(code: Code, message: string, range: Range, related?: Related): never {
    this.report(code, message, range, 'error', related);
    throw new ParseError(message);
  }

  /** Skips to the end of the line, or to a `}` closing an enclosing block. */
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

  /** Enters one nesting level (pair with `leave` in a finally), refusing absurd depths with a diagnostic. */
  protected enter(): void {
    if (this.depth >= MAX_NESTING) {
      this.fail('SNIP1028', `nested more than ${MAX_NESTING} levels deep: split this code into functions`, this.errorRange());
    }
    this.depth++;
  }

  protected leave(): void {
    this.depth--;
  }

  /** With the cursor on `{`: skips to just past its matching `}` (or the end). */
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

  /** Whether an unmatched `}` follows before the end of input (used when a `{` is missing). */
  protected closingBraceAhead(): boolean {
    if (this.closeBalance === undefined) {
      const n = this.len;
      const m = new Int32Array(n + 1);
      for (let i = n - 1; i >= 0; i--) {
        const t = this.toks[i]!.tokenType;
        const v = t === T.RCurly ? 1 : t === T.LCurly ? -1 : 0;
        m[i] = v + Math.max(0, m[i + 1]!);
      }
      this.closeBalance = m;
    }
    return this.closeBalance[this.pos]! >= 1;
  }
}

// The one Chevrotain parser instance and the entry points parse.ts calls: Snippet statements, a
// `.studio` script, or one embedded expression. Each runs the grammar, then parses the queued
// string interpolations with the same instance (so the instance is never re-entered).
import type { IToken } from 'chevrotain';
import type * as A from '../ast.js';
import { snippetLexer } from '../lexer.js';
import { StudioGrammar } from './grammar-studio.js';
import { ParseError, type ParseContext } from './recovery.js';

class SnipParser extends StudioGrammar {
  constructor(validate = false) {
    super(validate);
    this.performSelfAnalysis();
  }

  snippet(tokens: IToken[], ctx: ParseContext, end: A.Position): A.Statement[] {
    this.studioMode = false;
    this.pending = [];
    this.begin(tokens, ctx, end, '');
    try {
      return this.statements(false);
    } finally {
      this.drain(ctx);
    }
  }

  studio(tokens: IToken[], ctx: ParseContext, end: A.Position): Omit<A.StudioScript, 'comments' | 'range'> {
    this.studioMode = true;
    this.pending = [];
    this.begin(tokens, ctx, end, '');
    try {
      return this.script();
    } finally {
      this.drain(ctx);
    }
  }

  embedded(ctx: ParseContext, start: A.Position, length: number): A.Expression | undefined {
    this.pending = [];
    const e = this.embeddedNow(ctx, start, length);
    this.drain(ctx);
    return e;
  }

  /** Parses every queued interpolation, including the ones nested inside them. */
  private drain(ctx: ParseContext): void {
    for (let i = 0; i < this.pending.length; i++) {
      const p = this.pending[i]!;
      p.part.expression = this.embeddedNow(ctx, p.start, p.length);
    }
    this.pending = [];
  }

  private embeddedNow(ctx: ParseContext, start: A.Position, length: number): A.Expression | undefined {
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
    const before = ctx.diagnostics.length;
    for (const e of lexed.errors) {
      const p = { line: start.line, column: start.column + e.offset, offset: start.offset + e.offset };
      ctx.diagnostics.push({
        code: 'SNIP1001',
        message: `unexpected character '${text.slice(e.offset, e.offset + e.length)}'`,
        range: { start: p, end: { ...p, column: p.column + e.length, offset: p.offset + e.length } },
        severity: 'error',
      });
    }
    const end: A.Position = { line: start.line, column: start.column + length, offset: start.offset + length };
    this.begin(lexed.tokens, ctx, end, '}', false);
    try {
      return this.interpolation();
    } catch (err) {
      if (err instanceof ParseError) return undefined;
      throw err;
    } finally {
      const first = ctx.diagnostics[before];
      if (first !== undefined && JSON_LIKE.test(text)) first.message += JSON_HINT;
    }
  }
}

// `"{"a": 1}"` is JSON meant as text, not an interpolation: say how to write it.
const JSON_LIKE = /^\s*\\?(?:"[^"]*"|'[^']*'|[A-Za-z_$][\w$]*)\s*:/;
const JSON_HINT = ' (this looks like JSON: in a plain string `{` starts an interpolation; write $"\\{ \\"a\\": 1 }" for literal braces)';

let instance: SnipParser | undefined;

/** The shared parser (building it analyses the grammar, so it is made once, on first use). */
function parser(): SnipParser {
  return (instance ??= new SnipParser());
}

/** Builds a throwaway parser with Chevrotain's grammar validations on; throws if the grammar is invalid (for tests). */
export function validateGrammar(): void {
  new SnipParser(true);
}

/** Snippet statements of a whole token list. */
export function parseStatementTokens(tokens: IToken[], ctx: ParseContext, end: A.Position): A.Statement[] {
  return parser().snippet(tokens, ctx, end);
}

/** A `.studio` script's name, params and actions. */
export function parseStudioTokens(tokens: IToken[], ctx: ParseContext, end: A.Position): Omit<A.StudioScript, 'comments' | 'range'> {
  return parser().studio(tokens, ctx, end);
}

/** The `length` characters at `start` (inside one line) as a single expression. */
export function parseEmbedded(ctx: ParseContext, start: A.Position, length: number): A.Expression | undefined {
  return parser().embedded(ctx, start, length);
}

export { TooManyErrors, MAX_ERRORS } from './recovery.js';
export { ParseError, type ParseContext } from './recovery.js';

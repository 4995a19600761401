// The lexer: one Chevrotain lexer for Snippet and `.studio` files, and `tokenize` for tools (the
// language server's semantic tokens) that want tokens with plain positions.
import { Lexer, type IToken, type ILexingError } from 'chevrotain';
import { ALL_TOKENS } from './tokens.js';

/** The one lexer instance (building it analyses every pattern, so it is made once). */
export const snippetLexer = new Lexer(ALL_TOKENS as never[], {
  positionTracking: 'full',
  ensureOptimizations: true,
  skipValidations: true,
});

export interface LexResult {
  tokens: IToken[];
  comments: IToken[];
  errors: ILexingError[];
}

/** Splits `source` into tokens; never throws. Comments come separately, in source order. */
export function lex(source: string): LexResult {
  const r = snippetLexer.tokenize(source);
  return { tokens: r.tokens, comments: r.groups['comments'] ?? [], errors: r.errors };
}

/** A token with its kind and 1-based position, for tools that do not want Chevrotain types. */
export interface SimpleToken {
  kind: string;
  image: string;
  offset: number;
  line: number;
  column: number;
  length: number;
}

/** Every token of `source` including comments, in source order (newlines left out). */
export function tokenize(source: string): SimpleToken[] {
  const { tokens, comments } = lex(source);
  const all = comments.length ? [...tokens, ...comments].sort((a, b) => a.startOffset - b.startOffset) : tokens;
  const out: SimpleToken[] = [];
  for (const t of all) {
    if (t.tokenType.name === 'Newline') continue;
    out.push({
      kind: t.tokenType.name,
      image: t.image,
      offset: t.startOffset,
      line: t.startLine ?? 1,
      column: t.startColumn ?? 1,
      length: t.image.length,
    });
  }
  return out;
}

// The lexer: one Chevrotain lexer for Snippet and `.studio` files, and `tokenize` for tools (the
// language server's semantic tokens) that want tokens with plain positions.
import { Lexer, type IToken, type ILexingError } from 'chevrotain';
import { splitString } from './interpolation.js';
import { isTerminated } from './string-scan.js';
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

/**
 * Like `tokenize`, but each string holding interpolations is split into `StringText` pieces (the
 * quotes, the text and the braces) and the tokens of each `{...}` expression, all with file
 * positions: what semantic highlighting wants.
 */
export function tokenizeDeep(source: string): SimpleToken[] {
  const out: SimpleToken[] = [];
  for (const t of tokenize(source)) {
    if (t.kind !== 'StringLiteral' || t.image.indexOf('{') < 0) {
      out.push(t);
      continue;
    }
    expandString(t, out);
  }
  return out;
}

function expandString(t: SimpleToken, out: SimpleToken[]): void {
  const image = t.image;
  const prefix = image[0] === '$' || image[0] === '#' ? 1 : 0;
  const terminated = isTerminated(image);
  const { segments } = splitString(image, prefix + 1, terminated ? image.length - 1 : image.length, prefix === 1 && image[0] === '$');
  const piece = (from: number, to: number, kind: string): void => {
    if (to > from) out.push({ kind, image: image.slice(from, to), offset: t.offset + from, line: t.line, column: t.column + from, length: to - from });
  };
  let at = 0;
  for (const seg of segments) {
    if (seg.kind !== 'interpolation') continue;
    piece(at, seg.start + 1, 'StringText');
    for (const inner of tokenizeDeep(image.slice(seg.start + 1, seg.end - 1))) {
      out.push({ ...inner, offset: inner.offset + t.offset + seg.start + 1, line: t.line, column: inner.column + t.column + seg.start });
    }
    at = seg.end - 1;
  }
  piece(at, image.length, 'StringText');
}

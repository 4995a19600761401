// The public parsing API: source text in, AST and diagnostics out, never an exception.
// Lexes once, runs the Chevrotain parser (chevrotain/parser.ts), attaches comments and FUNCTION help text.
import type { IToken } from 'chevrotain';
import type * as A from './ast.js';
import { tokenRange } from './ast-build.js';
import { sortDiagnostics, type Diagnostic, type Result } from './diagnostics.js';
import { lex } from './lexer.js';
import {
  MAX_ERRORS,
  parseEmbedded,
  parseStatementTokens,
  parseStudioTokens,
  ParseError,
  TooManyErrors,
  type ParseContext,
} from './chevrotain/parser.js';

export interface ParseOptions {
  /** Used in messages only; parsing never reads files. */
  fileName?: string;
}

/** Parses Snippet code (a `.snip` file, or a SNIPPET body on its own). */
export function parseSnippet(source: string, _options: ParseOptions = {}): Result<A.SnippetProgram> {
  const run = prepare(source);
  const body = guard(run.ctx, run.end, () => parseStatementTokens(run.tokens, run.ctx, run.end), []);
  const program: A.SnippetProgram = { kind: 'Snippet', body, comments: run.comments, range: run.fileRange };
  attachFunctionDocs(body, run.comments);
  return { value: program, diagnostics: finish(run.ctx) };
}

/** Parses a `.studio` script: SCRIPT, PARAMS and a flow of actions. */
export function parseStudio(source: string, _options: ParseOptions = {}): Result<A.StudioScript> {
  const run = prepare(source);
  const empty: Omit<A.StudioScript, 'comments' | 'range'> = { kind: 'Studio', name: undefined, params: [], actions: [] };
  const head = guard(run.ctx, run.end, () => parseStudioTokens(run.tokens, run.ctx, run.end), empty);
  const script: A.StudioScript = { ...head, comments: run.comments, range: run.fileRange };
  for (const a of script.actions) {
    const b = a.body;
    if (!b) continue;
    b.comments = run.comments.filter((c) => c.range.start.offset > b.range.start.offset && c.range.end.offset < b.range.end.offset);
    attachFunctionDocs(b.body, b.comments);
  }
  return { value: script, diagnostics: finish(run.ctx) };
}

/** Chooses by extension: `.studio` -> parseStudio, anything else -> parseSnippet. */
export function parseDocument(fileName: string, source: string): Result<A.SnippetProgram | A.StudioScript> {
  return fileName.toLowerCase().endsWith('.studio') ? parseStudio(source, { fileName }) : parseSnippet(source, { fileName });
}

/** Parses one expression on one line (e.g. an IF action's Expression text). */
export function parseExpression(source: string): Result<A.Expression | undefined> {
  const line = source.split(/\r\n|\r|\n/, 1)[0] ?? '';
  const ctx: ParseContext = { source, diagnostics: [] };
  const e = guard(ctx, { line: 1, column: 1, offset: 0 }, () => parseEmbedded(ctx, { line: 1, column: 1, offset: 0 }, line.length), undefined);
  return { value: e, diagnostics: finish(ctx) };
}

const LEXICAL = new Set<string>(['SNIP1001', 'SNIP1002', 'SNIP1026']);

interface Run {
  ctx: ParseContext;
  tokens: IToken[];
  comments: A.Comment[];
  end: A.Position;
  fileRange: A.Range;
}

function prepare(source: string): Run {
  const lexed = lex(source);
  const ctx: ParseContext = { source, diagnostics: [] };
  for (const e of lexed.errors) {
    if (ctx.diagnostics.length === MAX_ERRORS) {
      // Garbage or binary text: say so once and do not parse at all.
      const at = { line: e.line ?? 1, column: e.column ?? 1, offset: e.offset };
      ctx.stopped = tooManyErrors({ start: at, end: at });
      ctx.errors = MAX_ERRORS + 1;
      break;
    }
    const at = { line: e.line ?? 1, column: e.column ?? 1, offset: e.offset };
    const ch = source.slice(e.offset, e.offset + e.length);
    const not = ch === '!';
    ctx.diagnostics.push({
      code: not ? 'SNIP1026' : 'SNIP1001',
      message: not
        ? "'!' is not a Snippet operator: there is no NOT; compare with false (x = false) or use !="
        : `unexpected character${e.length > 1 ? 's' : ''} '${ch}'`,
      range: { start: at, end: { ...at, column: at.column + e.length, offset: e.offset + e.length } },
      severity: 'error',
    });
  }
  const comments: A.Comment[] = lexed.comments.map((c) => ({ kind: 'Comment', text: c.image.slice(2), range: tokenRange(c) }));
  const end = endPosition(source);
  return { ctx, tokens: lexed.tokens, comments, end, fileRange: { start: { line: 1, column: 1, offset: 0 }, end } };
}

/** The last line of defence: a parser bug becomes a diagnostic, never an exception. */
function guard<T>(ctx: ParseContext, at: A.Position, run: () => T, fallback: T): T {
  if (ctx.stopped !== undefined) return fallback;
  try {
    return run();
  } catch (e) {
    if (e instanceof TooManyErrors) ctx.stopped = tooManyErrors(e.at);
    else if (!(e instanceof ParseError)) {
      ctx.diagnostics.push({
        code: 'SNIP1003',
        message: `the parser stopped here (internal error: ${e instanceof Error ? e.message : String(e)})`,
        range: { start: at, end: at },
        severity: 'error',
      });
    }
    return fallback;
  }
}

function endPosition(s: string): A.Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Lone CRs also end lines, as in the lexer's Newline token.
    if (c === 10 || (c === 13 && s.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: s.length - lineStart + 1, offset: s.length };
}

function tooManyErrors(at: A.Range): Diagnostic {
  return {
    code: 'SNIP1029',
    message: `too many errors (more than ${MAX_ERRORS}): stopped here; fix the ones above first (is this a Snippet file?)`,
    range: at,
    severity: 'error',
  };
}

/** Sorted; one error per line (one typo, one error; a lexical one wins), warnings kept; "too many errors" last. */
function finish(ctx: ParseContext): Diagnostic[] {
  const out = dedupe(ctx.diagnostics);
  if (ctx.stopped !== undefined) out.push(ctx.stopped);
  return out;
}

function dedupe(diags: Diagnostic[]): Diagnostic[] {
  sortDiagnostics(diags);
  const lexical = new Set<number>();
  for (const d of diags) if (LEXICAL.has(d.code)) lexical.add(d.range.start.line);
  if (lexical.size) diags = diags.filter((d) => d.severity !== 'error' || LEXICAL.has(d.code) || !lexical.has(d.range.start.line));
  const seen = new Set<number>();
  return diags.filter((d) => {
    if (d.severity !== 'error') return true;
    const line = d.range.start.line;
    if (seen.has(line)) return false;
    seen.add(line);
    return true;
  });
}

/** A `//` comment on the FUNCTION line is the function's help text. */
function attachFunctionDocs(body: A.Statement[], comments: A.Comment[]): void {
  if (comments.length === 0) return;
  const byLine = new Map(comments.map((c) => [c.range.start.line, c.text.trim()]));
  const walk = (stmts: A.Statement[]): void => {
    for (const s of stmts) {
      if (s.kind === 'Function') {
        s.doc = byLine.get(s.range.start.line);
        walk(s.body.body);
      }
    }
  };
  walk(body);
}

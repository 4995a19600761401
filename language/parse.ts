// The public parsing API: source text in, AST and diagnostics out, never an exception.
// Runs the grammar, reports stray tokens and resumes after them, then fills in every string's
// interpolation parts (parsed with their own exact positions) and attaches comments.
import { EOF, type IRecognitionException, type IToken } from 'chevrotain';
import type * as A from './ast.js';
import type { Diagnostic, Result } from './diagnostics.js';
import { sortDiagnostics } from './diagnostics.js';
import { lex, snippetLexer } from './lexer.js';
import { SnippetParser } from './snippet-parser.js';
import { codeForMessage, describeToken } from './parse-errors.js';
import { splitString } from './interpolation.js';
import { isTerminated } from './string-scan.js';
import { endOf, startOf, tokenRange } from './ast-build.js';
import * as T from './tokens.js';
import type { Code } from './codes.js';

export interface ParseOptions {
  fileName?: string;
}

let shared: SnippetParser | undefined;

/** One parser per process, reused (building one analyses the whole grammar). */
function parser(): SnippetParser {
  return (shared ??= new SnippetParser());
}

/** Parses Snippet code (a `.snip` file, or a SNIPPET body on its own). */
export function parseSnippet(source: string, _options: ParseOptions = {}): Result<A.SnippetProgram> {
  const run = new ParseRun(source);
  const body = run.topLevel((p) => p.snippetFile(), (acc: A.Statement[], part) => acc.concat(part), []);
  const program: A.SnippetProgram = { kind: 'Snippet', body, comments: run.comments, range: run.fileRange() };
  run.finish(program);
  attachFunctionDocs(program.body, run.comments);
  return { value: program, diagnostics: run.diagnostics() };
}

/** Parses a `.studio` script: SCRIPT, PARAMS and a flow of actions. */
export function parseStudio(source: string, _options: ParseOptions = {}): Result<A.StudioScript> {
  const run = new ParseRun(source);
  type Head = Omit<A.StudioScript, 'comments' | 'range'>;
  const head = run.topLevel(
    (p) => p.studioFile(),
    (acc: Head | undefined, part: Head) => (acc ? { ...acc, actions: acc.actions.concat(part.actions) } : part),
    undefined,
  ) ?? { kind: 'Studio' as const, name: undefined, params: [], actions: [] };
  const script: A.StudioScript = { ...head, comments: run.comments, range: run.fileRange() };
  run.finish(script);
  for (const a of script.actions) {
    if (a.body) {
      a.body.comments = run.comments.filter((c) => c.range.start.offset > a.body!.range.start.offset && c.range.end.offset < a.body!.range.end.offset);
      attachFunctionDocs(a.body.body, a.body.comments);
    }
  }
  return { value: script, diagnostics: run.diagnostics() };
}

/** Chooses the grammar by extension: `.studio` scripts, anything else is Snippet code. */
export function parseDocument(fileName: string, source: string): Result<A.SnippetProgram | A.StudioScript> {
  return fileName.toLowerCase().endsWith('.studio') ? parseStudio(source, { fileName }) : parseSnippet(source, { fileName });
}

/** Parses one expression (e.g. an IF action's Expression text). */
export function parseExpression(source: string): Result<A.Expression | undefined> {
  const run = new ParseRun(source);
  const e = run.topLevel((p) => p.interpolation(), (_acc: A.Expression | undefined, part) => part, undefined);
  run.finish(e);
  return { value: e, diagnostics: run.diagnostics() };
}

/** The state of one parse: tokens, collected diagnostics, strings to finish. */
class ParseRun {
  readonly tokens: IToken[];
  readonly comments: A.Comment[];
  private readonly diags: Diagnostic[] = [];
  private readonly p = parser();
  private hadErrors = false;

  constructor(readonly source: string) {
    const lexed = lex(source);
    this.tokens = lexed.tokens;
    this.comments = lexed.comments.map((c) => ({ kind: 'Comment', text: c.image.slice(2), range: tokenRange(c) }));
    for (const e of lexed.errors) {
      const at = { line: e.line ?? 1, column: e.column ?? 1, offset: e.offset };
      this.add('SNIP1001', `unexpected character '${source.slice(e.offset, e.offset + e.length)}'`, {
        start: at,
        end: { ...at, column: at.column + e.length, offset: e.offset + e.length },
      });
    }
    this.p.begin(this.tokens);
  }

  add(code: Code, message: string, range: A.Range, severity: Diagnostic['severity'] = 'error'): void {
    if (severity === 'error') this.hadErrors = true;
    this.diags.push({ code, message, range, severity });
  }

  /**
   * Runs a top-level rule; when it stops before the end (a stray `}`, `ELSE`, ...), reports the
   * stray token, skips to the next line and runs the rule again on the rest.
   */
  topLevel<R, Acc>(rule: (p: SnippetParser) => R, merge: (acc: Acc, part: R) => Acc, init: Acc): Acc {
    let acc = init;
    let start = 0;
    for (;;) {
      const part = rule(this.p);
      this.collect(this.p.errors);
      acc = merge(acc, part);
      const stop = this.p.stoppedAt;
      if (stop === undefined || stop.tokenType === EOF) break;
      let idx = this.tokens.indexOf(stop, start);
      if (idx < 0) break;
      this.reportStray(stop);
      idx++;
      if (stop.tokenType !== T.RCurly) {
        while (idx < this.tokens.length && this.tokens[idx]!.tokenType !== T.Newline) idx++;
      }
      if (idx >= this.tokens.length) break;
      start = idx;
      this.p.input = this.tokens.slice(idx);
      this.p.stoppedAt = undefined;
    }
    return acc;
  }

  private reportStray(t: IToken): void {
    const name = t.tokenType.name;
    const range = tokenRange(t);
    if (name === 'RCurly') this.add('SNIP1003', "unexpected '}': there is no open block to close", range);
    else if (name === 'ELSE') this.add('SNIP1015', 'ELSE must follow the closing brace of an IF block', range);
    else if (name === 'CASE' || name === 'DEFAULT') this.add('SNIP1016', `${name} belongs inside a SELECT or SWITCH block`, range);
    else this.add('SNIP1024', `expected a statement but found ${describeToken(t)}`, range);
  }

  private collect(errors: IRecognitionException[]): void {
    for (const e of errors) {
      if (e.name === 'NotAllInputParsedException') continue;
      let message = e.message;
      if (!message.includes(' but found ')) message += ` but found ${describeToken(e.token)}`;
      this.add(codeForMessage(message), message, this.errorRange(e));
    }
    for (const pr of this.p.problems) this.add(pr.code, pr.message, pr.range, pr.severity);
    this.p.problems = [];
  }

  /** Where to point an error: its token, or just after the previous token at the end of input. */
  private errorRange(e: IRecognitionException): A.Range {
    const t = e.token;
    if (t.tokenType !== EOF && !Number.isNaN(t.startOffset)) return tokenRange(t);
    const prev = (e as { previousToken?: IToken }).previousToken;
    const at = prev && !Number.isNaN(prev.startOffset) ? endOf(prev) : this.endPosition();
    return { start: at, end: at };
  }

  endPosition(): A.Position {
    const s = this.source;
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 10 || (c === 13 && s.charCodeAt(i + 1) !== 10)) {
        line++;
        lineStart = i + 1;
      }
    }
    return { line, column: s.length - lineStart + 1, offset: s.length };
  }

  fileRange(): A.Range {
    return { start: { line: 1, column: 1, offset: 0 }, end: this.endPosition() };
  }

  /** Fills in string parts (parsing interpolations, which may hold more strings) and fixes ranges. */
  finish(root: unknown): void {
    const p = this.p;
    for (let i = 0; i < p.strings.length; i++) this.fillString(p.strings[i]!, p.stringTokens[i]!);
    p.strings = [];
    p.stringTokens = [];
    if (this.hadErrors) repairPositions(root, this.endPosition());
  }

  private fillString(lit: A.StringLiteral, token: IToken): void {
    const image = token.image;
    const prefix = lit.escapes || lit.date ? 1 : 0;
    const terminated = isTerminated(image);
    if (!terminated) {
      this.add('SNIP1002', `unterminated string: add the closing ${lit.quote === '"' ? 'double' : 'single'} quote on this line`, tokenRange(token));
    }
    const contentEnd = terminated ? image.length - 1 : image.length;
    const { segments, problems } = splitString(image, prefix + 1, contentEnd, lit.escapes);
    const base = token.startOffset;
    const line = token.startLine ?? 1;
    const col = token.startColumn ?? 1;
    const at = (i: number): A.Position => ({ line, column: col + i, offset: base + i });
    for (const pr of problems) this.add(pr.code, pr.message, { start: at(pr.start), end: at(pr.end) }, 'warning');
    for (const seg of segments) {
      const range = { start: at(seg.start), end: at(seg.end) };
      if (seg.kind === 'text') {
        lit.parts.push({ kind: 'Text', value: seg.value, raw: image.slice(seg.start, seg.end), range });
      } else {
        lit.parts.push({ kind: 'Interpolation', expression: this.parseFragment(image, seg.start + 1, seg.end - 1, at), range });
      }
    }
  }

  /** Parses the expression inside `{...}` with positions that point into the file. */
  private parseFragment(image: string, start: number, end: number, at: (i: number) => A.Position): A.Expression | undefined {
    const text = image.slice(start, end);
    const lexed = snippetLexer.tokenize(text);
    const origin = at(start);
    for (const t of lexed.tokens) {
      t.startOffset += origin.offset;
      t.endOffset = (t.endOffset ?? 0) + origin.offset;
      t.startColumn = (t.startColumn ?? 1) + origin.column - 1;
      t.endColumn = (t.endColumn ?? 1) + origin.column - 1;
      t.startLine = origin.line;
      t.endLine = origin.line;
    }
    for (const e of lexed.errors) {
      const pos = { line: origin.line, column: origin.column + (e.column ?? 1) - 1, offset: origin.offset + e.offset };
      this.add('SNIP1001', `unexpected character '${text.slice(e.offset, e.offset + e.length)}'`, {
        start: pos,
        end: { ...pos, column: pos.column + e.length, offset: pos.offset + e.length },
      });
    }
    const p = this.p;
    p.input = lexed.tokens;
    p.stoppedAt = undefined;
    const expr = p.interpolation();
    this.collect(p.errors);
    const stop = p.stoppedAt as IToken | undefined;
    if (stop !== undefined && stop.tokenType !== EOF) {
      this.add('SNIP1003', `unexpected ${describeToken(stop)} in the interpolation: expected '}'`, { start: startOf(stop), end: at(end) });
    }
    return expr;
  }

  diagnostics(): Diagnostic[] {
    return dedupe(sortDiagnostics(this.diags));
  }
}

/** One typo, one error: keep the first error on a line; warnings are kept. */
function dedupe(diags: Diagnostic[]): Diagnostic[] {
  const seen = new Set<number>();
  return diags.filter((d) => {
    if (d.severity !== 'error') return true;
    const line = d.range.start.line;
    if (seen.has(line)) return false;
    seen.add(line);
    return true;
  });
}

/** Recovery may invent tokens without positions; point them at a real place instead. */
function repairPositions(node: unknown, fallback: A.Position): void {
  const stack: unknown[] = [node];
  while (stack.length) {
    const n = stack.pop();
    if (n === null || typeof n !== 'object') continue;
    const o = n as Record<string, unknown>;
    if (typeof o['offset'] === 'number' && typeof o['line'] === 'number') {
      if (Number.isNaN(o['offset']) || Number.isNaN(o['line']) || Number.isNaN(o['column'])) {
        o['offset'] = fallback.offset;
        o['line'] = fallback.line;
        o['column'] = fallback.column;
      }
      continue;
    }
    for (const v of Object.values(o)) if (v !== null && typeof v === 'object') stack.push(v);
  }
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

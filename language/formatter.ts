// The formatter: canonical upper-case keywords, two-space indentation, `IF cond {` / `} ELSE {`
// braces, one space around binary operators, comments and (single) blank lines kept, strings
// copied as written. Formatting is idempotent and never changes the AST.
import type { Action, Block, Comment, Position, Range, SnippetProgram, Statement, StudioScript } from './ast.js';
import { hasErrors, type Diagnostic } from './diagnostics.js';
import { printExpression } from './formatter-expression.js';
import { Printer } from './formatter-printer.js';
import { parseDocument } from './parse.js';

class Formatter {
  constructor(private readonly p: Printer) {}

  private e(x: Parameters<typeof printExpression>[0]): string {
    return printExpression(x, this.p.source);
  }

  statements(body: readonly Statement[], depth: number, limit: number): void {
    for (const s of body) this.statement(s, depth, limit);
  }

  /** `header {`, the block's statements, and the comments left inside it (not the closing brace). */
  private open(header: string, block: Block, depth: number, startLine: number): void {
    const p = this.p;
    const close = block.range.end.offset - 1;
    p.line(depth, `${header} {`, startLine, block.range.start.line);
    p.opened(block.range.start.line, block.body[0]?.range.start.offset ?? close);
    this.statements(block.body, depth + 1, close);
    p.leading(close, depth + 1);
  }

  private close(block: Block, depth: number, limit: number): void {
    this.p.closed(depth, '}', block.range.end.line, limit);
  }

  private simple(s: Statement, text: string, depth: number, limit: number): void {
    this.p.line(depth, text, s.range.start.line, s.range.end.line);
    this.p.trailing(s.range.end.line, limit);
  }

  private statement(s: Statement, depth: number, limit: number): void {
    const p = this.p;
    p.leading(s.range.start.offset, depth);
    const line = s.range.start.line;
    switch (s.kind) {
      case 'Assign':
        return this.simple(s, `${s.keyword ? 'ASSIGN ' : ''}${this.e(s.target)} = ${this.e(s.value)}`, depth, limit);
      case 'Dynamic':
        return this.simple(s, `DYNAMIC ${s.name.name}${s.init ? ` = ${this.e(s.init)}` : ''}`, depth, limit);
      case 'Break':
        return this.simple(s, 'BREAK', depth, limit);
      case 'Return':
        return this.simple(s, s.value ? `RETURN ${this.e(s.value)}` : 'RETURN', depth, limit);
      case 'Trace':
        return this.simple(s, `TRACE ${this.e(s.value)}`, depth, limit);
      case 'Uses':
        return this.simple(s, `USES ${this.e(s.value)}`, depth, limit);
      case 'ExpressionStatement':
        return this.simple(s, this.e(s.expression), depth, limit);
      case 'If':
        this.open(`IF ${this.e(s.condition)}`, s.then, depth, line);
        if (s.else) {
          p.closed(depth, '}', s.then.range.end.line, -1);
          // `} ELSE {` replaces the closing line just written.
          p.lines[p.lines.length - 1] += ' ELSE {';
          const close = s.else.range.end.offset - 1;
          p.opened(s.else.range.start.line, s.else.body[0]?.range.start.offset ?? close);
          this.statements(s.else.body, depth + 1, close);
          p.leading(close, depth + 1);
          return this.close(s.else, depth, limit);
        }
        return this.close(s.then, depth, limit);
      case 'For':
        this.open(`FOR ${s.variable.name} = ${this.e(s.from)} TO ${this.e(s.to)}`, s.body, depth, line);
        return this.close(s.body, depth, limit);
      case 'ForEach':
        this.open(`FOREACH ${s.variable.name} IN ${this.e(s.iterable)}`, s.body, depth, line);
        return this.close(s.body, depth, limit);
      case 'Repeat':
        this.open(`REPEAT ${this.e(s.count)}`, s.body, depth, line);
        return this.close(s.body, depth, limit);
      case 'While':
        this.open(`WHILE ${this.e(s.condition)}`, s.body, depth, line);
        return this.close(s.body, depth, limit);
      case 'Function':
        this.open(`FUNCTION ${s.name.name}(${s.params.map((x) => x.name).join(', ')})`, s.body, depth, line);
        return this.close(s.body, depth, limit);
      case 'Select':
      case 'Switch':
        return this.choice(s, depth, limit);
    }
  }

  /** SELECT and SWITCH: stacked `CASE x` lines share the block that follows the last one. */
  private choice(s: Statement & { kind: 'Select' | 'Switch' }, depth: number, limit: number): void {
    const p = this.p;
    const header = s.kind === 'Select' ? 'SELECT' : `SWITCH ${this.e(s.subject)}`;
    const brace = p.braceAfter(s.kind === 'Select' ? s.range.start.offset : s.subject.range.end.offset);
    const close = s.range.end.offset - 1;
    const braceLine = p.lineOf(brace);
    p.line(depth, `${header} {`, s.range.start.line, braceLine);
    const arms = s.kind === 'Select' ? s.cases.map((c) => ({ keys: c.conditions, body: c.body })) : s.cases.map((c) => ({ keys: c.values, body: c.body }));
    const firstInner = arms[0]?.keys[0]?.range.start.offset ?? s.default?.range.start.offset ?? close;
    p.opened(braceLine, firstInner);
    for (const arm of arms) {
      arm.keys.forEach((k, i) => {
        p.leading(k.range.start.offset, depth + 1);
        if (i < arm.keys.length - 1) {
          p.line(depth + 1, `CASE ${this.e(k)}`, k.range.start.line, k.range.end.line);
          p.trailing(k.range.end.line, arm.keys[i + 1]!.range.start.offset);
        } else {
          this.open(`CASE ${this.e(k)}`, arm.body, depth + 1, k.range.start.line);
          this.close(arm.body, depth + 1, close);
        }
      });
    }
    if (s.default) {
      p.leading(s.default.range.start.offset, depth + 1);
      this.open('DEFAULT', s.default, depth + 1, p.lineBefore(s.default.range.start.offset));
      this.close(s.default, depth + 1, close);
    }
    p.leading(close, depth + 1);
    p.closed(depth, '}', s.range.end.line, limit);
  }

  action(a: Action, depth: number): void {
    const p = this.p;
    p.leading(a.range.start.offset, depth);
    // Property values are kept exactly as written: some are read as text (an ASSIGN action's Value
    // with Type String stores `1+1` literally), so re-spacing them would change what runs.
    const props = a.properties
      .map((x) => `${x.name.name} = ${p.source.slice(x.value.range.start.offset, x.value.range.end.offset)}`)
      .join(', ');
    const header = `${a.type.toUpperCase()} ${a.label.name}${props ? ` (${props})` : ''}`;
    const headerEnd = a.properties.length ? a.properties[a.properties.length - 1]!.range.end.offset : a.label.range.end.offset;
    const inlineBranch = !a.body && a.branches.length === 1 && !a.branches[0]!.name;
    const firstBranch = a.branches[0]?.range.start.offset ?? a.range.end.offset;
    if (a.body) {
      const brace = p.braceAfter(headerEnd);
      const last = a.body.body[a.body.body.length - 1];
      const close = p.closeAfter(last ? last.range.end.offset : brace + 1);
      // Comments after the last statement belong inside the body only if they come before its `}`.
      p.line(depth, `${header} {`, a.range.start.line, p.lineOf(brace));
      p.opened(p.lineOf(brace), a.body.body[0]?.range.start.offset ?? close);
      this.statements(a.body.body, depth + 1, close);
      p.leading(close, depth + 1);
      p.closed(depth, '}', p.lineOf(close), firstBranch);
    } else if (inlineBranch) {
      const b = a.branches[0]!;
      p.line(depth, `${header} -> ${b.target.name}`, a.range.start.line, b.range.end.line);
      p.trailing(b.range.end.line, Infinity);
      return;
    } else {
      p.line(depth, header, a.range.start.line, p.lineOf(headerEnd));
      p.trailing(p.lineOf(headerEnd), firstBranch);
    }
    a.branches.forEach((b, i) => {
      p.leading(b.range.start.offset, depth + 1);
      const text = b.name ? `${b.name.name} -> ${b.target.name}` : `-> ${b.target.name}`;
      p.line(depth + 1, text, b.range.start.line, b.range.end.line);
      p.trailing(b.range.end.line, a.branches[i + 1]?.range.start.offset ?? Infinity);
    });
  }
}

function finish(p: Printer): string {
  const eol = p.source.includes('\r\n') ? '\r\n' : '\n';
  while (p.lines.length && p.lines[p.lines.length - 1] === '') p.lines.pop();
  return p.lines.length ? p.lines.join(eol) + eol : '';
}

function sortedComments(lists: readonly (readonly Comment[])[]): Comment[] {
  const byOffset = new Map<number, Comment>();
  for (const list of lists) for (const c of list) byOffset.set(c.range.start.offset, c);
  return [...byOffset.values()].sort((a, b) => a.range.start.offset - b.range.start.offset);
}

/** Formats a parsed .snip program; `source` is the text it was parsed from. */
export function formatSnippet(program: SnippetProgram, source: string): string {
  const p = new Printer(source, sortedComments([program.comments]));
  new Formatter(p).statements(program.body, 0, Infinity);
  p.rest(0);
  return finish(p);
}

/** Formats a parsed .studio script; `source` is the text it was parsed from. */
export function formatStudio(script: StudioScript, source: string): string {
  const p = new Printer(source, sortedComments([script.comments, ...script.actions.map((a) => a.body?.comments ?? [])]));
  const f = new Formatter(p);
  if (script.name) {
    p.leading(script.name.range.start.offset, 0);
    p.line(0, `SCRIPT ${printExpression(script.name, source)}`, script.name.range.start.line, script.name.range.end.line);
    p.trailing(script.name.range.end.line, script.params[0]?.range.start.offset ?? script.actions[0]?.range.start.offset ?? Infinity);
  }
  if (script.params.length) {
    const first = script.params[0]!;
    const last = script.params[script.params.length - 1]!;
    p.leading(first.range.start.offset, 0);
    p.line(0, `PARAMS ${script.params.map((x) => x.name).join(', ')}`, first.range.start.line, last.range.end.line);
    p.trailing(last.range.end.line, script.actions[0]?.range.start.offset ?? Infinity);
  }
  for (const a of script.actions) f.action(a, 0);
  p.rest(0);
  return finish(p);
}

/**
 * Parses and formats a .snip or .studio file. A file with syntax errors is returned unchanged,
 * with the diagnostics that explain why.
 */
export function formatDocument(fileName: string, source: string): { text: string; diagnostics: Diagnostic[] } {
  const parsed = parseDocument(fileName, source);
  if (hasErrors(parsed.diagnostics)) return { text: source, diagnostics: parsed.diagnostics };
  const doc = parsed.value;
  const text = doc.kind === 'Studio' ? formatStudio(doc, source) : formatSnippet(doc, source);
  return { text, diagnostics: parsed.diagnostics };
}

/** A replacement of the source lines `range` (whole lines) by `newText`. */
export interface FormatEdit {
  range: Range;
  newText: string;
}

function positionAt(source: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) if (source.charCodeAt(i) === 10) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1, offset };
}

/**
 * Range formatting for editors: formats the whole document and returns the smallest run of
 * whole lines that changed, when that run touches the lines of `range` (it may reach beyond them:
 * the enclosing statements are formatted together). Undefined when nothing there changes or the
 * file has syntax errors.
 */
export function formatRange(fileName: string, source: string, range: { start: number; end: number }): FormatEdit | undefined {
  const { text, diagnostics } = formatDocument(fileName, source);
  if (hasErrors(diagnostics) || text === source) return undefined;
  const a = source.split('\n');
  const b = text.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const startOffset = a.slice(0, head).reduce((n, l) => n + l.length + 1, 0);
  const endOffset = source.length - a.slice(a.length - tail).reduce((n, l) => n + l.length + 1, 0) + (tail > 0 ? 1 : 0);
  const from = Math.min(startOffset, source.length);
  const to = Math.max(from, Math.min(endOffset, source.length));
  if (range.end < from || range.start > to) return undefined;
  const newText = b.slice(head, b.length - tail).join('\n') + (tail > 0 ? '\n' : '');
  return { range: { start: positionAt(source, from), end: positionAt(source, to) }, newText };
}

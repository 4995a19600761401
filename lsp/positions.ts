// Conversions between our AST positions (1-based line/column, 0-based offset) and LSP positions
// (0-based line and UTF-16 character). Columns count UTF-16 code units on both sides, so only the
// base changes.
import type { Position as AstPosition, Range as AstRange } from '../language/ast.js';
import type { Position, Range } from 'vscode-languageserver-types';

/** An AST position as an LSP position. */
export function toLspPosition(p: AstPosition): Position {
  return { line: Math.max(0, p.line - 1), character: Math.max(0, p.column - 1) };
}

/** An AST range as an LSP range. */
export function toLspRange(r: AstRange): Range {
  return { start: toLspPosition(r.start), end: toLspPosition(r.end) };
}

/** Line starts of a text, for offset <-> position conversions without a TextDocument. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 && text.charCodeAt(i + 1) === 10) continue;
      if (c === 10 || c === 13) this.starts.push(i + 1);
    }
  }

  /** The 0-based offset of an LSP position, clamped into the text and its line. */
  offsetAt(p: Position): number {
    if (p.line < 0) return 0;
    if (p.line >= this.starts.length) return this.text.length;
    const start = this.starts[p.line]!;
    const next = p.line + 1 < this.starts.length ? this.starts[p.line + 1]! : this.text.length;
    let lineEnd = next;
    while (lineEnd > start && (this.text.charCodeAt(lineEnd - 1) === 10 || this.text.charCodeAt(lineEnd - 1) === 13)) lineEnd--;
    return Math.min(start + Math.max(0, p.character), lineEnd);
  }

  /** The LSP position of a 0-based offset. */
  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo]! };
  }

  /** The AST position (1-based) of a 0-based offset. */
  astPositionAt(offset: number): AstPosition {
    const p = this.positionAt(offset);
    return { line: p.line + 1, column: p.character + 1, offset: Math.max(0, Math.min(offset, this.text.length)) };
  }

  /** The text of a 0-based line, without its line break. */
  lineText(line: number): string {
    if (line < 0 || line >= this.starts.length) return '';
    const start = this.starts[line]!;
    const end = line + 1 < this.starts.length ? this.starts[line + 1]! : this.text.length;
    return this.text.slice(start, end).replace(/\r?\n$|\r$/, '');
  }

  get lineCount(): number {
    return this.starts.length;
  }
}

/** Whether an AST range contains an offset (ends inclusive, so a cursor right after a name counts). */
export function containsOffset(r: AstRange, offset: number): boolean {
  return r.start.offset <= offset && offset <= r.end.offset;
}

// The line printer behind the formatter: indentation, comments kept in place (own-line comments
// before what follows them, a trailing comment on the line it was on), at most one blank line
// where the source had one or more.
import type { Comment } from './ast.js';

/** Two spaces per level: the style of the language guide's examples. */
export const INDENT = '  ';

/** A comment's text without the `\r` of a CRLF line end (the printer writes line ends itself). */
function text(c: Comment): string {
  return c.text.endsWith('\r') ? c.text.slice(0, -1) : c.text;
}

export class Printer {
  readonly lines: string[] = [];
  private next = 0;
  /** Last source line the output has reached, for blank-line preservation (0 = none yet). */
  private lastLine = 0;
  /** True right after an opening brace: no blank line there. */
  private atBlockStart = true;
  private readonly lineStarts: number[] = [0];

  constructor(
    readonly source: string,
    private readonly comments: readonly Comment[],
  ) {
    for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  /** 1-based line of an offset. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  /** Offset of the first `{` at or after `from` outside comments and strings. */
  braceAfter(from: number): number {
    const s = this.source;
    for (let i = from; i < s.length; i++) {
      const c = s[i];
      if (c === '{') return i;
      if (c === '/' && s[i + 1] === '/') while (i < s.length && s[i] !== '\n') i++;
      else if (c === '"' || c === "'") {
        const q = c;
        for (i++; i < s.length && s[i] !== q && s[i] !== '\n'; i++) if (s[i] === '\\') i++;
      }
    }
    return s.length;
  }

  /** Offset of the first `}` at or after `from`, skipping comments. */
  closeAfter(from: number): number {
    const s = this.source;
    for (let i = from; i < s.length; i++) {
      if (s[i] === '}') return i;
      if (s[i] === '/' && s[i + 1] === '/') while (i < s.length && s[i] !== '\n') i++;
    }
    return s.length;
  }

  /** Line of the last non-blank character before `offset` (the keyword in front of a brace). */
  lineBefore(offset: number): number {
    let i = offset - 1;
    while (i > 0 && /\s/.test(this.source[i]!)) i--;
    return this.lineOf(Math.max(0, i));
  }

  private blank(line: number): void {
    if (!this.atBlockStart && this.lastLine > 0 && line > this.lastLine + 1 && this.lines.length > 0) this.lines.push('');
    this.atBlockStart = false;
  }

  /** Emits every comment that starts before `offset` on its own line. */
  leading(offset: number, depth: number): void {
    while (this.next < this.comments.length && this.comments[this.next]!.range.start.offset < offset) {
      const c = this.comments[this.next++]!;
      this.blank(c.range.start.line);
      this.lines.push(INDENT.repeat(depth) + '//' + text(c));
      this.lastLine = c.range.end.line;
    }
  }

  /** Emits a line of code that starts on source line `startLine` and ends on `endLine`. */
  line(depth: number, text: string, startLine: number, endLine: number): void {
    this.blank(startLine);
    this.lines.push(INDENT.repeat(depth) + text);
    this.lastLine = Math.max(this.lastLine, endLine);
  }

  /** Appends the comment that sits on source line `line` before `limit`, if there is one. */
  trailing(line: number, limit: number): void {
    const c = this.comments[this.next];
    if (c && c.range.start.line === line && c.range.start.offset < limit) {
      this.next++;
      this.lines[this.lines.length - 1] += ' //' + text(c);
    }
  }

  /**
   * After an opening brace on `braceLine`: keeps one comment written before the block's first
   * content on the opening lines as the trailing comment, and starts the block.
   */
  opened(braceLine: number, firstInner: number): void {
    const c = this.comments[this.next];
    if (c && c.range.start.offset < firstInner && c.range.start.line <= braceLine) {
      this.next++;
      this.lines[this.lines.length - 1] += ' //' + text(c);
    }
    this.lastLine = Math.max(this.lastLine, braceLine);
    this.atBlockStart = true;
  }

  /** Emits a closing line (`}`): never preceded by a blank line. */
  closed(depth: number, text: string, line: number, limit: number): void {
    this.lines.push(INDENT.repeat(depth) + text);
    this.lastLine = Math.max(this.lastLine, line);
    this.atBlockStart = false;
    this.trailing(line, limit);
  }

  /** Comments not yet emitted (after the last construct). */
  rest(depth: number): void {
    this.leading(Infinity, depth);
  }

  /** Source line reached so far. */
  get reached(): number {
    return this.lastLine;
  }
}

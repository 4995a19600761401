// Runtime errors: one base class, a stable code from language/codes.ts, a source location when there
// is one. Messages never contain secret values (the hub masks before constructing them).
import type { Code } from '../language/codes.js';
import type { Range } from '../language/ast.js';

export class SnipError extends Error {
  override name = 'SnipError';
  constructor(
    readonly code: Code,
    message: string,
    public range?: Range,
    public fileName?: string,
  ) {
    super(message);
  }

  /** `file:line:col: error CODE: message`, or without the location when there is none. */
  format(): string {
    const where = this.range
      ? `${this.fileName ?? '<input>'}:${this.range.start.line}:${this.range.start.column}: `
      : this.fileName
        ? `${this.fileName}: `
        : '';
    return `${where}error ${this.code}: ${this.message}`;
  }

  /** The short text Studio puts in `_ERR`: the message with line:col. */
  shortText(): string {
    return this.range ? `${this.message} (line ${this.range.start.line}:${this.range.start.column})` : this.message;
  }
}

/** A run was stopped by a limit (steps, time, depth, size). */
export class SnipLimitError extends SnipError {
  override name = 'SnipLimitError';
}

/** A structured error for hosts: what `program.run()` returns in `error`. */
export interface RunError {
  code: Code;
  message: string;
  fileName?: string;
  line?: number;
  column?: number;
}

export function toRunError(e: SnipError): RunError {
  const r: RunError = { code: e.code, message: e.message };
  if (e.fileName) r.fileName = e.fileName;
  if (e.range) {
    r.line = e.range.start.line;
    r.column = e.range.start.column;
  }
  return r;
}

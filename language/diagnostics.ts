// Diagnostics are values, never exceptions: every phase returns them beside its result.
import type { Code } from './codes.js';
import type { Position, Range } from './ast.js';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** A problem found in source text, with a stable code and an exact range. */
export interface Diagnostic {
  code: Code;
  message: string;
  range: Range;
  severity: Severity;
  /** Extra locations that explain the problem, e.g. where an unclosed block was opened. */
  related?: { message: string; range: Range }[];
  /** Machine-readable data a quick fix can use (e.g. the suggested name). */
  data?: Record<string, unknown>;
}

/** The result shape of every language phase. */
export interface Result<T> {
  value: T;
  diagnostics: Diagnostic[];
}

export function diagnostic(code: Code, message: string, range: Range, severity: Severity = 'error'): Diagnostic {
  return { code, message, range, severity };
}

/** `file:line:col: error SNIP1003: message`: the one line format used by the CLI and the logs. */
export function formatDiagnostic(fileName: string, d: Diagnostic): string {
  return `${fileName}:${d.range.start.line}:${d.range.start.column}: ${d.severity} ${d.code}: ${d.message}`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Sorts by position, then code, so output is stable across runs. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort(
    (a, b) => a.range.start.offset - b.range.start.offset || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}

export function position(line: number, column: number, offset: number): Position {
  return { line, column, offset };
}

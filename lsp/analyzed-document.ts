// One document as every feature sees it: its text, line index, AST, analysis and diagnostics.
// Built once per version of the text and shared by all requests until the next edit.
import type { SnippetProgram, StudioScript } from '../language/ast.js';
import { checkDocument, type Analysis, type AnalysisOptions } from '../language/analyze.js';
import type { Diagnostic } from '../language/diagnostics.js';
import { emptySymbolTable } from '../language/analysis/symbols.js';
import { LineIndex } from './positions.js';

/** A parsed and analysed document. */
export interface AnalyzedDocument {
  uri: string;
  /** A file name or path; its extension chooses the grammar (`.studio`, else Snippet). */
  fileName: string;
  text: string;
  version: number;
  lines: LineIndex;
  document: SnippetProgram | StudioScript;
  analysis: Analysis;
  /** Syntax and analysis diagnostics, sorted. */
  diagnostics: Diagnostic[];
}

/** Whether a file name is a Snippet or studio file the server handles. */
export function isScriptFile(fileName: string): boolean {
  const f = fileName.toLowerCase();
  return f.endsWith('.snip') || f.endsWith('.studio');
}

/** The file name of a `file:` URI (or the URI itself for other schemes). */
export function fileNameOf(uri: string): string {
  try {
    const u = new URL(uri);
    return decodeURIComponent(u.pathname);
  } catch {
    return uri;
  }
}

/** Parses and analyses `text`; never throws (a failure becomes one diagnostic). */
export function analyzeText(
  uri: string,
  text: string,
  version = 0,
  options?: AnalysisOptions,
  fileName: string = fileNameOf(uri),
): AnalyzedDocument {
  const lines = new LineIndex(text);
  try {
    const r = checkDocument(fileName, text, options);
    return { uri, fileName, text, version, lines, document: r.document, analysis: r.analysis, diagnostics: r.diagnostics };
  } catch (e) {
    const end = lines.astPositionAt(text.length);
    const range = { start: { line: 1, column: 1, offset: 0 }, end };
    const document: SnippetProgram = { kind: 'Snippet', body: [], comments: [], range };
    const diagnostics: Diagnostic[] = [
      { code: 'SNIP2023', message: `internal analysis error: ${(e as Error).message}`, range: { start: range.start, end: range.start }, severity: 'info' },
    ];
    return { uri, fileName, text, version, lines, document, analysis: { diagnostics, symbols: emptySymbolTable() }, diagnostics };
  }
}

// Formatting (document and range) from the language formatter. A file with syntax errors is left
// alone (no edits), as the formatter itself decides.
import type { Range as LspRange, TextEdit } from 'vscode-languageserver-types';
import { formatDocument, formatRange } from '../language/formatter.js';
import type { AnalyzedDocument } from './analyzed-document.js';
import { toLspRange } from './positions.js';

/** One edit replacing the whole text with its formatted form, or none when it is already formatted. */
export function formatDocumentEdits(doc: AnalyzedDocument): TextEdit[] {
  const { text } = formatDocument(doc.fileName, doc.text);
  if (text === doc.text) return [];
  return [{ range: { start: { line: 0, character: 0 }, end: doc.lines.positionAt(doc.text.length) }, newText: text }];
}

/** The edit formatting the statements around `range`, or none. */
export function formatRangeEdits(doc: AnalyzedDocument, range: LspRange): TextEdit[] {
  const edit = formatRange(doc.fileName, doc.text, { start: doc.lines.offsetAt(range.start), end: doc.lines.offsetAt(range.end) });
  return edit ? [{ range: toLspRange(edit.range), newText: edit.newText }] : [];
}

// Document highlight: the occurrences of the symbol under the cursor in this document, writes
// (assignments, declarations, labels) told apart from reads.
import { DocumentHighlightKind, type DocumentHighlight, type Position } from 'vscode-languageserver-types';
import type { AnalyzedDocument } from './analyzed-document.js';
import { toLspRange } from './positions.js';
import { allPlaces, symbolAt } from './symbol-at.js';

/** Highlights of the symbol at `position` within `doc`. */
export function documentHighlights(doc: AnalyzedDocument, position: Position): DocumentHighlight[] {
  const target = symbolAt(doc, doc.lines.offsetAt(position));
  if (!target) return [];
  return allPlaces(doc, target, [doc])
    .filter((p) => p.uri === doc.uri)
    .sort((a, b) => a.range.start.offset - b.range.start.offset)
    .map((p) => ({ range: toLspRange(p.range), kind: p.definition ? DocumentHighlightKind.Write : DocumentHighlightKind.Read }));
}

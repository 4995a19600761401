// Find references: every occurrence of the variable, member or label in the document, or of the
// user function across the workspace.
import type { Location, Position } from 'vscode-languageserver-types';
import type { AnalyzedDocument } from './analyzed-document.js';
import { toLspRange } from './positions.js';
import { allPlaces, symbolAt } from './symbol-at.js';
import type { WorkspaceView } from './workspace.js';

/** References of the symbol at `position`, in source order per file. */
export function references(doc: AnalyzedDocument, position: Position, workspace: WorkspaceView, includeDeclaration: boolean): Location[] {
  const target = symbolAt(doc, doc.lines.offsetAt(position));
  if (!target) return [];
  const places = allPlaces(doc, target, target.symbol === 'function' ? workspace.documents() : [doc]);
  if (target.symbol === 'function' && !places.some((p) => p.definition)) return [];
  return places
    .filter((p) => includeDeclaration || !p.definition)
    .sort((a, b) => (a.uri === b.uri ? a.range.start.offset - b.range.start.offset : a.uri < b.uri ? -1 : 1))
    .map((p) => ({ uri: p.uri, range: toLspRange(p.range) }));
}

// Go to definition: a variable's assignments (first one first), a function's declaration (in any
// file of the workspace), an action label, and the script a RUNSUB names.
import type { Location, Position } from 'vscode-languageserver-types';
import type { AnalyzedDocument } from './analyzed-document.js';
import { nodesAt } from './ast-walk.js';
import { literalText } from './hub-diagnostics.js';
import { toLspRange } from './positions.js';
import { allPlaces, symbolAt } from './symbol-at.js';
import type { WorkspaceView } from './workspace.js';

/** Definition locations of the symbol at `position` (empty when there is none). */
export function definition(doc: AnalyzedDocument, position: Position, workspace: WorkspaceView): Location[] {
  const offset = doc.lines.offsetAt(position);
  const sub = subscriptAt(doc, offset, workspace);
  if (sub) return [sub];
  const target = symbolAt(doc, offset);
  if (!target) return [];
  if (target.symbol === 'variable') {
    const v = doc.analysis.symbols.variables.get(target.key);
    return (v?.definitions ?? []).map((d) => ({ uri: doc.uri, range: toLspRange(d.range) }));
  }
  const places = allPlaces(doc, target, target.symbol === 'function' ? workspace.documents() : [doc]);
  return places.filter((p) => p.definition).map((p) => ({ uri: p.uri, range: toLspRange(p.range) }));
}

/** A RUNSUB's ScriptName: the workspace script it names (relative to this file). */
function subscriptAt(doc: AnalyzedDocument, offset: number, workspace: WorkspaceView): Location | undefined {
  if (doc.document.kind !== 'Studio') return undefined;
  const path = nodesAt(doc.document, offset);
  const prop = path.find((n) => n.kind === 'Property');
  const action = path.find((n) => n.kind === 'Action');
  if (!prop || prop.kind !== 'Property' || !action || action.kind !== 'Action') return undefined;
  if (action.type.toUpperCase() !== 'RUNSUB' || prop.name.key !== 'scriptname') return undefined;
  if (!(prop.value.range.start.offset <= offset && offset <= prop.value.range.end.offset)) return undefined;
  const name = literalText(prop.value);
  if (!name) return undefined;
  const target = new URL(name, doc.uri).href;
  const found = workspace.documents().find((d) => d.uri === target || d.uri.toLowerCase() === target.toLowerCase());
  if (!found) return undefined;
  return { uri: found.uri, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
}

// Rename with prepare: variables (script-wide or parameters), user functions (across the
// workspace) and action labels. Names are case-insensitive, so every spelling is replaced.
import type { Position, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { findBuiltin } from '../language/catalog.js';
import type { AnalyzedDocument } from './analyzed-document.js';
import { isKeyword } from './keywords.js';
import { toLspRange } from './positions.js';
import { allPlaces, symbolAt, type SymbolPlace, type SymbolTarget } from './symbol-at.js';
import type { WorkspaceView } from './workspace.js';

const NAME = /^[A-Za-z][A-Za-z0-9_$]*$/;
const GLOBAL_PREFIX = 'global:';

/** A rename that cannot be done, with the reason shown to the user. */
export interface RenameRefusal {
  error: string;
}

function renamable(doc: AnalyzedDocument, t: SymbolTarget | undefined, workspace: WorkspaceView): SymbolPlace[] | RenameRefusal {
  if (!t) return { error: 'Nothing to rename here: put the cursor on a variable, a function or a label.' };
  if (t.symbol === 'member') return { error: 'Member names come from the data (JSON keys, payload fields): they are not renamed.' };
  if (t.symbol === 'variable') {
    const v = doc.analysis.symbols.variables.get(t.key);
    if (v?.system && !v.definitions.some((d) => d.role === 'script-param')) {
      return { error: `'${v.name}' is set by the runtime and cannot be renamed.` };
    }
  }
  const places = allPlaces(doc, t, t.symbol === 'function' ? workspace.documents() : [doc]);
  if (t.symbol === 'function' && !places.some((p) => p.definition)) {
    return { error: 'Built-in functions cannot be renamed.' };
  }
  return places;
}

/** The range and current name to rename at `position`, or why not. */
export function prepareRename(
  doc: AnalyzedDocument,
  position: Position,
  workspace: WorkspaceView,
): { range: Range; placeholder: string } | RenameRefusal {
  const t = symbolAt(doc, doc.lines.offsetAt(position));
  const places = renamable(doc, t, workspace);
  if ('error' in places) return places;
  const range = nameRange(doc.text, t!.range.start.offset, t!.range.end.offset);
  return { range: toLspRange({ start: doc.lines.astPositionAt(range.start), end: doc.lines.astPositionAt(range.end) }), placeholder: doc.text.slice(range.start, range.end) };
}

/** Drops a `Global:` prefix from an identifier's range: the prefix stays, the name changes. */
function nameRange(text: string, start: number, end: number): { start: number; end: number } {
  return text.slice(start, start + GLOBAL_PREFIX.length).toLowerCase() === GLOBAL_PREFIX ? { start: start + GLOBAL_PREFIX.length, end } : { start, end };
}

/** The edits renaming the symbol at `position` to `newName`, or why not. */
export function rename(doc: AnalyzedDocument, position: Position, newName: string, workspace: WorkspaceView): WorkspaceEdit | RenameRefusal {
  const t = symbolAt(doc, doc.lines.offsetAt(position));
  const places = renamable(doc, t, workspace);
  if ('error' in places) return places;
  if (!NAME.test(newName)) return { error: `'${newName}' is not a valid name: a letter, then letters, digits, '_' or '$'.` };
  if (isKeyword(newName)) return { error: `'${newName}' is a keyword.` };
  const key = newName.toLowerCase();
  if (t!.symbol === 'function' && findBuiltin(newName)) return { error: `'${newName}' is a built-in function.` };
  if (t!.symbol === 'variable' && !t!.key.includes('/') && key !== t!.key && doc.analysis.symbols.variables.has(key)) {
    return { error: `A variable '${newName}' already exists.` };
  }
  if (t!.symbol === 'label' && key !== t!.key && doc.analysis.symbols.labels.has(key)) return { error: `A label '${newName}' already exists.` };
  const docs = new Map(workspace.documents().map((d) => [d.uri, d]));
  docs.set(doc.uri, doc);
  const changes: Record<string, TextEdit[]> = {};
  for (const p of places) {
    const text = docs.get(p.uri)?.text ?? doc.text;
    const lines = docs.get(p.uri)?.lines ?? doc.lines;
    const r = nameRange(text, p.range.start.offset, p.range.end.offset);
    (changes[p.uri] ??= []).push({
      range: { start: lines.positionAt(r.start), end: lines.positionAt(r.end) },
      newText: newName,
    });
  }
  return { changes };
}

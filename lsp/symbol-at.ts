// Which symbol is under the cursor, and every place it occurs: in the document for variables,
// members and labels, across the workspace for user functions. Shared by definition, references,
// rename, highlights and hover.
import { occurrenceAt } from '../language/analyze.js';
import type { Range } from '../language/ast.js';
import type { AnalyzedDocument } from './analyzed-document.js';
import { nodesAt, walk } from './ast-walk.js';

/** A symbol found at a position. */
export interface SymbolTarget {
  symbol: 'variable' | 'member' | 'function' | 'label';
  /** Variable key (lower case, `fn/param` for parameters), function or label key. */
  key: string;
  /** For members: the member path. */
  path?: string;
  /** The name's range at the cursor. */
  range: Range;
}

/** One place a symbol occurs. */
export interface SymbolPlace {
  uri: string;
  range: Range;
  definition: boolean;
}

/** The symbol at `offset`, from the analysis' occurrences or (for calls of another file's functions) the AST. */
export function symbolAt(doc: AnalyzedDocument, offset: number): SymbolTarget | undefined {
  const occ = occurrenceAt(doc.analysis.symbols, offset);
  if (occ) {
    const t: SymbolTarget = { symbol: occ.symbol, key: occ.key, range: occ.range };
    if (occ.path !== undefined) t.path = occ.path;
    return t;
  }
  const path = nodesAt(doc.document, offset);
  for (let i = path.length - 1; i >= 0; i--) {
    const n = path[i]!;
    if (n.kind === 'Call' && inRange(n.callee.range, offset)) return { symbol: 'function', key: n.callee.key, range: n.callee.range };
    if (n.kind === 'MethodCall' && inRange(n.nameRange, offset)) return { symbol: 'function', key: n.name.toLowerCase(), range: n.nameRange };
  }
  return undefined;
}

function inRange(r: Range, offset: number): boolean {
  return r.start.offset <= offset && offset <= r.end.offset;
}

/** Places of a variable, member or label in its own document. */
export function localPlaces(doc: AnalyzedDocument, t: SymbolTarget): SymbolPlace[] {
  const out: SymbolPlace[] = [];
  for (const o of doc.analysis.symbols.occurrences) {
    if (o.symbol !== t.symbol || o.key !== t.key) continue;
    if (t.symbol === 'member' && o.path !== t.path) continue;
    out.push({ uri: doc.uri, range: o.range, definition: o.definition });
  }
  return out;
}

/** Declarations and calls of a user function in one document (calls found in the AST). */
export function functionPlaces(doc: AnalyzedDocument, key: string): SymbolPlace[] {
  const out: SymbolPlace[] = [];
  const own = doc.analysis.symbols.functions.get(key);
  if (own) out.push({ uri: doc.uri, range: own.nameRange, definition: true });
  walk(doc.document, (n) => {
    if (n.kind === 'Call' && n.callee.key === key) out.push({ uri: doc.uri, range: n.callee.range, definition: false });
    else if (n.kind === 'MethodCall' && n.name.toLowerCase() === key) out.push({ uri: doc.uri, range: n.nameRange, definition: false });
  });
  return out;
}

/** Every place of the symbol: functions across `documents`, everything else in `doc`. */
export function allPlaces(doc: AnalyzedDocument, t: SymbolTarget, documents: readonly AnalyzedDocument[]): SymbolPlace[] {
  if (t.symbol !== 'function') return localPlaces(doc, t);
  const docs = documents.some((d) => d.uri === doc.uri) ? documents : [doc, ...documents];
  return docs.flatMap((d) => functionPlaces(d, t.key));
}

// Workspace symbols: action labels and user functions of every script in the workspace, matched
// by a case-insensitive subsequence of the query (as editors' "go to symbol" expects).
import { SymbolKind, type SymbolInformation } from 'vscode-languageserver-types';
import type { AnalyzedDocument } from './analyzed-document.js';
import { toLspRange } from './positions.js';

function matches(name: string, query: string): boolean {
  const n = name.toLowerCase();
  let i = 0;
  for (const c of query.toLowerCase()) {
    i = n.indexOf(c, i);
    if (i < 0) return false;
    i++;
  }
  return true;
}

/** Symbols of `documents` whose name matches `query` (all of them for an empty query). */
export function workspaceSymbols(query: string, documents: readonly AnalyzedDocument[]): SymbolInformation[] {
  const out: SymbolInformation[] = [];
  for (const d of documents) {
    const container = d.fileName.split(/[\\/]/).pop();
    for (const l of d.analysis.symbols.labels.values()) {
      if (!matches(l.name, query)) continue;
      out.push({ name: l.name, kind: SymbolKind.Event, location: { uri: d.uri, range: toLspRange(l.actionRange) }, containerName: `${l.type} in ${container}` });
    }
    for (const f of d.analysis.symbols.functions.values()) {
      if (!matches(f.name, query)) continue;
      out.push({ name: f.name, kind: SymbolKind.Function, location: { uri: d.uri, range: toLspRange(f.range) }, containerName: container });
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name) || (a.location.uri < b.location.uri ? -1 : 1));
}

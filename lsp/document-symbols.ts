// Document symbols (outline): the actions of a .studio script with the functions of their SNIPPET
// bodies nested inside, or the functions of a .snip file.
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-types';
import type { FunctionDeclaration, Statement } from '../language/ast.js';
import type { AnalyzedDocument } from './analyzed-document.js';
import { walk } from './ast-walk.js';
import { toLspRange } from './positions.js';

function functionsIn(body: readonly Statement[]): FunctionDeclaration[] {
  const out: FunctionDeclaration[] = [];
  for (const s of body) {
    walk(s, (n) => {
      if (n.kind === 'Function') out.push(n);
    });
  }
  return out;
}

function functionSymbol(f: FunctionDeclaration): DocumentSymbol {
  return {
    name: f.name.name,
    detail: `(${f.params.map((p) => p.name).join(', ')})`,
    kind: SymbolKind.Function,
    range: toLspRange(f.range),
    selectionRange: toLspRange(f.name.range),
  };
}

/** The outline of `doc`. */
export function documentSymbols(doc: AnalyzedDocument): DocumentSymbol[] {
  const d = doc.document;
  if (d.kind === 'Snippet') return functionsIn(d.body).map(functionSymbol);
  return d.actions.map((a) => {
    const s: DocumentSymbol = {
      name: a.label.name,
      detail: a.type.toUpperCase(),
      kind: SymbolKind.Event,
      range: toLspRange(a.range),
      selectionRange: toLspRange(a.label.range),
    };
    const fns = a.body ? functionsIn(a.body.body).map(functionSymbol) : [];
    if (fns.length) s.children = fns;
    return s;
  });
}

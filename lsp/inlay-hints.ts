// Inlay hints: parameter names before the arguments of built-in and user function calls (not when
// the argument is a variable of the same name, and never for the receiver of a method call).
import { InlayHintKind, type InlayHint, type Range as LspRange } from 'vscode-languageserver-types';
import { findBuiltin } from '../language/catalog.js';
import type { Expression } from '../language/ast.js';
import type { AnalyzedDocument } from './analyzed-document.js';
import { walk } from './ast-walk.js';
import { toLspPosition } from './positions.js';
import type { WorkspaceView } from './workspace.js';

function paramNames(doc: AnalyzedDocument, name: string, workspace: WorkspaceView): string[] | undefined {
  const key = name.toLowerCase();
  for (const d of [doc, ...workspace.documents()]) {
    const f = d.analysis.symbols.functions.get(key);
    if (f) return f.params;
  }
  const b = findBuiltin(name);
  if (!b) return undefined;
  const names = b.params.map((p) => p.name);
  const rest = b.params.at(-1)?.rest ? b.params.at(-1)!.name : undefined;
  return rest ? [...names, ...Array.from({ length: 16 }, () => rest)] : names;
}

/** Parameter-name hints for the calls within `range`. */
export function inlayHints(doc: AnalyzedDocument, range: LspRange, workspace: WorkspaceView): InlayHint[] {
  const from = doc.lines.offsetAt(range.start);
  const to = doc.lines.offsetAt(range.end);
  const out: InlayHint[] = [];
  const add = (params: string[] | undefined, args: readonly Expression[], skip: number) => {
    if (!params) return;
    args.forEach((a, i) => {
      const p = params[i + skip];
      if (!p || a.range.start.offset < from || a.range.start.offset > to) return;
      if (a.kind === 'Identifier' && a.key === p.toLowerCase()) return;
      out.push({ position: toLspPosition(a.range.start), label: `${p}:`, kind: InlayHintKind.Parameter, paddingRight: true });
    });
  };
  walk(doc.document, (n) => {
    if (n.range.end.offset < from || n.range.start.offset > to) return false;
    if (n.kind === 'Call') add(paramNames(doc, n.callee.name, workspace), n.args, 0);
    else if (n.kind === 'MethodCall') add(paramNames(doc, n.name, workspace), n.args, 1);
    return true;
  });
  return out.sort((a, b) => a.position.line - b.position.line || a.position.character - b.position.character);
}

// Test helper: a document from inline text with a `<|>` cursor marker, analysed as the server would,
// and an in-memory workspace view (other documents, hub names).
import { analyzeText, type AnalyzedDocument } from '../../lsp/analyzed-document.js';
import type { HubNames } from '../../lsp/hub-names.js';
import type { WorkspaceView } from '../../lsp/workspace.js';
import type { Position } from 'vscode-languageserver-types';

export const MARK = '<|>';

/** A document, the cursor position and a workspace holding it (and `others`). */
export function at(
  marked: string,
  fileName = 'test.snip',
  extra: { others?: { fileName: string; text: string }[]; hub?: HubNames } = {},
): { doc: AnalyzedDocument; position: Position; offset: number; workspace: WorkspaceView } {
  const offset = marked.indexOf(MARK);
  const text = offset >= 0 ? marked.slice(0, offset) + marked.slice(offset + MARK.length) : marked;
  const others = (extra.others ?? []).map((o) => ({ fileName: o.fileName, text: o.text }));
  const externalFunctions = others.flatMap((o) => [...analyzeText(`file:///ws/${o.fileName}`, o.text).analysis.symbols.functions.values()].map((f) => ({ name: f.name, params: f.params })));
  const doc = analyzeText(`file:///ws/${fileName}`, text, 1, { externalFunctions });
  const otherDocs = others.map((o) => analyzeText(`file:///ws/${o.fileName}`, o.text));
  const workspace: WorkspaceView = { documents: () => [doc, ...otherDocs], hub: extra.hub };
  return { doc, position: doc.lines.positionAt(Math.max(0, offset)), offset, workspace };
}

/** A hub with one connection, for hub-aware features. */
export const HUB: HubNames = {
  connections: [
    {
      name: 'Agents API',
      template: 'Agents REST',
      secrets: ['INSTANCEURI', 'API TOKEN'],
      requests: [
        { name: 'Lookup agent', active: true, trigger: 'studio' },
        { name: 'Old lookup', active: false, trigger: 'studio' },
      ],
      verbs: ['GET', 'POST'],
    },
    { name: 'Billing', template: 'Billing REST', secrets: ['BILLING KEY'], requests: [{ name: 'Invoices', active: true, trigger: 'manual' }], verbs: ['GET'] },
  ],
};

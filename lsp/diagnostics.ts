// Diagnostics of a document for the editor: syntax and analysis from language/, plus the hub-aware
// ones, as LSP diagnostics with their stable code and the data quick fixes need.
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic as LspDiagnostic } from 'vscode-languageserver-types';
import type { Diagnostic, Severity } from '../language/diagnostics.js';
import type { AnalyzedDocument } from './analyzed-document.js';
import { hubDiagnostics } from './hub-diagnostics.js';
import { toLspRange } from './positions.js';
import type { WorkspaceView } from './workspace.js';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** One language diagnostic as an LSP diagnostic (`source` is `snip`, `code` the stable code). */
export function toLspDiagnostic(d: Diagnostic, uri: string): LspDiagnostic {
  const out: LspDiagnostic = {
    range: toLspRange(d.range),
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'snip',
    message: d.message,
  };
  if (d.code === 'SNIP2008') out.tags = [DiagnosticTag.Unnecessary];
  if (d.related?.length) out.relatedInformation = d.related.map((r) => ({ location: { uri, range: toLspRange(r.range) }, message: r.message }));
  if (d.data) out.data = d.data;
  return out;
}

/** Every diagnostic of `doc`: syntax, analysis and (for .studio files with a hub) hub checks. */
export function documentDiagnostics(doc: AnalyzedDocument, workspace: Pick<WorkspaceView, 'hub'>): LspDiagnostic[] {
  const all = [...doc.diagnostics, ...hubDiagnostics(doc.document, doc.lines, workspace.hub)];
  all.sort((a, b) => a.range.start.offset - b.range.start.offset || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return all.map((d) => toLspDiagnostic(d, doc.uri));
}

// Check Workspace: `snip check --format json` over the workspace folder fills the Problems panel for
// every script, closed ones included. Open scripts keep the language server's live diagnostics, so
// this collection leaves them out and forgets a file once it is opened.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runSnip } from '../cli/snip-process';
import { workspaceRoot } from '../settings';

interface CheckDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  severity: string;
  code: string;
  message: string;
}

const SEVERITY: Record<string, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export class WorkspaceCheck implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('snipstudio-check');
  private readonly sub = vscode.workspace.onDidOpenTextDocument((d) => this.collection.delete(d.uri));

  constructor(private readonly output: vscode.OutputChannel) {}

  async run(): Promise<{ files: number; errors: number; warnings: number } | undefined> {
    const root = workspaceRoot();
    if (!root) {
      void vscode.window.showWarningMessage('Snipstudio: open a folder to check its scripts.');
      return undefined;
    }
    const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Snipstudio: checking the workspace' }, () =>
      runSnip(['check', '.', '--format', 'json'], { cwd: root }),
    );
    let report: { files: number; errors: number; warnings: number; diagnostics: CheckDiagnostic[] };
    try {
      report = JSON.parse(r.stdout) as typeof report;
    } catch {
      this.output.appendLine(r.stderr.trim() || `snip check failed (exit code ${r.code})`);
      void vscode.window.showErrorMessage('Snipstudio: the workspace check failed; see the Snipstudio output.');
      return undefined;
    }
    const open = new Set(vscode.workspace.textDocuments.map((d) => d.uri.fsPath));
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const d of report.diagnostics) {
      const file = path.resolve(root, d.file);
      if (open.has(file)) continue;
      const range = new vscode.Range(d.line - 1, d.column - 1, (d.endLine ?? d.line) - 1, (d.endColumn ?? d.column) - 1);
      const diag = new vscode.Diagnostic(range, d.message, SEVERITY[d.severity] ?? vscode.DiagnosticSeverity.Error);
      diag.code = d.code;
      diag.source = 'snip check';
      const list = byFile.get(file) ?? [];
      list.push(diag);
      byFile.set(file, list);
    }
    this.collection.clear();
    for (const [file, list] of byFile) this.collection.set(vscode.Uri.file(file), list);
    void vscode.window.showInformationMessage(`Snipstudio: checked ${report.files} script(s): ${report.errors} error(s), ${report.warnings} warning(s).`);
    void vscode.commands.executeCommand('workbench.actions.view.problems');
    return { files: report.files, errors: report.errors, warnings: report.warnings };
  }

  dispose(): void {
    this.collection.dispose();
    this.sub.dispose();
  }
}

// After a run, each line that assigned a variable shows its last value as a dimmed end-of-line
// decoration (the trace's display text, already masked by the runtime). Editing a file clears its
// decorations: the values no longer belong to the text.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { lastValues, type TraceEvent } from './rows';

export class ValueDecorations implements vscode.Disposable {
  private readonly type = vscode.window.createTextEditorDecorationType({
    after: { color: new vscode.ThemeColor('editorCodeLens.foreground'), margin: '0 0 0 2em', fontStyle: 'italic' },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
  /** Per absolute file path: line (1-based) -> text. */
  private values = new Map<string, Map<number, string>>();
  private readonly subs: vscode.Disposable[] = [];

  constructor() {
    this.subs.push(
      vscode.window.onDidChangeVisibleTextEditors(() => this.applyAll()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length && this.values.delete(e.document.uri.fsPath)) this.applyAll();
      }),
    );
  }

  /** Shows the last values of a finished run; `baseDir` resolves the trace's relative file names. */
  show(events: readonly TraceEvent[], baseDir: string): void {
    this.values = new Map();
    for (const [file, lines] of lastValues(events)) this.values.set(path.resolve(baseDir, file), lines);
    this.applyAll();
  }

  clear(): void {
    this.values = new Map();
    this.applyAll();
  }

  private applyAll(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      const lines = this.values.get(editor.document.uri.fsPath);
      const options: vscode.DecorationOptions[] = [];
      for (const [line, text] of lines ?? []) {
        if (line < 1 || line > editor.document.lineCount) continue;
        const end = editor.document.lineAt(line - 1).range.end;
        options.push({ range: new vscode.Range(end, end), renderOptions: { after: { contentText: `  ${text}` } } });
      }
      editor.setDecorations(this.type, options);
    }
  }

  dispose(): void {
    this.type.dispose();
    for (const s of this.subs) s.dispose();
  }
}

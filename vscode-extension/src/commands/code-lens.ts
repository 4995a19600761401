// "Run | Trace | Debug" above the first line of each script. Debug appears once a debugger for the
// file's language is contributed (the debug adapter registers `snipstudio.debug`).
import * as vscode from 'vscode';

export class RunCodeLens implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    const lenses = [
      new vscode.CodeLens(top, { title: '$(play) Run', command: 'snipstudio.run', arguments: [document.uri] }),
      new vscode.CodeLens(top, { title: '$(list-flat) Trace', command: 'snipstudio.runWithTrace', arguments: [document.uri] }),
    ];
    if (debugAvailable) {
      lenses.push(new vscode.CodeLens(top, { title: '$(debug-alt) Debug', command: 'snipstudio.debug', arguments: [document.uri] }));
    }
    return lenses;
  }
}

let debugAvailable = false;

/** The debug feature calls this when it registers `snipstudio.debug`. */
export function setDebugAvailable(on: boolean): void {
  debugAvailable = on;
}

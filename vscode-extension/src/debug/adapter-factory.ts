// Runs the debug adapter as a child process for each debug session: the bundled dist/dap.js on the
// extension host's Node, or an installed `snip dap` when `snipstudio.server.path` names one.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readSettings } from '../settings';

export class SnipAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly extensionPath: string) {}

  createDebugAdapterDescriptor(): vscode.DebugAdapterDescriptor {
    const installed = readSettings().serverPath;
    if (installed) return new vscode.DebugAdapterExecutable(installed, ['dap']);
    // The extension host may be Electron: ELECTRON_RUN_AS_NODE makes it a plain Node for the adapter.
    return new vscode.DebugAdapterExecutable(process.execPath, [path.join(this.extensionPath, 'dist', 'dap.js')], {
      env: { ELECTRON_RUN_AS_NODE: '1' },
    });
  }
}

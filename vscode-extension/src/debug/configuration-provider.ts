// Launch configurations of type `snip`: F5 with no launch.json debugs the active .snip/.studio file,
// with the hub folder and the inputs configured for runs; a launch.json gets a starting entry.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readSettings, workspaceRoot } from '../settings';

const LANGUAGES = new Set(['snip', 'studio']);

/** The configuration F5 uses when there is no launch.json. */
export function defaultConfiguration(): vscode.DebugConfiguration {
  return { type: 'snip', request: 'launch', name: 'Debug script', program: '${file}', stopOnEntry: false };
}

export class SnipConfigurationProvider implements vscode.DebugConfigurationProvider {
  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    return [defaultConfiguration()];
  }

  resolveDebugConfiguration(_folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration | undefined {
    if (!config.type && !config.request && !config.name) {
      const editor = vscode.window.activeTextEditor;
      if (!editor || !LANGUAGES.has(editor.document.languageId)) {
        void vscode.window.showInformationMessage('Snipstudio: open a .snip or .studio file to debug it.');
        return undefined;
      }
      config = defaultConfiguration();
    }
    if (!config.program) {
      void vscode.window.showErrorMessage("Snipstudio: the launch configuration needs a 'program' (a .snip or .studio file).");
      return undefined;
    }
    const s = readSettings();
    if (config.hub === undefined && s.hubFolder) config.hub = s.hubFolder;
    if (config.limits === undefined && (s.maxSteps !== undefined || s.timeoutMs !== undefined)) {
      config.limits = { ...(s.maxSteps !== undefined ? { maxSteps: s.maxSteps } : {}), ...(s.timeoutMs !== undefined ? { maxTimeMs: s.timeoutMs } : {}) };
    }
    return config;
  }

  /** After variables like ${file} are substituted: inputs configured for the script, when none are given. */
  resolveDebugConfigurationWithSubstitutedVariables(_folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration {
    const root = workspaceRoot();
    if (config.inputs === undefined && config.inputsFile === undefined && typeof config.program === 'string' && root) {
      const rel = path.relative(root, path.resolve(root, config.program)).split(path.sep).join('/');
      const configured = readSettings().inputs[rel];
      if (configured) config.inputs = configured;
    }
    return config;
  }
}

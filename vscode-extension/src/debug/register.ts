// Wires the debugger into VS Code: the adapter factory and the configuration providers for type `snip`.
import * as vscode from 'vscode';
import { SnipAdapterFactory } from './adapter-factory';
import { SnipConfigurationProvider } from './configuration-provider';

export function registerDebugger(context: vscode.ExtensionContext): void {
  const provider = new SnipConfigurationProvider();
  context.subscriptions.push(
    vscode.debug.registerDebugAdapterDescriptorFactory('snip', new SnipAdapterFactory(context.extensionPath)),
    vscode.debug.registerDebugConfigurationProvider('snip', provider),
    vscode.debug.registerDebugConfigurationProvider('snip', provider, vscode.DebugConfigurationProviderTriggerKind.Dynamic),
  );
}

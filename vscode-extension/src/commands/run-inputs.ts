// Inputs for a run: an inputs JSON file beside the script (`NAME.inputs.json`, as `snip run --inputs`
// reads it), else one input box per PARAM, prefilled with the last values typed for that script
// (remembered in workspace state) or the `snipstudio.run.inputs` setting.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { inputsFileFor, scriptParams } from './script-params';

export type RunInputs = { file: string } | { values: Record<string, string> } | undefined;

/** Asks for the inputs; undefined when the user cancelled an input box. */
export async function askInputs(state: vscode.Memento, script: string, rel: string, source: string, configured: Record<string, unknown> | undefined): Promise<RunInputs | 'cancelled'> {
  const file = inputsFileFor(script);
  if (existsSync(file)) return { file };
  const params = scriptParams(source);
  const key = `snipstudio.inputs:${rel}`;
  const remembered = state.get<Record<string, string>>(key, {});
  const values: Record<string, string> = {};
  for (const name of params) {
    const preset = remembered[name] ?? (configured && name in configured ? String(configured[name]) : '');
    const v = await vscode.window.showInputBox({ title: `Run ${path.basename(script)}`, prompt: `Value of PARAM ${name}`, value: preset, ignoreFocusOut: true });
    if (v === undefined) return 'cancelled';
    values[name] = v;
  }
  if (params.length) await state.update(key, values);
  else if (configured) for (const [k, v] of Object.entries(configured)) values[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return { values };
}

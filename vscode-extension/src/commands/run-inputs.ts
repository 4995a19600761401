// Inputs for a run: an inputs JSON file beside the script (`NAME.inputs.json`, as `snip run --inputs`
// reads it), else one input box per PARAM, prefilled with the last values typed for that script
// (remembered in workspace state) or the `snipstudio.run.inputs` setting.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

export type RunInputs = { file: string } | { values: Record<string, string> } | undefined;

/** The PARAMS a .studio script declares (a cheap scan: the line is simple and comes first). */
export function scriptParams(source: string): string[] {
  for (const raw of source.split(/\r?\n/)) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (!line || /^SCRIPT\b/i.test(line)) continue;
    const m = /^PARAMS\b(.*)$/i.exec(line);
    return m ? m[1]!.split(',').map((s) => s.trim()).filter((s) => /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(s)) : [];
  }
  return [];
}

/** `hello.studio` -> `hello.inputs.json` beside it. */
export function inputsFileFor(script: string): string {
  return path.join(path.dirname(script), `${path.basename(script, path.extname(script))}.inputs.json`);
}

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

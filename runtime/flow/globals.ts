// Finds the `Global:` variables a script names (in SNIPPET code and in variable-name properties),
// so RUNSUB knows which of the subscript's variables outlive it.
import type { StudioScript } from '../../language/ast.js';
import { variableName } from './actions/properties.js';

function walk(node: unknown, out: Set<string>, depth: number): void {
  if (node === null || typeof node !== 'object' || depth > 200) return;
  if (Array.isArray(node)) {
    for (const x of node) walk(x, out, depth + 1);
    return;
  }
  const n = node as { kind?: string; global?: boolean; key?: string };
  if (n.kind === 'Identifier' && n.global === true && typeof n.key === 'string') out.add(n.key);
  if (n.kind === 'Property') {
    const v = variableName((node as { value: Parameters<typeof variableName>[0] }).value);
    if (v?.global) out.add(v.name.toLowerCase());
  }
  for (const [k, v] of Object.entries(node)) if (k !== 'range' && k !== 'comments') walk(v, out, depth + 1);
}

/** Lower-case names of every `Global:` variable in the script. */
export function collectGlobals(script: StudioScript): Set<string> {
  const out = new Set<string>();
  walk(script.actions, out, 0);
  return out;
}

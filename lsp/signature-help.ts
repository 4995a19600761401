// Signature help: the call the cursor is in (found by scanning the line, so it works while the
// arguments are half typed), its parameters and the active one. Method form drops the receiver.
import { MarkupKind, type Position, type SignatureHelp, type SignatureInformation } from 'vscode-languageserver-types';
import { HOST_TYPES, findBuiltin } from '../language/catalog.js';
import type { ParamSpec } from '../language/catalog-types.js';
import type { AnalyzedDocument } from './analyzed-document.js';
import { builtinDoc, paramLabel } from './catalog-docs.js';
import type { WorkspaceView } from './workspace.js';

/** Characters that open or move signature help. */
export const SIGNATURE_TRIGGERS = ['(', ','];

/** The innermost open call in a line prefix: callee name, method form, and the argument index. */
export function openCall(prefix: string): { name: string; method: boolean; argument: number } | undefined {
  const stack: { at: number; commas: number }[] = [];
  const strings: { quote: string; depth: number }[] = [];
  let quote: string | undefined;
  for (let i = 0; i < prefix.length; i++) {
    const c = prefix[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '{') {
        strings.push({ quote, depth: stack.length });
        quote = undefined;
      }
      continue;
    }
    if (c === '/' && prefix[i + 1] === '/') return undefined;
    if (c === '"' || c === "'") quote = c;
    else if (c === '}' && strings.length) quote = strings.pop()!.quote;
    else if (c === '(') stack.push({ at: i, commas: 0 });
    else if (c === ')') stack.pop();
    else if (c === ',' && stack.length) stack[stack.length - 1]!.commas++;
  }
  if (quote) return undefined;
  const top = stack[stack.length - 1];
  if (!top) return undefined;
  const m = /(\.\s*)?([A-Za-z_$][A-Za-z0-9_$]*)\s*$/.exec(prefix.slice(0, top.at));
  if (!m) return undefined;
  return { name: m[2]!, method: m[1] !== undefined, argument: top.commas };
}

function fromParams(label: string, params: readonly ParamSpec[], documentation?: string): SignatureInformation {
  const info: SignatureInformation = {
    label: `${label}(${params.map(paramLabel).join(', ')})`,
    parameters: params.map((p) => ({ label: paramLabel(p), ...(p.description ? { documentation: p.description } : {}) })),
  };
  if (documentation) info.documentation = { kind: MarkupKind.Markdown, value: documentation };
  return info;
}

/** Signature help at `position`, or null outside a known call. */
export function signatureHelp(doc: AnalyzedDocument, position: Position, workspace: WorkspaceView): SignatureHelp | null {
  const offset = doc.lines.offsetAt(position);
  const call = openCall(doc.text.slice(offset - position.character, offset));
  if (!call) return null;
  const key = call.name.toLowerCase();
  for (const d of [doc, ...workspace.documents()]) {
    const f = d.analysis.symbols.functions.get(key);
    if (!f) continue;
    const params = (call.method ? f.params.slice(1) : f.params).map((p) => ({ name: p, kind: 'any' as const }));
    const info: SignatureInformation = {
      label: `${f.name}(${params.map((p) => p.name).join(', ')})`,
      parameters: params.map((p) => ({ label: p.name })),
    };
    if (f.doc) info.documentation = f.doc.trim();
    return active(info, call.argument, params.length);
  }
  const b = findBuiltin(call.name);
  if (b) {
    const params = call.method ? b.params.slice(1) : b.params;
    return active(fromParams(call.method ? `.${b.name}` : b.name, params, builtinDoc(b)), call.argument, params.length, params.at(-1)?.rest);
  }
  if (call.method) {
    for (const t of HOST_TYPES) {
      const m = t.members.find((x) => x.kind === 'method' && x.name.toLowerCase() === key);
      if (m) return active(fromParams(`${t.name}.${m.name}`, m.params, m.description), call.argument, m.params.length);
    }
  }
  return null;
}

function active(info: SignatureInformation, argument: number, count: number, rest?: boolean): SignatureHelp {
  const activeParameter = rest && count > 0 ? Math.min(argument, count - 1) : argument;
  return { signatures: [{ ...info, activeParameter }], activeSignature: 0, activeParameter };
}

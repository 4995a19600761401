// Hover: catalog docs of built-ins, RestProxy members and actions; for a variable where it is
// assigned and what kind it holds; user functions with their doc comment; labels; action
// properties and branches; hub secrets by name (never a value).
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver-types';
import { findAction, findActionProperty } from '../language/action-catalog.js';
import { HOST_TYPES, findBuiltin, findHostMember } from '../language/catalog.js';
import type { Node, Range } from '../language/ast.js';
import type { VariableSymbol } from '../language/analysis/symbols.js';
import type { AnalyzedDocument } from './analyzed-document.js';
import { nodesAt } from './ast-walk.js';
import { actionDoc, builtinDoc, hostMemberDoc, userFunctionDoc } from './catalog-docs.js';
import { secretRefs } from './hub-diagnostics.js';
import { normalisePath } from './members.js';
import { toLspRange } from './positions.js';
import { symbolAt } from './symbol-at.js';
import type { WorkspaceView } from './workspace.js';

const ROLE: Record<string, string> = {
  assign: 'ASSIGN',
  dynamic: 'DYNAMIC',
  for: 'FOR',
  foreach: 'FOREACH',
  parameter: 'function parameter',
  'script-param': 'PARAMS input',
  'action-property': 'action property',
  'action-output': 'action output',
};

const within = (r: Range, offset: number) => r.start.offset <= offset && offset <= r.end.offset;

function reply(value: string, range: Range): Hover {
  return { contents: { kind: MarkupKind.Markdown, value }, range: toLspRange(range) };
}

function variableHover(v: VariableSymbol): string {
  const lines = [`\`\`\`snip\n${v.name}: ${v.kind}\n\`\`\``];
  if (v.scope) lines.push(`Parameter of \`${v.scope}\`.`);
  else if (v.system && !v.definitions.length) lines.push('Set by the runtime.');
  const defs = v.definitions.slice(0, 8).map((d) => `- line ${d.range.start.line} (${ROLE[d.role] ?? d.role})`);
  if (defs.length) lines.push(`Assigned at:\n${defs.join('\n')}${v.definitions.length > 8 ? `\n- and ${v.definitions.length - 8} more` : ''}`);
  else lines.push('Never assigned in this file (empty unless it is an input).');
  if (v.members.length) {
    const names = [...new Set(v.members.map((m) => normalisePath(m.path)))].slice(0, 12);
    lines.push(`Members: ${names.map((n) => `\`${n}\``).join(', ')}`);
  }
  return lines.join('\n\n');
}

/** The hover at `position`, or null. */
export function hover(doc: AnalyzedDocument, position: Position, workspace: WorkspaceView): Hover | null {
  const offset = doc.lines.offsetAt(position);
  const path = nodesAt(doc.document, offset);
  const t = symbolAt(doc, offset);
  if (t?.symbol === 'variable') {
    const v = doc.analysis.symbols.variables.get(t.key);
    if (v) return reply(variableHover(v), t.range);
  }
  if (t?.symbol === 'member') {
    const v = doc.analysis.symbols.variables.get(t.key);
    const m = v?.members.find((x) => x.path === t.path);
    if (v && m) {
      const defs = m.definitions.map((r) => `line ${r.start.line}`);
      return reply(
        `\`\`\`snip\n${v.name}.${normalisePath(m.path)}\n\`\`\`\n\nDynamic member (case-sensitive). ${defs.length ? `Assigned at ${defs.join(', ')}.` : 'Not assigned in this file.'}`,
        t.range,
      );
    }
  }
  if (t?.symbol === 'label') {
    const l = doc.analysis.symbols.labels.get(t.key);
    const spec = l ? findAction(l.type) : undefined;
    if (l) return reply(`\`\`\`snip\n${l.type} ${l.name}\n\`\`\`\n\nAction at line ${l.range.start.line}; ${l.references.length} branch(es) lead here.${spec ? `\n\n${spec.description}` : ''}`, t.range);
  }
  if (t?.symbol === 'function') {
    for (const d of [doc, ...workspace.documents()]) {
      const f = d.analysis.symbols.functions.get(t.key);
      if (f) return reply(userFunctionDoc(f, d.uri === doc.uri ? `Declared at line ${f.nameRange.start.line}.` : `Declared in ${d.fileName.split(/[\\/]/).pop()}.`), t.range);
    }
  }
  return nodeHover(doc, path, offset, workspace);
}

function nodeHover(doc: AnalyzedDocument, path: Node[], offset: number, workspace: WorkspaceView): Hover | null {
  for (let i = path.length - 1; i >= 0; i--) {
    const n = path[i]!;
    switch (n.kind) {
      case 'Call': {
        const b = within(n.callee.range, offset) ? findBuiltin(n.callee.name) : undefined;
        if (b) return reply(builtinDoc(b), n.callee.range);
        break;
      }
      case 'MethodCall':
      case 'Member': {
        const nameRange = n.nameRange;
        if (!within(nameRange, offset)) break;
        const receiver = n.kind === 'MethodCall' ? n.receiver : n.object;
        const proxy = receiver.kind === 'Identifier' && doc.analysis.symbols.variables.get(receiver.key)?.kind === 'restproxy';
        const host = proxy ? findHostMember(HOST_TYPES[0]!.name, n.name) : undefined;
        if (host) return reply(hostMemberDoc(HOST_TYPES[0]!.name, host), nameRange);
        const b = findBuiltin(n.name);
        if (b && (n.kind === 'MethodCall' || b.forms.includes('property'))) return reply(builtinDoc(b), nameRange);
        break;
      }
      case 'Text': {
        const ref = secretRefs(n.raw).find((r) => within({ start: { ...n.range.start, offset: n.range.start.offset + r.start }, end: { ...n.range.start, offset: n.range.start.offset + r.end } }, offset));
        if (ref) {
          const owners = (workspace.hub?.connections ?? []).filter((c) => c.secrets.some((s) => s.toLowerCase() === ref.name.toLowerCase()));
          const start = n.range.start.offset + ref.start;
          const range = { start: doc.lines.astPositionAt(start), end: doc.lines.astPositionAt(n.range.start.offset + ref.end) };
          const who = owners.length ? `Secret of ${owners.map((c) => `'${c.name}'`).join(', ')}.` : 'Not a secret of any hub connection.';
          return reply(`**[[ ${ref.name} ]]**: ${who} The hub replaces it at send time; its value is never shown.`, range);
        }
        break;
      }
      case 'Property': {
        const action = path[i - 1];
        if (action?.kind !== 'Action' || !within(n.name.range, offset)) break;
        const spec = findAction(action.type);
        const p = spec ? findActionProperty(spec, n.name.name) : undefined;
        if (p) {
          const text = 'property' in p ? `Output variable name (default \`${p.defaultVariable}\`): ${p.description}` : p.description;
          return reply(`**${spec!.type}.${'property' in p ? p.property : p.name}**: ${text}`, n.name.range);
        }
        break;
      }
      case 'Branch': {
        if (!n.name || !within(n.name.range, offset)) break;
        return reply(`**${n.name.name}** branch: taken ${BRANCH_DOC[n.name.key] ?? 'when the value matches'}; leads to \`${n.target.name}\`.`, n.name.range);
      }
      case 'Action': {
        if (!within(n.typeRange, offset)) break;
        const spec = findAction(n.type);
        if (spec) return reply(actionDoc(spec), n.typeRange);
        break;
      }
      default:
        break;
    }
  }
  return null;
}

const BRANCH_DOC: Record<string, string> = {
  default: 'unless another wired branch applies',
  error: 'when the action fails (the text is in _ERR)',
  overflow: 'when the value is longer than MaxStringSize',
  true: 'when Expression is true',
  false: 'when Expression is false',
  onsuccess: 'when the call succeeded (2xx)',
  onerror: 'when the call failed (the text is in _ERR)',
  ontimeout: 'when no answer came within the connection timeout',
};

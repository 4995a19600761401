// Completion: keywords and statement snippets, variables, user functions (workspace-wide),
// built-ins with signatures, members after `.` and the methods that fit the receiver, labels after
// `->`, branch names that fit the action, action types, property names and values, hub connection
// and request names in CONNECT* properties, and secret names after `[[`.
import {
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type Position,
} from 'vscode-languageserver-types';
import { ACTIONS, branchNames, findAction } from '../language/action-catalog.js';
import { BUILTINS, HOST_TYPES, findBuiltin } from '../language/catalog.js';
import type { ValueKind } from '../language/catalog-types.js';
import type { VariableKind, VariableSymbol } from '../language/analysis/symbols.js';
import type { Action } from '../language/ast.js';
import type { AnalyzedDocument } from './analyzed-document.js';
import { actionDoc, builtinDoc, builtinSignature, hostMemberDoc, userFunctionDoc, userFunctionSignature } from './catalog-docs.js';
import { cursorContext, type CursorContext } from './cursor-context.js';
import { boundConnections, literalText, propertyValue } from './hub-diagnostics.js';
import { findConnection } from './hub-names.js';
import { KEYWORDS, STATEMENT_SNIPPETS } from './keywords.js';
import { childMembers, knownMembers } from './members.js';
import type { WorkspaceView } from './workspace.js';

/** Characters that open completion without the user asking. */
export const COMPLETION_TRIGGERS = ['.', '>', '[', '"'];

const markdown = (value: string) => ({ kind: MarkupKind.Markdown, value });

function replaceFrom(doc: AnalyzedDocument, start: number, position: Position) {
  return { start: doc.lines.positionAt(start), end: position };
}

function callSnippet(name: string, params: readonly string[]): string {
  return params.length ? `${name}(${params.map((p, i) => `\${${i + 1}:${p}}`).join(', ')})` : `${name}()`;
}

/**
 * Fills in the documentation of a built-in or user-function item (left out of the list so that
 * long lists stay small on the wire).
 */
export function resolveCompletion(item: CompletionItem, workspace: WorkspaceView): CompletionItem {
  const data = (item.data ?? {}) as { builtin?: string; function?: string; where?: string };
  if (data.builtin) {
    const b = findBuiltin(data.builtin);
    if (b) return { ...item, documentation: markdown(builtinDoc(b)) };
  }
  if (data.function) {
    for (const d of workspace.documents()) {
      const f = d.analysis.symbols.functions.get(data.function);
      if (f) return { ...item, documentation: markdown(userFunctionDoc(f, data.where)) };
    }
  }
  return item;
}

/** Completion items at `position`. */
export function completion(doc: AnalyzedDocument, position: Position, workspace: WorkspaceView): CompletionItem[] {
  const offset = doc.lines.offsetAt(position);
  const ctx = cursorContext(doc, offset);
  switch (ctx.kind) {
    case 'comment':
    case 'string':
      return [];
    case 'secret':
      return secretItems(doc, ctx.start, position, workspace);
    case 'connection':
      return (workspace.hub?.connections ?? []).map((c) => ({
        label: c.name,
        kind: CompletionItemKind.Module,
        detail: `connection (${c.template})`,
        textEdit: { range: replaceFrom(doc, ctx.start, position), newText: c.name },
      }));
    case 'request':
      return requestItems(doc, ctx, position, workspace);
    case 'label':
      return labelItems(doc);
    case 'member':
      return memberItems(doc, ctx);
    case 'action-type':
      return actionTypeItems();
    case 'branch':
      return branchItems(ctx.action);
    case 'property':
      return propertyItems(ctx.action);
    case 'property-value':
      return propertyValueItems(ctx.action, ctx.property, doc, offset, workspace);
    case 'statement':
      return [...statementItems(), ...expressionItems(doc, offset, workspace)];
    case 'expression':
      return expressionItems(doc, offset, workspace);
  }
}

function secretItems(doc: AnalyzedDocument, start: number, position: Position, workspace: WorkspaceView): CompletionItem[] {
  const hub = workspace.hub;
  if (!hub) return [];
  const bound = doc.document.kind === 'Studio' ? boundConnections(doc.document, hub) : [];
  const conns = bound.length ? bound : hub.connections;
  const items: CompletionItem[] = [];
  const seen = new Set<string>();
  for (const c of conns) {
    for (const s of c.secrets) {
      if (seen.has(s)) continue;
      seen.add(s);
      const closing = doc.text.slice(doc.lines.offsetAt(position)).startsWith(']]') ? '' : ' ]]';
      items.push({
        label: s,
        kind: CompletionItemKind.Constant,
        detail: `secret of '${c.name}'`,
        documentation: 'Replaced by the hub at send time; the script never sees the value.',
        textEdit: { range: replaceFrom(doc, start, position), newText: `${s}${closing}` },
      });
    }
  }
  return items;
}

function requestItems(doc: AnalyzedDocument, ctx: Extract<CursorContext, { kind: 'request' }>, position: Position, workspace: WorkspaceView): CompletionItem[] {
  const hub = workspace.hub;
  if (!hub) return [];
  const connName = ctx.action ? literalText(propertyValue(ctx.action, 'connectName')) : undefined;
  const conn = connName !== undefined ? findConnection(hub, connName) : undefined;
  const conns = conn ? [conn] : hub.connections;
  return conns.flatMap((c) =>
    c.requests.map((r) => ({
      label: r.name,
      kind: CompletionItemKind.Method,
      detail: `${r.trigger} request of '${c.name}'${r.active ? '' : ' (inactive)'}`,
      ...(r.active ? {} : { tags: [1 as const] }),
      textEdit: { range: replaceFrom(doc, ctx.start, position), newText: r.name },
    })),
  );
}

function labelItems(doc: AnalyzedDocument): CompletionItem[] {
  return [...doc.analysis.symbols.labels.values()].map((l) => ({ label: l.name, kind: CompletionItemKind.Reference, detail: l.type }));
}

function actionTypeItems(): CompletionItem[] {
  const items: CompletionItem[] = ACTIONS.map((a) => ({
    label: a.type,
    kind: CompletionItemKind.Class,
    detail: a.description,
    documentation: markdown(actionDoc(a)),
    insertTextFormat: InsertTextFormat.Snippet,
    insertText: actionSnippet(a.type),
  }));
  items.push(
    { label: 'SCRIPT', kind: CompletionItemKind.Keyword, detail: 'SCRIPT "name": the script\'s name', insertTextFormat: InsertTextFormat.Snippet, insertText: 'SCRIPT "${1:name}"' },
    { label: 'PARAMS', kind: CompletionItemKind.Keyword, detail: 'PARAMS a, b: the script\'s inputs', insertTextFormat: InsertTextFormat.Snippet, insertText: 'PARAMS ${1:name}' },
  );
  return items;
}

function actionSnippet(type: string): string {
  const spec = findAction(type)!;
  const required = spec.properties.filter((p) => p.required);
  let n = 1;
  const props = required.length ? ` (${required.map((p) => `${p.name} = \${${++n}}`).join(', ')})` : '';
  const body = spec.snippetBody ? ' {\n\t$0\n}' : '';
  const link = spec.terminal || spec.snippetBody ? '' : ` -> \${${++n}:next}`;
  return `${type} \${1:label}${props}${body}${link}`;
}

function branchItems(action: Action): CompletionItem[] {
  const spec = findAction(action.type);
  if (!spec) return [];
  const wired = new Set(action.branches.map((b) => b.name?.key ?? 'default'));
  return branchNames(spec)
    .filter((n) => !wired.has(n.toLowerCase()))
    .map((n, i) => ({
      label: n,
      kind: CompletionItemKind.EnumMember,
      detail: `${spec.type} branch`,
      sortText: String(i).padStart(2, '0'),
      insertTextFormat: InsertTextFormat.Snippet,
      insertText: `${n} -> \${1:label}`,
    }));
}

function propertyItems(action: Action): CompletionItem[] {
  const spec = findAction(action.type);
  if (!spec) return [];
  const given = new Set(action.properties.map((p) => p.name.key));
  const items: CompletionItem[] = [];
  for (const p of spec.properties) {
    if (given.has(p.name.toLowerCase())) continue;
    items.push({
      label: p.name,
      kind: CompletionItemKind.Property,
      detail: p.required ? 'required' : p.default !== undefined ? `default ${p.default}` : undefined,
      documentation: p.description,
      insertTextFormat: InsertTextFormat.Snippet,
      insertText: p.kind === 'choice' ? `${p.name} = \${1|${p.choices!.join(',')}|}` : `${p.name} = $1`,
    });
  }
  for (const o of spec.outputs) {
    if (given.has(o.property.toLowerCase())) continue;
    items.push({ label: o.property, kind: CompletionItemKind.Property, detail: `output, default ${o.defaultVariable}`, documentation: o.description, insertText: `${o.property} = ` });
  }
  return items;
}

function propertyValueItems(action: Action, property: string, doc: AnalyzedDocument, offset: number, workspace: WorkspaceView): CompletionItem[] {
  const spec = findAction(action.type);
  const p = spec?.properties.find((x) => x.name.toLowerCase() === property.toLowerCase());
  if (p?.kind === 'choice') return p.choices!.map((c) => ({ label: c, kind: CompletionItemKind.EnumMember }));
  const key = property.toLowerCase();
  if (key === 'connectname' && workspace.hub) {
    return workspace.hub.connections.map((c) => ({ label: c.name, kind: CompletionItemKind.Module, detail: 'connection', insertText: JSON.stringify(c.name) }));
  }
  if (key === 'requestname' && workspace.hub) {
    const connName = literalText(propertyValue(action, 'connectName'));
    const conn = connName !== undefined ? findConnection(workspace.hub, connName) : undefined;
    return (conn ? [conn] : workspace.hub.connections).flatMap((c) =>
      c.requests.map((r) => ({ label: r.name, kind: CompletionItemKind.Method, detail: `${r.trigger} request of '${c.name}'`, insertText: JSON.stringify(r.name) })),
    );
  }
  return expressionItems(doc, offset, workspace);
}

function statementItems(): CompletionItem[] {
  const snippets: CompletionItem[] = STATEMENT_SNIPPETS.map((s) => ({
    label: s.label,
    kind: CompletionItemKind.Snippet,
    detail: s.detail,
    insertTextFormat: InsertTextFormat.Snippet,
    insertText: s.body,
    sortText: `0${s.label}`,
  }));
  const covered = new Set(STATEMENT_SNIPPETS.map((s) => s.label));
  for (const k of KEYWORDS) if (!covered.has(k)) snippets.push({ label: k, kind: CompletionItemKind.Keyword, sortText: `1${k}` });
  return snippets;
}

/**
 * One entry of a cached expression list: an item, or a variable never assigned, which is left out
 * when every reference of it is the word under the cursor (a half-typed word is not a suggestion).
 */
type Entry = CompletionItem | { unassigned: VariableSymbol; item: CompletionItem };

interface ExpressionList {
  /** The workspace's other documents the list was built from (each version is a new object). */
  others: readonly AnalyzedDocument[];
  entries: Entry[];
}

/**
 * Expression lists per analysed document (one object per version) and enclosing function: a
 * completion on an unchanged document reuses the list instead of walking every symbol again.
 */
const expressionLists = new WeakMap<AnalyzedDocument, Map<string, ExpressionList>>();

/** Variables, user functions (this file and the workspace) and function-form built-ins. */
function expressionItems(doc: AnalyzedDocument, offset: number, workspace: WorkspaceView): CompletionItem[] {
  const fnScope = enclosingFunction(doc, offset);
  const others = workspace.documents().filter((d) => d.uri !== doc.uri);
  let lists = expressionLists.get(doc);
  if (lists === undefined) expressionLists.set(doc, (lists = new Map()));
  let list = lists.get(fnScope ?? '');
  if (list === undefined || list.others.length !== others.length || list.others.some((d, i) => d !== others[i])) {
    list = { others, entries: expressionEntries(doc, fnScope, others) };
    lists.set(fnScope ?? '', list);
  }
  const items: CompletionItem[] = [];
  for (const e of list.entries) {
    if (!('unassigned' in e)) items.push(e);
    else if (!e.unassigned.references.every((r) => r.start.offset <= offset && offset <= r.end.offset)) items.push(e.item);
  }
  return items;
}

function expressionEntries(doc: AnalyzedDocument, fnScope: string | undefined, others: readonly AnalyzedDocument[]): Entry[] {
  const items: Entry[] = [];
  for (const v of doc.analysis.symbols.variables.values()) {
    if (v.scope !== undefined && v.scope !== fnScope) continue;
    items.push(v.definitions.length === 0 ? { unassigned: v, item: variableItem(v) } : variableItem(v));
  }
  const seen = new Set<string>();
  const fns = [...doc.analysis.symbols.functions.values()].map((f) => ({ f, where: undefined as string | undefined }));
  for (const d of others) {
    for (const f of d.analysis.symbols.functions.values()) fns.push({ f, where: `declared in ${d.fileName.split(/[\\/]/).pop()}` });
  }
  for (const { f, where } of fns) {
    if (seen.has(f.key)) continue;
    seen.add(f.key);
    items.push({
      label: f.name,
      kind: CompletionItemKind.Function,
      detail: userFunctionSignature(f),
      data: { function: f.key, where },
      insertTextFormat: InsertTextFormat.Snippet,
      insertText: callSnippet(f.name, f.params),
      sortText: `3${f.name.toLowerCase()}`,
    });
  }
  for (const b of builtinFunctionItems()) if (!seen.has(b.label.toLowerCase())) items.push(b);
  for (const k of ['TRUE', 'FALSE']) items.push({ label: k, kind: CompletionItemKind.Keyword, sortText: `5${k}` });
  return items;
}

const variableItems = new WeakMap<VariableSymbol, CompletionItem>();

/** One item per variable symbol, kept as long as the analysis that made the symbol. */
function variableItem(v: VariableSymbol): CompletionItem {
  let item = variableItems.get(v);
  if (!item) {
    const where = v.definitions[0];
    item = {
      label: v.name,
      kind: CompletionItemKind.Variable,
      detail: `${v.scope ? 'parameter' : v.system ? 'input/system' : 'variable'}: ${v.kind}`,
      ...(where ? { documentation: `assigned at line ${where.range.start.line}` } : {}),
      sortText: `2${v.name.toLowerCase()}`,
    };
    variableItems.set(v, item);
  }
  return item;
}

let builtinItems: CompletionItem[] | undefined;

/** Function-form built-ins as items: the catalog is constant, so they are built once. */
function builtinFunctionItems(): CompletionItem[] {
  return (builtinItems ??= BUILTINS.filter((b) => b.forms.includes('function')).map((b) => ({
    label: b.name,
    kind: CompletionItemKind.Function,
    detail: builtinSignature(b),
    data: { builtin: b.name },
    insertTextFormat: InsertTextFormat.Snippet,
    insertText: callSnippet(b.name, b.params.filter((p) => !p.optional && !p.rest).map((p) => p.name)),
    sortText: `4${b.name.toLowerCase()}`,
  })));
}

function enclosingFunction(doc: AnalyzedDocument, offset: number): string | undefined {
  let found: string | undefined;
  for (const f of doc.analysis.symbols.functions.values()) {
    if (f.range.start.offset <= offset && offset <= f.range.end.offset) found = f.key;
  }
  return found;
}

const FITS: Record<VariableKind, ValueKind[]> = {
  text: ['text', 'any'],
  number: ['number', 'text', 'any'],
  boolean: ['boolean', 'text', 'any'],
  date: ['date', 'text', 'any'],
  dynamic: ['dynamic', 'any'],
  array: ['array', 'any'],
  restproxy: [],
  unknown: ['any', 'text', 'number', 'boolean', 'date', 'array', 'dynamic'],
};

function memberItems(doc: AnalyzedDocument, ctx: Extract<CursorContext, { kind: 'member' }>): CompletionItem[] {
  const key = ctx.root.toLowerCase();
  const v = doc.analysis.symbols.variables.get(key);
  const items: CompletionItem[] = [];
  const members = childMembers(knownMembers(doc, key), ctx.path);
  for (const m of members) {
    const name = m.path.split(/[.[\]]+/).filter(Boolean).pop()!;
    items.push({
      label: name,
      kind: CompletionItemKind.Field,
      detail: m.assigned ? 'member (assigned in this script)' : m.fromJson ? 'member (from the JSON given to DYNAMIC)' : 'member',
      sortText: `0${name}`,
    });
  }
  const kind: VariableKind = ctx.path.length > 0 ? (members.length ? 'dynamic' : 'unknown') : (v?.kind ?? 'unknown');
  if (kind === 'restproxy') {
    for (const t of HOST_TYPES) {
      for (const m of t.members) {
        items.push({
          label: m.name,
          kind: m.kind === 'method' ? CompletionItemKind.Method : CompletionItemKind.Property,
          detail: m.kind === 'method' ? builtinSignature(m) : `${m.returns}${m.readOnly ? ' (read-only)' : ''}`,
          documentation: markdown(hostMemberDoc(t.name, m)),
          ...(m.kind === 'method' ? { insertTextFormat: InsertTextFormat.Snippet, insertText: callSnippet(m.name, m.params.filter((p) => !p.optional).map((p) => p.name)) } : {}),
          sortText: `1${m.name}`,
        });
      }
    }
    return items;
  }
  const fits = FITS[kind];
  for (const b of BUILTINS) {
    const first = b.params[0];
    if (!first || !(b.forms.includes('method') || b.forms.includes('property'))) continue;
    if (!fits.includes(first.kind)) continue;
    const rest = b.params.slice(1);
    const method = b.forms.includes('method');
    items.push({
      label: b.name,
      kind: method ? CompletionItemKind.Method : CompletionItemKind.Property,
      detail: builtinSignature(b),
      data: { builtin: b.name },
      ...(method
        ? { insertTextFormat: InsertTextFormat.Snippet, insertText: callSnippet(b.name, rest.filter((p) => !p.optional && !p.rest).map((p) => p.name)) }
        : {}),
      sortText: `1${b.name.toLowerCase()}`,
    });
  }
  return items;
}

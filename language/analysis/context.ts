// The state one analysis pass shares between its checks: diagnostics, the symbol table being
// built, the user functions in view, and which variables have been assigned so far.
import type { Range } from '../ast.js';
import type { Code } from '../codes.js';
import type { Diagnostic, Severity } from '../diagnostics.js';
import { SYSTEM_VARIABLES } from '../action-catalog.js';
import {
  emptySymbolTable,
  type DefinitionRole,
  type MemberSymbol,
  type SymbolTable,
  type VariableKind,
  type VariableSymbol,
} from './symbols.js';

/** A user function as the call checks see it (declared in this file or elsewhere in the workspace). */
export interface KnownFunction {
  name: string;
  params: string[];
}

export interface AnalysisContext {
  diagnostics: Diagnostic[];
  table: SymbolTable;
  functions: Map<string, KnownFunction>;
  /** Keys of script-wide variables assigned so far in source order. */
  assigned: Set<string>;
  /** Keys of script-wide variables assigned anywhere (function bodies may run after any of them). */
  assignedAnywhere: Set<string>;
}

const SYSTEM_KEYS = new Set(SYSTEM_VARIABLES.map((v) => v.toLowerCase()));

/** Runtime-provided names: the documented system variables and any name starting with `_`. */
export function isSystemVariable(key: string): boolean {
  return SYSTEM_KEYS.has(key) || key.startsWith('_');
}

export function createContext(): AnalysisContext {
  return {
    diagnostics: [],
    table: emptySymbolTable(),
    functions: new Map(),
    assigned: new Set(),
    assignedAnywhere: new Set(),
  };
}

export function report(
  ctx: AnalysisContext,
  code: Code,
  message: string,
  range: Range,
  severity: Severity = 'error',
  extra?: Pick<Diagnostic, 'related' | 'data'>,
): void {
  ctx.diagnostics.push({ code, message, range, severity, ...extra });
}

function variable(ctx: AnalysisContext, key: string, name: string, scope: string | undefined): VariableSymbol {
  const fullKey = scope === undefined ? key : `${scope}/${key}`;
  let v = ctx.table.variables.get(fullKey);
  if (!v) {
    v = { key: fullKey, name, kind: 'unknown', scope, system: isSystemVariable(key), definitions: [], references: [], members: [] };
    ctx.table.variables.set(fullKey, v);
  }
  return v;
}

/** Records a definition; `kind` refines the variable's kind when it was still unknown. */
export function defineVariable(
  ctx: AnalysisContext,
  name: string,
  range: Range | undefined,
  role: DefinitionRole,
  kind: VariableKind,
  scope?: string,
): VariableSymbol {
  const key = name.toLowerCase();
  const v = variable(ctx, key, name, scope);
  if (range) {
    v.definitions.push({ range, role });
    ctx.table.occurrences.push({ range, symbol: 'variable', key: v.key, definition: true });
  }
  if (role === 'script-param') v.system = true;
  if (v.kind === 'unknown' || kind === 'dynamic') v.kind = kind === 'unknown' ? v.kind : kind;
  return v;
}

export function referenceVariable(ctx: AnalysisContext, name: string, range: Range, scope?: string): VariableSymbol {
  const v = variable(ctx, name.toLowerCase(), name, scope);
  v.references.push(range);
  ctx.table.occurrences.push({ range, symbol: 'variable', key: v.key, definition: false });
  return v;
}

/** Finds or creates the member path of a variable and records one occurrence of it. */
export function touchMember(
  ctx: AnalysisContext,
  v: VariableSymbol,
  path: string,
  name: string,
  range: Range,
  definition: boolean,
): MemberSymbol {
  let m = v.members.find((x) => x.path === path);
  if (!m) {
    m = { path, name, definitions: [], references: [] };
    v.members.push(m);
  }
  (definition ? m.definitions : m.references).push(range);
  ctx.table.occurrences.push({ range, symbol: 'member', key: v.key, path, definition });
  return m;
}

/** `line:col` of a range start, for messages. */
export function at(range: Range): string {
  return `${range.start.line}:${range.start.column}`;
}

// The symbol table an analysis produces: variables, user functions and action labels with every
// definition and reference range, so the language server answers hover, definition, references,
// rename, highlights and member completion without walking the AST again.
import type { Range } from '../ast.js';

/** What a variable evidently holds, from its assignments (`unknown` when nothing says). */
export type VariableKind = 'text' | 'number' | 'boolean' | 'date' | 'dynamic' | 'array' | 'restproxy' | 'unknown';

/** How a variable gets a value at a definition site. */
export type DefinitionRole =
  | 'assign'
  | 'dynamic'
  | 'for'
  | 'foreach'
  | 'parameter'
  | 'script-param'
  | 'action-property'
  | 'action-output';

export interface VariableDefinition {
  range: Range;
  role: DefinitionRole;
}

/** A dynamic member path such as `HEADERS.Accept` of variable `req` (members are case-sensitive). */
export interface MemberSymbol {
  /** Segments joined with `.`, exactly as written (`[]` marks an index step: `Persons[].Name`). */
  path: string;
  /** The last segment. */
  name: string;
  definitions: Range[];
  references: Range[];
}

export interface VariableSymbol {
  /** Lookup key: lower-case name, prefixed with `<function key>/` for a function's parameter. */
  key: string;
  /** First spelling met in the source. */
  name: string;
  kind: VariableKind;
  /** The function whose parameter this is (key), else undefined (script-wide). */
  scope: string | undefined;
  /** Set by the runtime (`_ERR`, `__httpstatuscode`, ...) or an input (PARAMS). */
  system: boolean;
  definitions: VariableDefinition[];
  references: Range[];
  members: MemberSymbol[];
}

export interface FunctionSymbol {
  key: string;
  name: string;
  params: string[];
  doc: string | undefined;
  /** The whole declaration. */
  range: Range;
  nameRange: Range;
  calls: Range[];
}

export interface LabelSymbol {
  key: string;
  name: string;
  /** Upper-case action type. */
  type: string;
  /** The label identifier. */
  range: Range;
  /** The whole action. */
  actionRange: Range;
  /** Branch targets that name this label. */
  references: Range[];
}

/** One occurrence of a name in the source, for position lookups (sorted by offset). */
export interface Occurrence {
  range: Range;
  symbol: 'variable' | 'member' | 'function' | 'label';
  /** Key into the matching map; for members the variable key. */
  key: string;
  /** For members: the member path. */
  path?: string;
  definition: boolean;
}

export interface SymbolTable {
  variables: Map<string, VariableSymbol>;
  functions: Map<string, FunctionSymbol>;
  labels: Map<string, LabelSymbol>;
  occurrences: Occurrence[];
}

export function emptySymbolTable(): SymbolTable {
  return { variables: new Map(), functions: new Map(), labels: new Map(), occurrences: [] };
}

/** The occurrence covering `offset` (inclusive of the end, so a cursor just after a name counts). */
export function occurrenceAt(table: SymbolTable, offset: number): Occurrence | undefined {
  let found: Occurrence | undefined;
  for (const o of table.occurrences) {
    if (o.range.start.offset > offset) break;
    if (offset <= o.range.end.offset) found = o;
  }
  return found;
}

// The shape of the built-in catalog: the single source of truth that the analysis, the language
// server and the interpreter all read. The entries themselves live in `catalog.ts`.

/** What kind of value a parameter takes or a built-in returns (for docs, hover and completion). */
export type ValueKind =
  | 'any'
  | 'text'
  | 'number'
  | 'boolean'
  | 'date'
  | 'array'
  | 'dynamic'
  | 'restproxy'
  | 'none';

export interface ParamSpec {
  name: string;
  kind: ValueKind;
  /** Optional parameters come last. */
  optional?: boolean;
  /** Takes any number of further arguments (only on the last parameter). */
  rest?: boolean;
  description?: string;
}

/** How a built-in may be called: `f(x, a)`, `x.f(a)`, or `x.f` without parentheses. */
export type CallForm = 'function' | 'method' | 'property';

export type BuiltinCategory =
  | 'string'
  | 'number'
  | 'math'
  | 'date'
  | 'array'
  | 'dynamic'
  | 'encoding'
  | 'conversion'
  | 'misc'
  | 'restproxy';

/** Provenance, as in the language reference: documented, seen in real code, or our decision. */
export type Provenance = 'D' | 'R' | 'I';

export interface BuiltinEntry {
  /** Canonical spelling, e.g. `replace`, `GetRESTProxy`. Lookup is case-insensitive. */
  name: string;
  category: BuiltinCategory;
  forms: CallForm[];
  /**
   * Parameters in function form. In method and property form the receiver is the first
   * parameter: `s.left(3)` is `left(s, 3)`.
   */
  params: ParamSpec[];
  returns: ValueKind;
  /** One line: what it does. */
  description: string;
  /** A short Snippet example with its result, e.g. `left("abcdef", 3)  // "abc"`. */
  example: string;
  provenance: Provenance;
  /** Performs I/O: the interpreter awaits it (only such calls leave the synchronous fast path). */
  async?: boolean;
  /** As a method statement (`x.append(s)`), the result is stored back into the receiver. */
  assignsReceiver?: boolean;
  /** Other accepted spellings, e.g. `len` for `length`. */
  aliases?: string[];
}

/** A property or method of a host object type such as the REST proxy. */
export interface HostMemberEntry {
  name: string;
  kind: 'property' | 'method';
  params: ParamSpec[];
  returns: ValueKind;
  readOnly?: boolean;
  /** The value a new object starts with (properties). */
  default?: string;
  async?: boolean;
  description: string;
  example: string;
  provenance: Provenance;
}

export interface HostTypeEntry {
  /** e.g. `RestProxy`. */
  name: string;
  description: string;
  members: HostMemberEntry[];
}

/** The smallest and largest argument counts a built-in accepts (function form). */
export function arity(entry: { params: ParamSpec[] }): { min: number; max: number } {
  let min = 0;
  let max = 0;
  for (const p of entry.params) {
    if (p.rest) max = Infinity;
    else max++;
    if (!p.optional && !p.rest) min++;
  }
  return { min, max };
}

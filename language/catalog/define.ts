// Small constructors that keep the catalog tables readable: required, optional and rest parameters.
import type { ParamSpec, ValueKind } from '../catalog-types.js';

/** A required parameter. */
export function req(name: string, kind: ValueKind, description?: string): ParamSpec {
  return description === undefined ? { name, kind } : { name, kind, description };
}

/** An optional parameter (optional parameters come last). */
export function opt(name: string, kind: ValueKind, description?: string): ParamSpec {
  return { ...req(name, kind, description), optional: true };
}

/** Any number of further arguments (last parameter only). */
export function rest(name: string, kind: ValueKind, description?: string): ParamSpec {
  return { ...req(name, kind, description), rest: true };
}

// The built-in catalog: every built-in function and host object type, with forms, parameters,
// results, docs and provenance. The one source of truth for the analysis, the language server, the
// interpreter and docs/builtins.md. Entries live in language/catalog/ by category.
import type { BuiltinEntry, HostMemberEntry, HostTypeEntry } from './catalog-types.js';
import { DATA_BUILTINS } from './catalog/data.js';
import { DATE_BUILTINS } from './catalog/dates.js';
import { NUMBER_BUILTINS } from './catalog/numbers.js';
import { REST_PROXY } from './catalog/rest-proxy.js';
import { STRING_BUILTINS } from './catalog/strings.js';

/** Every built-in function. */
export const BUILTINS: readonly BuiltinEntry[] = Object.freeze([
  ...STRING_BUILTINS,
  ...NUMBER_BUILTINS,
  ...DATE_BUILTINS,
  ...DATA_BUILTINS,
]);

/** Every host object type (`RestProxy`). */
export const HOST_TYPES: readonly HostTypeEntry[] = Object.freeze([REST_PROXY]);

const byName = new Map<string, BuiltinEntry>();
for (const b of BUILTINS) {
  for (const n of [b.name, ...(b.aliases ?? [])]) byName.set(n.toLowerCase(), b);
}

/** The built-in of this name or alias, in any case (`GetRestProxy`, `LEN`). */
export function findBuiltin(name: string): BuiltinEntry | undefined {
  return byName.get(name.toLowerCase());
}

/** A property or method of a host type, both names in any case. */
export function findHostMember(typeName: string, member: string): HostMemberEntry | undefined {
  const t = HOST_TYPES.find((x) => x.name.toLowerCase() === typeName.toLowerCase());
  const key = member.toLowerCase();
  return t?.members.find((m) => m.name.toLowerCase() === key);
}

// Members a variable is known to have: the paths assigned or read in the script, and the keys of
// JSON text given to DYNAMIC (`DYNAMIC o = "{...}"`). Paths are normalised to `a.b`, `items[].id`.
import type { AnalyzedDocument } from './analyzed-document.js';
import { walk } from './ast-walk.js';

/** A known member path of a variable, and whether the script assigns it (vs. JSON or reads). */
export interface KnownMember {
  path: string;
  assigned: boolean;
  fromJson: boolean;
}

/** `Persons.[].Name` (analysis form) to `Persons[].Name`. */
export function normalisePath(path: string): string {
  return path.replace(/\.\[\]/g, '[]');
}

function jsonPaths(value: unknown, prefix: string, out: string[], depth = 0): void {
  if (depth > 8 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const x of value.slice(0, 20)) jsonPaths(x, `${prefix}[]`, out, depth + 1);
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    const p = prefix ? `${prefix}.${k}` : k;
    if (!out.includes(p)) out.push(p);
    jsonPaths(v, p, out, depth + 1);
  }
}

/**
 * The JSON a DYNAMIC string literal spells, from its source: `{` inside a string starts an
 * interpolation unless escaped as `\{` in a `$"..."` string, so the parts are no help here.
 */
function jsonSource(literal: string): string {
  const escapes = literal.startsWith('$');
  const body = literal.replace(/^[$#]?["']/, '').replace(/["']$/, '');
  return escapes ? body.replace(/\\([{"'\\])/g, '$1') : body;
}

/** Member paths of JSON text given to `DYNAMIC name = "..."` for the variable `key`. */
export function dynamicJsonMembers(doc: AnalyzedDocument, key: string): string[] {
  const out: string[] = [];
  walk(doc.document, (n) => {
    if (n.kind !== 'Dynamic' || n.name.key !== key || n.init?.kind !== 'String') return;
    const text = jsonSource(doc.text.slice(n.init.range.start.offset, n.init.range.end.offset));
    if (!text.trim().startsWith('{')) return;
    try {
      jsonPaths(JSON.parse(text), '', out);
    } catch {
      // Not JSON (or XML): nothing to offer.
    }
  });
  return out;
}

/** Every known member path of variable `key`. */
export function knownMembers(doc: AnalyzedDocument, key: string): KnownMember[] {
  const out = new Map<string, KnownMember>();
  const v = doc.analysis.symbols.variables.get(key);
  for (const m of v?.members ?? []) {
    const path = normalisePath(m.path);
    out.set(path, { path, assigned: m.definitions.length > 0, fromJson: false });
  }
  for (const path of dynamicJsonMembers(doc, key)) {
    const prev = out.get(path);
    if (prev) prev.fromJson = true;
    else out.set(path, { path, assigned: false, fromJson: true });
  }
  return [...out.values()];
}

/** The direct children of `path` (a list of segments) among known members: their names. */
export function childMembers(members: readonly KnownMember[], path: readonly string[]): KnownMember[] {
  const prefix = normalisePath(path.join('.'));
  const out: KnownMember[] = [];
  for (const m of members) {
    let rest: string;
    if (prefix === '') rest = m.path;
    else if (m.path.startsWith(prefix + '.')) rest = m.path.slice(prefix.length + 1);
    else continue;
    if (rest.length === 0 || rest.includes('.') || rest.includes('[')) continue;
    out.push(m);
  }
  return out;
}

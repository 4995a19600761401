// The interpreter's links to the catalog, the built-in implementations and the text parsers, in
// one place. They are installed by default-links.ts (imported by the public entry points), so the
// compiler core stays testable on its own. Lookups happen at compile time only.
import type { BuiltinEntry, HostTypeEntry } from '../../language/catalog-types.js';
import type { BuiltinImpl } from '../builtins/types.js';
import { SnipError } from '../errors.js';
import type { Dyn, SnipDate } from '../values.js';

/** What the interpreter needs from the catalog, the built-ins and the parsers of text. */
export interface Links {
  findBuiltin(name: string): BuiltinEntry | undefined;
  hostTypes: readonly HostTypeEntry[];
  impls: ReadonlyMap<string, BuiltinImpl>;
  parseDateText(text: string): SnipDate | undefined;
  parseJson(text: string, maxBytes: number): Dyn;
  parseXml(text: string, maxBytes: number): Dyn;
}

const notLinked = (what: string) => (): never => {
  throw new SnipError('SNIP3014', `${what} is not available in this build`);
};

let links: Links = {
  findBuiltin: () => undefined,
  hostTypes: [],
  impls: new Map(),
  parseDateText: notLinked('Date parsing'),
  parseJson: notLinked('JSON parsing'),
  parseXml: notLinked('XML parsing'),
};
let hostMethods: Map<string, boolean> | undefined;

/** Installs (part of) the links; compiled programs keep what was linked when they were compiled. */
export function installLinks(partial: Partial<Links>): void {
  links = { ...links, ...partial };
  hostMethods = undefined;
}

export interface LinkedBuiltin {
  entry: BuiltinEntry;
  /** Undefined when the catalog lists it but no implementation exists (a runtime error if called). */
  impl: BuiltinImpl | undefined;
}

/** The catalog entry and implementation of a built-in, by case-insensitive name or alias. */
export function linkBuiltin(name: string): LinkedBuiltin | undefined {
  const entry = links.findBuiltin(name);
  if (entry === undefined) return undefined;
  return { entry, impl: links.impls.get(entry.name.toLowerCase()) ?? links.impls.get(name.toLowerCase()) };
}

/** Whether a host-object method of this name exists and whether it is async (undefined: unknown). */
export function hostMethodAsync(name: string): boolean | undefined {
  if (hostMethods === undefined) {
    hostMethods = new Map();
    for (const t of links.hostTypes) {
      for (const m of t.members) if (m.kind === 'method') hostMethods.set(m.name.toLowerCase(), m.async === true);
    }
  }
  return hostMethods.get(name.toLowerCase());
}

/** A `#"..."` literal's date, or undefined when the text is not a date. */
export function dateFromText(text: string): SnipDate | undefined {
  return links.parseDateText(text);
}

/** `DYNAMIC x = text`: JSON, or XML when the text starts with `<`. Throws SNIP3007/SNIP3008. */
export function dynFromText(text: string, maxBytes: number): Dyn {
  return text.trimStart().startsWith('<') ? links.parseXml(text, maxBytes) : links.parseJson(text, maxBytes);
}

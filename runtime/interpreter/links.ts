// The interpreter's links to the catalog, the built-in implementations and the text parsers. The
// real ones are the default; a compilation may substitute any of them (tests use stand-ins). Lookups
// happen at compile time only, and a compiled program keeps the links it was compiled with.
import { HOST_TYPES, findBuiltin } from '../../language/catalog.js';
import type { BuiltinEntry, HostTypeEntry } from '../../language/catalog-types.js';
import { BUILTIN_IMPLS } from '../builtins/index.js';
import type { BuiltinImpl } from '../builtins/types.js';
import { parseDateText } from '../dates.js';
import { parseJsonToDyn } from '../json.js';
import type { Dyn, SnipDate } from '../values.js';
import { parseXmlToDyn } from '../xml.js';

/** What the interpreter needs from the catalog, the built-ins and the parsers of text. */
export interface Links {
  findBuiltin(name: string): BuiltinEntry | undefined;
  hostTypes: readonly HostTypeEntry[];
  impls: ReadonlyMap<string, BuiltinImpl>;
  parseDateText(text: string): SnipDate | undefined;
  parseJson(text: string, maxBytes: number): Dyn;
  parseXml(text: string, maxBytes: number): Dyn;
}

/** The real catalog, implementations and parsers. */
export const DEFAULT_LINKS: Links = Object.freeze({
  findBuiltin,
  hostTypes: HOST_TYPES,
  impls: BUILTIN_IMPLS,
  parseDateText,
  parseJson: (text: string, maxBytes: number) => parseJsonToDyn(text, maxBytes),
  parseXml: (text: string, maxBytes: number) => parseXmlToDyn(text, maxBytes),
});

export interface LinkedBuiltin {
  entry: BuiltinEntry;
  /** Undefined when the catalog lists it but no implementation exists (a runtime error if called). */
  impl: BuiltinImpl | undefined;
}

/** Resolves names against one set of links (immutable once built). */
export class Linker {
  private readonly hostMethods = new Map<string, boolean>();
  readonly links: Links;

  constructor(overrides?: Partial<Links>) {
    this.links = overrides === undefined ? DEFAULT_LINKS : { ...DEFAULT_LINKS, ...overrides };
    for (const t of this.links.hostTypes) {
      for (const m of t.members) if (m.kind === 'method') this.hostMethods.set(m.name.toLowerCase(), m.async === true);
    }
  }

  /** The catalog entry and implementation of a built-in, by case-insensitive name or alias. */
  builtin(name: string): LinkedBuiltin | undefined {
    const entry = this.links.findBuiltin(name);
    if (entry === undefined) return undefined;
    const impls = this.links.impls;
    return { entry, impl: impls.get(entry.name.toLowerCase()) ?? impls.get(name.toLowerCase()) };
  }

  /** Whether a host-object method of this name exists and whether it is async (undefined: unknown). */
  hostMethodAsync(name: string): boolean | undefined {
    return this.hostMethods.get(name.toLowerCase());
  }

  /** A `#"..."` literal's date, or undefined when the text is not a date. */
  dateFromText(text: string): SnipDate | undefined {
    return this.links.parseDateText(text);
  }

  /** `DYNAMIC x = text`: JSON, or XML when the text starts with `<`. Throws SNIP3007/SNIP3008. */
  dynFromText(text: string, maxBytes: number): Dyn {
    return text.trimStart().startsWith('<') ? this.links.parseXml(text, maxBytes) : this.links.parseJson(text, maxBytes);
  }
}

/** The linker over the real links, shared (it holds no mutable state after construction). */
export const DEFAULT_LINKER = new Linker();

/** A date from text as `#"..."` reads it (used by the flow engine's ASSIGN action). */
export function dateFromText(text: string): SnipDate | undefined {
  return parseDateText(text);
}

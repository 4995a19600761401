// `[[ name ]]` secret references, replaced at send time only and only from the bound connection's
// own secrets: a script never holds a secret value, and another connection's secrets are invisible.
import { SnipError } from '../errors.js';

/** Looks a secret up by name in one connection; undefined when that connection has no such secret. */
export type SecretLookup = (name: string) => string | undefined;

// Names may hold any character but `]]`; surrounding blanks are not part of the name.
const REFERENCE = /\[\[\s*((?:(?!\]\]).)+?)\s*\]\]/gs;

/** The secret names a text references, in order of first appearance. */
export function secretReferences(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(REFERENCE)) names.add(m[1]!);
  return [...names];
}

/**
 * Replaces every `[[ name ]]` in `text` with the secret's value.
 * @param where what the text is, for the error message (`auth URL`, `header Authorization`, ...).
 * @throws SnipError SNIP4008 when the connection has no secret of that name.
 */
export function substituteSecrets(text: string, lookup: SecretLookup, connection: string, where: string): string {
  if (!text.includes('[[')) return text;
  return text.replace(REFERENCE, (_all, name: string) => {
    const value = lookup(name);
    if (value === undefined) {
      throw new SnipError('SNIP4008', `connection '${connection}' has no secret named '${name}' (referenced in ${where})`);
    }
    return value;
  });
}

/** Substitutes in every value of a name -> value record (names are left alone). */
export function substituteRecord(
  record: Readonly<Record<string, string>> | undefined,
  lookup: SecretLookup,
  connection: string,
  where: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record ?? {})) out[k] = substituteSecrets(v, lookup, connection, `${where} ${k}`);
  return out;
}

// `[[ name ]]` secret references, replaced at send time only and only from the bound connection's
// own secrets: a script never holds a secret value, and another connection's secrets are invisible.
import { SnipError } from '../errors.js';

/** Looks a secret up by name in one connection; undefined when that connection has no such secret. */
export type SecretLookup = (name: string) => string | undefined;

// Names may hold any character but `]]`; surrounding blanks are not part of the name.
const REFERENCE = /\[\[\s*((?:(?!\]\]).)+?)\s*\]\]/gs;

/** The secret names a text references, in order of first appearance. */
export function secretReferences(text: string): string[] {
  if (!text.includes('[[')) return [];
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

// A reference at the very start of a URL stands for its base (`[[INSTANCEURI]]/agents`): the value
// is a URL itself and goes in as it is.
const LEADING = /^\s*\[\[\s*((?:(?!\]\]).)+?)\s*\]\]/s;
// Host names as DNS and URL parsing accept them (underscores are common in internal names).
const HOST = /^(?=.{1,253}\.?$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/;

/**
 * Builds a URL from `text`, replacing each `[[ name ]]` with its value encoded for the part it lands
 * in: percent-encoded as one path segment, query value, fragment or userinfo part (so `&`, `=`,
 * `?`, `#`, `/` and blanks in a secret stay inside it); lower-cased and checked as a host name in
 * the host part. A reference at the very start is the URL's base and must itself be an http(s) URL.
 * @param where what the URL is (`request URL`), for messages; they name references, never values.
 * @throws SnipError SNIP4008 unknown name, SNIP4031 a value that cannot stand where it is,
 *   SNIP4019 not an absolute http(s) URL.
 */
export function substituteUrl(text: string, lookup: SecretLookup, connection: string, where: string, mask: (t: string) => string = (t) => t): URL {
  const value = (name: string): string => {
    const v = lookup(name);
    if (v === undefined) throw new SnipError('SNIP4008', `connection '${connection}' has no secret named '${name}' (referenced in ${where})`);
    return v;
  };
  let base = '';
  let rest = text.trim();
  const lead = LEADING.exec(rest);
  if (lead) {
    base = value(lead[1]!).trim();
    if (!/^https?:\/\//i.test(base) || !URL.canParse(base)) {
      throw new SnipError('SNIP4031', `secret '${lead[1]}' at the start of the ${where} of '${connection}' is not an absolute http(s) URL`);
    }
    rest = rest.slice(lead[0].length);
  }
  // No reference past the base (the usual `[[INSTANCEURI]]/path`): nothing to place, parse once.
  if (!rest.includes('[[')) {
    let plain: URL;
    try {
      plain = new URL(base + rest);
    } catch {
      throw new SnipError('SNIP4019', `'${mask(text)}' is not an absolute URL`);
    }
    if (plain.protocol !== 'http:' && plain.protocol !== 'https:') throw new SnipError('SNIP4019', `'${mask(text)}' is not an http(s) URL`);
    return plain;
  }
  // Each reference becomes a marker that survives URL parsing unchanged in every part (lower-case
  // letters and digits), so the parser tells which part it landed in.
  const nonce = Math.random().toString(36).slice(2, 8).replace(/[^a-z0-9]/g, 'z');
  const names: string[] = [];
  const marked = rest.replace(REFERENCE, (_all, name: string) => `zq${nonce}${names.push(name) - 1}qz`);
  const marker = new RegExp(`zq${nonce}(\\d+)qz`, 'g');
  let url: URL;
  try {
    url = new URL(base + marked);
  } catch {
    throw new SnipError('SNIP4019', `'${mask(text)}' is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SnipError('SNIP4019', `'${mask(text)}' is not an http(s) URL`);
  const encoded = (part: string) => part.replace(marker, (_m, i: string) => encodeURIComponent(value(names[Number(i)]!)));
  const refused = (part: string, what: string): never => {
    const name = names[Number(new RegExp(marker.source).exec(part)![1])];
    throw new SnipError('SNIP4031', `secret '${name}' cannot be substituted into the ${what} of the ${where} of '${connection}'`);
  };
  if (new RegExp(marker.source).test(url.protocol + url.port)) refused(url.protocol + url.port, url.port ? 'port' : 'scheme');
  let host = url.hostname;
  if (new RegExp(marker.source).test(host)) {
    host = host.replace(marker, (_m, i: string) => value(names[Number(i)]!).toLowerCase());
    if (!HOST.test(host)) {
      const name = names[Number(new RegExp(marker.source).exec(url.hostname)![1])];
      throw new SnipError('SNIP4031', `secret '${name}' does not make a valid host name in the ${where} of '${connection}'; the request was not sent`);
    }
  }
  const user = encoded(url.username);
  const pass = encoded(url.password);
  const userinfo = user || pass ? `${user}${pass ? `:${pass}` : ''}@` : '';
  const built = `${url.protocol}//${userinfo}${host}${url.port ? `:${url.port}` : ''}${encoded(url.pathname)}${encoded(url.search)}${encoded(url.hash)}`;
  try {
    return new URL(built);
  } catch {
    throw new SnipError('SNIP4031', `the secrets substituted into the ${where} of '${connection}' do not make a valid URL; the request was not sent`);
  }
}

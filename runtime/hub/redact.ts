// Redaction by value: every secret, every token obtained and the base64 of basic credentials are
// replaced with `****` wherever text leaves the runtime (traces, errors, test output, logs, printed
// variables, response bodies a server echoes back), in every encoding an echo or URL handling
// produces: JSON escapes (`\/`, `\uXXXX`), percent-encoding in either case, form encoding, HTML/XML
// character references, lower-cased hosts, and base64 (standard and URL-safe) at any byte offset.
import { LRUCache } from 'lru-cache';
import { inspect } from 'node:util';
import type { Masker } from '../trace/events.js';

/** What a masked value becomes. */
export const MASK = '****';

/**
 * Values shorter than this are not masked: masking a 1-2 character secret would shred every text
 * (and would itself reveal the value by where the holes are).
 */
export const MIN_MASKED_LENGTH = 3;

/** Base64 fragments shorter than this are not masked on their own (they would match noise). */
const MIN_BASE64_LENGTH = 4;

/**
 * The base64 texts that appear wherever `value` is encoded inside a longer text: for each byte
 * offset mod 3 (0, 1, 2) the characters that depend on the value's bytes only, in the standard
 * and the URL-safe alphabet. `Basic base64("user:" + password)` holds the offset-(5 mod 3) form.
 */
export function base64Forms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  // The whole encoding first (with its padding), so `Basic base64(user:pass)` is masked entirely.
  const whole = bytes.toString('base64');
  const forms = new Set<string>([whole, bytes.toString('base64url')]);
  for (let k = 0; k < 3; k++) {
    const encoded = Buffer.concat([Buffer.alloc(k), bytes]).toString('base64');
    // Character i covers bits [6i, 6i + 6): keep those inside the value's bits [8k, 8(k + n)).
    const from = Math.ceil((8 * k) / 6);
    const to = Math.floor((8 * (k + bytes.length)) / 6);
    const stable = encoded.slice(from, to);
    if (stable.length < MIN_BASE64_LENGTH) continue;
    forms.add(stable);
    forms.add(stable.replaceAll('+', '-').replaceAll('/', '_'));
  }
  return [...forms].filter((f) => f.length >= MIN_BASE64_LENGTH);
}

// JSON escapes; a run of backslashes also covers JSON nested in JSON (`\\\"` in an echoed body).
const JSON_SHORT: Record<string, string> = { '"': '\\\\*"', '\\': '\\\\+', '/': '\\\\*\\/', '\n': '\\\\+n', '\r': '\\\\+r', '\t': '\\\\+t', '\b': '\\\\+b', '\f': '\\\\+f' };
const HTML_NAMED: Record<string, string[]> = { '&': ['&amp;'], '<': ['&lt;'], '>': ['&gt;'], '"': ['&quot;'], "'": ['&apos;', '&#39;'] };

/**
 * A regular expression source matching one character in any of the forms it takes in transit.
 * Matching is case-insensitive (percent and hex escapes, lower-cased hosts).
 */
function charPattern(ch: string): string {
  const cp = ch.codePointAt(0)!;
  // The JSON form first: `\\*"` also matches the raw quote, but a run of backslashes must be taken whole.
  const alts = new Set<string>([...(JSON_SHORT[ch] ? [JSON_SHORT[ch]!] : []), escapeRegExp(ch)]);
  const utf8 = [...Buffer.from(ch, 'utf8')];
  alts.add(utf8.map((b) => `%${hex2(b)}`).join(''));
  if (ch === ' ') alts.add('\\+');
  const units = ch.length === 2 ? [ch.charCodeAt(0), ch.charCodeAt(1)] : [cp];
  alts.add(units.map((u) => `\\\\+u${u.toString(16).padStart(4, '0')}`).join(''));
  alts.add(`&#0*${cp};`);
  alts.add(`&#x0*${cp.toString(16)};`);
  for (const n of HTML_NAMED[ch] ?? []) alts.add(n);
  return `(?:${[...alts].join('|')})`;
}

/**
 * The characters that start every escaped form `charPattern` knows (percent, form `+`, JSON `\`,
 * HTML `&`). A text without any of them can hold a value only as its plain characters (in any
 * case) or as one of its base64 forms.
 */
const ESCAPES = ['%', '\\', '&', '+'];

function hasEscapes(text: string): boolean {
  for (const e of ESCAPES) if (text.includes(e)) return true;
  return false;
}

interface ValuePatterns {
  /** Every form: each character in any of its encodings, then the base64 forms. */
  full: string;
  /** The same alternatives as they match in a text without escapes: the plain value, then the base64 forms. */
  plain: string;
}

// Patterns are pure functions of the value: computed once per value for the whole process, so a
// redactor that learns the same secrets on every request does not re-encode them.
const patternCache = new LRUCache<string, ValuePatterns>({ max: 4096 });

function patternsOf(value: string): ValuePatterns {
  let p = patternCache.get(value);
  if (p === undefined) {
    const base64 = base64Forms(value).map(escapeRegExp);
    const chars = [...value].map(charPattern).join('');
    p = { full: [chars, ...base64].join('|'), plain: [escapeRegExp(value), ...base64].join('|') };
    patternCache.set(value, p);
  }
  return p;
}

/** The regular expression source matching `value` in every form it may travel in. */
export function valuePattern(value: string): string {
  return patternsOf(value).full;
}

// The combined expression of a set of values, shared by every redactor that learns the same set
// (each run of a process over the same connections): one compiled expression, warm in the engine,
// instead of a new one per run. Module scope only, like `patternCache`.
// Two expressions per set, with the same alternatives in the same order: `full` for any text, and
// `plain` for a text without escape characters, where each alternative of `full` matches exactly
// what its plain counterpart matches (so the result is the same, at a fraction of the cost).
const combinedCache = new LRUCache<string, { full: RegExp; plain: RegExp }>({ max: 512 });

function combinedPattern(values: ReadonlySet<string>): { full: RegExp; plain: RegExp } {
  // Longest first, so a value that contains another is masked whole; ties in a fixed order, so
  // the same set always gives the same key.
  const sorted = [...values].sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
  const key = sorted.join('\u0000');
  let re = combinedCache.get(key);
  if (re === undefined) {
    const each = sorted.map(patternsOf);
    re = { full: new RegExp(each.map((p) => p.full).join('|'), 'gi'), plain: new RegExp(each.map((p) => p.plain).join('|'), 'gi') };
    combinedCache.set(key, re);
  }
  return re;
}

/**
 * A set of values reached by adding them in one order, and its expressions. Redactors that learn
 * the same values in the same order (every run over the same connections) walk the same nodes, so
 * a run neither copies, sorts nor joins its values to find the compiled expressions. Module scope
 * only, like `patternCache`; a node drops its children when it has too many (rotating tokens).
 */
class ValueSet {
  private readonly next = new Map<string, ValueSet>();
  private compiled: { full: RegExp; plain: RegExp } | undefined;

  constructor(readonly values: ReadonlySet<string>) {}

  with(value: string): ValueSet {
    let n = this.next.get(value);
    if (n === undefined) {
      if (this.next.size >= MAX_BRANCHES) this.next.clear();
      n = new ValueSet(new Set([...this.values, value]));
      this.next.set(value, n);
    }
    return n;
  }

  get pattern(): { full: RegExp; plain: RegExp } {
    return (this.compiled ??= combinedPattern(this.values));
  }
}

const MAX_BRANCHES = 64;
const EMPTY = new ValueSet(new Set());

/** A growing set of sensitive values and the `Masker` that hides them. */
export class Redactor {
  private set = EMPTY;

  /** Holds secret values or tokens: printing or serialising shows only what it is. */
  [inspect.custom](): string {
    return 'Redactor [values hidden]';
  }

  toJSON(): Record<string, never> {
    return {};
  }

  constructor(values: Iterable<string> = []) {
    for (const v of values) this.add(v);
  }

  /** Adds a secret or token value (every encoded form of it is masked). */
  add(value: string | undefined): void {
    if (value === undefined || value.length < MIN_MASKED_LENGTH || this.set.values.has(value)) return;
    this.set = this.set.with(value);
  }

  /** Adds basic credentials: each part and `user:pass` (whose base64 the Authorization header carries). */
  addBasic(user: string, password: string): void {
    this.add(password);
    this.add(`${user}:${password}`);
  }

  /** How many distinct values are masked (for tests and diagnostics). */
  get size(): number {
    return this.set.values.size;
  }

  /** Masks `text`; bound, so it can be passed around as a `Masker`. */
  readonly mask: Masker = (text: string): string => {
    if (this.set.values.size === 0 || !text) return text;
    const pattern = this.set.pattern;
    return text.replace(hasEscapes(text) ? pattern.full : pattern.plain, MASK);
  };
}

/** Masks every string inside a JSON-like value (objects and arrays are copied). */
export function maskDeep<T>(value: T, mask: Masker): T {
  if (typeof value === 'string') return mask(value) as T;
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, mask)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[mask(k)] = maskDeep(v, mask);
    return out as T;
  }
  return value;
}

function hex2(b: number): string {
  return b.toString(16).padStart(2, '0').toUpperCase();
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

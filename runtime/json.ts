// JSON text <-> dynamic objects. Parsing is hand-written so every error names its line:col; the
// `asjson()` text follows the documented rule that every value is written as a string.
import type { Members } from './members.js';
import { SnipError } from './errors.js';
import { Dyn, toText, type Value } from './values.js';

/** Nesting deeper than this is refused rather than risking the host's stack. */
const MAX_DEPTH = 256;

/** The member name the JSON parser reserves for type hints; it is dropped when parsing. */
export const RESERVED_MEMBER = '__type';

class JsonReader {
  private i = 0;
  constructor(private readonly s: string) {}

  fail(message: string, at = this.i): never {
    let line = 1;
    let col = 1;
    for (let k = 0; k < at && k < this.s.length; k++) {
      if (this.s[k] === '\n') {
        line++;
        col = 1;
      } else col++;
    }
    throw new SnipError('SNIP3007', `Invalid JSON at ${line}:${col}: ${message}`);
  }

  ws(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.i++;
      else break;
    }
  }

  document(): Value {
    this.ws();
    const v = this.value(0);
    this.ws();
    if (this.i < this.s.length) this.fail(`unexpected '${this.s[this.i]}' after the value`);
    return v;
  }

  value(depth: number): Value {
    if (depth > MAX_DEPTH) this.fail(`nested more than ${MAX_DEPTH} levels deep`);
    const c = this.s[this.i];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return v;
      }
    }
    return this.fail(c === undefined ? 'unexpected end of text' : `unexpected '${c}'`);
  }

  object(depth: number): Dyn {
    const o = new Dyn();
    this.i++;
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return o;
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail('expected a member name in double quotes');
      const key = this.string();
      this.ws();
      if (this.s[this.i] !== ':') this.fail("expected ':' after the member name");
      this.i++;
      this.ws();
      const v = this.value(depth + 1);
      if (key !== RESERVED_MEMBER) o.members.set(key, v);
      this.ws();
      const c = this.s[this.i];
      this.i++;
      if (c === '}') return o;
      if (c !== ',') this.fail("expected ',' or '}'", this.i - 1);
    }
  }

  array(depth: number): Dyn {
    const o = new Dyn();
    const items: Value[] = [];
    o.items = items;
    this.i++;
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return o;
    }
    for (;;) {
      this.ws();
      items.push(this.value(depth + 1));
      this.ws();
      const c = this.s[this.i];
      this.i++;
      if (c === ']') return o;
      if (c !== ',') this.fail("expected ',' or ']'", this.i - 1);
    }
  }

  string(): string {
    const s = this.s;
    const start = ++this.i;
    let out = '';
    let from = start;
    for (;;) {
      if (this.i >= s.length) this.fail('unterminated string', start - 1);
      const c = s.charCodeAt(this.i);
      if (c === 34) {
        out += s.slice(from, this.i++);
        return out;
      }
      if (c < 32) this.fail('control character in a string');
      if (c !== 92) {
        this.i++;
        continue;
      }
      out += s.slice(from, this.i);
      const e = s[this.i + 1];
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e !== undefined && simple[e] !== undefined) {
        out += simple[e];
        this.i += 2;
      } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(this.i + 2, this.i + 6))) {
        out += String.fromCharCode(parseInt(s.slice(this.i + 2, this.i + 6), 16));
        this.i += 6;
      } else this.fail('invalid escape sequence');
      from = this.i;
    }
  }

  number(): number {
    const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    m.lastIndex = this.i;
    const r = m.exec(this.s);
    if (r === null) this.fail('invalid number');
    this.i += r[0].length;
    return Number(r[0]);
  }
}

/**
 * Parses JSON text into a value: objects become dynamic objects (members in text order), arrays
 * dynamic arrays, numbers stay numbers, booleans booleans, null null. A `__type` member is a
 * type hint and is dropped. Text longer than `maxBytes` (UTF-8) is refused with SNIP3016.
 * @throws SnipError SNIP3007 with the line:col of the problem.
 */
export function parseJsonValue(text: string, maxBytes = Infinity): Value {
  if (maxBytes !== Infinity && Buffer.byteLength(text, 'utf8') > maxBytes) {
    throw new SnipError('SNIP3016', `JSON text too large: more than the dynamic object limit (${maxBytes} bytes)`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return new JsonReader(text).document();
  }
  const v = fromParsed(parsed, 0);
  return v === SLOW ? new JsonReader(text).document() : v;
}

/** Marks a document the fast path cannot convert faithfully; the hand parser then reads it. */
const SLOW = Symbol('slow');

/**
 * Converts `JSON.parse` output. JavaScript objects list integer-like keys first, so an object with a
 * key starting with a digit would lose its text order: such documents (and over-deep ones, whose
 * error the hand parser words) take the slow path.
 */
function fromParsed(x: unknown, depth: number): Value | typeof SLOW {
  if (depth > MAX_DEPTH) return SLOW;
  if (typeof x !== 'object' || x === null) return x as Value;
  const o = new Dyn();
  if (Array.isArray(x)) {
    const items: Value[] = new Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const v = fromParsed(x[i], depth + 1);
      if (v === SLOW) return SLOW;
      items[i] = v;
    }
    o.items = items;
    return o;
  }
  const rec = x as Record<string, unknown>;
  const members = o.members;
  // JSON.parse objects inherit nothing enumerable, so for-in sees exactly the own keys.
  for (const k in rec) {
    const c = k.charCodeAt(0);
    if (c >= 48 && c <= 57) return SLOW;
    if (k === RESERVED_MEMBER) continue;
    const v = fromParsed(rec[k], depth + 1);
    if (v === SLOW) return SLOW;
    members.set(k, v);
  }
  return o;
}

/**
 * Parses JSON text into a dynamic object. A scalar document is refused: a dynamic object needs an
 * object or an array.
 * @throws SnipError SNIP3007 (with line:col) or SNIP3016.
 */
export function parseJsonToDyn(text: string, maxBytes = Infinity): Dyn {
  const v = parseJsonValue(text, maxBytes);
  if (v instanceof Dyn) return v;
  throw new SnipError('SNIP3007', 'Invalid JSON at 1:1: expected an object or an array');
}

/** The size cap of `asjson()`/`asxml()` text. */
export interface TextLimits {
  maxDynamicBytes: number;
}

/** Cuts text to at most `maxBytes` UTF-8 bytes without splitting a character (documented truncation). */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (text.length * 3 <= maxBytes) return text;
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= maxBytes) return text;
  let end = maxBytes;
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString('utf8');
}

/**
 * The `asjson()` text of a value: members in insertion order, no spacing, every scalar as a JSON
 * string (`{"count":"5","active":"true"}`), null as `""`, nested objects and arrays nested. A
 * dynamic object with both members and elements writes its members only. Output beyond
 * `limits.maxDynamicBytes` is truncated, as documented.
 */
export function toJsonText(v: Value, limits: TextLimits): string {
  const w = new JsonWriter(limits.maxDynamicBytes);
  w.write(v);
  return truncateUtf8(w.out, limits.maxDynamicBytes);
}

/** Characters JSON.stringify would escape (surrogates included, for lone ones). */
const NEEDS_ESCAPE = /[\u0000-\u001f"\\\ud800-\udfff]/;

function quote(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

function scalarText(x: Value): string {
  return quote(typeof x === 'string' ? x : toText(x));
}

/**
 * Writes the text straight from the dynamic objects, with no plain copy in between (issue 12: the
 * copy was half of `asjson()`'s time, in garbage collection). One append per scalar member keeps
 * the intermediate strings few. Writing stops once the text is past the budget: UTF-8 is never
 * shorter than UTF-16, so the truncated result is the same as truncating the whole text.
 */
class JsonWriter {
  out = '';
  /** The objects being written, outermost first (a shared object inside itself is a cycle). */
  private readonly open: Dyn[] = [];
  constructor(readonly budget: number) {}

  private get full(): boolean {
    return this.out.length > this.budget;
  }

  write(x: Value): void {
    if (!(x instanceof Dyn)) {
      this.out += scalarText(x);
      return;
    }
    if (this.open.includes(x)) {
      this.out += '"{Dynamic}"';
      return;
    }
    this.open.push(x);
    if (x.isArray) this.array(x.items as Value[]);
    else this.object(x.members);
    this.open.pop();
  }

  private array(items: Value[]): void {
    this.out += '[';
    let sep = '';
    for (let i = 0; i < items.length; i++) {
      if (!(i in items)) continue;
      const item = items[i]!;
      if (item instanceof Dyn) {
        this.out += sep;
        this.write(item);
      } else this.out += sep + scalarText(item);
      sep = ',';
      if (this.full) return;
    }
    this.out += ']';
  }

  private object(members: Members): void {
    this.out += '{';
    let sep = '';
    const large = members.large;
    if (large !== undefined) {
      for (const [k, item] of large) {
        this.member(sep, k, item);
        sep = ',';
        if (this.full) return;
      }
    } else {
      for (let i = 0; i < members.size; i++) {
        this.member(sep, members.keyAt(i), members.valueAt(i));
        sep = ',';
        if (this.full) return;
      }
    }
    this.out += '}';
  }

  private member(sep: string, k: string, item: Value): void {
    if (item instanceof Dyn) {
      this.out += `${sep}${quote(k)}:`;
      this.write(item);
    } else this.out += `${sep}${quote(k)}:${scalarText(item)}`;
  }
}

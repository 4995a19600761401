// The value model of Snippet: text-first variables, numbers, booleans, dates, pipe arrays (plain
// strings), dynamic objects and host objects (the REST proxy). Conversions live here, once, so the
// interpreter, the built-ins and the hub agree on every rule (docs/language.md explains them).

import { Members } from './members.js';

/** A date/time as an OLE Automation date: days since midnight 30 Dec 1899, time as the fraction. */
export class SnipDate {
  constructor(readonly oa: number) {}
}

/**
 * A dynamic data object. Members are case-sensitive and keep insertion order. An object used with
 * `[i]` (or parsed from a JSON array) holds elements in `items` (stored 0-based, read 1-based).
 */
export class Dyn extends Members {
  items: Value[] | undefined = undefined;

  /** The members (the object is its own member store: one allocation less per object). */
  get members(): Members {
    return this;
  }

  get isArray(): boolean {
    return this.items !== undefined && this.size === 0;
  }
}

/**
 * An object supplied by the host (e.g. the REST proxy from `GetRESTProxy()`). Property and method
 * names are case-insensitive: implementations compare lower-cased names.
 */
export interface HostObject {
  readonly hostType: string;
  getProperty(name: string): Value | undefined;
  /** Returns false when the property does not exist or is read-only. */
  setProperty(name: string, value: Value): boolean;
  /** Undefined when there is no such method; may return a promise for I/O. */
  method(name: string): ((args: Value[]) => Value | Promise<Value>) | undefined;
}

export type Value = string | number | boolean | null | SnipDate | Dyn | HostObject;

export function isDyn(v: Value): v is Dyn {
  return v instanceof Dyn;
}

export function isHost(v: Value): v is HostObject {
  return typeof v === 'object' && v !== null && !(v instanceof Dyn) && !(v instanceof SnipDate);
}

const NUMERIC = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)\s*$/;

/**
 * A number as Snippet prints it: integers plainly, other values with at most 15 significant digits
 * (so 0.1 + 0.2 prints 0.3, as .NET's general format does), never in exponent form for ordinary sizes.
 */
export function formatNumber(n: number): string {
  if (Number.isInteger(n)) {
    return Math.abs(n) < 1e21 ? String(n) : n.toLocaleString('en-US', { useGrouping: false });
  }
  if (!Number.isFinite(n)) return Number.isNaN(n) ? '' : n > 0 ? 'Infinity' : '-Infinity';
  let s = n.toPrecision(15);
  if (s.includes('e')) s = String(Number(s));
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s;
}

const pad2 = (n: number): string => (n < 10 ? '0' + n : String(n));

/** Calendar parts of a date (month 1-12). */
export interface DateParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const MS_PER_DAY = 86_400_000;
const OA_EPOCH_MS = Date.UTC(1899, 11, 30);

/**
 * The UTC millisecond time of an OLE Automation date. Before 30 Dec 1899 .NET keeps the time of day
 * positive on a negative day count (-1.25 is 29 Dec 1899 06:00), so the fraction is mirrored.
 */
export function msFromOa(oa: number): number {
  if (oa >= 0) return Math.round(OA_EPOCH_MS + oa * MS_PER_DAY);
  const day = Math.trunc(oa);
  return Math.round(OA_EPOCH_MS + (day - (oa - day)) * MS_PER_DAY);
}

/** Breaks an OLE date into calendar parts (UTC arithmetic: dates carry no zone). */
export function oaToParts(oa: number): DateParts {
  const d = new Date(msFromOa(oa));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
  };
}

/** The default text of a date: `MM/dd/yyyy HH:mm:ss` (24-hour clock, as Studio uses). */
export function formatDateDefault(date: SnipDate): string {
  const p = oaToParts(date.oa);
  return `${pad2(p.month)}/${pad2(p.day)}/${p.year} ${pad2(p.hour)}:${pad2(p.minute)}:${pad2(p.second)}`;
}

/** The text of any value. Null (a never-assigned variable) is the empty string. */
export function toText(v: Value): string {
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return formatNumber(v);
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      if (v === null) return '';
      if (v instanceof SnipDate) return formatDateDefault(v);
      if (v instanceof Dyn) return '{Dynamic}';
      return `{${v.hostType}}`;
  }
}

/**
 * The number a value stands for in arithmetic, or NaN when it has none: text that is not wholly a
 * number, null, dynamic objects. NaN operands are *ignored* by the operators, as documented.
 */
export function toNumber(v: Value): number {
  switch (typeof v) {
    case 'number':
      return v;
    case 'string':
      return NUMERIC.test(v) ? Number(v) : NaN;
    case 'boolean':
      return v ? 1 : 0;
    default:
      if (v instanceof SnipDate) return v.oa;
      return NaN;
  }
}

/** True for `true`, non-zero numbers, the text `true` (any case) and non-zero numeric text. */
export function isTruthy(v: Value): boolean {
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'number':
      return v !== 0 && !Number.isNaN(v);
    case 'string': {
      if (v.length === 4 && v.toLowerCase() === 'true') return true;
      const n = NUMERIC.test(v) ? Number(v) : NaN;
      return !Number.isNaN(n) && n !== 0;
    }
    default:
      return v instanceof SnipDate;
  }
}

/**
 * Compares two values for `=`, `<` and friends: numerically when both sides are numbers or numeric
 * text (so `"201" = 201`), otherwise as text, ordinal and case-sensitive. Returns <0, 0 or >0.
 */
export function compareValues(a: Value, b: Value): number {
  const x = toNumber(a);
  const y = toNumber(b);
  if (!Number.isNaN(x) && !Number.isNaN(y) && a !== null && b !== null) return x < y ? -1 : x > y ? 1 : 0;
  const s = toText(a);
  const t = toText(b);
  return s < t ? -1 : s > t ? 1 : 0;
}

export function valuesEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  return compareValues(a, b) === 0;
}

/** Splits a pipe array. A plain string is a one-element array; the empty string has no elements. */
export function pipeItems(v: Value): string[] {
  const s = toText(v);
  return s === '' ? [] : s.split('|');
}

/** Sets an own property even for names like `__proto__`, which plain assignment would not. */
export function setOwn(o: Record<string, unknown>, key: string, value: unknown): void {
  // Only `__proto__` is an accessor on Object.prototype; every other name assigns as an own property.
  if (key === '__proto__') Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
}

/**
 * A plain JSON-able rendering for hosts (`program.run()` results, `--print-vars`): scalars as
 * their text, dynamic objects as nested objects/arrays.
 */
export function toPlain(v: Value, depth = 0): unknown {
  if (v instanceof Dyn) {
    if (depth > 64) return '{Dynamic}';
    if (v.isArray) return (v.items as Value[]).map((x) => toPlain(x, depth + 1));
    const o: Record<string, unknown> = {};
    const m = v.members;
    const large = m.large;
    if (large !== undefined) for (const [k, x] of large) setOwn(o, k, toPlain(x, depth + 1));
    else for (let i = 0; i < m.size; i++) setOwn(o, m.keyAt(i), toPlain(m.valueAt(i), depth + 1));
    if (v.items !== undefined) o['$items'] = v.items.map((x) => toPlain(x, depth + 1));
    return o;
  }
  return toText(v);
}

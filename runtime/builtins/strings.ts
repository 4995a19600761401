// Text built-ins. Positions and lengths count Unicode characters (code points), 1-based.
import { SnipError } from '../errors.js';
import { Dyn, SnipDate, toNumber, valuesEqual, type Value } from '../values.js';
import { formatDate } from '../dates.js';
import { capText, chars, int, invalid, str } from './args.js';
import { formatNumberPattern } from './number-format.js';
import type { BuiltinImpl } from './types.js';

function length(s: string): number {
  return chars(s)?.length ?? s.length;
}

function slice(s: string, start: number, end?: number): string {
  const cs = chars(s);
  return cs ? cs.slice(start, end).join('') : s.slice(start, end);
}

/** The 1-based character position of `find` in `s`, 0 when absent. */
export function positionOf(s: string, find: string): number {
  const at = s.indexOf(find);
  if (at < 0) return 0;
  return length(s.slice(0, at)) + 1;
}

export const STRING_IMPLS: Record<string, BuiltinImpl> = {
  left: ([s, n]) => {
    const k = int('left', n, 'count');
    return k <= 0 ? '' : slice(str(s), 0, k);
  },
  right: ([s, n]) => {
    const k = int('right', n, 'count');
    const t = str(s);
    const len = length(t);
    return k <= 0 ? '' : k >= len ? t : slice(t, len - k);
  },
  mid: ([s, start, len]) => {
    const from = int('mid', start, 'start');
    if (from < 1) invalid('mid', `start must be 1 or more (got ${from})`);
    if (len === undefined) return slice(str(s), from - 1);
    const k = int('mid', len, 'length');
    if (k < 0) invalid('mid', `length must be 0 or more (got ${k})`);
    return slice(str(s), from - 1, from - 1 + k);
  },
  length: ([s]) => length(str(s)),
  replace: ([s, find, by], ctx) => {
    const t = str(s);
    const f = str(find);
    if (f === '') return t;
    return capText('replace', t.split(f).join(str(by)), ctx);
  },
  upper: ([s], ctx) => capText('upper', str(s).toUpperCase(), ctx),
  lower: ([s], ctx) => capText('lower', str(s).toLowerCase(), ctx),
  trim: ([s]) => str(s).trim(),
  ltrim: ([s]) => str(s).trimStart(),
  rtrim: ([s]) => str(s).trimEnd(),
  contains: ([v, find]) => {
    if (v instanceof Dyn) {
      if (v.isArray) return v.items!.some((x) => !(x instanceof Dyn) && valuesEqual(x, find ?? null));
      return v.members.has(str(find));
    }
    return str(v).includes(str(find));
  },
  beginswith: ([s, p]) => str(s).startsWith(str(p)),
  endswith: ([s, p]) => str(s).endsWith(str(p)),
  format: ([v, f], ctx) => {
    const fmt = str(f);
    if (v instanceof SnipDate) return capText('format', formatDate(v, fmt), ctx);
    const n = typeof v === 'number' ? v : toNumber(v ?? null);
    if (Number.isNaN(n) || v === null || v === '') return str(v);
    return capText('format', formatNumberPattern(n, fmt), ctx);
  },
  char: ([c]) => {
    const code = int('char', c, 'code');
    if (code < 0 || code > 0x10ffff) invalid('char', `code ${code} is not a Unicode code point (0 to 1114111)`);
    return String.fromCodePoint(code);
  },
  asc: ([s]) => {
    const t = str(s);
    if (t === '') invalid('asc', 'the text is empty');
    return t.codePointAt(0)!;
  },
  append: ([v, more], ctx): Value => {
    if (v instanceof Dyn) {
      (v.items ??= []).push(more ?? null);
      return v;
    }
    return capText('append', str(v) + str(more), ctx);
  },
  throw: ([m]) => {
    const text = str(m);
    throw new SnipError('SNIP3013', text === '' ? 'Error raised by throw()' : text);
  },
};

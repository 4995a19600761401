// Array built-ins over pipe arrays (text) and dynamic arrays, 1-based.
import { checkIndex, elementsOf, readElement } from '../arrays.js';
import { Dyn, pipeItems, toText, valuesEqual } from '../values.js';
import { capText, invalid, str } from './args.js';
import { positionOf } from './strings.js';
import type { BuiltinImpl } from './types.js';

export const ARRAY_IMPLS: Record<string, BuiltinImpl> = {
  size: ([v]) => {
    if (v instanceof Dyn) return v.items !== undefined ? v.items.length : 1;
    if (v === null || v === undefined) return 0;
    return pipeItems(v).length;
  },
  count: ([v]) => {
    if (v instanceof Dyn) return v.isArray ? v.items!.length : v.members.size;
    if (v === null || v === undefined) return 0;
    return pipeItems(v).length;
  },
  index: ([v, i], ctx) => readElement(v ?? null, checkIndex(i ?? null, ctx.limits)),
  indexof: ([v, find]) => {
    const target = find ?? null;
    if (v instanceof Dyn || (typeof v === 'string' && v.includes('|'))) {
      const items = elementsOf(v);
      const at = items.findIndex((x) => !(x instanceof Dyn) && valuesEqual(x, target));
      return at + 1;
    }
    const f = str(target);
    return f === '' ? 0 : positionOf(str(v), f);
  },
  split: ([s, sep], ctx) => {
    const d = str(sep);
    if (d === '') invalid('split', 'the separator is empty');
    const t = str(s);
    return t === '' ? '' : capText('split', t.split(d).join('|'), ctx);
  },
  join: ([v, sep], ctx) => capText('join', elementsOf(v ?? null).map(toText).join(str(sep)), ctx),
};

// Dynamic-object built-ins: JSON/XML text in and out, and member access by name.
import { SnipError } from '../errors.js';
import { parseJsonToDyn, toJsonText } from '../json.js';
import { parseXmlToDyn, toXmlText } from '../xml.js';
import { Dyn, type Value } from '../values.js';
import { invalid, str } from './args.js';
import type { BuiltinImpl } from './types.js';

function object(fn: string, v: Value | undefined): Dyn {
  if (!(v instanceof Dyn)) invalid(fn, 'the first argument is not a dynamic object');
  return v;
}

export const DYNAMIC_IMPLS: Record<string, BuiltinImpl> = {
  asjson: ([v], ctx) => toJsonText(v ?? null, ctx.limits),
  asxml: ([v], ctx) => toXmlText(v ?? null, ctx.limits),
  parsejson: ([t], ctx) => parseJsonToDyn(str(t), ctx.limits.maxDynamicBytes),
  parsexml: ([t], ctx) => parseXmlToDyn(str(t), ctx.limits.maxDynamicBytes),
  getvalue: ([o, k]) => (o instanceof Dyn ? (o.members.get(str(k)) ?? null) : null),
  setvalue: ([o, k, v]) => {
    const d = object('setvalue', o);
    const key = str(k);
    if (key === '__type') throw new SnipError('SNIP3009', "The member name '__type' is reserved for JSON parsing");
    if (key === '') invalid('setvalue', 'the member name is empty');
    d.members.set(key, v ?? null);
    return d;
  },
  remove: ([o, k]) => {
    const d = object('remove', o);
    d.members.delete(str(k));
    return d;
  },
  keys: ([o]) => (o instanceof Dyn ? [...o.members.keys()].join('|') : ''),
  containskey: ([o, k]) => o instanceof Dyn && o.members.has(str(k)),
};

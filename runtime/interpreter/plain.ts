// Host values in: plain JSON (run inputs, `--input`, `--inputs FILE.json`) to Snippet values.
import { Dyn, type Value } from '../values.js';

/** Strings, numbers, booleans and null as they are; arrays and objects as dynamic objects. */
export function valueFromPlain(v: unknown, depth = 0): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (depth > 64) return null;
  if (Array.isArray(v)) {
    const d = new Dyn();
    d.items = v.map((x) => valueFromPlain(x, depth + 1));
    return d;
  }
  if (typeof v === 'object') {
    const d = new Dyn();
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) d.members.set(k, valueFromPlain(x, depth + 1));
    return d;
  }
  return String(v);
}


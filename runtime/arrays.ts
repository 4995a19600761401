// Array elements: pipe-delimited text arrays and dynamic arrays, 1-based, with the documented
// 63,000,000 index limit. Writing past the end pads with empty elements.
import { SnipError } from './errors.js';
import { Dyn, formatNumber, pipeItems, toNumber, toText, type Value } from './values.js';

/** Limits the element functions need (a subset of the run limits). */
export interface ArrayLimits {
  maxArrayIndex: number;
  maxStringSize: number;
  maxDynamicBytes: number;
}

/** A valid 1-based index, or a runtime error (documented text for the upper bound). */
export function checkIndex(v: Value, limits: ArrayLimits): number {
  const n = typeof v === 'number' ? v : toNumber(v);
  if (!Number.isInteger(n) || n < 1) {
    throw new SnipError('SNIP3019', `Array index must be a whole number of 1 or more (got '${toText(v)}')`);
  }
  if (n > limits.maxArrayIndex) {
    throw new SnipError(
      'SNIP3006',
      `Array index out of bounds. The current array index (${formatNumber(n)}) exceeds the maximum allowed index (${formatNumber(limits.maxArrayIndex)}).`,
    );
  }
  return n;
}

/**
 * Element `index` (1-based) of a value: a dynamic array's item, a pipe array's text, or empty
 * past the end. A dynamic object that is not an array is a one-element array (itself).
 */
export function readElement(container: Value, index: number): Value {
  if (container instanceof Dyn) {
    if (container.items !== undefined) return container.items[index - 1] ?? null;
    return index === 1 ? container : null;
  }
  if (typeof container === 'string' && container.indexOf('|') < 0) return index === 1 && container !== '' ? container : '';
  const items = pipeItems(container);
  return items[index - 1] ?? '';
}

/** The elements of a value for FOREACH (see docs/language.md). */
export function elementsOf(v: Value): Value[] {
  if (v === null) return [];
  if (v instanceof Dyn) return v.items !== undefined ? v.items.slice() : [v];
  if (typeof v === 'object') return [v];
  return pipeItems(v);
}

/** The text of a pipe array after writing `value` at `index`, padding with empty elements. */
export function writePipeElement(container: Value, index: number, value: Value, limits: ArrayLimits): string {
  const text = toText(value);
  const current = container === null ? '' : toText(container);
  // Checked before padding so a huge index never builds a huge string.
  if (index - 1 + text.length > limits.maxStringSize) tooLong(index, limits);
  const items = pipeItems(current);
  while (items.length < index) items.push('');
  items[index - 1] = text;
  const out = items.join('|');
  if (out.length > limits.maxStringSize) tooLong(index, limits);
  return out;
}

function tooLong(index: number, limits: ArrayLimits): never {
  throw new SnipError(
    'SNIP3005',
    `String too long: writing element ${index} would exceed the maximum string size (${limits.maxStringSize})`,
  );
}

/** Stores `value` at `index` of a dynamic array, padding with empty (null) elements. */
export function writeDynElement(container: Dyn, index: number, value: Value, limits: ArrayLimits): void {
  const items = (container.items ??= []);
  if (index > items.length + 1 && index > limits.maxDynamicBytes) {
    throw new SnipError(
      'SNIP3016',
      `Dynamic object too large: element ${index} would exceed the dynamic object size limit (${limits.maxDynamicBytes} bytes)`,
    );
  }
  while (items.length < index - 1) items.push(null);
  items[index - 1] = value;
}

/** The dynamic object at `index`, created when the slot is empty (`obj.m[i].sub = ...`). */
export function dynElementForWrite(container: Dyn, index: number, limits: ArrayLimits): Dyn {
  const cur = container.items?.[index - 1];
  if (cur instanceof Dyn) return cur;
  if (cur !== undefined && cur !== null && cur !== '') {
    throw new SnipError('SNIP3001', `Element ${index} holds a value, not a dynamic object`);
  }
  const d = new Dyn();
  writeDynElement(container, index, d, limits);
  return d;
}

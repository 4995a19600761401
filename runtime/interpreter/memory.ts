// The run's memory budget (issue 9, item 7). Hot paths only add the size of what they create to a
// counter (Run.alloc); once that much has been allocated since the last look, the run measures what
// its variables actually hold, walking strings and dynamic objects with an explicit stack (deep
// chains cannot overflow it). Measuring after as many new bytes as were held keeps the walk's cost
// proportional to the allocation that triggered it; garbage (old values no variable holds) is free.
import { Dyn, SnipDate, type Value } from '../values.js';
import type { VariableStore } from './store.js';

/** Rough per-item overheads, so a million tiny members weigh what they cost the host. */
export const OBJECT_BYTES = 64;
export const MEMBER_BYTES = 40;
export const ELEMENT_BYTES = 8;
const DATE_BYTES = 16;

/**
 * Allocation between measurements when little is held: measuring is cheap, but not free (a run
 * that builds 10,000 ever longer strings allocates gigabytes of garbage). A run can overshoot its
 * budget by at most this much before it is stopped.
 */
export const MIN_MEASURE_GAP = 8 << 20;

/**
 * What a created value weighs for the allocation counter: a string's characters, a dynamic
 * object's shallow size (its members are counted when written or when measured).
 */
export function createdBytes(v: Value): number {
  if (typeof v === 'string') return v.length;
  if (v instanceof Dyn) return OBJECT_BYTES + MEMBER_BYTES * v.members.size + ELEMENT_BYTES * (v.items?.length ?? 0);
  return 0;
}

/** Bytes of every value the store's variables hold; a shared object counts once. Text counts a byte a character. */
export function heldBytes(store: VariableStore): number {
  let total = 0;
  // Most measurements find text only: the set and the stack are made on the first object.
  let seen: Set<Dyn> | undefined;
  let stack: Dyn[] | undefined;
  const add = (v: Value): void => {
    if (typeof v === 'string') total += v.length;
    else if (v instanceof Dyn) {
      seen ??= new Set();
      if (!seen.has(v)) {
        seen.add(v);
        (stack ??= []).push(v);
      }
    } else if (v instanceof SnipDate) total += DATE_BYTES;
  };
  store.forEachValue(add);
  while (stack !== undefined && stack.length > 0) {
    const d = stack.pop()!;
    total += OBJECT_BYTES;
    for (const [k, v] of d.members) {
      total += MEMBER_BYTES + k.length;
      add(v);
    }
    const items = d.items;
    if (items !== undefined) {
      total += ELEMENT_BYTES * items.length;
      for (let i = 0; i < items.length; i++) add(items[i]!);
    }
  }
  return total;
}

/** "64 MB" style, for messages. */
export function megabytes(n: number): string {
  const mb = n / (1 << 20);
  return `${mb >= 10 ? Math.round(mb) : Math.round(mb * 10) / 10} MB`;
}

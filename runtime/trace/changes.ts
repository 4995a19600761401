// The variables an action changed, at a cost proportional to what it touched rather than to every
// variable of the run (issue 12, item 3). The store reports each cell it hands out or writes while
// an action runs (`VariableStore.touched`); only those are rendered again and compared with their
// rendering after the previous action. Two cases reach further than the touched cells:
// - dynamic objects can be shared (a member of one is the value of another variable), so when an
//   action touched any variable holding one, every variable holding one is compared again;
// - a user function keeps the cells of the snippet that declared it and may run in a later action,
//   so the cells of a snippet that declared functions are compared after every later action.
// The result is the same list, in the same order, as comparing full snapshots before and after.
import type { Cell, VariableStore } from '../interpreter/store.js';
import { Dyn, toPlain, toText, type Value } from '../values.js';
import type { VariableChange } from './events.js';

/** A value's display text (display.ts: scalars as text, dynamic objects as compact JSON). */
interface Rendering {
  /** The value rendered: a scalar still identical to it has the same text (dates are immutable). */
  value: Value;
  text: string;
  dyn: boolean;
}

function render(v: Value): Rendering {
  return v instanceof Dyn ? { value: v, text: JSON.stringify(toPlain(v)), dyn: true } : { value: v, text: toText(v), dyn: false };
}

/** Sorts cells by creation order; an action touches a handful, so insertion sort for short lists. */
function byOrdinal(cells: Cell[]): void {
  if (cells.length > 16) {
    cells.sort((a, b) => a.ordinal - b.ordinal);
    return;
  }
  for (let i = 1; i < cells.length; i++) {
    const c = cells[i]!;
    let j = i - 1;
    while (j >= 0 && cells[j]!.ordinal > c.ordinal) {
      cells[j + 1] = cells[j]!;
      j--;
    }
    cells[j + 1] = c;
  }
}

/** Change tracking for one store during a traced run. */
export class ChangeLog {
  private readonly seen = new Map<Cell, Rendering>();
  private readonly dynCells = new Set<Cell>();
  private readonly sticky = new Set<Cell>();
  private readonly touched = new Set<Cell>();
  private functionCount: number;

  constructor(
    private readonly store: VariableStore,
    private readonly functions: { readonly size: number },
  ) {
    // The picture before the first action: whatever the host put in (inputs, a caller's globals).
    for (const c of store.allCells()) if (c.defined) this.remember(c, render(c.value));
    this.functionCount = functions.size;
    store.touched = this.touched;
  }

  /** Starts an action: forgets what the previous one touched. */
  begin(): void {
    this.touched.clear();
  }

  /** What changed since `begin()`, as display text (`old` null for a new variable), in creation order. */
  changes(): VariableChange[] {
    const candidates: Cell[] = [];
    let dyn = false;
    const anyDyn = this.dynCells.size > 0;
    for (const c of this.touched) {
      candidates.push(c);
      if (!dyn && (c.value instanceof Dyn || (anyDyn && this.dynCells.has(c)))) dyn = true;
    }
    if (this.sticky.size > 0) {
      for (const c of this.sticky) {
        if (this.touched.has(c)) continue;
        candidates.push(c);
        if (!dyn && (c.value instanceof Dyn || (anyDyn && this.dynCells.has(c)))) dyn = true;
      }
    }
    if (dyn) for (const c of this.dynCells) if (!this.touched.has(c) && !this.sticky.has(c)) candidates.push(c);
    const n = this.functions.size;
    if (n !== this.functionCount) {
      this.functionCount = n;
      for (const c of this.touched) this.sticky.add(c);
    }
    byOrdinal(candidates);
    const out: VariableChange[] = [];
    for (const c of candidates) {
      if (!c.defined) continue;
      const was = this.seen.get(c);
      if (was !== undefined && !was.dyn && was.value === c.value) continue;
      const now = render(c.value);
      if (was === undefined) out.push({ name: c.name, old: null, new: now.text });
      else if (was.text !== now.text) out.push({ name: c.name, old: was.text, new: now.text });
      this.remember(c, now);
    }
    return out;
  }

  /** Stops recording in the store (the run or subscript ended). */
  close(): void {
    if (this.store.touched === this.touched) this.store.touched = undefined;
  }

  private remember(c: Cell, r: Rendering): void {
    this.seen.set(c, r);
    if (r.dyn) this.dynCells.add(c);
    else this.dynCells.delete(c);
  }
}

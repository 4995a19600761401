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

/** The renderings one level of the trace last reported, and which of them were dynamic objects. */
class View {
  readonly seen = new Map<Cell, Rendering>();
  readonly dynCells = new Set<Cell>();

  remember(c: Cell, r: Rendering): void {
    this.seen.set(c, r);
    if (r.dyn) this.dynCells.add(c);
    else this.dynCells.delete(c);
  }
}

/**
 * Change tracking for one store during a traced run: per action (`changes`) and, at
 * `--trace=statements`, per statement (`statementChanges`), each against what it reported last.
 */
export class ChangeLog {
  private readonly actions = new View();
  /** Statement-level renderings, when statements are traced. */
  private readonly statements: View | undefined;
  private readonly sticky = new Set<Cell>();
  private readonly touched = new Set<Cell>();
  private functionCount: number;

  constructor(
    private readonly store: VariableStore,
    private readonly functions: { readonly size: number },
    withStatements = false,
  ) {
    if (withStatements) this.statements = new View();
    // The picture before the first action: whatever the host put in (inputs, a caller's globals).
    for (const c of store.allCells()) {
      if (!c.defined) continue;
      const r = render(c.value);
      this.actions.remember(c, r);
      this.statements?.remember(c, r);
    }
    this.functionCount = functions.size;
    store.touched = this.touched;
  }

  /** Starts an action: forgets what the previous one touched. */
  begin(): void {
    this.touched.clear();
  }

  /** What changed since `begin()`, as display text (`old` null for a new variable), in creation order. */
  changes(): VariableChange[] {
    const candidates = this.candidates(this.actions);
    const out = this.compare(this.actions, candidates);
    // Statement renderings follow what happened outside statements too (an action's own writes),
    // so the next statement compares with the state at its action's start, as a snapshot would.
    const st = this.statements;
    if (st !== undefined) {
      for (const c of candidates) {
        if (!c.defined) continue;
        // The action's rendering is current: made just now, or its scalar value is unchanged.
        const r = this.actions.seen.get(c)!;
        if (st.seen.get(c) !== r) st.remember(c, r);
      }
    }
    return out;
  }

  /**
   * What changed since the previous statement of this action (or since the action started), as
   * display text, in creation order. Only the cells the action reached can have changed, widened
   * as for actions; the cost follows what the snippet touches, not every variable of the run.
   */
  statementChanges(): VariableChange[] {
    const st = this.statements;
    if (st === undefined) return [];
    return this.compare(st, this.candidates(st));
  }

  /** Stops recording in the store (the run or subscript ended). */
  close(): void {
    if (this.store.touched === this.touched) this.store.touched = undefined;
  }

  private candidates(view: View): Cell[] {
    const candidates: Cell[] = [];
    let dyn = false;
    const dynCells = view.dynCells;
    const anyDyn = dynCells.size > 0;
    for (const c of this.touched) {
      candidates.push(c);
      if (!dyn && (c.value instanceof Dyn || (anyDyn && dynCells.has(c)))) dyn = true;
    }
    if (this.sticky.size > 0) {
      for (const c of this.sticky) {
        if (this.touched.has(c)) continue;
        candidates.push(c);
        if (!dyn && (c.value instanceof Dyn || (anyDyn && dynCells.has(c)))) dyn = true;
      }
    }
    if (dyn) for (const c of dynCells) if (!this.touched.has(c) && !this.sticky.has(c)) candidates.push(c);
    const n = this.functions.size;
    if (n !== this.functionCount) {
      this.functionCount = n;
      for (const c of this.touched) this.sticky.add(c);
    }
    byOrdinal(candidates);
    return candidates;
  }

  private compare(view: View, candidates: Cell[]): VariableChange[] {
    const out: VariableChange[] = [];
    for (const c of candidates) {
      if (!c.defined) continue;
      const was = view.seen.get(c);
      if (was !== undefined && !was.dyn && was.value === c.value) continue;
      const now = render(c.value);
      if (was === undefined) out.push({ name: c.name, old: null, new: now.text });
      else if (was.text !== now.text) out.push({ name: c.name, old: was.text, new: now.text });
      view.remember(c, now);
    }
    return out;
  }
}

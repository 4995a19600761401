// The script-wide variable store: case-insensitive names that keep their first spelling, shared by
// every SNIPPET action of one run. Compiled code reads cells through resolved slots, never by name.
import type { Value } from '../values.js';
import { Dyn, toPlain, toText, setOwn } from '../values.js';
import type { VariableChange } from '../trace/events.js';

/** One variable. `defined` turns true on first assignment or first read (reads create null). */
export class Cell {
  /** Creation order within the store (trace changes are listed in this order). */
  ordinal = 0;
  constructor(
    public name: string,
    public value: Value = null,
    public defined = false,
  ) {}
}

/** A rendering of every defined variable at one moment, for "variables changed old -> new". */
export type VariableSnapshot = ReadonlyMap<string, { name: string; text: string; plain: unknown }>;

function renderForDiff(v: Value): { text: string; plain: unknown } {
  const plain = toPlain(v);
  return { text: v instanceof Dyn ? JSON.stringify(plain) : (plain as string), plain };
}

/** Dynamic objects of at most this many values (all levels) convert eagerly in `toPlainOnRead`. */
const EAGER_NODES = 64;

/** `budget` less the values in `d` (all levels), or -1 once it runs out (counting stops there). */
function fitsIn(d: Dyn, budget: number): number {
  budget -= d.members.size + (d.items?.length ?? 0);
  if (budget < 0) return -1;
  const m = d.members;
  const large = m.large;
  if (large !== undefined) {
    for (const v of large.values()) if (v instanceof Dyn && (budget = fitsIn(v, budget)) < 0) return -1;
  } else {
    // Indexed: no iterator object per object counted (this runs at the end of every run).
    for (let i = 0; i < m.size; i++) {
      const v = m.valueAt(i);
      if (v instanceof Dyn && (budget = fitsIn(v, budget)) < 0) return -1;
    }
  }
  if (d.items !== undefined) for (const v of d.items) if (v instanceof Dyn && (budget = fitsIn(v, budget)) < 0) return -1;
  return budget;
}

/** Variables of one run. Names are case-insensitive; `$`-suffixed names always hold text. */
export class VariableStore {
  private readonly cells = new Map<string, Cell>();
  /**
   * While a trace records changes: every cell handed out or written (trace/changes.ts). Compiled code
   * reaches a variable only through a cell it resolved here, so nothing else can have changed.
   */
  touched: Set<Cell> | undefined = undefined;

  /** The cell for `name`, created (undefined, null) when missing: compiled code resolves slots here. */
  cell(name: string): Cell {
    const key = name.toLowerCase();
    let c = this.cells.get(key);
    if (c === undefined) {
      c = new Cell(name);
      c.ordinal = this.cells.size;
      this.cells.set(key, c);
    }
    this.touched?.add(c);
    return c;
  }

  has(name: string): boolean {
    return this.cells.get(name.toLowerCase())?.defined === true;
  }

  /** The value, or undefined when the variable was never assigned nor read. */
  get(name: string): Value | undefined {
    const c = this.cells.get(name.toLowerCase());
    if (c !== undefined) this.touched?.add(c);
    return c?.defined ? c.value : undefined;
  }

  /** Assigns (creating the variable with this spelling when new). */
  set(name: string, value: Value): void {
    const c = this.cell(name);
    if (!c.defined) {
      c.defined = true;
      c.name = name;
    }
    c.value = name.endsWith('$') && typeof value !== 'string' ? toText(value) : value;
  }

  /** Calls `f` with the value of every variable (for the memory budget; cheaper than `entries`). */
  forEachValue(f: (v: Value) => void): void {
    for (const c of this.cells.values()) f(c.value);
  }

  /** Defined variables as `[spelling, value]`, in creation order. */
  entries(): [string, Value][] {
    const out: [string, Value][] = [];
    for (const c of this.cells.values()) if (c.defined) out.push([c.name, c.value]);
    if (this.touched !== undefined) for (const c of this.cells.values()) this.touched.add(c);
    return out;
  }

  /** Every cell, defined or not, in creation order (trace/changes.ts takes its first picture here). */
  allCells(): IterableIterator<Cell> {
    return this.cells.values();
  }

  snapshot(): VariableSnapshot {
    const m = new Map<string, { name: string; text: string; plain: unknown }>();
    for (const [key, c] of this.cells) if (c.defined) m.set(key, { name: c.name, ...renderForDiff(c.value) });
    return m;
  }

  /** What changed since `before` (new variables have `old` undefined). Values as plain renderings. */
  diff(before: VariableSnapshot): VariableChange[] {
    const out: VariableChange[] = [];
    for (const [key, c] of this.cells) {
      if (!c.defined) continue;
      const now = renderForDiff(c.value);
      const was = before.get(key);
      if (was === undefined) out.push({ name: c.name, old: undefined, new: now.plain });
      else if (was.text !== now.text) out.push({ name: c.name, old: was.plain, new: now.plain });
    }
    return out;
  }

  /**
   * Like `toPlain`, for a store nobody changes any more: dynamic objects are converted when first
   * read (a host reading one variable of a run does not pay for every object the script built).
   */
  toPlainOnRead(): Record<string, unknown> {
    const o: Record<string, unknown> = {};
    for (const c of this.cells.values()) {
      if (!c.defined) continue;
      const value = c.value;
      const name = c.name;
      // Scalars and small objects convert now: an accessor per variable costs more than they do.
      if (!(value instanceof Dyn) || fitsIn(value, EAGER_NODES) >= 0) {
        setOwn(o, name, toPlain(value));
        continue;
      }
      const settle = (v: unknown): void => {
        Object.defineProperty(o, name, { value: v, enumerable: true, writable: true, configurable: true });
      };
      Object.defineProperty(o, name, {
        enumerable: true,
        configurable: true,
        get() {
          const v = toPlain(value);
          settle(v);
          return v;
        },
        set: settle,
      });
    }
    return o;
  }

  /** Every defined variable as plain JSON: scalars as text, dynamic objects as objects/arrays. */
  toPlain(): Record<string, unknown> {
    const o: Record<string, unknown> = {};
    for (const c of this.cells.values()) if (c.defined) setOwn(o, c.name, toPlain(c.value));
    return o;
  }
}

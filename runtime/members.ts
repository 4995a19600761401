// The member store of a dynamic object (issue 12: "the member store allocates less"). Most objects
// a script builds are small and hold text (request payloads, headers, parsed JSON records): a
// `Map` costs each of them a hash table sized for growth. Here names and values sit in one array,
// interleaved in insertion order, grown in steps; a small object is searched by a scan, and an
// index of names is built only once an object outgrows the scan. Same behaviour as the `Map` it
// replaces: insertion order, a name set again keeps its place, case-sensitive names.
import type { Value } from './values.js';

/** Objects with at most this many members are searched by scanning (cheaper than hashing for so few). */
const SCAN_LIMIT = 8;
/** Slots of a first allocation: four members (names and values interleaved), what most objects hold. */
const FIRST_SLOTS = 8;

/** Member names to values, in insertion order; the `Map` interface, with index access for hot loops. */
export class Members implements Map<string, Value> {
  /** Names at even positions, values at odd ones; undefined until the first member. */
  private slots: (string | Value)[] | undefined = undefined;
  private count = 0;
  /** Name -> member position, once the object outgrew the scan. */
  private index: Map<string, number> | undefined = undefined;

  get size(): number {
    return this.count;
  }

  get [Symbol.toStringTag](): string {
    return 'Members';
  }

  /** The name of member `i` (0 <= i < size), in insertion order. */
  keyAt(i: number): string {
    return this.slots![2 * i] as string;
  }

  /** The value of member `i` (0 <= i < size), in insertion order. */
  valueAt(i: number): Value {
    return this.slots![2 * i + 1] as Value;
  }

  private find(key: string): number {
    if (this.index !== undefined) return this.index.get(key) ?? -1;
    const s = this.slots;
    if (s === undefined) return -1;
    for (let i = 0, j = 0; i < this.count; i++, j += 2) if (s[j] === key) return i;
    return -1;
  }

  get(key: string): Value | undefined {
    const i = this.find(key);
    return i < 0 ? undefined : (this.slots![2 * i + 1] as Value);
  }

  has(key: string): boolean {
    return this.find(key) >= 0;
  }

  set(key: string, value: Value): this {
    const i = this.find(key);
    if (i >= 0) {
      this.slots![2 * i + 1] = value;
      return this;
    }
    const n = this.count;
    let s = this.slots;
    if (s === undefined) s = this.slots = new Array<string | Value>(FIRST_SLOTS);
    else if (2 * n + 2 > s.length) {
      const grown = new Array<string | Value>(s.length * 2);
      for (let j = 0; j < 2 * n; j++) grown[j] = s[j]!;
      s = this.slots = grown;
    }
    s[2 * n] = key;
    s[2 * n + 1] = value;
    this.count = n + 1;
    if (this.index !== undefined) this.index.set(key, n);
    else if (n + 1 > SCAN_LIMIT) this.reindex();
    return this;
  }

  delete(key: string): boolean {
    const i = this.find(key);
    if (i < 0) return false;
    const s = this.slots!;
    const n = this.count;
    for (let j = 2 * i; j < 2 * n - 2; j++) s[j] = s[j + 2]!;
    // Drop the references the last two slots held.
    s[2 * n - 2] = null;
    s[2 * n - 1] = null;
    this.count = n - 1;
    if (this.index !== undefined) this.reindex();
    return true;
  }

  clear(): void {
    this.slots = undefined;
    this.count = 0;
    this.index = undefined;
  }

  private reindex(): void {
    if (this.count <= SCAN_LIMIT) {
      this.index = undefined;
      return;
    }
    const index = new Map<string, number>();
    for (let i = 0; i < this.count; i++) index.set(this.slots![2 * i] as string, i);
    this.index = index;
  }

  forEach(callback: (value: Value, key: string, map: Map<string, Value>) => void, thisArg?: unknown): void {
    for (let i = 0; i < this.count; i++) callback.call(thisArg, this.valueAt(i), this.keyAt(i), this);
  }

  *entries(): MapIterator<[string, Value]> {
    for (let i = 0; i < this.count; i++) yield [this.keyAt(i), this.valueAt(i)];
  }

  *keys(): MapIterator<string> {
    for (let i = 0; i < this.count; i++) yield this.keyAt(i);
  }

  *values(): MapIterator<Value> {
    for (let i = 0; i < this.count; i++) yield this.valueAt(i);
  }

  [Symbol.iterator](): MapIterator<[string, Value]> {
    return this.entries();
  }
}

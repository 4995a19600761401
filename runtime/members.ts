// The member store of a dynamic object (issue 12: "the member store allocates less"). Most objects
// a script builds are small and hold text (request payloads, headers, parsed JSON records): a
// `Map` costs each of them a hash table sized for growth. Here a small object keeps names and
// values interleaved in one array, in insertion order, and is searched by a scan; an object that
// outgrows the scan moves to a `Map` (which keeps insertion order too). Same behaviour as the `Map`
// it replaces: insertion order, a name set again keeps its place, case-sensitive names.
import type { Value } from './values.js';

/** Objects with at most this many members are searched by scanning (cheaper than hashing for so few). */
const SCAN_LIMIT = 8;
/** Slots of a first allocation: four members (names and values interleaved), what most objects hold. */
const FIRST_SLOTS = 8;

/** Member names to values, in insertion order: the `Map` interface, and `each` for hot loops. */
export class Members implements Map<string, Value> {
  /** A small object: names at even positions, values at odd ones; undefined until the first member. */
  private slots: (string | Value)[] | undefined = undefined;
  private count = 0;
  /** A large object: every member here instead (slots undefined). */
  private map: Map<string, Value> | undefined = undefined;

  get size(): number {
    return this.map !== undefined ? this.map.size : this.count;
  }

  get [Symbol.toStringTag](): string {
    return 'Members';
  }

  /** A large object's members (iterate it), or undefined for a small one (use `keyAt`/`valueAt`). */
  get large(): ReadonlyMap<string, Value> | undefined {
    return this.map;
  }

  /** Small objects only (`large` undefined): the name of member `i`, 0 <= i < size. */
  keyAt(i: number): string {
    return this.slots![2 * i] as string;
  }

  /** Small objects only (`large` undefined): the value of member `i`, 0 <= i < size. */
  valueAt(i: number): Value {
    return this.slots![2 * i + 1] as Value;
  }

  /** Calls `f` with each member in insertion order until it returns false. */
  each(f: (key: string, value: Value) => boolean | void): void {
    if (this.map !== undefined) {
      for (const [k, v] of this.map) if (f(k, v) === false) return;
      return;
    }
    const s = this.slots;
    for (let j = 0; j < 2 * this.count; j += 2) if (f(s![j] as string, s![j + 1] as Value) === false) return;
  }

  private find(key: string): number {
    const s = this.slots;
    if (s === undefined) return -1;
    for (let i = 0, j = 0; i < this.count; i++, j += 2) if (s[j] === key) return i;
    return -1;
  }

  get(key: string): Value | undefined {
    if (this.map !== undefined) return this.map.get(key);
    const i = this.find(key);
    return i < 0 ? undefined : (this.slots![2 * i + 1] as Value);
  }

  has(key: string): boolean {
    return this.map !== undefined ? this.map.has(key) : this.find(key) >= 0;
  }

  set(key: string, value: Value): this {
    if (this.map !== undefined) {
      this.map.set(key, value);
      return this;
    }
    const i = this.find(key);
    if (i >= 0) {
      this.slots![2 * i + 1] = value;
      return this;
    }
    const n = this.count;
    if (n === SCAN_LIMIT) {
      const map = new Map<string, Value>();
      this.each((k, v) => void map.set(k, v));
      map.set(key, value);
      this.map = map;
      this.slots = undefined;
      this.count = 0;
      return this;
    }
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
    return this;
  }

  delete(key: string): boolean {
    if (this.map !== undefined) return this.map.delete(key);
    const i = this.find(key);
    if (i < 0) return false;
    const s = this.slots!;
    const n = this.count;
    for (let j = 2 * i; j < 2 * n - 2; j++) s[j] = s[j + 2]!;
    // Drop the references the last two slots held.
    s[2 * n - 2] = null;
    s[2 * n - 1] = null;
    this.count = n - 1;
    return true;
  }

  clear(): void {
    this.slots = undefined;
    this.count = 0;
    this.map = undefined;
  }

  forEach(callback: (value: Value, key: string, map: Map<string, Value>) => void, thisArg?: unknown): void {
    this.each((k, v) => void callback.call(thisArg, v, k, this));
  }

  *entries(): MapIterator<[string, Value]> {
    if (this.map !== undefined) {
      yield* this.map.entries();
      return;
    }
    for (let i = 0; i < this.count; i++) yield [this.slots![2 * i] as string, this.slots![2 * i + 1] as Value];
  }

  // Straight from the slots: going through entries() would make a pair per member.
  *keys(): MapIterator<string> {
    if (this.map !== undefined) {
      yield* this.map.keys();
      return;
    }
    for (let i = 0; i < this.count; i++) yield this.slots![2 * i] as string;
  }

  *values(): MapIterator<Value> {
    if (this.map !== undefined) {
      yield* this.map.values();
      return;
    }
    for (let i = 0; i < this.count; i++) yield this.slots![2 * i + 1] as Value;
  }

  [Symbol.iterator](): MapIterator<[string, Value]> {
    return this.entries();
  }
}

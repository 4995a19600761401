// Giving memory back after a load. Under many connections V8 promotes short-lived run objects (they
// outlive a scavenge while their run waits on the upstream) and grows the old generation; once the
// load is over nothing holds that memory (heapUsed after a full GC is what it was before), but V8
// returns it only at a full collection, which its memory reducer may or may not start on its own.
// So: once no run has started for `idleMs` and none is in flight, one full GC, when the heap grew
// since the last one. Never during a load; at most once per idle period. The pause (tens of ms on a
// heap of a few hundred MB) falls on an idle service: a request arriving in it waits that long.
// The price comes after: a full collection (this one, a plain gc(), or V8's own memory reducer)
// also drops optimized code, so the first few hundred runs after it are slower (measured: up to
// 4x the CPU, about 0.8 s of CPU in all) until V8 has optimized them again. Hence a long default
// quiet time (config `idleGcMs`, 30 s): the load must be over, not pausing.
//
// The collection: V8's "collect all available garbage" through an in-process inspector session
// (`HeapProfiler.collectGarbage`, node:inspector, no flag and no port). It is the memory-reducing
// kind: it compacts every page and releases the freed ones, where a plain full GC (`gc()` of
// --expose-gc) compacts only the most fragmented pages and leaves most of the grown heap mapped.
// Measured on Node 20 after a 200-connection load: gc() took heapUsed back but left heapTotal at
// 147 MB and RSS at 1.48x; the inspector's collection brings both back to the size before the load.
// Without an inspector in this node build, the plain GC (`globalThis.gc`, or the one V8 installs in
// a new context while --expose-gc is set for that moment) is the fallback.
import inspector from 'node:inspector';
import v8 from 'node:v8';
import vm from 'node:vm';

/** A full, memory-reducing collection; resolves when it is done. */
export type Collect = () => Promise<void>;

/**
 * The best collection this node offers, or undefined when it offers none.
 *
 * Each collection opens its own session and closes it after the answer, outside the answer's
 * callback: the callback runs while V8's heap profiler agent holds its lock, and disconnecting
 * there waits on that lock forever (seen on Node 20: the whole process hangs).
 */
export function fullGcFunction(): Collect | undefined {
  if (process.features.inspector) {
    return async () => {
      const session = new inspector.Session();
      try {
        session.connect();
        await new Promise<void>((resolve) => session.post('HeapProfiler.collectGarbage', () => resolve()));
      } catch {
        // No collection this time (for example another agent refused the session): nothing to undo.
      } finally {
        await new Promise((r) => setImmediate(r));
        try {
          session.disconnect();
        } catch {
          // Already closed.
        }
      }
    };
  }
  const plain = plainGc();
  return plain ? async () => plain() : undefined;
}

function plainGc(): (() => void) | undefined {
  const given = (globalThis as { gc?: unknown }).gc;
  if (typeof given === 'function') return given as () => void;
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
}

/** A collection is worth it when the heap grew by this much since the last one (or since the start). */
const MIN_GROWTH_BYTES = 8 * 1024 * 1024;

export interface IdleCompactorOptions {
  /** Quiet time before the collection, in ms. */
  idleMs: number;
  /** Runs started so far (any counter that moves with work). */
  started: () => number;
  /** Runs in flight now. */
  inFlight: () => number;
  /** Told after each collection, with the heap before and after (bytes) and the pause (ms). */
  onCollect?: (e: { heapBefore: number; heapAfter: number; ms: number }) => void;
  /** The collection (tests); `fullGcFunction()` by default. */
  gc?: Collect;
  /** Heap size in bytes (tests); V8's total heap size by default. */
  heapSize?: () => number;
}

/**
 * Watches for the end of a load (a timer, unref'd: it never keeps the process up) and then collects
 * once. Runs pay nothing: the timer reads the run counter; no per-run call.
 */
export class IdleCompactor {
  private timer: NodeJS.Timeout | undefined;
  private lastCount: number;
  private lastChange = performance.now();
  private dirty = false;
  private baseline: number;
  private readonly gc: Collect | undefined;
  private collecting = false;
  private readonly heapSize: () => number;
  /** Collections done (tests, metrics). */
  collections = 0;

  constructor(private readonly o: IdleCompactorOptions) {
    this.gc = o.gc ?? fullGcFunction();
    this.heapSize = o.heapSize ?? (() => v8.getHeapStatistics().total_heap_size);
    this.lastCount = o.started();
    this.baseline = this.heapSize();
  }

  /** Whether a GC function was found (false: `start` does nothing). */
  get available(): boolean {
    return this.gc !== undefined;
  }

  start(): void {
    if (this.gc === undefined || this.timer !== undefined) return;
    // Checks a few times per idle period: the collection comes between 1 and 1.25 idle periods
    // after the last run started.
    this.timer = setInterval(() => void this.tick(), Math.max(50, Math.min(1000, Math.floor(this.o.idleMs / 4))));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One check (the timer's; tests call it directly). Resolves when a collection it started ended. */
  async tick(now = performance.now()): Promise<void> {
    const n = this.o.started();
    if (n !== this.lastCount) {
      this.lastCount = n;
      this.lastChange = now;
      this.dirty = true;
      return;
    }
    if (this.collecting || !this.dirty || this.o.inFlight() > 0 || now - this.lastChange < this.o.idleMs) return;
    this.dirty = false;
    const before = this.heapSize();
    // V8 may have shrunk the heap on its own since: measure growth from there.
    if (before < this.baseline) this.baseline = before;
    if (before < this.baseline + MIN_GROWTH_BYTES) return;
    this.collecting = true;
    const t = performance.now();
    try {
      await this.gc!();
    } finally {
      this.collecting = false;
    }
    const after = this.heapSize();
    this.baseline = after;
    this.collections++;
    this.o.onCollect?.({ heapBefore: before, heapAfter: after, ms: performance.now() - t });
  }
}

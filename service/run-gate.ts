// Admission for runs: at most N at once in the process and M per tenant; beyond that a bounded FIFO
// queue; beyond the queue the caller is refused (429 with Retry-After). A queued run whose request
// gave up (client gone, cancelled) leaves the queue without taking a slot.
import { ServiceError } from './errors.js';

interface Waiter {
  tenant: string;
  resolve(release: () => void): void;
  reject(e: unknown): void;
}

export class RunGate {
  private running = 0;
  private readonly byTenant = new Map<string, number>();
  private readonly queue: Waiter[] = [];

  constructor(
    private readonly max: number,
    private readonly maxPerTenant: (tenant: string) => number,
    private readonly maxQueue: number,
  ) {}

  get inFlight(): number {
    return this.running;
  }

  get queued(): number {
    return this.queue.length;
  }

  /**
   * Waits for a slot of `tenant`; resolves with the function that frees it.
   * @throws ServiceError SNIP6011 (429) when the queue is full; SNIP6023 when `signal` aborts first.
   */
  acquire(tenant: string, signal?: AbortSignal): Promise<() => void> {
    if (this.fits(tenant) && this.queue.length === 0) return Promise.resolve(this.take(tenant));
    if (this.queue.length >= this.maxQueue) {
      return Promise.reject(new ServiceError(429, 'SNIP6011', 'too many runs in progress; try again shortly', { 'retry-after': '1' }));
    }
    return new Promise((resolve, reject) => {
      const w: Waiter = { tenant, resolve, reject };
      this.queue.push(w);
      signal?.addEventListener(
        'abort',
        () => {
          const i = this.queue.indexOf(w);
          if (i >= 0) {
            this.queue.splice(i, 1);
            reject(new ServiceError(409, 'SNIP6023', 'the run was cancelled before it started'));
          }
        },
        { once: true },
      );
    });
  }

  private fits(tenant: string): boolean {
    return this.running < this.max && (this.byTenant.get(tenant) ?? 0) < this.maxPerTenant(tenant);
  }

  private take(tenant: string): () => void {
    this.running++;
    this.byTenant.set(tenant, (this.byTenant.get(tenant) ?? 0) + 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.running--;
      this.byTenant.set(tenant, (this.byTenant.get(tenant) ?? 1) - 1);
      this.pump();
    };
  }

  /** Starts queued runs that fit now, oldest first (a tenant at its cap does not block others). */
  private pump(): void {
    for (let i = 0; i < this.queue.length && this.running < this.max; ) {
      const w = this.queue[i]!;
      if (this.fits(w.tenant)) {
        this.queue.splice(i, 1);
        w.resolve(this.take(w.tenant));
      } else i++;
    }
  }
}

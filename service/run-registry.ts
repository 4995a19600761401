// Run records: what GET /v1/runs/{id} reads and DELETE cancels. Bounded by count and age; a record
// leaves only once its run ended (running runs are bounded by the run gate instead).
import { randomUUID } from 'node:crypto';
import type { RunError } from '../runtime/errors.js';
import type { TraceEvent } from '../runtime/trace/events.js';

export type RunStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

/** A run as the API shows it. */
export interface RunView {
  id: string;
  script: string;
  status: RunStatus;
  requestId: string;
  createdAt: string;
  finishedAt?: string;
  outputs?: Record<string, unknown>;
  error?: { code: string; message: string };
  trace?: TraceEvent[];
}

export interface RunRecord {
  view: RunView;
  tenant: string;
  controller: AbortController;
  /** Settles when the run ended (whatever the outcome). */
  done: Promise<void>;
  createdMs: number;
}

/**
 * Where run views also go so that every worker can read them (PostgreSQL: `PgRunArchive`). The
 * registry keeps the live records (controllers, promises) in memory either way.
 */
export interface RunArchive {
  save(tenant: string, view: RunView): Promise<void>;
  load(tenant: string, id: string): Promise<RunView | undefined>;
}

export class RunRegistry {
  private readonly runs = new Map<string, RunRecord>();

  constructor(
    private readonly maxRecords: number,
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
    private readonly archive?: RunArchive,
    /** Told when the archive could not save a view (the run itself is not affected). */
    private readonly onArchiveError: (e: unknown) => void = () => undefined,
  ) {}

  /**
   * Registers a run and starts `done`. With an archive, `announce` (async runs) saves the accepted
   * view first, so another worker can answer GET at once; a sync run's caller waits for the outcome
   * anyway, so it is saved once, when it ended (one write per run instead of two).
   */
  create(tenant: string, script: string, requestId: string, done: (record: RunRecord) => Promise<void>, announce = true): RunRecord {
    this.prune();
    const t = this.now();
    const record: RunRecord = {
      view: { id: randomUUID(), script, status: 'queued', requestId, createdAt: new Date(t).toISOString() },
      tenant,
      controller: new AbortController(),
      done: Promise.resolve(),
      createdMs: t,
    };
    this.runs.set(record.view.id, record);
    const archive = this.archive;
    if (!archive) {
      record.done = done(record);
      return record;
    }
    // The accepted view, then the final one once the run ended (in that order, so a slow first
    // write never overwrites the outcome). `done` settles after the final write was tried.
    const accepted = announce ? archive.save(tenant, { ...record.view }).catch(this.onArchiveError) : undefined;
    record.done = done(record).then(async () => {
      await accepted;
      await archive.save(tenant, record.view).catch(this.onArchiveError);
    });
    return record;
  }

  /** Like `get`, then the archive (a run of another worker); undefined when neither knows it. */
  async find(tenant: string, id: string): Promise<RunView | undefined> {
    return this.get(tenant, id)?.view ?? (await this.archive?.load(tenant, id));
  }

  /** The record when it belongs to `tenant`; another tenant's run is as unknown as a missing one. */
  get(tenant: string, id: string): RunRecord | undefined {
    const r = this.runs.get(id);
    return r && r.tenant === tenant ? r : undefined;
  }

  /** Records whose run has not ended. */
  active(): RunRecord[] {
    return [...this.runs.values()].filter((r) => !ended(r.view.status));
  }

  get size(): number {
    return this.runs.size;
  }

  /**
   * Drops ended runs past their age, then the oldest ended ones past the count. The map keeps
   * creation order, so the walk stops at the first record that is young enough while under the
   * count: a prune costs the old records, not all of them.
   */
  prune(): void {
    const cutoff = this.now() - this.maxAgeMs;
    for (const [id, r] of this.runs) {
      if (r.createdMs >= cutoff && this.runs.size < this.maxRecords) break;
      if (ended(r.view.status)) this.runs.delete(id);
    }
  }
}

export function ended(s: RunStatus): boolean {
  return s === 'completed' || s === 'failed' || s === 'cancelled';
}

/** A runtime error as the API shows it (code and message only: no file paths of this machine). */
export function publicError(e: RunError | undefined): { code: string; message: string } | undefined {
  return e ? { code: e.code, message: e.message } : undefined;
}

// Run records in PostgreSQL (table runs): each run's view is written when it is accepted and when
// it ends, so any worker can answer GET /v1/runs/{id} for a run another worker ran. Records older
// than the configured age are deleted (at most once a minute per worker). Views are already masked
// by the executor: no secret or token reaches this table.
import type { RunArchive, RunView } from '../run-registry.js';
import type { Database } from './database.js';

export class PgRunArchive implements RunArchive {
  private lastPrune = 0;

  constructor(
    private readonly db: Database,
    private readonly maxAgeMs: number,
  ) {}

  async save(tenant: string, view: RunView): Promise<void> {
    await this.db.query(
      `INSERT INTO runs (id, tenant, script, status, view, created_at, finished_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, view = EXCLUDED.view, finished_at = EXCLUDED.finished_at`,
      [view.id, tenant, view.script, view.status, view, view.createdAt, view.finishedAt ?? null],
    );
    if (Date.now() - this.lastPrune > 60_000) {
      this.lastPrune = Date.now();
      await this.db.query(`DELETE FROM runs WHERE created_at < now() - make_interval(secs => $1) AND finished_at IS NOT NULL`, [this.maxAgeMs / 1000]);
    }
  }

  async load(tenant: string, id: string): Promise<RunView | undefined> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return undefined;
    const r = await this.db.query<{ view: RunView }>('SELECT view FROM runs WHERE id = $1 AND tenant = $2', [id, tenant]);
    return r.rows[0]?.view;
  }
}

// The service's PostgreSQL database: one pg Pool per process, transactions, and the line between
// "the database is unreachable" (503 SNIP6030 with Retry-After: the caller may try again, nothing
// was written) and every other error. The pool reconnects by itself once the server is back, so
// the service recovers without a restart; `ready()` is what /readyz and the write gates ask.
import pg from 'pg';
import { ServiceError } from '../errors.js';

/** How long a caller is told to wait before trying again while the database is down. */
export const RETRY_AFTER_SECONDS = 2;

/** Options of `Database`. */
export interface DatabaseOptions {
  /** `postgres://user@host:port/db`. */
  url: string;
  /** Connections per process (default 10). */
  max?: number;
  /** How long to wait for a connection before calling the database unavailable (default 3 s). */
  connectTimeoutMs?: number;
  /** Told about connection-level errors (never with credentials: see `describeDbError`). */
  onError?: (message: string) => void;
}

// Connection-level failures (refused, reset, server shutting down, no connection in time): the
// request can be retried later. SQLSTATE class 08 is "connection exception".
const DOWN_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN', '57P01', '57P02', '57P03', '53300']);
const DOWN_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|connection error|not queryable|Connection ended|the database system is (starting up|shutting down)/i;

/** Whether `e` says the database cannot be reached (as opposed to a query that failed). */
export function isUnavailable(e: unknown): boolean {
  if (e instanceof ServiceError) return e.code === 'SNIP6030';
  const err = e as { code?: unknown; message?: unknown };
  const code = typeof err?.code === 'string' ? err.code : '';
  if (DOWN_CODES.has(code) || code.startsWith('08')) return true;
  return typeof err?.message === 'string' && DOWN_MESSAGES.test(err.message);
}

/** 503 SNIP6030 with Retry-After: what a request gets while the database is down. */
export function unavailable(): ServiceError {
  return new ServiceError(503, 'SNIP6030', 'the database is unavailable; nothing was changed, try again shortly', { 'retry-after': String(RETRY_AFTER_SECONDS) });
}

/** A database error as a safe one-line text: its code only, never a connection string. */
export function describeDbError(e: unknown): string {
  const err = e as { code?: unknown; message?: unknown };
  const code = typeof err?.code === 'string' ? err.code : 'error';
  const msg = typeof err?.message === 'string' ? err.message.replace(/postgres(ql)?:\/\/\S+/g, 'postgres://***') : '';
  return `${code}${msg ? `: ${msg}` : ''}`;
}

/** A query runner: the database, or a client inside a transaction. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

/** The pool, transactions and readiness. */
export class Database implements Queryable {
  readonly pool: pg.Pool;
  private lastOk = 0;
  private probing: Promise<boolean> | undefined;

  constructor(private readonly options: DatabaseOptions) {
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.max ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 3000,
      idleTimeoutMillis: 10_000,
      // A dead server must not hang a request forever on a half-open socket.
      query_timeout: 30_000,
      application_name: 'snip-serve',
    });
    // An idle client losing its server emits here; without a listener it would crash the process.
    this.pool.on('error', (e) => options.onError?.(`database connection lost: ${describeDbError(e)}`));
  }

  toJSON(): Record<string, never> {
    return {};
  }

  /**
   * Runs one query; a connection-level failure becomes 503 SNIP6030.
   * @throws ServiceError SNIP6030 when the database cannot be reached.
   */
  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    try {
      const r = await this.pool.query<R>(text, values);
      this.lastOk = Date.now();
      return r;
    } catch (e) {
      throw this.translate(e);
    }
  }

  /**
   * Runs `work` in one transaction: all of it commits or none (a failure, or the server going away
   * before COMMIT, rolls everything back).
   * @throws ServiceError SNIP6030 when the database cannot be reached; else what `work` threw.
   */
  async tx<T>(work: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw this.translate(e);
    }
    let broken: unknown;
    // A checked-out client has no listener of the pool's: a server going away between two
    // statements would otherwise be an unhandled 'error' event, which ends the process.
    const onLost = (e: unknown) => {
      broken = e;
      this.lastOk = 0;
    };
    client.on('error', onLost);
    try {
      await client.query('BEGIN');
      const out = await work(client);
      await client.query('COMMIT');
      this.lastOk = Date.now();
      return out;
    } catch (e) {
      if (isUnavailable(e)) broken = e;
      else await client.query('ROLLBACK').catch((r: unknown) => (broken = r));
      throw this.translate(e);
    } finally {
      client.off('error', onLost);
      // A client whose connection broke is dropped, not handed to the next caller.
      client.release(broken instanceof Error ? broken : broken !== undefined);
    }
  }

  /** Whether the database answers now (one `SELECT 1` shared by concurrent callers). */
  async ready(): Promise<boolean> {
    this.probing ??= this.pool
      .query('SELECT 1')
      .then(
        () => {
          this.lastOk = Date.now();
          return true;
        },
        () => false,
      )
      .finally(() => (this.probing = undefined));
    return this.probing;
  }

  /**
   * Gate for new runs and admin writes: passes at once when the database answered within
   * `freshMs`, else probes it.
   * @throws ServiceError SNIP6030 when it does not answer.
   */
  async ensureReady(freshMs = 1000): Promise<void> {
    if (Date.now() - this.lastOk < freshMs) return;
    if (!(await this.ready())) throw unavailable();
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private translate(e: unknown): unknown {
    if (e instanceof ServiceError) return e;
    if (isUnavailable(e)) {
      this.lastOk = 0;
      this.options.onError?.(`database unavailable: ${describeDbError(e)}`);
      return unavailable();
    }
    return e;
  }
}

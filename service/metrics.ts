// Prometheus metrics of one service instance, in their own registry (two services in one process,
// as in tests, do not share counters). Labels are tenant, script, connection and status names:
// never a value from a request body, a secret or a token.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class ServiceMetrics {
  readonly registry = new Registry();
  readonly runs = new Counter({ name: 'snip_runs_total', help: 'Runs finished, by tenant, script and status', labelNames: ['tenant', 'script', 'status'] as const, registers: [this.registry] });
  readonly runDuration = new Histogram({
    name: 'snip_run_duration_seconds',
    help: 'Run duration from start (after queueing) to end',
    labelNames: ['tenant', 'script'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly upstream = new Counter({ name: 'snip_upstream_requests_total', help: 'Hub requests to upstreams, by tenant, connection and status (error: no response)', labelNames: ['tenant', 'connection', 'status'] as const, registers: [this.registry] });
  readonly tokenFetches = new Counter({ name: 'snip_upstream_token_fetches_total', help: 'Upstream OAuth token fetches and refreshes by the hub, by tenant and connection', labelNames: ['tenant', 'connection', 'kind'] as const, registers: [this.registry] });
  readonly tokensIssued = new Counter({ name: 'snip_tokens_issued_total', help: 'Access tokens issued by /1.0/token, by tenant', labelNames: ['tenant'] as const, registers: [this.registry] });
  readonly tokenRejected = new Counter({ name: 'snip_token_requests_rejected_total', help: 'Token requests refused, by reason', labelNames: ['reason'] as const, registers: [this.registry] });
  // Read from the run gate when scraped (no metric call per run); 0 when no gate is given.
  readonly inFlight: Gauge;
  readonly queueDepth: Gauge;
  readonly idleGc = new Counter({ name: 'snip_idle_gc_total', help: 'Full garbage collections after a load, once the service was idle (service/idle-gc.ts)', registers: [this.registry] });
  readonly refused = new Counter({ name: 'snip_runs_refused_total', help: 'Runs refused with 429 (queue full), by tenant', labelNames: ['tenant'] as const, registers: [this.registry] });

  /** Per tenant and script, the child metrics a run touches (see `of`). */
  private readonly perScript = new Map<string, ScriptMetrics>();

  constructor(defaults = false, gate?: { readonly inFlight: number; readonly queued: number }) {
    this.inFlight = new Gauge({
      name: 'snip_runs_in_flight',
      help: 'Runs executing now',
      registers: [this.registry],
      collect() {
        this.set(gate?.inFlight ?? 0);
      },
    });
    this.queueDepth = new Gauge({
      name: 'snip_run_queue_depth',
      help: 'Runs waiting for a slot',
      registers: [this.registry],
      collect() {
        this.set(gate?.queued ?? 0);
      },
    });
    if (defaults) collectDefaultMetrics({ register: this.registry, prefix: 'snip_' });
  }

  /**
   * The metrics of runs of `script` of `tenant`. prom-client hashes a label object on every
   * `inc({...})`; a run's hot path instead uses child metrics looked up once per label set and
   * kept here. Bounded by the tenants' scripts and connections (names from config and files, never
   * from a request body).
   */
  of(tenant: string, script: string): ScriptMetrics {
    const key = `${tenant}\u0000${script}`;
    let m = this.perScript.get(key);
    if (m === undefined) {
      m = new ScriptMetrics(this, tenant, script);
      this.perScript.set(key, m);
    }
    return m;
  }
}

type Child<T extends { labels(...v: string[]): unknown }> = ReturnType<T['labels']>;

/** Child metrics of one tenant and script, each label set resolved once. */
export class ScriptMetrics {
  private readonly byStatus = new Map<string, Child<Counter<'tenant' | 'script' | 'status'>>>();
  private readonly upstreamBy = new Map<string, Child<Counter<'tenant' | 'connection' | 'status'>>>();
  private readonly tokensBy = new Map<string, Child<Counter<'tenant' | 'connection' | 'kind'>>>();
  private readonly durationChild: Child<Histogram<'tenant' | 'script'>>;

  constructor(
    private readonly metrics: ServiceMetrics,
    private readonly tenant: string,
    private readonly script: string,
  ) {
    this.durationChild = metrics.runDuration.labels(tenant, script);
  }

  finished(status: string): void {
    let c = this.byStatus.get(status);
    if (c === undefined) {
      c = this.metrics.runs.labels(this.tenant, this.script, status);
      this.byStatus.set(status, c);
    }
    c.inc();
  }

  duration(seconds: number): void {
    this.durationChild.observe(seconds);
  }

  upstream(connection: string, status: string): void {
    const key = `${connection}\u0000${status}`;
    let c = this.upstreamBy.get(key);
    if (c === undefined) {
      c = this.metrics.upstream.labels(this.tenant, connection, status);
      this.upstreamBy.set(key, c);
    }
    c.inc();
  }

  tokenFetch(connection: string, kind: string): void {
    const key = `${connection}\u0000${kind}`;
    let c = this.tokensBy.get(key);
    if (c === undefined) {
      c = this.metrics.tokenFetches.labels(this.tenant, connection, kind);
      this.tokensBy.set(key, c);
    }
    c.inc();
  }
}

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
  readonly inFlight = new Gauge({ name: 'snip_runs_in_flight', help: 'Runs executing now', registers: [this.registry] });
  readonly queueDepth = new Gauge({ name: 'snip_run_queue_depth', help: 'Runs waiting for a slot', registers: [this.registry] });
  readonly refused = new Counter({ name: 'snip_runs_refused_total', help: 'Runs refused with 429 (queue full), by tenant', labelNames: ['tenant'] as const, registers: [this.registry] });

  constructor(defaults = false) {
    if (defaults) collectDefaultMetrics({ register: this.registry, prefix: 'snip_' });
  }
}

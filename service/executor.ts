// Runs one script of one tenant: admission through the run gate, a fresh HubServices over the
// tenant's store and token cache, the per-run dispatcher (request id, cancellation), the limits
// from config, and the metrics. Every message leaving here is masked by the run's hub.
import type { Dispatcher } from 'undici';
import { HttpClient } from '../runtime/hub/http.js';
import { HubServices } from '../runtime/hub/services.js';
import type { RunLimitsInput } from '../runtime/interpreter/limits.js';
import { runCompiledScript } from '../runtime/run-script.js';
import type { HubObservation } from '../runtime/flow/engine.js';
import type { TraceEvent, TraceLevel } from '../runtime/trace/events.js';
import type { RunError } from '../runtime/errors.js';
import type { ServiceMetrics } from './metrics.js';
import type { RunGate } from './run-gate.js';
import type { LoadedScript } from './script-registry.js';
import type { Tenant } from './tenants.js';
import { runDispatcher, type TlsAgents } from './upstream.js';
import { maskCredentials } from './token-store.js';

/** What one execution needs. */
export interface ExecuteRequest {
  tenant: Tenant;
  script: LoadedScript;
  inputs: Record<string, unknown>;
  /** `off` unless the caller asked for the trace. */
  traceLevel: TraceLevel;
  requestId: string;
  signal: AbortSignal;
  /** Told when the run got its slot and starts. */
  onStart?: () => void;
}

/** The outcome, already masked. */
export interface ExecuteResult {
  status: 'completed' | 'failed' | 'cancelled';
  outputs: Record<string, unknown>;
  error?: { code: string; message: string };
  trace?: (TraceEvent & { requestId: string })[];
}

export class Executor {
  /** Runs that got their slot so far (the idle compactor reads it: no per-run call). */
  started = 0;

  constructor(
    private readonly gate: RunGate,
    private readonly pool: Dispatcher,
    private readonly limits: RunLimitsInput,
    private readonly metrics: ServiceMetrics,
    /** Connections with a CA bundle or a client certificate share these agents across runs. */
    private readonly tlsAgents: TlsAgents,
  ) {}

  /** @throws ServiceError SNIP6011 (queue full) or SNIP6023 (cancelled while queued). */
  async execute(req: ExecuteRequest): Promise<ExecuteResult> {
    const { tenant, script } = req;
    // In-flight and queue gauges are read from the gate when scraped (metrics.ts).
    let release: () => void;
    try {
      release = await this.gate.acquire(tenant.name, req.signal);
    } catch (e) {
      if ((e as { status?: number }).status === 429) this.metrics.refused.inc({ tenant: tenant.name });
      throw e;
    }
    this.started++;
    req.onStart?.();
    const started = performance.now();
    // Every request of the run, TLS-configured connections included, carries the request id and
    // ends with the run's cancellation.
    const http = new HttpClient({
      dispatcher: runDispatcher(this.pool, req.requestId, req.signal),
      createDispatcher: (connect, tls) => runDispatcher(this.tlsAgents.get(connect, tls), req.requestId, req.signal),
    });
    const hub = new HubServices(tenant.store, { http, tokens: tenant.tokens });
    const pending = new Map<string, number>();
    const collected: (TraceEvent & { requestId: string })[] | undefined = req.traceLevel !== 'off' ? [] : undefined;
    const m = this.metrics.of(tenant.name, script.name);
    // Hub events feed the upstream metrics through `onHub`, so a run nobody asked to trace pays for
    // no trace (no masking of every action event, no change lists). Only the connection name, the
    // kind of event and the status code are read here: never a value.
    const onHub = (e: HubObservation) => {
      if (e.what === 'request') pending.set(e.connection, (pending.get(e.connection) ?? 0) + 1);
      else if (e.what === 'response' && pending.get(e.connection)) {
        pending.set(e.connection, pending.get(e.connection)! - 1);
        m.upstream(e.connection, /^\d{3}\b/.exec(e.detail)?.[0] ?? 'ok');
      } else if (e.what === 'token-fetch' || e.what === 'token-refresh') m.tokenFetch(e.connection, e.what);
    };
    try {
      const result = await runCompiledScript(
        script.compiled,
        {
          inputs: req.inputs,
          limits: this.limits,
          signal: req.signal,
          hub,
          masker: hub.mask,
          fileName: script.fileName,
          baseDir: tenant.config.scriptsDir,
          traceLevel: req.traceLevel,
          onHub,
          ...(collected ? { onTrace: (e: TraceEvent) => void collected.push({ ...e, requestId: req.requestId }) } : {}),
        },
        { mainFile: script.file },
      );
      for (const [conn, n] of pending) for (let i = 0; i < n; i++) m.upstream(conn, 'error');
      const status = req.signal.aborted ? 'cancelled' : result.error ? 'failed' : 'completed';
      const out: ExecuteResult = { status, outputs: status === 'completed' ? maskOutputs(result.outputs, hub.mask) : {} };
      if (result.error) out.error = maskError(result.error, hub.mask);
      if (collected) out.trace = collected;
      m.finished(status);
      return out;
    } finally {
      m.duration((performance.now() - started) / 1000);
      release();
      await hub.close().catch(() => undefined);
      await http.close().catch(() => undefined);
    }
  }
}

/**
 * Outputs with every secret and token the run handled masked (an upstream may echo one back), in one
 * walk over the string leaves (and keys): no JSON text made and parsed again per run. The outputs
 * object is answered as is when nothing needed masking, else a copy with only the masked parts new.
 */
export function maskOutputs(outputs: Record<string, unknown>, mask: (t: string) => string): Record<string, unknown> {
  const both = (t: string) => maskCredentials(mask(t));
  // The common case, nothing to mask, costs one pass of each expression over all the texts joined
  // (a match inside one text is a match in the joined text at the same place; NUL, which no secret
  // form here contains, keeps them apart). Anything found: the walk below masks text by text.
  const texts: string[] = [];
  if (collectTexts(outputs, texts, 0)) {
    const joined = texts.join('\u0000');
    if (both(joined) === joined) return outputs;
  }
  const masked = maskValue(outputs, both, 0);
  return masked === TOO_DEEP ? {} : (masked as Record<string, unknown>);
}

/** Every key and string of `v` into `out`; false when nested deeper than MAX_DEPTH. */
function collectTexts(v: unknown, out: string[], depth: number): boolean {
  if (typeof v === 'string') {
    if (v !== '') out.push(v);
    return true;
  }
  if (v === null || typeof v !== 'object') return true;
  if (depth >= MAX_DEPTH) return false;
  if (Array.isArray(v)) {
    for (const x of v) if (!collectTexts(x, out, depth + 1)) return false;
    return true;
  }
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    out.push(k);
    if (!collectTexts(o[k], out, depth + 1)) return false;
  }
  return true;
}

/** Outputs nested deeper than this answer nothing rather than risk an unmasked value. */
const MAX_DEPTH = 256;

/** An own property even for `__proto__` (a key from an upstream's JSON). */
function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}
const TOO_DEEP = Symbol('too deep');

function maskValue(v: unknown, mask: (t: string) => string, depth: number): unknown {
  if (typeof v === 'string') return v === '' ? v : mask(v);
  if (v === null || typeof v !== 'object') return v;
  if (depth >= MAX_DEPTH) return TOO_DEEP;
  if (Array.isArray(v)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const m = maskValue(v[i], mask, depth + 1);
      if (m === TOO_DEEP) return TOO_DEEP;
      if (m !== v[i]) (copy ??= v.slice())[i] = m;
    }
    return copy ?? v;
  }
  let copy: Record<string, unknown> | undefined;
  const src = v as Record<string, unknown>;
  for (const k of Object.keys(src)) {
    const m = maskValue(src[k], mask, depth + 1);
    if (m === TOO_DEEP) return TOO_DEEP;
    const mk = mask(k);
    if (m !== src[k] || mk !== k) {
      if (copy === undefined) {
        // Rebuilt in key order, so a renamed (masked) key keeps its place.
        copy = {};
        for (const before of Object.keys(src)) {
          if (before === k) break;
          setOwn(copy, before, src[before]);
        }
      }
    }
    if (copy !== undefined) setOwn(copy, mk, m);
  }
  return copy ?? v;
}

function maskError(e: RunError, mask: (t: string) => string): { code: string; message: string } {
  return { code: e.code, message: maskCredentials(mask(e.message)) };
}

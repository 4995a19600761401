// The per-run view of the shared upstream connection pool: every request a run's hub sends carries
// the run's `x-request-id`, and cancelling the run aborts requests in flight. One shared Agent, so
// runs reuse sockets and pay for no pool of their own.
//
// Why not `pool.compose(interceptor)`: compose answers a Proxy per run (every `dispatch` lookup goes
// through a trap) and wraps each request's handler twice (undici's WrapHandler for the new handler
// API, then its UnwrapHandler back to the old one inside the Agent), plus one abort listener per
// request. A run's view here is one small object; undici's request handler is wrapped once, in the
// handler API it already speaks, and the run's signal gets one listener for all its requests.
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { ConnectionOptions } from 'node:tls';
import { LRUCache } from 'lru-cache';
import { Agent, type Dispatcher } from 'undici';
import type { TlsSettings } from '../runtime/hub/http.js';

/** The handler shape undici's `request()` hands to `dispatch` (its RequestHandler). */
interface LegacyHandler {
  onConnect?(abort: (err?: Error) => void, context?: unknown): void;
  onHeaders?(statusCode: number, rawHeaders: Buffer[], resume: () => void, statusText: string): boolean;
  onData?(chunk: Buffer): boolean;
  onComplete?(trailers: string[] | null): void;
  onError?(err: Error): void;
  onUpgrade?(statusCode: number, headers: Buffer[] | string[] | null, socket: import('node:stream').Duplex): void;
  onResponseStarted?(): void;
  onBodySent?(chunk: unknown): void;
  onRequestSent?(): void;
  onRequestStart?: unknown;
}

type Abort = (err?: Error) => void;

/** Forwards every callback of one request; registers its abort with the run while it is in flight. */
class RunRequestHandler implements LegacyHandler {
  private abort: Abort | undefined;

  constructor(
    private readonly inner: LegacyHandler,
    private readonly run: RunDispatcher,
  ) {}

  onConnect(abort: Abort, context?: unknown): void {
    this.abort = abort;
    this.run.track(abort);
    this.inner.onConnect?.(abort, context);
  }
  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void, statusText: string): boolean {
    return this.inner.onHeaders?.(statusCode, rawHeaders, resume, statusText) ?? true;
  }
  onData(chunk: Buffer): boolean {
    return this.inner.onData?.(chunk) ?? true;
  }
  onComplete(trailers: string[] | null): void {
    this.untrack();
    this.inner.onComplete?.(trailers);
  }
  onError(err: Error): void {
    this.untrack();
    this.inner.onError?.(err);
  }
  onUpgrade(statusCode: number, headers: Buffer[] | string[] | null, socket: import('node:stream').Duplex): void {
    this.untrack();
    this.inner.onUpgrade?.(statusCode, headers, socket);
  }
  onResponseStarted(): void {
    this.inner.onResponseStarted?.();
  }
  onBodySent(chunk: unknown): void {
    this.inner.onBodySent?.(chunk);
  }
  onRequestSent(): void {
    this.inner.onRequestSent?.();
  }

  private untrack(): void {
    if (this.abort) this.run.untrack(this.abort);
    this.abort = undefined;
  }
}

/** The new-style handler API (an interceptor upstream of us): forwards, and aborts on the run's signal. */
class RunDispatchHandler implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;
  private readonly abort: Abort = (err) => this.controller?.abort(err ?? new Error('the run was cancelled'));

  constructor(
    private readonly inner: Dispatcher.DispatchHandler,
    private readonly run: RunDispatcher,
  ) {}

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.controller = controller;
    this.run.track(this.abort);
    this.inner.onRequestStart?.(controller, context);
  }
  onRequestUpgrade(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders, socket: import('node:stream').Duplex): void {
    this.run.untrack(this.abort);
    this.inner.onRequestUpgrade?.(controller, statusCode, headers, socket);
  }
  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders, statusMessage?: string): void {
    this.inner.onResponseStart?.(controller, statusCode, headers, statusMessage);
  }
  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.inner.onResponseData?.(controller, chunk);
  }
  onResponseEnd(controller: Dispatcher.DispatchController, trailers: IncomingHttpHeaders): void {
    this.run.untrack(this.abort);
    this.inner.onResponseEnd?.(controller, trailers);
  }
  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    this.run.untrack(this.abort);
    this.inner.onResponseError?.(controller, error);
  }
}

function withHeader(headers: Dispatcher.DispatchOptions['headers'], name: string, value: string): Dispatcher.DispatchOptions['headers'] {
  if (headers === undefined || headers === null) return { [name]: value };
  if (Array.isArray(headers)) return [...(headers as string[]), name, value];
  if (Symbol.iterator in Object(headers)) return [...(headers as Iterable<[string, string]>)].flat().concat([name, value]);
  return { ...(headers as Record<string, string>), [name]: value };
}

/**
 * One run's dispatcher: `dispatch` is all undici's `request()` calls on it (the hub's HttpClient
 * closes only dispatchers it built itself). Requests in flight are tracked so that the run's
 * signal, through a single listener, aborts them all.
 */
export class RunDispatcher {
  private readonly inFlight = new Set<Abort>();
  private listening = false;

  constructor(
    private readonly pool: Dispatcher,
    private readonly requestId: string,
    private readonly signal: AbortSignal,
  ) {}

  dispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const h = handler as LegacyHandler;
    const wrapped = h.onRequestStart ? new RunDispatchHandler(handler, this) : new RunRequestHandler(h, this);
    return this.pool.dispatch({ ...opts, headers: withHeader(opts.headers, 'x-request-id', this.requestId) }, wrapped as Dispatcher.DispatchHandler);
  }

  /** A request began: abort it at once if the run is already cancelled, else when it is. */
  track(abort: Abort): void {
    if (this.signal.aborted) {
      abort(new Error('the run was cancelled'));
      return;
    }
    this.inFlight.add(abort);
    if (!this.listening) {
      this.listening = true;
      this.signal.addEventListener('abort', () => this.abortAll(), { once: true });
    }
  }

  untrack(abort: Abort): void {
    this.inFlight.delete(abort);
  }

  /** The hub's client closes what its factory gave it: a run's view owns no sockets, so nothing to do. */
  close(): Promise<void> {
    return DONE;
  }

  destroy(): Promise<void> {
    return DONE;
  }

  private abortAll(): void {
    const all = [...this.inFlight];
    this.inFlight.clear();
    for (const a of all) a(new Error('the run was cancelled'));
  }
}

const DONE: Promise<void> = Promise.resolve();
const AGENT_OPTIONS = { keepAliveTimeout: 10_000, connections: 256 } as const;

/** One shared pool for every tenant's upstream calls. */
export function createUpstreamPool(): Agent {
  return new Agent(AGENT_OPTIONS);
}

/**
 * The shared agents of connections with their own TLS settings (a CA bundle, an mTLS client
 * certificate): one per distinct setting for the whole process, so runs reuse its sockets and TLS
 * sessions instead of a handshake per run. Keyed by a SHA-256 of the PEM texts (never the texts);
 * a connection view's settings object remembers its key, so a run hashes nothing. At most `max`
 * agents: the least recently used one is closed when another is needed.
 */
export class TlsAgents {
  private readonly agents: LRUCache<string, Agent>;
  private readonly keys = new WeakMap<TlsSettings, string>();

  constructor(max = 64) {
    this.agents = new LRUCache<string, Agent>({ max, dispose: (agent) => void agent.close().catch(() => undefined) });
  }

  /** The agent for `tls` (built from `connect` the first time). */
  get(connect: ConnectionOptions, tls: TlsSettings): Agent {
    let key = this.keys.get(tls);
    if (key === undefined) {
      key = createHash('sha256').update(JSON.stringify([tls.ca ?? '', tls.cert ?? '', tls.key ?? '', tls.passphrase ?? ''])).digest('base64url');
      this.keys.set(tls, key);
    }
    let agent = this.agents.get(key);
    if (agent === undefined) {
      agent = new Agent({ ...AGENT_OPTIONS, connect });
      this.agents.set(key, agent);
    }
    return agent;
  }

  get size(): number {
    return this.agents.size;
  }

  async close(): Promise<void> {
    const all = [...this.agents.values()];
    this.agents.clear();
    await Promise.all(all.map((a) => a.close().catch(() => undefined)));
  }
}

/** The dispatcher of one run: the shared pool plus its request id and cancellation. */
export function runDispatcher(pool: Dispatcher, requestId: string, signal: AbortSignal): Dispatcher {
  // Duck-typed: undici's request() only calls `dispatch` (see RunDispatcher).
  return new RunDispatcher(pool, requestId, signal) as unknown as Dispatcher;
}

// The per-run view of the shared upstream connection pool: every request a run's hub sends carries
// the run's `x-request-id`, and cancelling the run aborts requests in flight. Built as an undici
// interceptor over one shared Agent, so runs reuse sockets and pay for no pool of their own.
import type { IncomingHttpHeaders } from 'node:http';
import { Agent, type Dispatcher } from 'undici';

type Handler = Dispatcher.DispatchHandler;

function withHeader(headers: Dispatcher.DispatchOptions['headers'], name: string, value: string): Dispatcher.DispatchOptions['headers'] {
  if (headers === undefined || headers === null) return { [name]: value };
  if (Array.isArray(headers)) return [...(headers as string[]), name, value];
  if (Symbol.iterator in Object(headers)) return [...(headers as Iterable<[string, string]>)].flat().concat([name, value]);
  return { ...(headers as Record<string, string>), [name]: value };
}

/** Forwards every callback, and aborts the request when `signal` fires before it ended. */
class AbortableHandler implements Handler {
  private off: (() => void) | undefined;

  constructor(
    private readonly inner: Handler,
    private readonly signal: AbortSignal,
  ) {}

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    const abort = () => controller.abort(new Error('the run was cancelled'));
    if (this.signal.aborted) abort();
    else {
      this.signal.addEventListener('abort', abort, { once: true });
      this.off = () => this.signal.removeEventListener('abort', abort);
    }
    this.inner.onRequestStart?.(controller, context);
  }
  onRequestUpgrade(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders, socket: import('node:stream').Duplex): void {
    this.inner.onRequestUpgrade?.(controller, statusCode, headers, socket);
  }
  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders, statusMessage?: string): void {
    this.inner.onResponseStart?.(controller, statusCode, headers, statusMessage);
  }
  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.inner.onResponseData?.(controller, chunk);
  }
  onResponseEnd(controller: Dispatcher.DispatchController, trailers: IncomingHttpHeaders): void {
    this.off?.();
    this.inner.onResponseEnd?.(controller, trailers);
  }
  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    this.off?.();
    this.inner.onResponseError?.(controller, error);
  }
}

/** One shared pool for every tenant's upstream calls. */
export function createUpstreamPool(): Agent {
  return new Agent({ keepAliveTimeout: 10_000, connections: 256 });
}

/** The dispatcher of one run: the shared pool plus its request id and cancellation. */
export function runDispatcher(pool: Dispatcher, requestId: string, signal: AbortSignal): Dispatcher {
  return pool.compose((dispatch) => (opts, handler) =>
    dispatch({ ...opts, headers: withHeader(opts.headers, 'x-request-id', requestId) }, new AbortableHandler(handler, signal)),
  );
}

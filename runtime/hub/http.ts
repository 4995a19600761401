// The one module of the hub that sends HTTP. Everything goes through undici `request` with a
// dispatcher a host can inject; TLS verification stays on, a CA bundle and an mTLS client identity
// get their own Agent, one deadline covers authentication plus request, and bodies are capped.
import { EventEmitter } from 'node:events';
import { STATUS_CODES } from 'node:http';
import { request, Agent, type Dispatcher } from 'undici';
import { rootCertificates, type ConnectionOptions } from 'node:tls';
import { SnipError } from '../errors.js';
import type { Code } from '../../language/codes.js';
import { noMask, type Masker } from '../trace/events.js';

/** Default response size cap: 32 KB, as Studio's REST actions. */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024;

/** An HTTP failure with a stable code: timeout, connection, TLS, size. Messages are masked. */
export class HttpError extends SnipError {
  override name = 'HttpError';
  constructor(
    code: Code,
    message: string,
    /** The underlying error code (`ECONNREFUSED`, `DEPTH_ZERO_SELF_SIGNED_CERT`, ...), if any. */
    readonly causeCode?: string,
  ) {
    super(code, message);
  }
}

/** One time budget shared by every HTTP exchange of an operation (authentication + request). */
export class Deadline {
  readonly endsAt: number;
  constructor(
    /** The whole budget in milliseconds. */
    readonly budgetMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.endsAt = now() + budgetMs;
  }

  /** Milliseconds left, never negative. */
  remaining(): number {
    return Math.max(0, this.endsAt - this.now());
  }

  get expired(): boolean {
    return this.remaining() <= 0;
  }
}

/** TLS settings of a connection: extra trusted CAs and an optional client identity (mTLS). */
export interface TlsSettings {
  /** PEM bundle trusted in addition to the system CAs. */
  ca?: string;
  /** PEM client certificate (mTLS). */
  cert?: string;
  /** PEM private key of the client certificate. */
  key?: string;
  /** Passphrase of an encrypted private key. */
  passphrase?: string;
}

/** A request ready to go on the wire (secrets already substituted). */
export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | undefined;
}

/** What came back: status, headers and the whole body as text. */
export interface HttpResponse {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: string;
}

/** Per-send options. */
export interface SendOptions {
  /** The shared budget; a fresh one of `timeoutMs` when absent. */
  deadline?: Deadline;
  timeoutMs?: number;
  tls?: TlsSettings | undefined;
  /** Response size cap in bytes (default 32 KB). */
  maxResponseBytes?: number | undefined;
  /** Applied to every error message (URLs may hold substituted secrets). */
  mask?: Masker;
}

/** How the client gets dispatchers: the injected one, or one built per TLS setting. */
export interface HttpClientOptions {
  /** Used for every request without TLS settings (a host's pool or proxy); undici's global one otherwise. */
  dispatcher?: Dispatcher;
  /**
   * Builds the dispatcher for requests with a CA bundle or a client certificate. `tls` is the
   * connection's settings object, stable while its view is (a host may key a shared agent on it).
   */
  createDispatcher?: (connect: ConnectionOptions, tls: TlsSettings) => Dispatcher;
}

const DEFAULT_TIMEOUT_MS = 10_000;

// Socket and TLS codes that mean the peer was not reachable at all.
const CONNECT_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE',
  'UND_ERR_SOCKET', 'UND_ERR_CLOSED',
]);

/** Sends hub HTTP requests; one per hub or service, closed with `close()`. */
export class HttpClient {
  private readonly tlsDispatchers = new Map<string, Dispatcher>();

  constructor(private readonly options: HttpClientOptions = {}) {}

  /**
   * Sends one request within the deadline and reads at most `maxResponseBytes` of its body.
   * @throws HttpError SNIP4012 timeout, SNIP4013 connection failed, SNIP4014 TLS failed,
   *   SNIP4016 response too large.
   */
  async send(req: HttpRequest, opts: SendOptions = {}): Promise<HttpResponse> {
    const mask = opts.mask ?? noMask;
    const deadline = opts.deadline ?? new Deadline(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const max = opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    // Only errors name the target: described (and masked) when one happens.
    const target = (): string => describeTarget(req, mask);
    if (deadline.expired) throw timeoutError(deadline, target());

    // undici takes an EventEmitter as the abort signal: far cheaper to make than an AbortController.
    const abort = new EventEmitter() as EventEmitter & { aborted: boolean };
    abort.aborted = false;
    const timer = setTimeout(() => {
      abort.aborted = true;
      abort.emit('abort');
    }, deadline.remaining());
    try {
      const res = await request(req.url, {
        method: req.method.toUpperCase() as Dispatcher.HttpMethod,
        headers: req.headers ?? {},
        body: req.body === undefined || req.body === '' ? undefined : req.body,
        dispatcher: this.dispatcherFor(opts.tls),
        signal: abort,
      });
      // Destroying the body below emits an abort error; it is ours, not the caller's.
      res.body.on('error', () => undefined);
      const headers = flattenHeaders(res.headers);
      const declared = Number(headers['content-length']);
      if (Number.isFinite(declared) && declared > max) {
        res.body.destroy();
        throw tooLarge(max, target());
      }
      let body: string;
      if (headers['content-length'] !== undefined && Number.isInteger(declared) && declared >= 0) {
        // A declared length within the cap: the HTTP parser delivers exactly that many bytes or fails.
        // (bytes, not text(): text() drops a leading byte order mark, which the body keeps.)
        const bytes = await res.body.bytes();
        body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
      } else {
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of res.body) {
          size += (chunk as Buffer).length;
          if (size > max) {
            res.body.destroy();
            throw tooLarge(max, target());
          }
          chunks.push(chunk as Buffer);
        }
        body = Buffer.concat(chunks).toString('utf8');
      }
      return {
        status: res.statusCode,
        statusText: res.statusText || STATUS_CODES[res.statusCode] || '',
        headers,
        body,
      };
    } catch (e) {
      if (e instanceof HttpError) throw e;
      if (abort.aborted) throw timeoutError(deadline, target());
      throw classify(e, target(), mask);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes the agents this client built (not an injected dispatcher). */
  async close(): Promise<void> {
    const all = [...this.tlsDispatchers.values()];
    this.tlsDispatchers.clear();
    await Promise.all(all.map((d) => d.close()));
  }

  private dispatcherFor(tls: TlsSettings | undefined): Dispatcher | undefined {
    if (!tls || (!tls.ca && !tls.cert && !tls.key)) return this.options.dispatcher;
    const key = JSON.stringify([tls.ca ?? '', tls.cert ?? '', tls.key ?? '', tls.passphrase ?? '']);
    let d = this.tlsDispatchers.get(key);
    if (!d) {
      const connect: ConnectionOptions = { rejectUnauthorized: true };
      // Node replaces the system roots when `ca` is given; keep them so a bundle only adds trust.
      if (tls.ca) connect.ca = [...rootCertificates, tls.ca];
      if (tls.cert) connect.cert = tls.cert;
      if (tls.key) connect.key = tls.key;
      if (tls.passphrase) connect.passphrase = tls.passphrase;
      d = this.options.createDispatcher ? this.options.createDispatcher(connect, tls) : new Agent({ connect });
      this.tlsDispatchers.set(key, d);
    }
    return d;
  }
}

function describeTarget(req: HttpRequest, mask: Masker): string {
  let shown = req.url;
  try {
    const u = new URL(req.url);
    shown = `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    // An unparsable URL is shown as given (masked); undici reports it below.
  }
  return mask(`${req.method.toUpperCase()} ${shown}`);
}

function timeoutError(deadline: Deadline, target: string): HttpError {
  return new HttpError('SNIP4012', `${target}: no answer within the connection timeout of ${deadline.budgetMs} ms`);
}

function tooLarge(max: number, target: string): HttpError {
  return new HttpError('SNIP4016', `${target}: response is larger than the ${max}-byte limit`);
}

/** Maps undici/socket/TLS errors to our codes; the original code is kept as `causeCode`. */
function classify(e: unknown, target: string, mask: Masker): HttpError {
  const errs = e instanceof AggregateError ? e.errors : [e];
  const first = errs.find((x) => x && typeof x === 'object') as (Error & { code?: string; cause?: unknown }) | undefined;
  const inner = (first?.cause && typeof first.cause === 'object' ? first.cause : first) as (Error & { code?: string }) | undefined;
  const code = inner?.code ?? first?.code ?? '';
  const text = mask(inner?.message ?? first?.message ?? String(e));
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new HttpError('SNIP4012', `${target}: timed out (${text})`, code);
  }
  if (isTlsCode(code, text)) {
    return new HttpError('SNIP4014', `${target}: TLS handshake failed: ${text}`, code);
  }
  // TLS 1.3 servers reject a missing client certificate after the client's handshake finished, so
  // undici only sees the socket close before any byte of a response.
  const socket = (first as { socket?: { bytesRead?: number } } | undefined)?.socket;
  if (code === 'UND_ERR_SOCKET' && target.includes('https://') && socket?.bytesRead === 0) {
    return new HttpError('SNIP4014', `${target}: the server closed the TLS connection before answering (it may require a client certificate)`, code);
  }
  if (CONNECT_CODES.has(code)) {
    return new HttpError('SNIP4013', `${target}: connection failed: ${text}`, code);
  }
  if (code === 'UND_ERR_INVALID_ARG' || code === 'ERR_INVALID_URL' || e instanceof TypeError) {
    return new HttpError('SNIP4019', `${target}: invalid request: ${text}`, code);
  }
  return new HttpError('SNIP4013', `${target}: request failed: ${text}`, code || undefined);
}

function isTlsCode(code: string, message: string): boolean {
  return (
    code.startsWith('ERR_SSL') ||
    code.startsWith('ERR_TLS') ||
    code.includes('CERT') ||
    code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' ||
    code === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' ||
    code === 'ERR_OSSL_BAD_DECRYPT' ||
    code === 'ERR_OSSL_EVP_BAD_DECRYPT' ||
    /\b(ssl|tls) alert\b|certificate/i.test(message)
  );
}

function flattenHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

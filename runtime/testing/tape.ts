// The HTTP side of one case run. Replay (the default) answers through undici's MockAgent, with
// connecting to the network disabled: every request is matched against the case's cassette, and
// an unexpected or changed request fails the case with a diff. Record sends through the hub's own
// HTTP client to the real upstream and keeps each exchange for the cassette. Faults apply to both.
import { STATUS_CODES } from 'node:http';
import { MockAgent } from 'undici';
import { HttpClient, HttpError, type HttpRequest, type HttpResponse, type SendOptions } from '../hub/http.js';
import { findExchange, KEPT_RESPONSE_HEADERS, shownRequest, type CassetteRequest, type Exchange } from './cassette.js';
import { faultAnswer, faultError, type FaultPlan } from './faults.js';
import type { Placeholders } from './placeholders.js';

/** Request headers that transports add or change on their own: never recorded or compared. */
const TRANSPORT_HEADERS = new Set(['host', 'content-length', 'connection', 'keep-alive', 'transfer-encoding', 'user-agent', 'accept-encoding']);

interface RawExchange {
  request: HttpRequest;
  response?: HttpResponse;
  error?: 'timeout' | 'refused';
}

/** What one case's HTTP did. */
export class CaseTape {
  /** Requests that had no matching exchange in the cassette (replay), with their diffs. */
  readonly problems: { request: string; diff: string[] }[] = [];
  /** Cassette form of every request made, in order (replay and record). */
  readonly made: string[] = [];
  private readonly raw: RawExchange[] = [];
  private readonly used: boolean[];

  constructor(
    readonly placeholders: Placeholders,
    readonly faults: FaultPlan,
    private readonly recorded: readonly Exchange[],
  ) {
    this.used = recorded.map(() => false);
  }

  /** A live request in cassette form (placeholders in, transport headers out). */
  cassetteRequest(req: { method: string; url: string; headers?: Record<string, string>; body?: string | undefined }): CassetteRequest {
    const p = this.placeholders.apply;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers ?? {})) {
      const name = k.toLowerCase();
      if (!TRANSPORT_HEADERS.has(name)) headers[name] = p(v);
    }
    const out: CassetteRequest = { method: req.method.toUpperCase(), url: p(req.url) };
    if (Object.keys(headers).length > 0) out.headers = Object.fromEntries(Object.entries(headers).sort(([a], [b]) => a.localeCompare(b)));
    if (req.body !== undefined && req.body !== '') out.body = p(req.body);
    return out;
  }

  /**
   * The replay answer for a request, from a fault or the cassette.
   * @throws Error with a socket-level code for timeout/refused faults and unmatched requests.
   */
  answer(req: CassetteRequest): { status: number; headers: Record<string, string>; body: string } {
    const shown = shownRequest(req);
    this.made.push(shown);
    const fault = this.faults.take(shown);
    if (fault) {
      if (fault.kind !== 'status') throw faultError(fault);
      return faultAnswer(fault);
    }
    const found = findExchange(this.recorded, this.used, req);
    if (found.index === undefined) {
      this.problems.push({ request: shown, diff: found.diff });
      // Refused, as a server that is not there: the script takes OnError and the case fails.
      throw Object.assign(new Error(`no recorded exchange matches ${shown}`), { code: 'ECONNREFUSED' });
    }
    this.used[found.index] = true;
    const ex = this.recorded[found.index]!;
    if (ex.error) throw faultError({ request: shown, kind: ex.error });
    const r = ex.response ?? { status: 200 };
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.headers ?? {})) headers[k] = this.placeholders.expand(v);
    return { status: r.status, headers, body: this.placeholders.expand(r.body ?? '') };
  }

  /** Keeps a live exchange (record mode). */
  keep(ex: RawExchange): void {
    this.raw.push(ex);
    if (ex.response) this.placeholders.learnTokens(ex.response.body);
  }

  /**
   * The recorded exchanges in cassette form. Placeholders are applied at the end, when every token
   * of the run is known; `mask` (the hub's redactor) then hides anything sensitive left.
   */
  exchanges(mask: (t: string) => string): Exchange[] {
    const m = (t: string) => mask(this.placeholders.apply(t));
    return this.raw.map((ex) => {
      const req = this.cassetteRequest(ex.request);
      const request: CassetteRequest = { method: req.method, url: mask(req.url) };
      if (req.headers) request.headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, mask(v)]));
      if (req.body !== undefined) request.body = mask(req.body);
      if (ex.error) return { request, error: ex.error };
      const res = ex.response!;
      const headers: Record<string, string> = {};
      for (const k of KEPT_RESPONSE_HEADERS) if (res.headers[k] !== undefined) headers[k] = m(res.headers[k]!);
      return { request, response: { status: res.status, headers, body: m(res.body) } };
    });
  }

  /** Cassette entries never asked for during a replay. */
  unusedExchanges(): Exchange[] {
    return this.recorded.filter((_, i) => !this.used[i]);
  }
}

function headerRecord(h: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(h)) {
    for (let i = 0; i + 1 < h.length; i += 2) out[String(h[i])] = String(h[i + 1]);
  } else if (h && typeof h === 'object') {
    for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}

/**
 * A MockAgent that answers every origin from `tape` and refuses to connect anywhere: a replay
 * never reaches the network, even for a request the cassette does not know.
 */
export function replayAgent(tape: CaseTape): MockAgent {
  const agent = new MockAgent();
  agent.disableNetConnect();
  agent
    .get(() => true)
    .intercept({ path: () => true, method: () => true })
    .reply((opts) => {
      const url = new URL(opts.path, opts.origin).toString();
      const body = typeof opts.body === 'string' ? opts.body : opts.body instanceof Uint8Array ? Buffer.from(opts.body).toString('utf8') : undefined;
      const a = tape.answer(tape.cassetteRequest({ method: opts.method, url, headers: headerRecord(opts.headers), body }));
      return { statusCode: a.status, data: a.body, responseOptions: { headers: a.headers } };
    })
    .persist();
  return agent;
}

/** The hub HTTP client of a replayed case: every dispatcher it would use is the MockAgent. */
export function replayClient(agent: MockAgent): HttpClient {
  return new HttpClient({ dispatcher: agent, createDispatcher: () => agent });
}

/** The hub's HTTP client, keeping every exchange for the cassette and applying the case's faults. */
export class RecordingHttpClient extends HttpClient {
  constructor(private readonly tape: CaseTape) {
    super();
  }

  override async send(req: HttpRequest, opts: SendOptions = {}): Promise<HttpResponse> {
    const shown = shownRequest(this.tape.cassetteRequest(req));
    this.tape.made.push(shown);
    const fault = this.tape.faults.take(shown);
    if (fault) {
      const mask = opts.mask ?? ((t: string) => t);
      if (fault.kind === 'timeout') throw new HttpError('SNIP4012', mask(`${req.method} ${req.url}: timed out (injected by the test case)`), 'UND_ERR_HEADERS_TIMEOUT');
      if (fault.kind === 'refused') throw new HttpError('SNIP4013', mask(`${req.method} ${req.url}: connection failed (injected by the test case)`), 'ECONNREFUSED');
      const a = faultAnswer(fault);
      return { status: a.status, statusText: STATUS_CODES[a.status] ?? '', headers: a.headers, body: a.body };
    }
    try {
      const res = await super.send(req, opts);
      this.tape.keep({ request: req, response: res });
      return res;
    } catch (e) {
      if (e instanceof HttpError && (e.code === 'SNIP4012' || e.code === 'SNIP4013')) {
        this.tape.keep({ request: req, error: e.code === 'SNIP4012' ? 'timeout' : 'refused' });
      }
      throw e;
    }
  }
}

// Fault injection: a case asks for an upstream timeout, a refused connection or a given status
// (401, 429 with Retry-After, 5xx) for the requests whose cassette form (`METHOD url`) contains a
// text, so OnTimeout/OnError branches run without a server that misbehaves on cue.

/** One fault of a case. */
export interface Fault {
  /** Text looked for in the request's cassette form, e.g. `GET [[ INSTANCEURI ]]/agents` or `/oauth/token`. */
  request: string;
  kind: 'timeout' | 'refused' | 'status';
  /** For `status`: the status code, headers (e.g. `Retry-After`) and body of the answer. */
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** How many matching requests it hits (then the cassette answers); every one when absent. */
  times?: number;
}

/** A status answer a fault gives instead of the cassette. */
export interface FaultAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const KINDS = new Set(['timeout', 'refused', 'status']);

/** Checks the `faults` list of a case. @throws Error naming the field. */
export function parseFaults(v: unknown, where: string): Fault[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new Error(`${where} must be a list`);
  return v.map((f: unknown, i) => {
    const at = `${where}[${i}]`;
    if (typeof f !== 'object' || f === null || Array.isArray(f)) throw new Error(`${at} must be an object`);
    const o = f as Record<string, unknown>;
    if (typeof o.request !== 'string' || o.request === '') throw new Error(`${at}.request must name the request (text of 'METHOD url')`);
    if (typeof o.kind !== 'string' || !KINDS.has(o.kind)) throw new Error(`${at}.kind must be timeout, refused or status`);
    const out: Fault = { request: o.request, kind: o.kind as Fault['kind'] };
    if (o.kind === 'status') {
      if (typeof o.status !== 'number' || !Number.isInteger(o.status) || o.status < 100 || o.status > 599) throw new Error(`${at}.status must be an HTTP status code`);
      out.status = o.status;
    }
    if (o.headers !== undefined) {
      if (typeof o.headers !== 'object' || o.headers === null || Object.values(o.headers).some((x) => typeof x !== 'string')) {
        throw new Error(`${at}.headers must be an object of names to text`);
      }
      out.headers = o.headers as Record<string, string>;
    }
    if (o.body !== undefined) {
      if (typeof o.body !== 'string') throw new Error(`${at}.body must be text`);
      out.body = o.body;
    }
    if (o.times !== undefined) {
      if (typeof o.times !== 'number' || !Number.isInteger(o.times) || o.times < 1) throw new Error(`${at}.times must be a positive whole number`);
      out.times = o.times;
    }
    return out;
  });
}

/** The faults of one case run, counting how often each has fired. */
export class FaultPlan {
  private readonly used: number[];

  constructor(private readonly faults: readonly Fault[]) {
    this.used = faults.map(() => 0);
  }

  /** The fault for a request in cassette form (`METHOD url`), counted as fired; undefined if none. */
  take(shown: string): Fault | undefined {
    for (let i = 0; i < this.faults.length; i++) {
      const f = this.faults[i]!;
      if (!shown.includes(f.request)) continue;
      if (f.times !== undefined && this.used[i]! >= f.times) continue;
      this.used[i]!++;
      return f;
    }
    return undefined;
  }

  /** Faults that never fired: a case that names a request it never makes is probably wrong. */
  unused(): Fault[] {
    return this.faults.filter((_, i) => this.used[i] === 0);
  }
}

/**
 * The error a transport fault surfaces as, with the socket-level code undici would give, so the
 * hub's HTTP client classifies it like the real thing (timeout -> SNIP4012, refused -> SNIP4013).
 */
export function faultError(f: Fault): Error {
  if (f.kind === 'timeout') return Object.assign(new Error('Headers Timeout Error (injected by the test case)'), { code: 'UND_ERR_HEADERS_TIMEOUT' });
  return Object.assign(new Error('connect ECONNREFUSED (injected by the test case)'), { code: 'ECONNREFUSED' });
}

/** The answer of a `status` fault. */
export function faultAnswer(f: Fault): FaultAnswer {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(f.headers ?? {})) headers[k.toLowerCase()] = v;
  if (f.body !== undefined && headers['content-type'] === undefined) headers['content-type'] = /^\s*[{[]/.test(f.body) ? 'application/json' : 'text/plain';
  return { status: f.status ?? 500, headers, body: f.body ?? '' };
}

// The one HTTP call of the REST proxy, kept small so a host (the hub) can route it through its
// own HTTP layer later. undici request with a deadline, the run's abort signal and a size cap.
import { STATUS_CODES } from 'node:http';
import { request } from 'undici';

export interface ProxyRequest {
  url: string;
  method: string;
  headers: Record<string, string | string[]>;
  body: string | undefined;
  timeoutMs: number;
  maxBytes: number;
  signal: AbortSignal | undefined;
}

export interface ProxyResponse {
  status: number;
  statusText: string;
  body: string;
}

/** Why a request produced no usable response: timeout, run cancelled, too large, or network. */
export class ProxyFailure extends Error {
  constructor(
    readonly reason: 'timeout' | 'aborted' | 'too-large' | 'network',
    message: string,
  ) {
    super(message);
  }
}

/** Sends one request; resolves with status and body text, rejects with a ProxyFailure. */
export async function sendProxyRequest(req: ProxyRequest): Promise<ProxyResponse> {
  const deadline = AbortSignal.timeout(req.timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline;
  const why = (e: unknown): ProxyFailure => {
    if (e instanceof ProxyFailure) return e;
    if (req.signal?.aborted) return new ProxyFailure('aborted', 'The run was cancelled');
    if (deadline.aborted) return new ProxyFailure('timeout', `No response within ${req.timeoutMs / 1000} seconds`);
    return new ProxyFailure('network', e instanceof Error ? e.message : String(e));
  };
  try {
    const res = await request(req.url, { method: req.method, headers: req.headers, body: req.body, signal });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      const b = chunk as Buffer;
      size += b.length;
      if (size > req.maxBytes) {
        res.body.destroy();
        throw new ProxyFailure('too-large', `The response is larger than ${req.maxBytes} bytes`);
      }
      chunks.push(b);
    }
    return { status: res.statusCode, statusText: STATUS_CODES[res.statusCode] ?? '', body: Buffer.concat(chunks).toString('utf8') };
  } catch (e) {
    throw why(e);
  }
}

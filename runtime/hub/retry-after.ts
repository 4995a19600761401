// 429 Too Many Requests and 503 Service Unavailable with a Retry-After: retried once when the wait
// fits in what is left of the time budget, otherwise reported with the Retry-After named.
import type { Deadline, HttpResponse } from './http.js';

/** The wait a Retry-After header asks for, in ms (seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterMs(headers: Record<string, string>, now: number = Date.now()): number | undefined {
  const raw = headers['retry-after']?.trim();
  if (!raw) return undefined;
  if (/^\d+$/.test(raw)) return Number(raw) * 1000;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Whether a status may carry a Retry-After worth honouring. */
export function isRetryStatus(status: number): boolean {
  return status === 429 || status === 503;
}

/** What happened with a Retry-After, for `_ERR` and the trace. */
export function retryNote(res: HttpResponse, deadline: Deadline, retried: boolean): string | undefined {
  if (!isRetryStatus(res.status)) return undefined;
  const raw = res.headers['retry-after']?.trim();
  if (!raw) return undefined;
  const shown = /^\d+$/.test(raw) ? `${raw} s` : raw;
  if (retried) return `Retry-After ${shown}; retried once`;
  return `Retry-After ${shown} does not fit in the ${deadline.remaining()} ms left of the ${deadline.budgetMs} ms timeout`;
}

/**
 * Sends with `send`; after a 429 or 503 whose Retry-After fits in the deadline, waits and sends
 * once more. Returns the last response and the note on the Retry-After, if any.
 */
export async function withRetryAfter(send: () => Promise<HttpResponse>, deadline: Deadline): Promise<{ res: HttpResponse; note?: string }> {
  const first = await send();
  const wait = isRetryStatus(first.status) ? retryAfterMs(first.headers) : undefined;
  // Keep a little of the budget for the retry itself to get an answer.
  if (wait === undefined || wait >= deadline.remaining()) {
    const note = retryNote(first, deadline, false);
    return note ? { res: first, note } : { res: first };
  }
  await new Promise((r) => setTimeout(r, wait));
  const second = await send();
  const note = retryNote(second, deadline, true) ?? `Retry-After honoured; retried once`;
  return isRetryStatus(second.status) ? { res: second, note } : { res: second };
}

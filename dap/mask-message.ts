// Masks every string inside an outgoing DAP message (body fields, nested variables, output text),
// so the adapter has one place where secrets and tokens are replaced before anything is sent.
import type { Masker } from '../runtime/trace/events.js';

/** A copy of `message` with every string passed through `mask` (numbers, booleans kept). */
export function maskDeep<T>(message: T, mask: Masker): T {
  return walk(message, mask, 0) as T;
}

function walk(v: unknown, mask: Masker, depth: number): unknown {
  if (typeof v === 'string') return mask(v);
  if (typeof v !== 'object' || v === null || depth > 32) return v;
  if (Array.isArray(v)) return v.map((x) => walk(x, mask, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = walk(x, mask, depth + 1);
  return out;
}

// A studio request's payload `{URL, HTTPMETHOD, HEADERS, QUERYPARAMETERS, BODY}` as the script
// passes it to CONNECTREQUEST, read into the request the hub sends.
import { SnipError } from '../errors.js';

/** A request to send, secret references and handles not yet replaced. */
export interface RequestSpec {
  method: string;
  url: string;
  headers: Record<string, string>;
  query: Record<string, string>;
  body?: string;
  mediaType?: string;
}

/**
 * Reads a studio payload `{URL, HTTPMETHOD, HEADERS, QUERYPARAMETERS, BODY}` (member names in any
 * case; a leftover HYPHENPLACEHOLDER in a header or parameter name becomes `-`).
 * @throws SnipError SNIP4019 for anything else.
 */
export function parsePayload(payload: string, connection: string): RequestSpec {
  let v: unknown;
  try {
    v = JSON.parse(payload);
  } catch {
    throw new SnipError('SNIP4019', `requestPayload for '${connection}' is not JSON; build it with asjson()`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new SnipError('SNIP4019', `requestPayload for '${connection}' must be a JSON object`);
  const o: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) o[k.toUpperCase()] = val;
  if (typeof o.URL !== 'string' || !o.URL) throw new SnipError('SNIP4019', `requestPayload for '${connection}' has no URL`);
  const method = o.HTTPMETHOD === undefined ? 'GET' : o.HTTPMETHOD;
  if (typeof method !== 'string') throw new SnipError('SNIP4019', `requestPayload HTTPMETHOD must be text`);
  const body = o.BODY === undefined || o.BODY === null ? undefined : typeof o.BODY === 'string' ? o.BODY : JSON.stringify(o.BODY);
  return {
    method,
    url: o.URL,
    headers: nameValues(o.HEADERS, 'HEADERS'),
    query: nameValues(o.QUERYPARAMETERS, 'QUERYPARAMETERS'),
    ...(body !== undefined ? { body } : {}),
  };
}

function nameValues(v: unknown, what: string): Record<string, string> {
  if (v === undefined || v === null || v === '') return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new SnipError('SNIP4019', `requestPayload ${what} must be an object of names and values`);
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    out[k.replaceAll('HYPHENPLACEHOLDER', '-')] = typeof val === 'string' ? val : JSON.stringify(val);
  }
  return out;
}


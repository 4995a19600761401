// REST API: a synchronous REST call without the hub (no secrets, no connection). URL, Verb,
// Headers (JSON text or a dynamic object), Body and TimeoutMs (at most 90000). As in Studio, only
// JSON responses are accepted, the body is capped at 32 KB, and a failed attempt is tried once more
// within the same timeout (after a 429/503, only when its Retry-After fits). Token handles from
// CONNECTAUTH in the URL, headers or body are replaced by the run's hub, towards the destinations
// their connection allows only. The response goes to `resultSet`: statusCode, statusDescription,
// headers and body (a dynamic object).
import { SnipError } from '../../errors.js';
import { DEFAULT_MAX_RESPONSE_BYTES, Deadline, HttpClient, HttpError, type HttpResponse } from '../../hub/http.js';
import { withRetryAfter } from '../../hub/retry-after.js';
import { hubServicesOf } from '../../hub/services.js';
import { parseJsonValue } from '../../json.js';
import { Dyn, isDyn, toPlain, toText, type Value } from '../../values.js';
import type { ActionContext, ActionHandler, ActionOutcome } from '../types.js';
import { abortable, connectFailure, isSuccess, ON_SUCCESS, outputNames, recordDyn, setStatus, textOf, valueOf } from './connect-common.js';
import { expressionProperty } from './properties.js';

/** Studio's ceiling for the REST API action's timeout. */
export const MAX_REST_TIMEOUT_MS = 90_000;
const DEFAULT_REST_TIMEOUT_MS = 10_000;

const OUTPUTS = { resultSetVarName: 'resultSet' };

/** Headers from JSON text or a dynamic object; HYPHENPLACEHOLDER in a name becomes `-`. */
function headersOf(v: Value | undefined): Record<string, string> {
  if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) return {};
  let plain: unknown;
  if (isDyn(v)) plain = toPlain(v);
  else {
    try {
      plain = JSON.parse(toText(v));
    } catch {
      throw new SnipError('SNIP3012', 'REST API Headers must be a JSON object of names and values, e.g. {"Accept":"application/json"}');
    }
  }
  if (!plain || typeof plain !== 'object' || Array.isArray(plain)) {
    throw new SnipError('SNIP3012', 'REST API Headers must be a JSON object of names and values');
  }
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(plain)) out[k.replaceAll('HYPHENPLACEHOLDER', '-')] = typeof x === 'string' ? x : JSON.stringify(x);
  return out;
}

function timeoutOf(v: Value | undefined): number {
  if (v === undefined || v === null || toText(v).trim() === '') return DEFAULT_REST_TIMEOUT_MS;
  const n = Number(toText(v));
  if (!Number.isFinite(n) || n <= 0 || n > MAX_REST_TIMEOUT_MS) {
    throw new SnipError('SNIP3012', `REST API TimeoutMs must be a number of milliseconds from 1 to ${MAX_REST_TIMEOUT_MS}, got '${toText(v)}'`);
  }
  return n;
}

/**
 * Sends, and once more after a connection failure or a 5xx, while the deadline allows; a 429/503
 * with a Retry-After is retried once only when the wait fits (`note` says what happened).
 */
async function sendWithRetry(http: HttpClient, req: Parameters<HttpClient['send']>[0], deadline: Deadline, mask: (t: string) => string): Promise<{ res: HttpResponse; note?: string }> {
  const once = () => http.send(req, { deadline, mask, maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES });
  try {
    const first = await withRetryAfter(once, deadline);
    if (first.note || first.res.status < 500 || deadline.expired) return first;
  } catch (e) {
    if (!(e instanceof HttpError) || e.code !== 'SNIP4013' || deadline.expired) throw e;
  }
  return { res: await once() };
}

export const restApiAction: ActionHandler = {
  type: 'RESTAPI',
  compile(cctx) {
    const url = expressionProperty(cctx, 'URL', true);
    const verb = expressionProperty(cctx, 'Verb', false);
    const headers = expressionProperty(cctx, 'Headers', false);
    const body = expressionProperty(cctx, 'Body', false);
    const timeout = expressionProperty(cctx, 'TimeoutMs', false);
    const out = outputNames(cctx, OUTPUTS);
    return {
      async run(ctx: ActionContext): Promise<ActionOutcome> {
        try {
          const target = (await textOf(ctx, url)).trim();
          const method = ((await textOf(ctx, verb)).trim() || 'GET').toUpperCase();
          const hdrs = headersOf(await valueOf(ctx, headers));
          const payload = await textOf(ctx, body);
          const deadline = new Deadline(timeoutOf(await valueOf(ctx, timeout)));
          if (!/^https?:\/\//i.test(target)) throw new SnipError('SNIP4019', `REST API URL must be an absolute http(s) URL, got '${ctx.masker(target)}'`);
          if (payload !== '' && !Object.keys(hdrs).some((k) => k.toLowerCase() === 'content-type')) hdrs['Content-Type'] = 'application/json';
          const hub = hubServicesOf(ctx.services);
          const http = hub?.session.http ?? new HttpClient();
          ctx.hub?.({ connection: '(REST API)', what: 'request', detail: ctx.masker(`${method} ${target}`) });
          let req = { method, url: target, headers: hdrs, ...(payload !== '' ? { body: payload } : {}) };
          if (hub) req = await abortable(ctx, hub.session.resolveHandles(req, deadline, ctx.hub ? (e) => ctx.hub!(e) : undefined));
          const { res, note } = await abortable(ctx, sendWithRetry(http, req, deadline, ctx.masker));
          const text = ctx.masker(res.body);
          setStatus(ctx, res.status, res.statusText);
          let parsed: Value = '';
          let json = true;
          if (text.trim() !== '') {
            try {
              parsed = parseJsonValue(text);
            } catch {
              parsed = text;
              json = false;
            }
          }
          const result = new Dyn();
          result.members.set('statusCode', res.status);
          result.members.set('statusDescription', res.statusText);
          result.members.set('headers', recordDyn(Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, ctx.masker(v)]))));
          result.members.set('body', parsed);
          ctx.store.set(out.resultSetVarName, result);
          if (!isSuccess(res.status)) {
            return connectFailure(ctx, new SnipError('SNIP4015', `HTTP ${res.status} ${res.statusText}`.trim() + (note ? ` (${note})` : '')), undefined);
          }
          if (!json) {
            return connectFailure(ctx, new SnipError('SNIP3007', 'the REST API action accepts JSON responses only; the response is not JSON'), undefined);
          }
          return { branch: ON_SUCCESS };
        } catch (e) {
          return connectFailure(ctx, e, undefined);
        }
      },
    };
  },
};

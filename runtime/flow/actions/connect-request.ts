// CONNECTREQUEST: executes a request of an Integration Hub connection: a manual request by name, or
// a studio request built from the script's `requestPayload` (JSON with URL, HTTPMETHOD, HEADERS,
// QUERYPARAMETERS, BODY). Secrets `[[ name ]]` are substituted by the hub at send time. Writes
// requestBody (a dynamic object for JSON), requestHeadersList, requestErrorDetails, requestProxy.
import { SnipError } from '../../errors.js';
import { requireHub } from '../../hub/services.js';
import type { ConnectionView, HubResponse } from '../../hub/send.js';
import type { TokenEvent } from '../../hub/token-cache.js';
import { toPlain, isDyn, toText, type Value } from '../../values.js';
import type { ActionContext, ActionHandler, ActionOutcome } from '../types.js';
import {
  abortable,
  bodyValue,
  connectFailure,
  isSuccess,
  ON_SUCCESS,
  outputNames,
  recordDyn,
  setStatus,
  statusFailure,
  textOf,
  valueOf,
} from './connect-common.js';
import { expressionProperty } from './properties.js';

const OUTPUTS = {
  requestBodyVarName: 'requestBody',
  requestHeadersListVarName: 'requestHeadersList',
  requestErrorDetailsVarName: 'requestErrorDetails',
  requestProxyVarName: 'requestProxy',
};

/** The payload as JSON text: a dynamic object is serialised (a convenience over `asjson()`). */
function payloadText(v: Value | undefined): string {
  if (v === undefined || v === null) return '';
  return isDyn(v) ? JSON.stringify(toPlain(v)) : toText(v).trim();
}

/** Method and URL as written (secret references not substituted) for the trace. */
function describe(view: ConnectionView, requestName: string, payload: string): string {
  const req = view.requests.find((r) => r.name === requestName);
  if (payload === '') return `${(req?.method ?? 'GET').toUpperCase()} ${req?.url ?? ''} (manual '${requestName}')`;
  try {
    const o = JSON.parse(payload) as Record<string, unknown>;
    const get = (k: string) => Object.entries(o).find(([n]) => n.toUpperCase() === k)?.[1];
    return `${String(get('HTTPMETHOD') ?? 'GET').toUpperCase()} ${String(get('URL') ?? '')} (studio '${requestName}')`;
  } catch {
    return `studio '${requestName}'`;
  }
}

async function send(ctx: ActionContext, view: ConnectionView, requestName: string, payload: string): Promise<HubResponse> {
  const hub = requireHub(ctx.services);
  const observe = ctx.hub ? (e: TokenEvent) => ctx.hub!(e) : undefined;
  const req = view.requests.find((r) => r.name === requestName);
  if (req?.trigger === 'studio' && payload === '') {
    throw new SnipError('SNIP4019', `request '${requestName}' of '${view.name}' is a studio request: pass a requestPayload built with asjson()`);
  }
  ctx.hub?.({ connection: view.name, what: 'request', detail: describe(view, requestName, payload) });
  // A payload on a manual request is refused by sendStudio (SNIP4019), not silently ignored.
  return payload !== '' ? hub.session.sendStudio(view, requestName, payload, observe) : hub.session.sendManual(view, requestName, observe);
}

export const connectRequestAction: ActionHandler = {
  type: 'CONNECTREQUEST',
  compile(cctx) {
    const connectName = expressionProperty(cctx, 'connectName', true);
    const requestName = expressionProperty(cctx, 'requestName', true);
    const requestPayload = expressionProperty(cctx, 'requestPayload', false);
    const out = outputNames(cctx, OUTPUTS);
    return {
      async run(ctx: ActionContext): Promise<ActionOutcome> {
        let name = '';
        let request = '';
        try {
          name = (await textOf(ctx, connectName)).trim();
          request = (await textOf(ctx, requestName)).trim();
          const payload = payloadText(await valueOf(ctx, requestPayload));
          const hub = requireHub(ctx.services);
          const view = await hub.connection(name);
          const res = await abortable(ctx, send(ctx, view, request, payload));
          ctx.hub?.({ connection: view.name, what: 'response', detail: `${res.status} ${res.statusText}, ${Buffer.byteLength(res.body)} bytes${res.note ? ` (${res.note})` : ''}` });
          // A JSON media type, or a body that looks like JSON, is read as JSON (text when it is not).
          ctx.store.set(out.requestBodyVarName, bodyValue(res.body, /json/i.test(res.headers['content-type'] ?? '')));
          ctx.store.set(out.requestHeadersListVarName, recordDyn(res.headers));
          ctx.store.set(out.requestProxyVarName, setStatus(ctx, res.status, res.statusText));
          if (isSuccess(res.status)) return { branch: ON_SUCCESS };
          return statusFailure(ctx, res.status, res.statusText, out.requestErrorDetailsVarName, res.body, res.note);
        } catch (e) {
          return connectFailure(ctx, e, out.requestErrorDetailsVarName, { connection: name, request });
        }
      },
    };
  },
};

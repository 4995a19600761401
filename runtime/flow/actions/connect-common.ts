// Shared by CONNECTAUTH, CONNECTREQUEST and REST API: output variable names (Studio's `...VarName`
// properties), responses as Snippet values, HTTP status variables, and failures mapped to branches
// (timeout -> OnTimeout, everything else -> OnError) with `_ERR` masked.
import { diagnostic } from '../../../language/diagnostics.js';
import { SnipError, SnipLimitError } from '../../errors.js';
import { hubServicesOf } from '../../hub/services.js';
import { parseJsonValue } from '../../json.js';
import type { CompiledExpression } from '../../interpreter/api.js';
import { Dyn, toText, type Value } from '../../values.js';
import type { ActionCompileContext, ActionContext, ActionOutcome } from '../types.js';
import { findProperty, variableName } from './properties.js';

/** The branches of the connect actions, as Studio names them. */
export const ON_SUCCESS = 'OnSuccess';
export const ON_ERROR = 'OnError';
export const ON_TIMEOUT = 'OnTimeout';

/**
 * The variable each output goes to: `defaults` maps an output property (`requestBodyVarName`) to
 * its default variable (`requestBody`); a property written on the action renames it.
 */
export function outputNames<K extends string>(cctx: ActionCompileContext, defaults: Record<K, string>): Record<K, string> {
  const out = { ...defaults };
  for (const prop of Object.keys(defaults) as K[]) {
    const p = findProperty(cctx.action, prop);
    if (p === undefined) continue;
    const v = variableName(p.value);
    if (v === undefined) cctx.report(diagnostic('SNIP1023', `'${prop}' must name a variable`, p.value.range));
    else out[prop] = v.name;
  }
  return out;
}

/** Evaluates a compiled property to text ('' when absent). */
export async function textOf(ctx: ActionContext, expr: CompiledExpression | undefined): Promise<string> {
  if (expr === undefined) return '';
  return toText(await expr.evaluate(ctx.env()));
}

/** Evaluates a compiled property to its value (undefined when absent). */
export async function valueOf(ctx: ActionContext, expr: CompiledExpression | undefined): Promise<Value | undefined> {
  return expr === undefined ? undefined : await expr.evaluate(ctx.env());
}

/** A response body as Snippet sees it: a dynamic object (or scalar) for JSON, the text otherwise. */
export function bodyValue(text: string, json: boolean): Value {
  if (!json && !/^\s*[{[]/.test(text)) return text;
  try {
    return parseJsonValue(text);
  } catch {
    return text;
  }
}

/** A name -> text record as a dynamic object. */
export function recordDyn(record: Record<string, string | number>): Dyn {
  const d = new Dyn();
  for (const [k, v] of Object.entries(record)) d.members.set(k, v);
  return d;
}

/** Sets `__httpstatuscode` / `__httpstatusdescription` and returns the proxy-like status object. */
export function setStatus(ctx: ActionContext, status: number, text: string): Dyn {
  ctx.store.set('__httpstatuscode', String(status));
  ctx.store.set('__httpstatusdescription', text);
  return recordDyn({ StatusCode: status, StatusDescription: text });
}

/** The run's masker combined with the hub's (a host may pass a hub without a trace masker). */
export function maskerOf(ctx: ActionContext): (text: string) => string {
  const hub = hubServicesOf(ctx.services);
  return hub ? (t) => ctx.masker(hub.mask(t)) : ctx.masker;
}

/**
 * `work` unless the run is aborted first: then the run ends with SNIP3015 at once (the HTTP
 * exchange is left to its own deadline; its result is ignored).
 */
export function abortable<T>(ctx: ActionContext, work: Promise<T>): Promise<T> {
  const signal = ctx.signal;
  if (!signal) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(new SnipLimitError('SNIP3015', 'The run was cancelled'));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new SnipLimitError('SNIP3015', 'The run was cancelled'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Whether an HTTP status is a success (2xx). */
export function isSuccess(status: number): boolean {
  return status >= 200 && status <= 299;
}

/**
 * A failure of a connect action: `_ERR` and the details variable set (masked), branch OnTimeout for
 * an exhausted time budget (SNIP4012), OnError otherwise. Run limits and abort end the run instead.
 */
export function connectFailure(ctx: ActionContext, e: unknown, detailsVar: string | undefined, extra: Record<string, string | number> = {}): ActionOutcome {
  if (e instanceof SnipLimitError) throw e;
  const mask = maskerOf(ctx);
  const code = e instanceof SnipError ? e.code : 'SNIP3001';
  const raw = e instanceof SnipError ? e.shortText() : e instanceof Error ? e.message : String(e);
  const text = mask(raw);
  ctx.store.set('_ERR', text);
  ctx.store.set('__err', text);
  const details: Record<string, string | number> = { code, message: text };
  for (const [k, v] of Object.entries(extra)) details[k] = typeof v === 'string' ? mask(v) : v;
  if (detailsVar !== undefined) ctx.store.set(detailsVar, recordDyn(details));
  const cause = new SnipError(code, text);
  return { branch: code === 'SNIP4012' ? ON_TIMEOUT : ON_ERROR, error: text, cause };
}

/**
 * A non-2xx answer: OnError with `HTTP <status> <text>` in `_ERR` and the details variable, plus
 * `note` in parentheses (what happened with a Retry-After).
 */
export function statusFailure(ctx: ActionContext, status: number, statusText: string, detailsVar: string, body: string, note?: string): ActionOutcome {
  const mask = maskerOf(ctx);
  const text = mask(`HTTP ${status} ${statusText}`.trim() + (note ? ` (${note})` : ''));
  ctx.store.set('_ERR', text);
  ctx.store.set('__err', text);
  ctx.store.set(detailsVar, recordDyn({ code: 'SNIP4015', message: text, status, body: mask(body) }));
  return { branch: ON_ERROR, error: text, cause: new SnipError('SNIP4015', text) };
}

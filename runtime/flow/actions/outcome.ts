// Shared outcomes of actions: Default, and failure (sets `_ERR`, takes Error). Limit errors (steps,
// time, abort) are not failures of an action: they end the whole run, so they are rethrown.
import { SnipError, SnipLimitError } from '../../errors.js';
import type { ActionContext, ActionOutcome } from '../types.js';

export const DEFAULT: ActionOutcome = Object.freeze({ branch: 'Default' });

/** Stores the error in `_ERR`/`__err` and takes `branch` (Error unless told). */
export function failed(ctx: ActionContext, e: unknown, branch = 'Error'): ActionOutcome {
  if (e instanceof SnipLimitError) throw e;
  const err = e instanceof SnipError ? e : new SnipError('SNIP3001', e instanceof Error ? e.message : String(e));
  const text = err.shortText();
  ctx.store.set('_ERR', text);
  ctx.store.set('__err', text);
  return { branch, error: text, cause: err };
}

/** Runs `f`, turning a thrown script error into the Error outcome (sync when `f` is). */
export function guarded(ctx: ActionContext, f: () => ActionOutcome | Promise<ActionOutcome>): ActionOutcome | Promise<ActionOutcome> {
  try {
    const r = f();
    return r instanceof Promise ? r.catch((e: unknown) => failed(ctx, e)) : r;
  } catch (e) {
    return failed(ctx, e);
  }
}

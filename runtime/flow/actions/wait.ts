// WAIT: pauses the flow for Milliseconds. Ends early when the run is aborted (SNIP3015) and never
// sleeps past the run's time limit (SNIP3003 at the deadline instead).
import { SnipError, SnipLimitError } from '../../errors.js';
import { andThen } from '../../interpreter/run.js';
import { toNumber, toText } from '../../values.js';
import type { ActionContext, ActionHandler, ActionOutcome } from '../types.js';
import { DEFAULT, guarded } from './outcome.js';
import { expressionProperty } from './properties.js';

function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

async function wait(ctx: ActionContext, ms: number): Promise<ActionOutcome> {
  const left = ctx.budget.startedAt + ctx.limits.maxTimeMs - Date.now();
  const finished = await sleep(Math.max(0, Math.min(ms, left)), ctx.signal);
  if (!finished) throw new SnipLimitError('SNIP3015', 'The run was cancelled');
  if (ms > left) throw new SnipLimitError('SNIP3003', `Time limit exceeded: the run took longer than ${ctx.limits.maxTimeMs} ms`);
  return DEFAULT;
}

export const waitAction: ActionHandler = {
  type: 'WAIT',
  compile(cctx) {
    const expr = expressionProperty(cctx, 'Milliseconds', true);
    return {
      run: (ctx) =>
        guarded(ctx, () =>
          andThen(expr!.evaluate(ctx.env()), (v) => {
            const ms = toNumber(v);
            if (!Number.isFinite(ms) || ms < 0) throw new SnipError('SNIP3012', `WAIT needs a number of milliseconds, got '${toText(v)}'`);
            return wait(ctx, ms);
          }),
        ),
    };
  },
};

// RETURN: ends a subscript and hands ReturnValue back to the RUNSUB that called it (in a main
// script it ends the run with that value as the output).
import { andThen } from '../../interpreter/run.js';
import type { ActionHandler } from '../types.js';
import { guarded } from './outcome.js';
import { expressionProperty } from './properties.js';

export const returnAction: ActionHandler = {
  type: 'RETURN',
  compile(cctx) {
    const value = expressionProperty(cctx, 'ReturnValue', false);
    return {
      run: (ctx) =>
        guarded(ctx, () =>
          value === undefined
            ? { branch: 'Default', end: 'return', returnValue: '' }
            : andThen(value.evaluate(ctx.env()), (v) => ({ branch: 'Default', end: 'return' as const, returnValue: v })),
        ),
    };
  },
};

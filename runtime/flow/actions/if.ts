// IF: evaluates Expression and takes True or False (truthiness as in Snippet's IF statement).
import { andThen } from '../../interpreter/run.js';
import { isTruthy } from '../../values.js';
import type { ActionHandler, ActionOutcome } from '../types.js';
import { guarded } from './outcome.js';
import { expressionProperty } from './properties.js';

const TRUE: ActionOutcome = Object.freeze({ branch: 'True' });
const FALSE: ActionOutcome = Object.freeze({ branch: 'False' });

export const ifAction: ActionHandler = {
  type: 'IF',
  compile(cctx) {
    const expr = expressionProperty(cctx, 'Expression', true);
    return {
      run: (ctx) => guarded(ctx, () => andThen(expr!.evaluate(ctx.env()), (v) => (isTruthy(v) ? TRUE : FALSE))),
    };
  },
};

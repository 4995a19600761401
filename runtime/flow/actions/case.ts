// CASE: takes the branch named after the value of Variable. Branch names match the value's text
// case-insensitively, or numerically when both are numbers (`01` matches `1`); else Default.
import { andThen } from '../../interpreter/run.js';
import { toNumber, toText } from '../../values.js';
import type { ActionHandler } from '../types.js';
import { DEFAULT, guarded } from './outcome.js';
import { expressionProperty } from './properties.js';

export const caseAction: ActionHandler = {
  type: 'CASE',
  compile(cctx) {
    const expr = expressionProperty(cctx, 'Variable', true);
    const names = cctx.action.branches.flatMap((b) => (b.name && b.name.key !== 'default' ? [b.name.name] : []));
    return {
      run: (ctx) =>
        guarded(ctx, () =>
          andThen(expr!.evaluate(ctx.env()), (v) => {
            const text = toText(v).trim();
            const key = text.toLowerCase();
            const n = toNumber(text);
            const hit = names.find((name) => name.toLowerCase() === key || (!Number.isNaN(n) && toNumber(name) === n));
            return hit === undefined ? DEFAULT : { branch: hit };
          }),
        ),
    };
  },
};

// RUNSUB: runs another .studio file as a subscript in its own variables. Parameters (a pipe array)
// bind in order to the subscript's PARAMS (p1, p2 ... beyond them); `Global:` variables named in
// the subscript are copied in before and back out after; RETURN's value lands in ReturnVariable.
import { SnipError, SnipLimitError } from '../../errors.js';
import { VariableStore, type CompiledExpression } from '../../interpreter/api.js';
import { pipeItems, toText, type Value } from '../../values.js';
import type { ActionContext, ActionHandler, ActionOutcome } from '../types.js';
import { DEFAULT, guarded } from './outcome.js';
import { expressionProperty, findProperty, variableName } from './properties.js';

async function evaluate(ctx: ActionContext, e: CompiledExpression | undefined): Promise<Value> {
  return e === undefined ? '' : await e.evaluate(ctx.env());
}

export const runsubAction: ActionHandler = {
  type: 'RUNSUB',
  compile(cctx) {
    const scriptName = expressionProperty(cctx, 'ScriptName', true);
    const parameters = expressionProperty(cctx, 'Parameters', false);
    const rvProp = findProperty(cctx.action, 'ReturnVariable');
    const returnVariable = rvProp ? variableName(rvProp.value)?.name : 'subReturn';
    if (returnVariable === undefined && rvProp) {
      cctx.report({ code: 'SNIP1023', message: `'ReturnVariable' must name a variable`, range: rvProp.value.range, severity: 'error' });
    }
    return {
      run: (ctx) =>
        guarded(ctx, async (): Promise<ActionOutcome> => {
          if (ctx.depth + 1 > ctx.limits.maxCallDepth) {
            throw new SnipLimitError('SNIP3004', `Call depth limit exceeded: more than ${ctx.limits.maxCallDepth} nested subscripts`);
          }
          const name = toText(await evaluate(ctx, scriptName)).trim();
          if (name === '') throw new SnipError('SNIP3012', 'RUNSUB needs a ScriptName');
          const args = pipeItems(await evaluate(ctx, parameters));
          const sub = await ctx.loadScript(name);
          const store = new VariableStore();
          const given = new Map<string, Value>();
          for (const g of sub.flow.globals) {
            const v = ctx.store.get(g);
            if (v === undefined) continue;
            given.set(g, v);
            // Both spellings: compiled code may key the cell by the bare name or by `Global:name`.
            for (const n of [g, `Global:${g}`]) store.set(n, v);
          }
          args.forEach((a, i) => store.set(sub.flow.params[i] ?? `p${i + 1}`, a));
          const end = await ctx.runSubscript(sub, store);
          for (const g of sub.flow.globals) {
            const values = [store.get(`Global:${g}`), store.get(g)].filter((v): v is Value => v !== undefined);
            const changed = values.find((v) => v !== given.get(g)) ?? values[0];
            if (changed !== undefined) ctx.store.set(g, changed);
          }
          if (end.end === 'return') ctx.store.set(returnVariable ?? 'subReturn', end.returnValue ?? '');
          return DEFAULT;
        }),
    };
  },
};

// SNIPPET: runs the inline Snippet code against the run's store. A script error has already set
// `_ERR` (the interpreter does it) and takes Error; limit errors end the run.
import { diagnostic } from '../../../language/diagnostics.js';
import { compileSnippetAst, parseMaxStringSize } from '../../interpreter/api.js';
import { andThen } from '../../interpreter/run.js';
import { SnipLimitError, type SnipError } from '../../errors.js';
import type { ActionContext, ActionHandler, ActionOutcome } from '../types.js';
import { DEFAULT } from './outcome.js';
import { choice } from './properties.js';

const SIZES = ['Limit2K', 'Limit4K', 'Limit8K', 'Limit16K', 'Limit32K'];

function outcome(err: SnipError | undefined): ActionOutcome {
  if (err === undefined) return DEFAULT;
  if (err instanceof SnipLimitError) throw err;
  return { branch: 'Error', error: err.shortText(), cause: err };
}

export const snippetAction: ActionHandler = {
  type: 'SNIPPET',
  compile(cctx) {
    const body = cctx.action.body;
    if (body === undefined) {
      cctx.report(diagnostic('SNIP1005', `SNIPPET '${cctx.action.label.name}' needs its code in { ... }`, cctx.action.label.range));
    }
    const compiled = body ? compileSnippetAst(body, { fileName: cctx.fileName }) : undefined;
    const size = findSize(cctx);
    return {
      run(ctx: ActionContext) {
        if (compiled === undefined) return DEFAULT;
        const limits = size === undefined ? ctx.limits : { ...ctx.limits, maxStringSize: Math.min(size, ctx.limits.maxStringSize) };
        return andThen(compiled.execute(ctx.env({ limits })), outcome);
      },
    };
  },
};

/** MaxStringSize only when written: otherwise the run's own limit applies. */
function findSize(cctx: Parameters<ActionHandler['compile']>[0]): number | undefined {
  if (!cctx.action.properties.some((p) => p.name.key === 'maxstringsize')) return undefined;
  return parseMaxStringSize(choice(cctx, 'MaxStringSize', SIZES, 'Limit32K'));
}

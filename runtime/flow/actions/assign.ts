// The ASSIGN action (not the Snippet statement): Variable, Value, Type (String keeps the text as
// written, `1+1` stays `1+1`; Numeric evaluates it to 2; Datetime parses a date) and MaxStringSize
// (default Limit2K): a longer value takes Overflow and leaves the variable unchanged.
import type { Expression } from '../../../language/ast.js';
import { hasErrors } from '../../../language/diagnostics.js';
import { parseExpression } from '../../../language/parse.js';
import { compileExpression, parseMaxStringSize, type CompiledExpression } from '../../interpreter/api.js';
import { dateFromText } from '../../interpreter/links.js';
import { andThen } from '../../interpreter/run.js';
import { SnipError } from '../../errors.js';
import { SnipDate, toNumber, toText, type Value } from '../../values.js';
import type { ActionContext, ActionHandler, ActionOutcome } from '../types.js';
import { DEFAULT, failed, guarded } from './outcome.js';
import { choice, findProperty, requiredVariable, sourceText } from './properties.js';

const TYPES = ['String', 'Numeric', 'Datetime'];
const SIZES = ['Limit2K', 'Limit4K', 'Limit8K', 'Limit16K', 'Limit32K'];

/** The value before conversion: a string literal is evaluated (interpolation), anything else per Type. */
type Source = { kind: 'text'; text: string } | { kind: 'expr'; expr: CompiledExpression };

/**
 * Numeric text as a number; other text is read as a Snippet expression (Studio's Value box holds
 * `1+1` as text and Numeric evaluates it), evaluated against the run's variables.
 */
function numeric(ctx: ActionContext, v: Value, written: string): number | Promise<number> {
  if (typeof v === 'number') return v;
  const text = toText(v);
  const n = toNumber(text);
  if (!Number.isNaN(n)) return n;
  const parsed = text.trim() === '' ? undefined : parseExpression(text);
  if (parsed?.value === undefined || hasErrors(parsed.diagnostics)) {
    throw new SnipError('SNIP3012', `ASSIGN Type Numeric: '${text || written}' is not a number`);
  }
  return andThen(compileExpression(parsed.value).evaluate(ctx.env()), (r) => {
    const x = toNumber(r);
    if (Number.isNaN(x)) throw new SnipError('SNIP3012', `ASSIGN Type Numeric: '${text}' is not a number`);
    return x;
  });
}

function convert(type: string, v: Value): Value {
  if (type === 'String') return toText(v);
  if (v instanceof SnipDate) return v;
  const d = dateFromText(toText(v));
  if (d === undefined) throw new SnipError('SNIP3017', `ASSIGN Type Datetime: '${toText(v)}' is not a date`);
  return d;
}

export const assignAction: ActionHandler = {
  type: 'ASSIGN',
  compile(cctx) {
    const variable = requiredVariable(cctx, 'Variable');
    const type = choice(cctx, 'Type', TYPES, 'String');
    const size = parseMaxStringSize(choice(cctx, 'MaxStringSize', SIZES, 'Limit2K'))!;
    const prop = findProperty(cctx.action, 'Value');
    const valueExpr: Expression | undefined = prop?.value;
    const written = valueExpr ? sourceText(cctx, valueExpr) : '';
    // String keeps anything but a string literal exactly as written (Studio's Value box is text).
    const source: Source =
      valueExpr === undefined || (type === 'String' && valueExpr.kind !== 'String')
        ? { kind: 'text', text: written }
        : { kind: 'expr', expr: compileExpression(valueExpr, { fileName: cctx.fileName }) };
    const finish = (ctx: ActionContext, raw: Value): ActionOutcome | Promise<ActionOutcome> =>
      type === 'Numeric' ? andThen(numeric(ctx, raw, written), (n) => assign(ctx, n)) : assign(ctx, convert(type, raw));
    const assign = (ctx: ActionContext, v: Value): ActionOutcome => {
      const text = toText(v);
      if (text.length > size) {
        return failed(ctx, new SnipError('SNIP3005', `The value of ${variable} is ${text.length} characters, more than MaxStringSize (${size})`), 'Overflow');
      }
      ctx.store.set(variable!, v);
      return DEFAULT;
    };
    return {
      run: (ctx) =>
        guarded(ctx, () => (source.kind === 'text' ? finish(ctx, source.text) : andThen(source.expr.evaluate(ctx.env()), (v) => finish(ctx, v)))),
    };
  },
};

// Call checks: resolves `f(args)` and `x.f(args)` to a user function, a built-in or a host-object
// method (RestProxy) and checks the argument count. Method form counts the receiver as the first
// argument, as Studio documents for user functions and as the catalog defines for built-ins.
import type { CallExpression, MethodCallExpression, Range } from '../ast.js';
import { BUILTINS, HOST_TYPES, findBuiltin } from '../catalog.js';
import { arity } from '../catalog-types.js';
import { report, type AnalysisContext } from './context.js';
import { closestName } from './edit-distance.js';

function hostMethod(name: string) {
  const key = name.toLowerCase();
  for (const t of HOST_TYPES) {
    const m = t.members.find((x) => x.kind === 'method' && x.name.toLowerCase() === key);
    if (m) return m;
  }
  return undefined;
}

function countText(min: number, max: number): string {
  if (min === max) return `${min} argument${min === 1 ? '' : 's'}`;
  if (max === Infinity) return `at least ${min} argument${min === 1 ? '' : 's'}`;
  return `${min} to ${max} arguments`;
}

function candidateNames(ctx: AnalysisContext): string[] {
  const names = [...ctx.functions.values()].map((f) => f.name);
  for (const b of BUILTINS) names.push(b.name, ...(b.aliases ?? []));
  return names;
}

function unknown(ctx: AnalysisContext, name: string, range: Range, method: boolean): void {
  const extra = method ? HOST_TYPES.flatMap((t) => t.members.filter((m) => m.kind === 'method').map((m) => m.name)) : [];
  const suggestion = closestName(name, [...candidateNames(ctx), ...extra]);
  const message = `unknown function '${name}'${suggestion ? `; did you mean '${suggestion}'?` : ''}`;
  report(ctx, 'SNIP2003', message, range, 'error', suggestion ? { data: { name, suggestion } } : { data: { name } });
}

function checkCount(ctx: AnalysisContext, name: string, given: number, min: number, max: number, range: Range, method: boolean): void {
  if (given >= min && given <= max) return;
  const receiver = method ? ' (the receiver counts as the first)' : '';
  report(
    ctx,
    'SNIP2004',
    `'${name}' takes ${countText(min, max)}${receiver}, but ${given} ${given === 1 ? 'was' : 'were'} given`,
    range,
    'error',
    { data: { name, given, min, max: max === Infinity ? null : max } },
  );
}

/** Checks `name(args)`. */
export function checkCall(ctx: AnalysisContext, call: CallExpression): void {
  const { callee } = call;
  const user = ctx.functions.get(callee.key);
  if (user) {
    ctx.table.functions.get(callee.key)?.calls.push(callee.range);
    if (ctx.table.functions.has(callee.key)) {
      ctx.table.occurrences.push({ range: callee.range, symbol: 'function', key: callee.key, definition: false });
    }
    checkCount(ctx, user.name, call.args.length, user.params.length, user.params.length, call.range, false);
    return;
  }
  const builtin = findBuiltin(callee.name);
  if (builtin) {
    const { min, max } = arity(builtin);
    checkCount(ctx, builtin.name, call.args.length, min, max, call.range, false);
    return;
  }
  unknown(ctx, callee.name, callee.range, false);
}

/** Checks `receiver.name(args)`. */
export function checkMethodCall(ctx: AnalysisContext, call: MethodCallExpression): void {
  const key = call.name.toLowerCase();
  const user = ctx.functions.get(key);
  if (user) {
    ctx.table.functions.get(key)?.calls.push(call.nameRange);
    if (ctx.table.functions.has(key)) {
      ctx.table.occurrences.push({ range: call.nameRange, symbol: 'function', key, definition: false });
    }
    checkCount(ctx, user.name, call.args.length + 1, user.params.length, user.params.length, call.range, true);
    return;
  }
  const builtin = findBuiltin(call.name);
  if (builtin) {
    const { min, max } = arity(builtin);
    checkCount(ctx, builtin.name, call.args.length + 1, min, max, call.range, true);
    return;
  }
  const host = hostMethod(call.name);
  if (host) {
    const { min, max } = arity(host);
    checkCount(ctx, host.name, call.args.length, min, max, call.range, false);
    return;
  }
  unknown(ctx, call.name, call.nameRange, true);
}

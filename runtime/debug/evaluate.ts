// Evaluates Snippet expressions typed into a debugger (watch, Debug Console, hover, breakpoint
// conditions, logpoints) in a paused frame, through the interpreter. Evaluation works on a copy of
// the variable table, so reading an unknown name never creates it in the paused run.
import type { Expression } from '../../language/ast.js';
import { findBuiltin } from '../../language/catalog.js';
import { parseExpression } from '../../language/parse.js';
import { SnipError } from '../errors.js';
import { compileExpression, resolveLimits, VariableStore, type FunctionRegistry, type RunLimits } from '../interpreter/api.js';
import { valueFromPlain } from '../interpreter/plain.js';
import type { Value } from '../values.js';

/** Where an expression is evaluated: the paused frame's variables, functions and locals. */
export interface EvalScope {
  store: VariableStore;
  functions: FunctionRegistry;
  /** A function frame's parameters (plain values), shadowing script variables. */
  locals?: Record<string, unknown>;
}

/** The result of one evaluation: a value, or an error text with its stable code. */
export type EvalResult = { ok: true; value: Value } | { ok: false; code: string; message: string };

/** Small limits: a watch must not hang the debugger. */
const EVAL_LIMITS: RunLimits = resolveLimits({ maxSteps: 100_000, maxTimeMs: 2_000 });

/** Why evaluating `expr` could change something (a call that is not a pure built-in), else undefined. */
export function sideEffectOf(expr: Expression): string | undefined {
  switch (expr.kind) {
    case 'Number':
    case 'Boolean':
    case 'Identifier':
      return undefined;
    case 'String':
      for (const p of expr.parts) {
        if (p.kind === 'Interpolation' && p.expression !== undefined) {
          const r = sideEffectOf(p.expression);
          if (r !== undefined) return r;
        }
      }
      return undefined;
    case 'Member':
      return sideEffectOf(expr.object);
    case 'Index':
      return sideEffectOf(expr.object) ?? sideEffectOf(expr.index);
    case 'Unary':
      return sideEffectOf(expr.operand);
    case 'Group':
      return sideEffectOf(expr.expression);
    case 'Binary':
      return sideEffectOf(expr.left) ?? sideEffectOf(expr.right);
    case 'Call':
    case 'MethodCall': {
      const name = expr.kind === 'Call' ? expr.callee.name : expr.name;
      const b = findBuiltin(name);
      if (b === undefined) return `'${name}' is not a built-in function and may have side effects`;
      if (b.async === true || b.assignsReceiver === true || b.category === 'restproxy') return `'${name}' may have side effects`;
      const args = expr.kind === 'Call' ? expr.args : [expr.receiver, ...expr.args];
      for (const a of args) {
        const r = sideEffectOf(a);
        if (r !== undefined) return r;
      }
      return undefined;
    }
  }
}

/** Parses one expression; the first syntax problem as an error otherwise. */
export function parseWatch(text: string): { ok: true; expr: Expression } | { ok: false; code: string; message: string } {
  const parsed = parseExpression(text.trim());
  const bad = parsed.diagnostics.find((d) => d.severity === 'error');
  if (bad !== undefined || parsed.value === undefined) {
    return { ok: false, code: bad?.code ?? 'SNIP1006', message: bad?.message ?? 'expected an expression' };
  }
  return { ok: true, expr: parsed.value };
}

function overlay(scope: EvalScope): VariableStore {
  const store = new VariableStore();
  for (const [name, v] of scope.store.entries()) store.set(name, v);
  for (const [name, v] of Object.entries(scope.locals ?? {})) store.set(name, valueFromPlain(v));
  return store;
}

/**
 * Evaluates `text` in `scope`. With `pureOnly` (hover), expressions that call anything but pure
 * built-ins are refused with SNIP3040 before they run.
 */
export async function evaluateText(text: string, scope: EvalScope, pureOnly = false): Promise<EvalResult> {
  const parsed = parseWatch(text);
  if (!parsed.ok) return parsed;
  if (pureOnly) {
    const effect = sideEffectOf(parsed.expr);
    if (effect !== undefined) return { ok: false, code: 'SNIP3040', message: `not evaluated on hover: ${effect}` };
  }
  return evaluateExpr(parsed.expr, scope);
}

/** Evaluates a parsed expression against a copy of the scope's variables. */
export async function evaluateExpr(expr: Expression, scope: EvalScope): Promise<EvalResult> {
  try {
    const compiled = compileExpression(expr);
    const value = await compiled.evaluate({ store: overlay(scope), functions: scope.functions, limits: EVAL_LIMITS });
    return { ok: true, value };
  } catch (e) {
    if (e instanceof SnipError) return { ok: false, code: e.code, message: e.message };
    return { ok: false, code: 'SNIP3001', message: e instanceof Error ? e.message : String(e) };
  }
}

/** A logpoint message: each `{expression}` replaced by its text; errors show as `{!message}`. */
export async function interpolate(message: string, scope: EvalScope, toText: (v: Value) => string): Promise<string> {
  let out = '';
  let i = 0;
  while (i < message.length) {
    const open = message.indexOf('{', i);
    if (open < 0) break;
    const close = message.indexOf('}', open + 1);
    if (close < 0) break;
    out += message.slice(i, open);
    const r = await evaluateText(message.slice(open + 1, close), scope);
    out += r.ok ? toText(r.value) : `{!${r.message}}`;
    i = close + 1;
  }
  return out + message.slice(i);
}

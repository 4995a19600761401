// Reading action properties: find one by name (case-insensitive), take a variable *name*, a choice
// or the source text as written, and compile expressions once per script.
import type { Action, ActionProperty, Expression } from '../../../language/ast.js';
import { diagnostic } from '../../../language/diagnostics.js';
import { compileExpression, type CompiledExpression } from '../../interpreter/api.js';
import type { ActionCompileContext } from '../types.js';

/** The property called `name`, case-insensitively. */
export function findProperty(action: Action, name: string): ActionProperty | undefined {
  const key = name.toLowerCase();
  return action.properties.find((p) => p.name.key === key);
}

/** The source text of an expression exactly as written. */
export function sourceText(ctx: ActionCompileContext, e: Expression): string {
  return ctx.source.slice(e.range.start.offset, e.range.end.offset);
}

/** A literal's text when the expression is a plain string without interpolation, else undefined. */
export function plainString(e: Expression): string | undefined {
  if (e.kind !== 'String') return undefined;
  if (e.parts.length === 0) return '';
  return e.parts.every((p) => p.kind === 'Text') ? e.parts.map((p) => (p.kind === 'Text' ? p.value : '')).join('') : undefined;
}

/**
 * A variable named by a property (`Variable = total`, `ReturnVariable = "result"`). `Global:x`
 * keeps its prefix out of the name and says so.
 */
export function variableName(e: Expression): { name: string; global: boolean } | undefined {
  let text: string | undefined;
  let global = false;
  if (e.kind === 'Identifier') {
    text = e.name;
    global = (e as Expression & { global?: boolean }).global === true;
  } else text = plainString(e)?.trim();
  if (text === undefined) return undefined;
  const m = /^global:\s*(.*)$/i.exec(text);
  if (m) {
    text = m[1]!;
    global = true;
  }
  return /^[A-Za-z_][A-Za-z0-9_$]*$/.test(text) ? { name: text, global } : undefined;
}

/** A required variable-name property, reporting SNIP2016/SNIP1023 when absent or not a name. */
export function requiredVariable(ctx: ActionCompileContext, prop: string): string | undefined {
  const p = findProperty(ctx.action, prop);
  if (p === undefined) {
    ctx.report(diagnostic('SNIP2016', `${ctx.action.type} '${ctx.action.label.name}' needs the property '${prop}'`, ctx.action.label.range));
    return undefined;
  }
  const v = variableName(p.value);
  if (v === undefined) ctx.report(diagnostic('SNIP1023', `'${prop}' must name a variable`, p.value.range));
  return v?.name;
}

/** A choice property (`Type`, `MaxStringSize`): the identifier or string as written, or `fallback`. */
export function choice(ctx: ActionCompileContext, prop: string, allowed: readonly string[], fallback: string): string {
  const p = findProperty(ctx.action, prop);
  if (p === undefined) return fallback;
  const text = p.value.kind === 'Identifier' ? p.value.name : plainString(p.value);
  const hit = text === undefined ? undefined : allowed.find((a) => a.toLowerCase() === text.trim().toLowerCase());
  if (hit === undefined) {
    ctx.report(diagnostic('SNIP1023', `'${prop}' must be one of ${allowed.join(', ')}`, p.value.range));
    return fallback;
  }
  return hit;
}

/** Compiles an expression property; reports SNIP2016 when a required one is absent. */
export function expressionProperty(ctx: ActionCompileContext, prop: string, required: boolean): CompiledExpression | undefined {
  const p = findProperty(ctx.action, prop);
  if (p === undefined) {
    if (required) ctx.report(diagnostic('SNIP2016', `${ctx.action.type} '${ctx.action.label.name}' needs the property '${prop}'`, ctx.action.label.range));
    return undefined;
  }
  return compileExpression(p.value, { fileName: ctx.fileName });
}

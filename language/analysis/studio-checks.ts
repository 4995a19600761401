// Checks of a .studio script: action types, properties, branches and labels, the flow's
// reachability from BEGIN, and every SNIPPET body and property expression with script-wide
// variables (PARAMS and action outputs count as assigned).
import type { Action, Expression, StudioScript } from '../ast.js';
import { ACTIONS, branchNames, findAction, findActionProperty, type ActionSpec } from '../action-catalog.js';
import { assignedKeysEverywhere } from './assignments.js';
import { at, defineVariable, report, type AnalysisContext } from './context.js';
import { closestName } from './edit-distance.js';
import { declareFunctions, functionDeclarations } from './functions.js';
import { Walker } from './snippet-checks.js';

/** The variable a `Variable`/`...VarName` property names: an identifier or a plain string. */
function namedVariable(e: Expression): string | undefined {
  if (e.kind === 'Identifier') return e.name;
  if (e.kind === 'String' && e.parts.length === 1 && e.parts[0]!.kind === 'Text') {
    const name = e.parts[0]!.value.trim();
    return /^[A-Za-z_][A-Za-z0-9_$]*$/.test(name) ? name : undefined;
  }
  return undefined;
}

function declareLabels(ctx: AnalysisContext, script: StudioScript): void {
  for (const a of script.actions) {
    const previous = ctx.table.labels.get(a.label.key);
    if (previous) {
      report(ctx, 'SNIP2002', `label '${a.label.name}' is already used at ${at(previous.range)}`, a.label.range, 'error', {
        related: [{ message: 'first used here', range: previous.range }],
      });
      continue;
    }
    ctx.table.labels.set(a.label.key, {
      key: a.label.key,
      name: a.label.name,
      type: a.type.toUpperCase(),
      range: a.label.range,
      actionRange: a.range,
      references: [],
    });
    ctx.table.occurrences.push({ range: a.label.range, symbol: 'label', key: a.label.key, definition: true });
  }
}

/** Variables every action writes, for the read-before-assignment check inside functions. */
function outputsAnywhere(ctx: AnalysisContext, script: StudioScript): void {
  for (const p of script.params) ctx.assignedAnywhere.add(p.key);
  for (const a of script.actions) {
    if (a.body) assignedKeysEverywhere(a.body.body, ctx.assignedAnywhere);
    const spec = findAction(a.type);
    if (!spec) continue;
    for (const o of spec.outputs) ctx.assignedAnywhere.add(o.defaultVariable.toLowerCase());
    for (const p of a.properties) {
      const ps = findActionProperty(spec, p.name.name);
      if (ps && ('property' in ps || ps.kind === 'variable-name')) {
        const name = namedVariable(p.value);
        if (name) ctx.assignedAnywhere.add(name.toLowerCase());
      }
    }
  }
}

function checkProperties(ctx: AnalysisContext, walker: Walker, a: Action, spec: ActionSpec): void {
  const given = new Set<string>();
  for (const p of a.properties) {
    given.add(p.name.key);
    const ps = findActionProperty(spec, p.name.name);
    if (!ps) {
      const names = [...spec.properties.map((x) => x.name), ...spec.outputs.map((o) => o.property)];
      const suggestion = closestName(p.name.name, names);
      const known = names.length ? ` (it has ${names.join(', ')})` : ' (it has none)';
      report(
        ctx,
        'SNIP2017',
        `${spec.type} has no property '${p.name.name}'${suggestion ? `; did you mean '${suggestion}'?` : known}`,
        p.name.range,
        'warning',
        suggestion ? { data: { suggestion } } : undefined,
      );
      walker.expression(p.value);
      continue;
    }
    if ('property' in ps || ps.kind === 'variable-name') {
      const name = namedVariable(p.value);
      if (name) {
        const role = 'property' in ps ? 'action-output' : 'action-property';
        ctx.assigned.add(name.toLowerCase());
        defineVariable(ctx, name, p.value.range, role, 'unknown');
      } else walker.expression(p.value);
    } else if (ps.kind === 'expression') {
      walker.expression(p.value);
    }
  }
  for (const ps of spec.properties) {
    if (ps.required && !given.has(ps.name.toLowerCase())) {
      report(ctx, 'SNIP2016', `${spec.type} '${a.label.name}' needs the property '${ps.name}'`, a.label.range, 'error', {
        data: { property: ps.name },
      });
    }
  }
  for (const o of spec.outputs) {
    if (given.has(o.property.toLowerCase())) continue;
    ctx.assigned.add(o.defaultVariable.toLowerCase());
    const v = defineVariable(ctx, o.defaultVariable, undefined, 'action-output', 'unknown');
    // Points at the action; no occurrence, so the label keeps answering position lookups.
    v.definitions.push({ range: a.label.range, role: 'action-output' });
  }
}

function checkBranches(ctx: AnalysisContext, a: Action, spec: ActionSpec | undefined): void {
  for (const b of a.branches) {
    if (spec && b.name) {
      const names = branchNames(spec);
      if (spec.terminal) {
        report(ctx, 'SNIP2014', `${spec.type} ends the flow and has no branches`, b.name.range);
      } else if (!spec.caseValues && !names.some((n) => n.toLowerCase() === b.name!.key)) {
        const suggestion = closestName(b.name.name, names);
        report(
          ctx,
          'SNIP2014',
          `${spec.type} has no branch '${b.name.name}'${suggestion ? `; did you mean '${suggestion}'?` : ''} (branches: ${names.join(', ')})`,
          b.name.range,
          'error',
          suggestion ? { data: { suggestion } } : undefined,
        );
      }
    } else if (spec?.terminal) {
      report(ctx, 'SNIP2014', `${spec.type} ends the flow and has no branches`, b.range);
    }
    const label = ctx.table.labels.get(b.target.key);
    if (label) {
      label.references.push(b.target.range);
      ctx.table.occurrences.push({ range: b.target.range, symbol: 'label', key: label.key, definition: false });
    } else {
      const suggestion = closestName(b.target.name, [...ctx.table.labels.values()].map((l) => l.name));
      report(
        ctx,
        'SNIP2001',
        `no action is labelled '${b.target.name}'${suggestion ? `; did you mean '${suggestion}'?` : ''}`,
        b.target.range,
        'error',
        suggestion ? { data: { suggestion } } : undefined,
      );
    }
  }
}

/** Whether a run can leave `a` to the next action in the file (a taken branch is not wired). */
function fallsThrough(a: Action, spec: ActionSpec | undefined): boolean {
  if (spec?.terminal) return false;
  const wired = new Set(a.branches.map((b) => b.name?.key ?? 'default'));
  if (wired.has('default')) return false;
  if (!spec || spec.caseValues) return true;
  // One named branch (SNIPPET's Error, ASSIGN's Overflow) leaves Default as the normal outcome;
  // two or more (IF's True/False, CONNECT*'s OnSuccess/OnError/OnTimeout) cover every outcome.
  if (spec.branches.length < 2) return true;
  return spec.branches.some((n) => !wired.has(n.toLowerCase()));
}

function checkReachability(ctx: AnalysisContext, script: StudioScript): void {
  const actions = script.actions;
  const index = new Map<string, number>();
  actions.forEach((a, i) => {
    if (!index.has(a.label.key)) index.set(a.label.key, i);
  });
  const seen = new Set<number>();
  const stack = actions.flatMap((a, i) => (findAction(a.type)?.entry ? [i] : []));
  while (stack.length) {
    const i = stack.pop()!;
    if (seen.has(i)) continue;
    seen.add(i);
    const a = actions[i]!;
    for (const b of a.branches) {
      const j = index.get(b.target.key);
      if (j !== undefined) stack.push(j);
    }
    if (i + 1 < actions.length && fallsThrough(a, findAction(a.type))) stack.push(i + 1);
  }
  actions.forEach((a, i) => {
    if (!seen.has(i)) {
      report(ctx, 'SNIP2008', `action '${a.label.name}' can never run: no path leads to it from BEGIN`, a.label.range, 'warning');
    }
  });
}

/** Analyses a whole .studio script into `ctx`. */
export function checkStudioScript(ctx: AnalysisContext, script: StudioScript): void {
  declareLabels(ctx, script);
  declareFunctions(ctx, script.actions.flatMap((a) => (a.body ? functionDeclarations(a.body.body) : [])));
  outputsAnywhere(ctx, script);
  for (const p of script.params) {
    ctx.assigned.add(p.key);
    defineVariable(ctx, p.name, p.range, 'script-param', 'unknown');
  }
  const walker = new Walker(ctx);
  for (const a of script.actions) {
    const spec = findAction(a.type);
    if (!spec) {
      const suggestion = closestName(a.type, ACTIONS.map((x) => x.type));
      report(
        ctx,
        'SNIP2015',
        `unknown action type '${a.type}'${suggestion ? `; did you mean '${suggestion}'?` : ''}`,
        a.typeRange,
        'error',
        suggestion ? { data: { suggestion } } : undefined,
      );
      for (const p of a.properties) walker.expression(p.value);
    } else {
      checkProperties(ctx, walker, a, spec);
    }
    if (a.body) walker.statements(a.body.body);
    checkBranches(ctx, a, spec);
  }
  if (!script.actions.some((a) => findAction(a.type)?.entry)) {
    const range = script.actions[0]?.range ?? script.range;
    report(ctx, 'SNIP2018', 'the script has no BEGIN action: add `BEGIN start -> <first label>`', range);
  } else {
    checkReachability(ctx, script);
  }
}

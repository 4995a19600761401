// Compiles a parsed `.studio` script into a CompiledFlow: every action compiled once by its
// handler, labels resolved to indexes, branches checked. Problems come back as diagnostics and the
// flow is undefined: the engine refuses to start a script with an unknown label or action type.
import type { SnippetProgram, StudioScript } from '../../language/ast.js';
import { findAction } from '../../language/action-catalog.js';
import { diagnostic, type Diagnostic, type Result } from '../../language/diagnostics.js';
import { defaultActions, type ActionRegistry } from './actions/index.js';
import { snippetAction } from './actions/snippet.js';
import { collectGlobals } from './globals.js';
import type { CompiledFlow, FlowNode } from './types.js';

export interface CompileFlowOptions {
  fileName?: string;
  /** The source text the AST came from (ASSIGN Type String reads values as written). */
  source: string;
  actions?: ActionRegistry;
}

/** Compiles a `.studio` AST; `value` is undefined when any error was reported. */
export function compileFlow(script: StudioScript, options: CompileFlowOptions): Result<CompiledFlow | undefined> {
  const registry = options.actions ?? defaultActions;
  const diagnostics: Diagnostic[] = [];
  const report = (d: Diagnostic): void => void diagnostics.push(d);
  const labels = new Map<string, number>();
  script.actions.forEach((a, i) => {
    const seen = labels.get(a.label.key);
    if (seen !== undefined) {
      const first = script.actions[seen]!.label.range.start;
      report(diagnostic('SNIP2002', `label '${a.label.name}' is already used at ${first.line}:${first.column}`, a.label.range));
    } else labels.set(a.label.key, i);
  });
  const nodes: FlowNode[] = script.actions.map((action, index) => {
    const handler = registry.get(action.type);
    const spec = findAction(action.type);
    if (handler === undefined) {
      report(
        diagnostic(
          'SNIP2015',
          spec ? `the ${spec.type} action is not available in this build` : `unknown action type '${action.type}'`,
          action.typeRange,
        ),
      );
    }
    const branches = new Map<string, number>();
    for (const b of action.branches) {
      const target = labels.get(b.target.key);
      if (target === undefined) {
        report(diagnostic('SNIP2001', `no action is labelled '${b.target.name}' (branch of '${action.label.name}')`, b.target.range));
        continue;
      }
      branches.set(b.name?.key ?? 'default', target);
    }
    const compiled = handler
      ? handler.compile({ action, spec, fileName: options.fileName, source: options.source, report })
      : { run: () => ({ branch: 'Default' }) };
    return {
      index,
      label: action.label.name,
      type: action.type.toUpperCase(),
      line: action.range.start.line,
      compiled,
      branches,
      terminal: spec?.terminal === true,
    };
  });
  const start = nodes.findIndex((n) => n.type === 'BEGIN');
  if (start < 0) report(diagnostic('SNIP2018', 'the script has no BEGIN action to start from', script.range));
  const failed = diagnostics.some((d) => d.severity === 'error');
  const flow: CompiledFlow = {
    fileName: options.fileName,
    name: script.name ? script.name.parts.map((p) => (p.kind === 'Text' ? p.value : '')).join('') : undefined,
    params: script.params.map((p) => p.name),
    nodes,
    start,
    globals: collectGlobals(script),
    ast: script,
  };
  return { value: failed ? undefined : flow, diagnostics };
}

/** A `.snip` file as a flow of one SNIPPET action (labelled `snippet`). */
export function snippetFlow(program: SnippetProgram, fileName: string | undefined): CompiledFlow {
  const range = program.range;
  const label = { kind: 'Identifier' as const, name: 'snippet', key: 'snippet', range };
  const action = { kind: 'Action' as const, type: 'SNIPPET', typeRange: range, label, properties: [], body: program, branches: [], range };
  const compiled = snippetAction.compile({ action, spec: findAction('SNIPPET'), fileName, source: '', report: () => undefined });
  const node: FlowNode = { index: 0, label: 'snippet', type: 'SNIPPET', line: 1, compiled, branches: new Map(), terminal: false };
  const script: StudioScript = { kind: 'Studio', name: undefined, params: [], actions: [action], comments: [], range };
  return { fileName, name: undefined, params: [], nodes: [node], start: 0, globals: new Set(), ast: script };
}

// Variables of a paused run as DAP sees them: scopes per frame (Script, Function locals, System,
// Hub), dynamic objects expanded lazily with elements paged, and setVariable with Snippet values.
// Handles live until the run resumes. Secret values never enter: the Hub scope lists names only.
import { Handles, Scope } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { SYSTEM_VARIABLES } from '../language/action-catalog.js';
import type { DebugFrame, ScriptDebugger } from '../runtime/debug/debugger.js';
import { isSystemVariable } from '../runtime/debug/debugger.js';
import { evaluateText, type EvalScope } from '../runtime/debug/evaluate.js';
import { childCounts, children, setChild, valueText, valueType, type Child } from '../runtime/debug/values-view.js';
import type { HubServices } from '../runtime/hub/services.js';
import { valueFromPlain } from '../runtime/interpreter/plain.js';
import type { Value } from '../runtime/values.js';

type Ref =
  | { kind: 'script' | 'locals' | 'system' | 'hub'; frame: DebugFrame }
  | { kind: 'value'; value: Value; frame: DebugFrame }
  | { kind: 'connection'; name: string }
  | { kind: 'secrets'; names: string[] };

/** Turns a typed value text into a Snippet value: JSON objects/arrays, else a Snippet expression. */
export type ValueParser = (text: string, frame: DebugFrame) => Promise<{ ok: true; value: Value } | { ok: false; message: string }>;

/** A typed value: JSON objects and arrays become dynamic objects; anything else is a Snippet expression. */
export async function parseValue(text: string, scope: EvalScope): Promise<{ ok: true; value: Value } | { ok: false; message: string }> {
  const t = text.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return { ok: true, value: valueFromPlain(JSON.parse(t)) };
    } catch {
      return { ok: false, message: 'not valid JSON for a dynamic object' };
    }
  }
  const r = await evaluateText(t, scope);
  return r.ok ? r : { ok: false, message: `${r.code}: ${r.message}` };
}

export class VariableView {
  private handles = new Handles<Ref>();

  constructor(
    private readonly dbg: ScriptDebugger,
    private readonly hub: () => HubServices | undefined,
  ) {}

  /** Forgets every handle (the run moved on). */
  reset(): void {
    this.handles.reset();
  }

  scopes(frame: DebugFrame): Scope[] {
    const out: Scope[] = [new Scope('Script', this.handles.create({ kind: 'script', frame }), false)];
    if (frame.kind === 'function') out.unshift(new Scope('Function locals', this.handles.create({ kind: 'locals', frame }), false));
    out.push(new Scope('System', this.handles.create({ kind: 'system', frame }), false));
    if (this.hub() !== undefined) out.push(new Scope('Hub', this.handles.create({ kind: 'hub', frame }), true));
    return out;
  }

  /** A DAP variable for a value, expandable when it has children. */
  variable(name: string, value: Value, frame: DebugFrame, evaluateName?: string): DebugProtocol.Variable {
    const counts = childCounts(value);
    const expandable = counts.named + counts.indexed > 0;
    const v: DebugProtocol.Variable = {
      name,
      value: this.dbg.masked(valueText(value)),
      type: valueType(value),
      variablesReference: expandable ? this.handles.create({ kind: 'value', value, frame }) : 0,
    };
    if (evaluateName !== undefined) v.evaluateName = evaluateName;
    if (counts.indexed > 0) v.indexedVariables = counts.indexed;
    if (counts.named > 0 && counts.indexed > 0) v.namedVariables = counts.named;
    return v;
  }

  async variables(args: DebugProtocol.VariablesArguments): Promise<DebugProtocol.Variable[]> {
    const ref = this.handles.get(args.variablesReference);
    if (ref === undefined) return [];
    switch (ref.kind) {
      case 'script':
        return ref.frame.scope.store
          .entries()
          .filter(([n]) => !isSystemVariable(n))
          .map(([n, v]) => this.variable(n, v, ref.frame, n));
      case 'locals':
        return Object.entries(ref.frame.locals?.() ?? {}).map(([n, v]) => this.variable(n, valueFromPlain(v), ref.frame, n));
      case 'system': {
        const store = ref.frame.scope.store;
        const names = new Map<string, string>();
        for (const n of SYSTEM_VARIABLES) names.set(n.toLowerCase(), n);
        for (const [n] of store.entries()) if (isSystemVariable(n) && !names.has(n.toLowerCase())) names.set(n.toLowerCase(), n);
        return [...names.values()].map((n) => this.variable(n, store.get(n) ?? '', ref.frame, n));
      }
      case 'value':
        return children(ref.value, args.filter, args.start ?? 0, args.count).map((c) => this.variable(c.name, c.value, ref.frame));
      case 'hub':
        return this.hubVariables();
      case 'connection':
        return this.connectionVariables(ref.name);
      case 'secrets':
        // Names only: the value column never holds a secret, not even masked.
        return ref.names.map((n) => ({ name: n, value: '(secret)', type: 'secret', variablesReference: 0 }));
    }
  }

  private async hubVariables(): Promise<DebugProtocol.Variable[]> {
    const hub = this.hub();
    if (hub === undefined) return [];
    const out: DebugProtocol.Variable[] = [];
    for (const name of this.dbg.connections()) {
      let value: string;
      try {
        const c = await hub.store.getConnection(name);
        value = `${c.status}${this.dbg.connectionUsed(name) ? ', used in this run' : ''}`;
      } catch {
        value = 'not in the hub';
      }
      out.push({ name, value, type: 'connection', variablesReference: this.handles.create({ kind: 'connection', name }) });
    }
    return out;
  }

  private async connectionVariables(name: string): Promise<DebugProtocol.Variable[]> {
    const hub = this.hub();
    if (hub === undefined) return [];
    try {
      const c = await hub.store.getConnection(name);
      return [
        { name: 'status', value: c.status, variablesReference: 0 },
        { name: 'used in this run', value: this.dbg.connectionUsed(name) ? 'yes' : 'no', variablesReference: 0 },
        { name: 'template', value: c.template, variablesReference: 0 },
        { name: 'requests', value: c.requests.map((r) => r.name).join(', '), variablesReference: 0 },
        {
          name: 'secrets',
          value: `${c.secrets.length} (names only)`,
          variablesReference: c.secrets.length > 0 ? this.handles.create({ kind: 'secrets', names: [...c.secrets] }) : 0,
          indexedVariables: 0,
        },
      ];
    } catch (e) {
      return [{ name: 'error', value: this.dbg.masked(e instanceof Error ? e.message : String(e)), variablesReference: 0 }];
    }
  }

  /**
   * Sets a variable of a Script scope or a member/element of a dynamic object.
   * @throws Error with a message for the user when it cannot be set.
   */
  async setVariable(args: DebugProtocol.SetVariableArguments, parse: ValueParser): Promise<DebugProtocol.Variable> {
    const ref = this.handles.get(args.variablesReference);
    if (ref === undefined) throw new Error('the variable is no longer available');
    if (ref.kind !== 'script' && ref.kind !== 'system' && ref.kind !== 'value') {
      throw new Error(ref.kind === 'locals' ? 'function parameters cannot be changed here; change the script variable instead' : 'this value cannot be changed');
    }
    const parsed = await parse(args.value, ref.frame);
    if (!parsed.ok) throw new Error(parsed.message);
    if (ref.kind === 'value') {
      const target = children(ref.value, undefined).find((c: Child) => c.name === args.name);
      const key: Child['key'] = target?.key ?? { member: args.name };
      if (!setChild(ref.value, key, parsed.value)) throw new Error(`cannot set ${args.name}`);
    } else {
      ref.frame.scope.store.set(args.name, parsed.value);
    }
    return this.variable(args.name, parsed.value, ref.frame);
  }
}

// The contracts between the flow engine and its actions: how an action is compiled once per script
// and run many times, what it may touch in a run, and what it reports back (the branch it took).
import type { Action, Range, StudioScript } from '../../language/ast.js';
import type { ActionSpec } from '../../language/action-catalog.js';
import type { Diagnostic } from '../../language/diagnostics.js';
import type { SnipError } from '../errors.js';
import type { ExecEnv, FunctionRegistry, RunBudget, RunLimits, VariableStore } from '../interpreter/api.js';
import type { HubEvent, Masker, StatementEvent, TraceLevel } from '../trace/events.js';
import type { Value } from '../values.js';

/** What an action did: the branch it takes and, when it failed, the `_ERR` text. */
export interface ActionOutcome {
  /** `Default`, `Error`, `True`, a CASE value ... An unwired branch falls through (see engine.ts). */
  branch: string;
  /** Short error text (already stored in `_ERR` by the action). */
  error?: string;
  /** The error behind `error`, with its code and location. */
  cause?: SnipError;
  /** Terminal actions: END ends the flow, RETURN ends it with a value. */
  end?: 'end' | 'return';
  /** The RETURN action's value. */
  returnValue?: Value;
}

/** A subscript (RUNSUB) resolved and compiled by the host. */
export interface LoadedScript {
  flow: CompiledFlow;
  fileName: string;
}

/** Everything an action may use while it runs. One per run; never shared between runs. */
export interface ActionContext {
  readonly store: VariableStore;
  readonly functions: FunctionRegistry;
  readonly limits: RunLimits;
  /** Shared by every SNIPPET of the run (and its subscripts), so loops across actions are bounded. */
  readonly budget: RunBudget;
  readonly signal: AbortSignal | undefined;
  readonly fileName: string | undefined;
  /** The label of the action being run. */
  readonly label: string;
  /** Subscript nesting: 0 for the main script. */
  readonly depth: number;
  readonly traceLevel: TraceLevel;
  readonly masker: Masker;
  /**
   * Host services for actions that need them, opaque to the engine (the integration hub puts its
   * store and HTTP options here for CONNECTAUTH / CONNECTREQUEST / RESTAPI).
   */
  readonly services: Readonly<Record<string, unknown>> | undefined;
  /** An ExecEnv for compiled snippets and expressions of this run (TRACE and statement hooks wired). */
  env(overrides?: Partial<ExecEnv>): ExecEnv;
  /** Records a TRACE message (the engine puts it in the action event and emits a message event). */
  message(text: string, range: Range | undefined, fileName: string | undefined): void;
  /** Emits a statement event (trace level `statements`). */
  statement(event: Omit<StatementEvent, 'v' | 'seq' | 'at' | 'type' | 'label'>): void;
  /** Emits a hub event (token fetch/reuse/refresh, request, response) under this action's label. */
  hub?(event: Omit<HubEvent, 'v' | 'seq' | 'at' | 'type' | 'label'>): void;
  /** Resolves and compiles another `.studio` file, relative to this script (RUNSUB). */
  loadScript(name: string): Promise<LoadedScript>;
  /** Runs a compiled subscript in a fresh store, sharing this run's budget, trace and signal. */
  runSubscript(sub: LoadedScript, store: VariableStore): Promise<ActionOutcome>;
}

/** An action compiled once per script: immutable, safe to run concurrently in many runs. */
export interface CompiledAction {
  /** May return a promise: CONNECT* actions, WAIT, RUNSUB. The engine awaits it. */
  run(ctx: ActionContext): ActionOutcome | Promise<ActionOutcome>;
}

/** What an action handler gets when compiling: the action, its catalog spec, the script's source. */
export interface ActionCompileContext {
  action: Action;
  spec: ActionSpec | undefined;
  fileName: string | undefined;
  /** The whole source text, for properties read "as written" (ASSIGN Type String). */
  source: string;
  /** Reports a problem that prevents the script from starting. */
  report(diagnostic: Diagnostic): void;
}

/** One action type: registered in actions/index.ts (or passed by a host) and found by `type`. */
export interface ActionHandler {
  /** Upper-case type as written in `.studio` files. */
  readonly type: string;
  compile(ctx: ActionCompileContext): CompiledAction;
}

/** A node of a compiled flow: the action, its compiled form, and its resolved branches. */
export interface FlowNode {
  readonly index: number;
  readonly label: string;
  readonly type: string;
  readonly line: number;
  readonly compiled: CompiledAction;
  /** Lower-case branch name (`default` for `-> label`) -> index of the target node. */
  readonly branches: ReadonlyMap<string, number>;
  /** Whether the action ends the flow (END, RETURN). */
  readonly terminal: boolean;
}

/** A `.studio` script compiled for running: immutable and shareable between concurrent runs. */
export interface CompiledFlow {
  readonly fileName: string | undefined;
  readonly name: string | undefined;
  /** PARAMS, in order, as written. */
  readonly params: readonly string[];
  readonly nodes: readonly FlowNode[];
  /** Index of the BEGIN action. */
  readonly start: number;
  /** Lower-case names of `Global:` variables the script writes or reads (shared with a RUNSUB caller). */
  readonly globals: ReadonlySet<string>;
  readonly ast: StudioScript;
}

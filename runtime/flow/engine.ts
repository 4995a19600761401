// The flow engine: runs a CompiledFlow action by action, following branches (with fall-through),
// counting every action against the run's step budget, checking the clock and the abort signal
// before each action, and reporting one trace event per action.
import type { Range } from '../../language/ast.js';
import { SnipError, SnipLimitError } from '../errors.js';
import { FunctionRegistry, type DebugGate, type ExecEnv, type RunBudget, type RunLimits, type StatementInfo, type VariableStore } from '../interpreter/api.js';
import { cancelled } from '../interpreter/run.js';
import { ChangeLog } from '../trace/changes.js';
import type { TraceEmitter } from '../trace/emitter.js';
import type { ActionEvent, HubEvent, StatementEvent } from '../trace/events.js';
import type { SnipDate } from '../values.js';
import { nextNode } from './branches.js';
import type { ActionContext, ActionOutcome, CompiledFlow, FlowNode, LoadedScript } from './types.js';

/** What is fixed for a whole run, including its subscripts. */
export interface FlowRunOptions {
  limits: RunLimits;
  budget: RunBudget;
  signal: AbortSignal | undefined;
  trace: TraceEmitter;
  services: Readonly<Record<string, unknown>> | undefined;
  /** Resolves RUNSUB's ScriptName relative to the calling script's file. */
  loadScript(name: string, from: string | undefined): Promise<LoadedScript>;
  random?(): number;
  now?(): SnipDate;
  /** A debugger's hooks; their presence selects the debug compilation of snippets. */
  debug?: FlowDebugHook | undefined;
  /** Told of every hub event (unmasked, whatever the trace level): a host's metrics. */
  onHub?: ((event: HubObservation) => void) | undefined;
}

/** A hub event as `onHub` sees it. */
export type HubObservation = Omit<HubEvent, 'v' | 'seq' | 'at' | 'type' | 'label'>;

/**
 * What a debugger learns from the engine (runtime/debug implements it). Each call may return a
 * promise to pause the run there; a rejection ends the run with that error.
 */
export interface FlowDebugHook {
  /** Before an action runs (after its step was counted). */
  beforeAction(scope: FlowScope, node: FlowNode): void | Promise<void>;
  /** Before a statement of a SNIPPET (or a user function) runs. */
  beforeStatement(scope: FlowScope, label: string, info: StatementInfo): void | Promise<void>;
  /** After an action failed: `wired` tells whether its Error branch is wired. */
  afterError(scope: FlowScope, node: FlowNode, error: SnipError, wired: boolean): void | Promise<void>;
  /** When given, statements call `beforeStatement` only while it is armed (see DebugGate). */
  gate?: DebugGate;
  /** A statement failed: where the run stands (before `afterError` of its action). */
  statementFailed?(scope: FlowScope, label: string, info: StatementInfo): void;
}

/** Where a flow runs: its variables and user functions (a subscript gets its own). */
export interface FlowScope {
  flow: CompiledFlow;
  store: VariableStore;
  functions: FunctionRegistry;
  depth: number;
  /** The last action failure (a `.snip` run reports its snippet's error as the run's error). */
  lastError?: SnipError;
}

function actionRange(flow: CompiledFlow, node: FlowNode): Range {
  return flow.ast.actions[node.index]!.label.range;
}

/** Aborted, out of steps or out of time: checked before every action. */
function checkBudget(run: FlowRunOptions): void {
  if (run.signal?.aborted) throw cancelled(run.signal);
  const n = ++run.budget.steps;
  if (n > run.limits.maxSteps) {
    throw new SnipLimitError('SNIP3002', `Step limit exceeded: more than ${run.limits.maxSteps} steps (actions and statements); does a branch loop?`);
  }
  if (Date.now() > run.budget.startedAt + run.limits.maxTimeMs) {
    throw new SnipLimitError('SNIP3003', `Time limit exceeded: the run took longer than ${run.limits.maxTimeMs} ms`);
  }
}

/**
 * Whether the run's time slice is used up (a flow of quick synchronous actions that branches in a
 * loop must yield too); starts the slice on the first call.
 */
function sliceUsedUp(budget: RunBudget): boolean {
  const every = budget.yieldEveryMs;
  if (every === undefined || !(every > 0)) return false;
  const now = Date.now();
  if (budget.sliceEnd === undefined) budget.sliceEnd = now + every;
  else if (now >= budget.sliceEnd) {
    budget.sliceEnd = undefined;
    return true;
  }
  return false;
}

const turn = (): Promise<void> => new Promise<void>((resolve) => setTimeout(resolve, 0));

type HubReport = (event: Omit<HubEvent, 'v' | 'seq' | 'at' | 'type' | 'label'>) => void;

class Context implements ActionContext {
  readonly messages: string[] = [];
  /** The run's change log, when traced: statement events take their changes from it. */
  log: ChangeLog | undefined = undefined;
  private base: ExecEnv | undefined;

  constructor(
    private readonly run: FlowRunOptions,
    private readonly scope: FlowScope,
    readonly label: string,
  ) {}

  get store(): VariableStore {
    return this.scope.store;
  }
  get functions(): FunctionRegistry {
    return this.scope.functions;
  }
  get limits(): RunLimits {
    return this.run.limits;
  }
  get budget(): RunBudget {
    return this.run.budget;
  }
  get signal(): AbortSignal | undefined {
    return this.run.signal;
  }
  get fileName(): string | undefined {
    return this.scope.flow.fileName;
  }
  get depth(): number {
    return this.scope.depth;
  }
  get traceLevel(): ActionContext['traceLevel'] {
    return this.run.trace.level;
  }
  get masker(): ActionContext['masker'] {
    return this.run.trace.mask;
  }
  get services(): ActionContext['services'] {
    return this.run.services;
  }

  env(overrides?: Partial<ExecEnv>): ExecEnv {
    this.base ??= {
      store: this.store,
      functions: this.functions,
      limits: this.limits,
      budget: this.budget,
      signal: this.signal,
      random: this.run.random,
      now: this.run.now,
      onTrace: (message, range, fileName) => this.message(message, range, fileName),
      onStatement: this.run.trace.statements ? (info) => this.onStatement(info) : undefined,
      debug: this.run.debug ? this.debugHook(this.run.debug) : undefined,
    };
    return overrides ? { ...this.base, ...overrides } : this.base;
  }

  private debugHook(hook: FlowDebugHook): ExecEnv['debug'] {
    const beforeStatement = (info: StatementInfo): void | Promise<void> => hook.beforeStatement(this.scope, this.label, info);
    const failed = (info: StatementInfo): void => hook.statementFailed?.(this.scope, this.label, info);
    return hook.gate !== undefined ? { beforeStatement, failed, gate: hook.gate } : { beforeStatement, failed };
  }

  message(text: string, range: Range | undefined, fileName: string | undefined): void {
    this.messages.push(text);
    this.run.trace.emit({ type: 'message', label: this.label, message: text, fileName, line: range?.start.line ?? 0 });
  }

  statement(event: Omit<StatementEvent, 'v' | 'seq' | 'at' | 'type' | 'label'>): void {
    this.run.trace.emit({ type: 'statement', label: this.label, ...event });
  }

  /**
   * Reports a hub event to the trace and to `onHub`; undefined when the run traces nothing and no
   * host listens, so actions skip describing requests and tokens no one reads.
   */
  get hub(): HubReport | undefined {
    // Made once per action (actions read it several times), and only when someone listens.
    if (this.hubReport === undefined) {
      const onHub = this.run.onHub;
      const traced = this.run.trace.enabled;
      this.hubReport =
        traced || onHub
          ? (event) => {
              onHub?.(event);
              if (traced) this.run.trace.emit({ type: 'hub', label: this.label, ...event });
            }
          : null;
    }
    return this.hubReport ?? undefined;
  }

  private hubReport: HubReport | null | undefined;

  private onStatement(info: StatementInfo): void {
    // From the change log: only what the action reached is compared, not every variable of the run.
    this.statement({
      statement: info.kind,
      fileName: info.fileName,
      line: info.range.start.line,
      column: info.range.start.column,
      changes: this.log?.statementChanges() ?? [],
    });
  }

  loadScript(name: string): Promise<LoadedScript> {
    return this.run.loadScript(name, this.fileName);
  }

  runSubscript(sub: LoadedScript, store: VariableStore): Promise<ActionOutcome> {
    return runFlow(this.run, { flow: sub.flow, store, functions: new FunctionRegistry(), depth: this.depth + 1 });
  }
}

/**
 * Runs a flow from its BEGIN to END/RETURN (or past its last action). Returns the terminal
 * outcome; throws a located SnipError for what ends the run (limits, abort, engine errors).
 */
export async function runFlow(run: FlowRunOptions, scope: FlowScope): Promise<ActionOutcome> {
  // Changed variables come from a write log, not from snapshots of every variable (trace/changes.ts).
  const log = run.trace.enabled ? new ChangeLog(scope.store, scope.functions, run.trace.statements) : undefined;
  try {
    return await runNodes(run, scope, log);
  } finally {
    log?.close();
  }
}

async function runNodes(run: FlowRunOptions, scope: FlowScope, log: ChangeLog | undefined): Promise<ActionOutcome> {
  const { flow } = scope;
  const count = flow.nodes.length;
  let index: number | undefined = flow.start;
  while (index !== undefined) {
    const node: FlowNode = flow.nodes[index]!;
    const ctx = new Context(run, scope, node.label);
    ctx.log = log;
    log?.begin();
    const t0 = performance.now();
    let outcome: ActionOutcome;
    try {
      if (sliceUsedUp(run.budget)) await turn();
      checkBudget(run);
      if (run.debug !== undefined) await run.debug.beforeAction(scope, node);
      const r = node.compiled.run(ctx);
      outcome = r instanceof Promise ? await r : r;
    } catch (e) {
      const err = e instanceof SnipError ? e : new SnipError('SNIP3001', `Internal error: ${e instanceof Error ? e.message : String(e)}`);
      if (err.range === undefined) {
        err.range = actionRange(flow, node);
        err.fileName = flow.fileName;
      }
      if (run.debug !== undefined && err.code !== 'SNIP3015') await run.debug.afterError(scope, node, err, false);
      report(run, scope, node, ctx, log, t0, { branch: 'Error', error: err.shortText() }, undefined);
      throw err;
    }
    if (outcome.cause !== undefined) scope.lastError = outcome.cause;
    if (run.debug !== undefined && outcome.cause !== undefined) await run.debug.afterError(scope, node, outcome.cause, node.branches.has(outcome.branch.toLowerCase()));
    const next = outcome.end ? undefined : nextNode(node, outcome.branch, count);
    report(run, scope, node, ctx, log, t0, outcome, next);
    if (outcome.end) return outcome;
    index = next;
  }
  return { branch: 'Default', end: 'end' };
}

function report(
  run: FlowRunOptions,
  scope: FlowScope,
  node: FlowNode,
  ctx: Context,
  log: ChangeLog | undefined,
  t0: number,
  outcome: ActionOutcome,
  next: number | undefined,
): void {
  if (log === undefined) return;
  const t1 = performance.now();
  const durationMs = Math.round((t1 - t0) * 1000) / 1000;
  const event: Omit<ActionEvent, 'v' | 'seq' | 'at'> = {
    type: 'action',
    label: node.label,
    action: node.type,
    branch: node.terminal ? undefined : outcome.branch,
    next: next === undefined ? undefined : scope.flow.nodes[next]!.label,
    durationMs,
    changes: log.changes(),
    error: outcome.error,
    messages: ctx.messages,
    fileName: scope.flow.fileName,
    line: node.line,
  };
  run.trace.action(event, t1);
}

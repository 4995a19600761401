// The debugger-facing runtime (the "mockRuntime" role): runs a script under the flow engine's
// debug hooks, keeps the frames of the paused run, decides where to stop (breakpoints, steps,
// pause, exceptions) and tells its host through callbacks. It knows nothing of DAP.
import { promises as fs } from 'node:fs';
import { SYSTEM_VARIABLES } from '../../language/action-catalog.js';
import { formatDiagnostic } from '../../language/diagnostics.js';
import { SnipError, SnipLimitError } from '../errors.js';
import type { FlowDebugHook, FlowScope } from '../flow/engine.js';
import type { FlowNode } from '../flow/types.js';
import type { DebugGate, RunLimitsInput, StatementInfo } from '../interpreter/api.js';
import { runScript, type RunScriptResult } from '../run-script.js';
import { noMask, type Masker, type TraceEvent, type TraceLevel } from '../trace/events.js';
import { isTruthy, toText } from '../values.js';
import { BreakpointTable, hitMatches, type Breakpoint, type BreakpointRequest, type FunctionBreakpoint } from './breakpoints.js';
import { evaluateText, interpolate, type EvalScope } from './evaluate.js';
import { functionAt, indexSource, type SourceIndex } from './source-index.js';
import { RunPosition, type DebugFrame } from './frames.js';
import { stepEnds, type Step } from './stepping.js';
import { traceLine } from './trace-lines.js';

export type { DebugFrame } from './frames.js';

/** What a debug run is started with. */
export interface DebugLaunch {
  /** Absolute path of the `.snip` or `.studio` file. */
  program: string;
  inputs?: Record<string, unknown>;
  limits?: RunLimitsInput;
  /** Which trace events reach the console: off (TRACE messages only), actions, statements. */
  traceLevel?: TraceLevel;
  stopOnEntry?: boolean;
  /** The integration hub for CONNECT* actions (opened and closed by the host). */
  hub?: unknown;
  /** Masks secrets and tokens in everything the debugger hands out. */
  mask?: Masker;
}

export type StopReason = 'entry' | 'breakpoint' | 'function breakpoint' | 'step' | 'pause' | 'exception';

/** What the host hears. */
export interface DebuggerEvents {
  stopped(reason: StopReason, detail: { breakpointIds?: number[]; text?: string }): void;
  /** TRACE output (`stdout`), trace events and logpoints (`console`), the run's error (`stderr`). */
  output(category: 'stdout' | 'console' | 'stderr', text: string, where?: { file: string; line: number }): void;
  ended(result: RunScriptResult): void;
  /** Function breakpoints found in a file read after they were set (now verified). */
  functionBreakpointsVerified(ids: number[]): void;
}

/** The error the run stopped on (exception breakpoints). */
export interface StoppedError {
  code: string;
  message: string;
  wired: boolean;
}

const YIELD_EVERY = 255;
const YIELD_AFTER_MS = 15;

/** Lower-case names the System scope shows. */
const SYSTEM = new Set(SYSTEM_VARIABLES.map((n) => n.toLowerCase()));

/** Whether a variable belongs in the System scope (`_ERR`, `__httpstatuscode`, ...). */
export function isSystemVariable(name: string): boolean {
  return SYSTEM.has(name.toLowerCase()) || name.startsWith('__');
}

/** One debug session's runtime: at most one run at a time. */
export class ScriptDebugger {
  readonly breakpoints = new BreakpointTable();
  private readonly indexes = new Map<string, SourceIndex | undefined>();
  private exceptionFilters = new Set<string>();
  private position = new RunPosition(false);
  private mainKind: 'snip' | 'studio' = 'studio';
  private step: Step | undefined;
  private pauseRequested = false;
  private entryPending = false;
  private resume: (() => void) | undefined;
  private cancel: ((e: Error) => void) | undefined;
  private controller: AbortController | undefined;
  private running: Promise<RunScriptResult> | undefined;
  private counter = 0;
  private lastYield = 0;
  private lastError: StoppedError | undefined;
  private readonly usedConnections = new Set<string>();
  /** Function breakpoints no file read so far declares. */
  private pendingFunctions: FunctionBreakpoint[] = [];
  private mask: Masker = noMask;
  private traceLevel: TraceLevel = 'actions';
  /** Armed while anything could stop the run; unarmed, statements skip the hook (see DebugGate). */
  private readonly gate: DebugGate = { armed: true };

  constructor(private readonly events: DebuggerEvents) {}

  /** Masks secrets and tokens of the current run. */
  masked(text: string): string {
    return this.mask(text);
  }

  /** The static facts of a file, read once (undefined when it cannot be read). */
  async index(file: string): Promise<SourceIndex | undefined> {
    if (this.indexes.has(file)) return this.indexes.get(file);
    let idx: SourceIndex | undefined;
    try {
      idx = indexSource(file, await fs.readFile(file, 'utf8'));
    } catch {
      idx = undefined;
    }
    this.indexes.set(file, idx);
    // Function breakpoints set before this file was seen may name one of its functions.
    const names = new Set((idx?.functions ?? []).map((f) => f.name.toLowerCase()));
    const found = this.pendingFunctions.filter((bp) => names.has(bp.name.toLowerCase()));
    if (found.length > 0) {
      this.pendingFunctions = this.pendingFunctions.filter((bp) => !found.includes(bp));
      this.events.functionBreakpointsVerified(found.map((bp) => bp.id));
    }
    return idx;
  }

  async setBreakpoints(file: string, requests: BreakpointRequest[]): Promise<Breakpoint[]> {
    this.indexes.delete(file);
    const out = this.breakpoints.setForFile(file, await this.index(file), requests);
    this.rearm();
    return out;
  }

  /** Function breakpoints, verified when some known file declares the function. */
  setFunctionBreakpoints(requests: { name: string; condition?: string; hitCondition?: string }[]): { bp: FunctionBreakpoint; verified: boolean }[] {
    const known = new Set<string>();
    for (const idx of this.indexes.values()) for (const f of idx?.functions ?? []) known.add(f.name.toLowerCase());
    const out = this.breakpoints.setFunctions(requests).map((bp) => ({ bp, verified: known.has(bp.name.toLowerCase()) }));
    this.pendingFunctions = out.filter((x) => !x.verified).map((x) => x.bp);
    this.rearm();
    return out;
  }

  /** `all`: every error; `uncaught`: errors whose Error branch is not wired. */
  setExceptionFilters(filters: string[]): void {
    this.exceptionFilters = new Set(filters);
  }

  /** Starts the run; `ended` fires when it is over. */
  async start(launch: DebugLaunch): Promise<void> {
    const idx = await this.index(launch.program);
    this.mainKind = idx?.kind ?? (launch.program.toLowerCase().endsWith('.snip') ? 'snip' : 'studio');
    this.mask = launch.mask ?? noMask;
    this.traceLevel = launch.traceLevel ?? 'actions';
    this.entryPending = launch.stopOnEntry === true;
    this.position = new RunPosition(this.mainKind === 'snip');
    this.step = undefined;
    this.pauseRequested = false;
    this.usedConnections.clear();
    this.controller = new AbortController();
    this.rearm();
    const hook: FlowDebugHook = {
      beforeAction: (scope, node) => this.beforeAction(scope, node),
      beforeStatement: (scope, label, info) => this.beforeStatement(scope, label, info),
      afterError: (scope, node, error, wired) => this.afterError(scope, node, error, wired),
      gate: this.gate,
      statementFailed: (scope, label, info) => this.position.statement(scope, label, info),
    };
    const run = runScript(launch.program, {
      fileName: launch.program,
      inputs: launch.inputs ?? {},
      // Time spent paused must not count: without an explicit limit the clock is off.
      limits: { maxTimeMs: 365 * 24 * 3600 * 1000, ...launch.limits },
      traceLevel: this.traceLevel === 'statements' ? 'statements' : 'actions',
      onTrace: (e) => this.onTrace(e),
      signal: this.controller.signal,
      ...(launch.hub !== undefined ? { hub: launch.hub } : {}),
      masker: this.mask,
      debug: hook,
    });
    this.running = run;
    void run.catch((e: unknown): RunScriptResult => {
      // runScript reports script problems as values; anything thrown is a host problem, shown short.
      const message = e instanceof Error ? e.message : String(e);
      return { outputs: {}, variables: {}, error: { code: 'SNIP3001', message: `Internal error: ${message}` } };
    }).then((result) => {
      this.running = undefined;
      this.position.clear();
      if (result.diagnostics !== undefined) {
        for (const d of result.diagnostics.filter((x) => x.severity === 'error')) {
          this.events.output('stderr', this.mask(`${formatDiagnostic(launch.program, d)}\n`), { file: launch.program, line: d.range.start.line });
        }
      } else if (result.error !== undefined && result.error.code !== 'SNIP3015') {
        const e = result.error;
        const where = e.line !== undefined ? `${e.fileName ?? launch.program}:${e.line}:${e.column}: ` : '';
        this.events.output('stderr', this.mask(`${where}error ${e.code}: ${e.message}\n`));
      }
      this.events.ended(result);
    });
  }

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  get isPaused(): boolean {
    return this.resume !== undefined;
  }

  /** Ends the run (an in-flight request is abandoned) and waits until it is over. */
  async stop(): Promise<void> {
    const running = this.running;
    if (running === undefined) return;
    this.controller?.abort();
    const cancel = this.cancel;
    this.resume = undefined;
    this.cancel = undefined;
    cancel?.(new SnipLimitError('SNIP3015', 'The run was cancelled'));
    await running;
  }

  continue(): void {
    this.step = undefined;
    this.release();
  }

  stepOver(): void {
    this.startStep('over');
  }
  stepIn(): void {
    this.startStep('in');
  }
  stepOut(): void {
    this.startStep('out');
  }

  /** Stops at the next statement or action (even inside a tight loop). */
  pause(): void {
    if (this.running !== undefined && !this.isPaused) {
      this.pauseRequested = true;
      this.rearm();
    }
  }

  /** Frames of the paused run, innermost first. */
  frames(): DebugFrame[] {
    return this.position.frames(this.indexes);
  }

  /** The error the run is stopped on, if it stopped for one. */
  get stoppedError(): StoppedError | undefined {
    return this.lastError;
  }

  /** Connections the run's scripts name or have used, for the Hub scope. */
  connections(): string[] {
    const names = new Set<string>();
    for (const file of this.position.files()) for (const c of this.indexes.get(file)?.connections ?? []) names.add(c);
    for (const c of this.usedConnections) names.add(c);
    return [...names];
  }

  /** Whether a connection has been used in this run (seen in its hub events). */
  connectionUsed(name: string): boolean {
    return this.usedConnections.has(name);
  }

  /** What expressions of `frame` see. */
  evalScope(frame: DebugFrame): EvalScope {
    return { store: frame.scope.store, functions: frame.scope.functions, ...(frame.locals ? { locals: frame.locals() } : {}) };
  }

  /** Evaluates in a frame; `pureOnly` refuses side effects (hover). */
  evaluate(text: string, frame: DebugFrame, pureOnly: boolean): ReturnType<typeof evaluateText> {
    return evaluateText(text, this.evalScope(frame), pureOnly);
  }

  // --- hooks ------------------------------------------------------------------------------------

  private depthOf(scope: FlowScope, fnDepth: number): number {
    return scope.depth + fnDepth;
  }

  private beforeAction(scope: FlowScope, node: FlowNode): void | Promise<void> {
    const d = scope.depth;
    this.position.action(scope, node);
    // A .snip file runs as one implicit SNIPPET action: nothing to stop at there.
    if (d === 0 && this.mainKind === 'snip') return this.maybeYield();
    const file = scope.flow.fileName;
    if (file !== undefined && !this.indexes.has(file)) return this.index(file).then(() => this.decide(file, node.line, this.depthOf(scope, 0), true, undefined));
    return this.decide(file, node.line, this.depthOf(scope, 0), true, undefined);
  }

  private beforeStatement(scope: FlowScope, label: string, info: StatementInfo): void | Promise<void> {
    // The interpreter arms the gate at its clock checks: a chance to let requests in, then disarm.
    if (!this.rearm()) return this.yieldIfDue();
    this.position.statement(scope, label, info);
    // A function was just entered when this is the first statement of its body (also in recursion).
    let fnName: string | undefined;
    if (info.depth > 0 && this.breakpoints.hasFunctionBreakpoints) {
      const idx = this.indexes.get(info.fileName ?? '');
      const site = idx !== undefined ? functionAt(idx, info.range) : undefined;
      if (site !== undefined && site.firstOffset === info.range.start.offset) fnName = site.name;
    }
    return this.decide(info.fileName, info.range.start.line, this.depthOf(scope, info.depth), false, fnName);
  }

  private afterError(_scope: FlowScope, _node: FlowNode, error: SnipError, wired: boolean): void | Promise<void> {
    const stop = this.exceptionFilters.has('all') || (this.exceptionFilters.has('uncaught') && !wired);
    if (!stop) return;
    this.lastError = { code: error.code, message: this.mask(error.message), wired };
    this.step = undefined;
    return this.pauseHere('exception', { text: this.mask(`${error.code}: ${error.message}`) });
  }

  /** Decides whether to stop here; otherwise sometimes yields so that a pause request gets in. */
  private decide(file: string | undefined, line: number, depth: number, atAction: boolean, fnName: string | undefined): void | Promise<void> {
    // The common case while running: nothing armed, only the occasional yield for a pause request.
    if (this.step === undefined && !this.pauseRequested && !this.entryPending && this.breakpoints.empty) return this.maybeYield();
    if (this.entryPending) {
      this.entryPending = false;
      this.step = undefined;
      return this.pauseHere('entry', {});
    }
    if (this.pauseRequested) {
      this.pauseRequested = false;
      this.step = undefined;
      return this.pauseHere('pause', {});
    }
    const bps = this.breakpoints.at(file, line);
    const fbs = fnName !== undefined ? this.breakpoints.functions(fnName) : [];
    if (bps.length > 0 || fbs.length > 0) return this.checkBreakpoints(bps, fbs, depth, atAction);
    if (this.step !== undefined && stepEnds(this.step, depth, atAction)) {
      this.step = undefined;
      return this.pauseHere('step', {});
    }
    return this.maybeYield();
  }

  private async checkBreakpoints(bps: Breakpoint[], fbs: FunctionBreakpoint[], depth: number, atAction: boolean): Promise<void> {
    const frame = this.frames()[0];
    const scope = frame !== undefined ? this.evalScope(frame) : undefined;
    const hit: number[] = [];
    let fnHit = false;
    for (const bp of [...bps, ...fbs]) {
      if (bp.condition !== undefined && scope !== undefined) {
        const r = await evaluateText(bp.condition, scope);
        if (!r.ok) this.events.output('console', this.mask(`breakpoint condition '${bp.condition}' failed: ${r.code} ${r.message}\n`));
        else if (!isTruthy(r.value)) continue;
      }
      bp.hits++;
      if (!hitMatches(bp.hitCondition, bp.hits)) continue;
      if ('logMessage' in bp && bp.logMessage !== undefined) {
        const text = scope !== undefined ? await interpolate(bp.logMessage, scope, toText) : bp.logMessage;
        this.events.output('console', this.mask(text + '\n'), frame ? { file: frame.file, line: frame.line } : undefined);
        continue;
      }
      hit.push(bp.id);
      if (!('line' in bp)) fnHit = true;
    }
    if (hit.length > 0) {
      this.step = undefined;
      return this.pauseHere(fnHit ? 'function breakpoint' : 'breakpoint', { breakpointIds: hit });
    }
    if (this.step !== undefined && stepEnds(this.step, depth, atAction)) {
      this.step = undefined;
      return this.pauseHere('step', {});
    }
  }

  /**
   * Whether anything could stop the run at a statement: a breakpoint (line or function), a step,
   * a pause request, the entry stop. Called whenever one of them changes.
   */
  private rearm(): boolean {
    return (this.gate.armed = this.step !== undefined || this.pauseRequested || this.entryPending || !this.breakpoints.empty);
  }

  private maybeYield(): void | Promise<void> {
    if ((++this.counter & YIELD_EVERY) !== 0) return;
    return this.yieldIfDue();
  }

  /** Lets the host's event loop in (a pause request, new breakpoints) once a time slice is used. */
  private yieldIfDue(): void | Promise<void> {
    const now = performance.now();
    if (now - this.lastYield < YIELD_AFTER_MS) return;
    return new Promise<void>((resolve) => setImmediate(() => {
      this.lastYield = performance.now();
      resolve();
    }));
  }

  private pauseHere(reason: StopReason, detail: { breakpointIds?: number[]; text?: string }): Promise<void> {
    if (this.controller?.signal.aborted) return Promise.reject(new SnipLimitError('SNIP3015', 'The run was cancelled'));
    if (reason !== 'exception') this.lastError = undefined;
    this.rearm();
    const p = new Promise<void>((resolve, reject) => {
      this.resume = resolve;
      this.cancel = reject;
    });
    this.events.stopped(reason, detail);
    return p;
  }

  private release(): void {
    const resume = this.resume;
    this.resume = undefined;
    this.cancel = undefined;
    this.lastYield = performance.now();
    this.rearm();
    resume?.();
  }

  private startStep(kind: Step['kind']): void {
    const top = this.position.top();
    if (top === undefined) return this.continue();
    this.step = { kind, depth: top.depth, fromAction: top.atAction, fnDepth: top.fnDepth };
    this.release();
  }


  private onTrace(e: TraceEvent): void {
    if (e.type === 'hub') this.usedConnections.add(e.connection);
    const line = traceLine(e, this.traceLevel, this.mainKind === 'snip');
    if (line !== undefined) this.events.output(line.category, line.text, line.where);
  }
}

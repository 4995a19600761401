// The Snippet debug adapter: translates DAP requests into calls on the runtime's ScriptDebugger and
// its callbacks into DAP events. It runs no script code itself. Every message it sends passes the
// run's Masker first, so no secret or token leaves in a variable, evaluation, output or exception.
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  Breakpoint,
  BreakpointEvent,
  DebugSession,
  ExitedEvent,
  InitializedEvent,
  OutputEvent,
  Source,
  StackFrame,
  StoppedEvent,
  TerminatedEvent,
  Thread,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ScriptDebugger, type DebugFrame, type StopReason } from '../runtime/debug/debugger.js';
import { hubDirFrom } from '../runtime/hub/file-store.js';
import { openFileHub, type HubServices } from '../runtime/hub/services.js';
import type { RunScriptResult } from '../runtime/run-script.js';
import { CAPABILITIES } from './capabilities.js';
import { checkLaunch, LaunchError, type CheckedLaunch, type SnipLaunchArguments } from './launch-args.js';
import { maskDeep } from './mask-message.js';
import { parseValue, VariableView } from './variables.js';

const THREAD = 1;
/** How long launch waits for configurationDone before it runs anyway. */
const CONFIG_WAIT_MS = 10_000;

/** DAP error ids (the `id` of an error response's message). */
const ERR = { launch: 3041, notPaused: 3042, evaluate: 3040, setVariable: 3043 } as const;

/** The adapter for one client connection. */
export class SnipDebugSession extends DebugSession {
  private readonly dbg: ScriptDebugger;
  private readonly view: VariableView;
  private hub: HubServices | undefined;
  /** Whether the hub folder exists (no Hub scope for a workspace without one). */
  private hubExists = false;
  private launched: CheckedLaunch | undefined;
  private configured!: Promise<void>;
  private markConfigured!: () => void;
  private frames: DebugFrame[] = [];
  private restarting = false;
  private exitCode = 0;

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
    this.configured = new Promise<void>((resolve) => (this.markConfigured = resolve));
    this.dbg = new ScriptDebugger({
      stopped: (reason, detail) => this.onStopped(reason, detail),
      output: (category, text, where) => this.onOutput(category, text, where),
      ended: (result) => void this.onEnded(result),
      functionBreakpointsVerified: (ids) => {
        for (const id of ids) this.sendEvent(new BreakpointEvent('changed', { id, verified: true } as DebugProtocol.Breakpoint));
      },
    });
    this.view = new VariableView(this.dbg, () => (this.hubExists ? this.hub : undefined));
  }

  /** A handler's unexpected failure: an error response with a short text, never a crash or a stack. */
  private failed(response: DebugProtocol.Response, e: unknown): void {
    this.sendErrorResponse(response, { id: 3001, format: `SNIP3001: ${response.command} failed: ${e instanceof Error ? e.message : String(e)}`, showUser: false });
  }

  /** Masks every string of every outgoing message. */
  override sendEvent(event: DebugProtocol.Event): void {
    super.sendEvent(maskDeep(event, (t) => this.dbg.masked(t)));
  }

  override sendResponse(response: DebugProtocol.Response): void {
    super.sendResponse(maskDeep(response, (t) => this.dbg.masked(t)));
  }

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = CAPABILITIES;
    this.sendResponse(response);
    this.sendEvent(new InitializedEvent());
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.markConfigured();
    this.sendResponse(response);
  }

  protected override async launchRequest(response: DebugProtocol.LaunchResponse, args: SnipLaunchArguments): Promise<void> {
    try {
      try {
        this.launched = await checkLaunch(args);
      } catch (e) {
        const message = e instanceof LaunchError ? e.message : 'the launch configuration cannot be used';
        return this.sendErrorResponse(response, { id: ERR.launch, format: `SNIP3041: ${message}`, showUser: true });
      }
      await Promise.race([this.configured, new Promise((r) => setTimeout(r, CONFIG_WAIT_MS).unref())]);
      // Answer first: the run may stop (and say so) at once.
      this.sendResponse(response);
      await this.startRun();
    } catch (e) {
      this.failed(response, e);
    }
  }

  private async startRun(): Promise<void> {
    const l = this.launched!;
    this.hubExists = existsSync(path.resolve(l.cwd, hubDirFrom(l.hub, process.env)));
    this.hub = openFileHub({
      ...(l.hub !== undefined ? { dir: l.hub } : {}),
      cwd: l.cwd,
      env: process.env,
      notice: (t) => this.onOutput('console', `${t}\n`),
    });
    // The masker learns the secrets of the connections the script names before anything can show them.
    const idx = await this.dbg.index(l.program);
    for (const name of idx?.connections ?? []) await this.hub.connection(name).catch(() => undefined);
    this.exitCode = 0;
    await this.dbg.start({
      program: l.program,
      inputs: l.inputs,
      limits: l.limits,
      traceLevel: l.trace,
      stopOnEntry: l.stopOnEntry,
      hub: this.hub,
      mask: this.hub.mask,
    });
  }

  protected override async setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): Promise<void> {
    try {
      const file = args.source.path !== undefined ? path.resolve(args.source.path) : undefined;
      const requested: DebugProtocol.SourceBreakpoint[] = args.breakpoints ?? (args.lines ?? []).map((line) => ({ line }));
      if (file === undefined) {
        response.body = { breakpoints: requested.map(() => ({ verified: false, message: 'only files on disk can have breakpoints' })) };
        return this.sendResponse(response);
      }
      const set = await this.dbg.setBreakpoints(
        file,
        requested.map((b) => ({
          line: b.line,
          ...(b.condition !== undefined ? { condition: b.condition } : {}),
          ...(b.hitCondition !== undefined ? { hitCondition: b.hitCondition } : {}),
          ...(b.logMessage !== undefined ? { logMessage: b.logMessage } : {}),
        })),
      );
      response.body = {
        breakpoints: set.map((bp) => {
          const out: DebugProtocol.Breakpoint = new Breakpoint(bp.verified, bp.line, bp.column, this.source(file));
          out.id = bp.id;
          if (bp.message !== undefined) out.message = bp.message;
          return out;
        }),
      };
      this.sendResponse(response);
    } catch (e) {
      this.failed(response, e);
    }
  }

  protected override setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    const set = this.dbg.setFunctionBreakpoints(
      args.breakpoints.map((b) => ({
        name: b.name,
        ...(b.condition !== undefined ? { condition: b.condition } : {}),
        ...(b.hitCondition !== undefined ? { hitCondition: b.hitCondition } : {}),
      })),
    );
    response.body = {
      breakpoints: set.map(({ bp, verified }) => ({
        id: bp.id,
        verified,
        ...(verified ? {} : { message: `no FUNCTION ${bp.name} in the files seen so far; it stops there if one is declared` }),
      })),
    };
    this.sendResponse(response);
  }

  protected override setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    this.dbg.setExceptionFilters(args.filters);
    this.sendResponse(response);
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: [new Thread(THREAD, 'script')] };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    if (this.dbg.isPaused && this.frames.length === 0) this.frames = this.dbg.frames();
    const start = args.startFrame ?? 0;
    const end = args.levels ? start + args.levels : this.frames.length;
    response.body = {
      stackFrames: this.frames.slice(start, end).map((f) => new StackFrame(f.id + 1, f.name, this.source(f.file), f.line, f.column)),
      totalFrames: this.frames.length,
    };
    this.sendResponse(response);
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    const frame = this.frame(args.frameId);
    response.body = { scopes: frame ? this.view.scopes(frame) : [] };
    this.sendResponse(response);
  }

  protected override async variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): Promise<void> {
    try {
      response.body = { variables: await this.view.variables(args) };
      this.sendResponse(response);
    } catch (e) {
      this.failed(response, e);
    }
  }

  protected override async setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): Promise<void> {
    try {
      try {
        const v = await this.view.setVariable(args, (text, frame) => parseValue(text, this.dbg.evalScope(frame)));
        response.body = { value: v.value, ...(v.type !== undefined ? { type: v.type } : {}), variablesReference: v.variablesReference };
        this.sendResponse(response);
      } catch (e) {
        this.sendErrorResponse(response, { id: ERR.setVariable, format: e instanceof Error ? e.message : String(e), showUser: true });
      }
    } catch (e) {
      this.failed(response, e);
    }
  }

  protected override async evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): Promise<void> {
    try {
      const frame = args.frameId !== undefined ? this.frame(args.frameId) : this.dbg.isPaused ? this.currentFrames()[0] : undefined;
      if (frame === undefined) {
        return this.sendErrorResponse(response, { id: ERR.notPaused, format: 'SNIP3042: expressions are evaluated while the script is paused', showUser: false });
      }
      const r = await this.dbg.evaluate(args.expression, frame, args.context === 'hover');
      if (!r.ok) return this.sendErrorResponse(response, { id: ERR.evaluate, format: `${r.code}: ${r.message}`, showUser: false });
      const v = this.view.variable(args.expression, r.value, frame);
      response.body = {
        result: args.context === 'repl' && typeof r.value === 'string' ? r.value : v.value,
        ...(v.type !== undefined ? { type: v.type } : {}),
        variablesReference: v.variablesReference,
        ...(v.indexedVariables !== undefined ? { indexedVariables: v.indexedVariables } : {}),
        ...(v.namedVariables !== undefined ? { namedVariables: v.namedVariables } : {}),
      };
      this.sendResponse(response);
    } catch (e) {
      this.failed(response, e);
    }
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    const e = this.dbg.stoppedError;
    response.body = {
      exceptionId: e?.code ?? 'unknown',
      description: e?.message ?? 'no error',
      breakMode: e?.wired === false ? 'unhandled' : 'always',
    };
    this.sendResponse(response);
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    this.resumed();
    this.dbg.continue();
    response.body = { allThreadsContinued: true };
    this.sendResponse(response);
  }

  protected override nextRequest(response: DebugProtocol.NextResponse): void {
    this.resumed();
    this.dbg.stepOver();
    this.sendResponse(response);
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse): void {
    this.resumed();
    this.dbg.stepIn();
    this.sendResponse(response);
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse): void {
    this.resumed();
    this.dbg.stepOut();
    this.sendResponse(response);
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.dbg.pause();
    this.sendResponse(response);
  }

  protected override async restartRequest(response: DebugProtocol.RestartResponse, args: DebugProtocol.RestartArguments | undefined): Promise<void> {
    try {
      if (this.launched === undefined) return this.sendErrorResponse(response, { id: ERR.launch, format: 'SNIP3041: nothing was launched', showUser: true });
      const next = args?.arguments as SnipLaunchArguments | undefined;
      this.restarting = true;
      await this.endRun();
      this.restarting = false;
      if (next !== undefined && typeof next.program === 'string') {
        try {
          this.launched = await checkLaunch(next);
        } catch (e) {
          const message = e instanceof LaunchError ? e.message : 'the launch configuration cannot be used';
          return this.sendErrorResponse(response, { id: ERR.launch, format: `SNIP3041: ${message}`, showUser: true });
        }
      }
      this.sendResponse(response);
      await this.startRun();
    } catch (e) {
      this.failed(response, e);
    }
  }

  protected override async terminateRequest(response: DebugProtocol.TerminateResponse): Promise<void> {
    try {
      await this.endRun();
      this.sendResponse(response);
    } catch (e) {
      this.failed(response, e);
    }
  }

  protected override async disconnectRequest(response: DebugProtocol.DisconnectResponse): Promise<void> {
    try {
      this.restarting = true;
      await this.endRun();
      this.sendResponse(response);
      this.shutdown();
    } catch (e) {
      this.failed(response, e);
    }
  }

  /** Stops the run (an in-flight request is abandoned) and closes the hub (its HTTP client with it). */
  private async endRun(): Promise<void> {
    this.resumed();
    const hub = this.hub;
    await Promise.all([this.dbg.stop(), hub?.close().catch(() => undefined)]);
    this.hub = undefined;
  }

  // --- runtime callbacks --------------------------------------------------------------------------

  private onStopped(reason: StopReason, detail: { breakpointIds?: number[]; text?: string }): void {
    this.frames = this.dbg.frames();
    const e: DebugProtocol.StoppedEvent = new StoppedEvent(reason, THREAD, detail.text);
    if (detail.breakpointIds !== undefined) e.body.hitBreakpointIds = detail.breakpointIds;
    if (reason === 'exception' && detail.text !== undefined) e.body.description = detail.text;
    this.sendEvent(e);
  }

  private onOutput(category: 'stdout' | 'console' | 'stderr', text: string, where?: { file: string; line: number }): void {
    const e: DebugProtocol.OutputEvent = new OutputEvent(text, category);
    if (where !== undefined) {
      e.body.source = this.source(where.file);
      e.body.line = where.line;
    }
    this.sendEvent(e);
  }

  private async onEnded(result: RunScriptResult): Promise<void> {
    this.frames = [];
    this.view.reset();
    if (this.restarting) return;
    this.exitCode = result.error === undefined ? 0 : result.diagnostics !== undefined ? 2 : 1;
    const hub = this.hub;
    this.hub = undefined;
    await hub?.close().catch(() => undefined);
    this.sendEvent(new ExitedEvent(this.exitCode));
    this.sendEvent(new TerminatedEvent());
  }

  // --- helpers --------------------------------------------------------------------------------------

  private resumed(): void {
    this.frames = [];
    this.view.reset();
  }

  private currentFrames(): DebugFrame[] {
    if (this.frames.length === 0 && this.dbg.isPaused) this.frames = this.dbg.frames();
    return this.frames;
  }

  private frame(frameId: number): DebugFrame | undefined {
    return this.currentFrames()[frameId - 1];
  }

  private source(file: string): Source {
    return new Source(path.basename(file), this.convertDebuggerPathToClient(file));
  }
}


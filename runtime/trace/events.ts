// Trace events: what a run reports, action by action and (at statement level) statement by
// statement. The runtime emits them; the CLI table, JSON Lines, the VS Code trace view and the debug
// adapter only consume them. The JSON form is versioned (docs/trace.md documents schema v1).

export const TRACE_SCHEMA_VERSION = 1;

/** How much a run reports: nothing, one event per action, or also one per Snippet statement. */
export type TraceLevel = 'off' | 'actions' | 'statements';

/** A variable that changed during an action or statement; values as display text (masked). */
export interface VariableChange {
  name: string;
  old: unknown;
  new: unknown;
}

interface EventBase {
  /** Schema version. */
  v: 1;
  /** 1-based sequence number within the run. */
  seq: number;
  /** Milliseconds since the run started. */
  at: number;
}

/** One action of a flow (a `.snip` run is one SNIPPET action). */
export interface ActionEvent extends EventBase {
  type: 'action';
  label: string;
  action: string;
  /** The branch taken (`Default`, `Error`, `OnSuccess`, ...) or undefined at END. */
  branch: string | undefined;
  /** The label the flow goes to next, if any. */
  next: string | undefined;
  durationMs: number;
  changes: VariableChange[];
  /** `_ERR` when the action failed. */
  error?: string;
  /** Messages from TRACE statements during the action. */
  messages: string[];
  fileName?: string;
  line?: number;
}

/** One Snippet statement (trace level `statements`). */
export interface StatementEvent extends EventBase {
  type: 'statement';
  /** Label of the enclosing action. */
  label: string;
  /** The statement kind, e.g. `Assign`, `If`. */
  statement: string;
  fileName?: string;
  line: number;
  column: number;
  changes: VariableChange[];
}

/** A TRACE statement's output. */
export interface MessageEvent extends EventBase {
  type: 'message';
  label: string;
  message: string;
  fileName?: string;
  line: number;
}

/** Hub activity worth seeing in a trace: token fetched, reused, refreshed (values masked). */
export interface HubEvent extends EventBase {
  type: 'hub';
  label: string;
  connection: string;
  what: 'token-fetch' | 'token-reuse' | 'token-refresh' | 'request' | 'response';
  detail: string;
}

/** The run ended (always the last event). */
export interface EndEvent extends EventBase {
  type: 'end';
  outcome: 'completed' | 'error' | 'aborted';
  durationMs: number;
  error?: { code: string; message: string };
}

export type TraceEvent = ActionEvent | StatementEvent | MessageEvent | HubEvent | EndEvent;

/** Receives events as they happen. Must not throw; a slow sink slows the run. */
export type TraceSink = (event: TraceEvent) => void;

/** Replaces secret values and tokens in any text before it leaves the runtime. */
export type Masker = (text: string) => string;

export const noMask: Masker = (t) => t;

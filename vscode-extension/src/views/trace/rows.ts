// The trace view's model, pure (no `vscode`, no DOM): JSON Lines trace events (schema v1,
// docs/trace.md) in, display rows out. Statement, message and hub rows nest under the action they
// belong to; because the runtime emits an action after its statements, a group opens with its first
// child and its header is filled in when the action event arrives. The same model gives the last
// value of each assigned line (end-of-line decorations) and the path a run took (flow diagram).
// Values arrive already masked by the runtime; this module only displays them.

/** One variable change, values as the trace's display text (`null`: did not exist). */
export interface Change {
  name: string;
  old: string | null;
  new: string | null;
}

/** A trace event as read from JSON: only the fields the view uses, checked one by one. */
export interface TraceEvent {
  v: number;
  seq: number;
  at: number;
  type: 'action' | 'statement' | 'message' | 'hub' | 'end';
  label?: string;
  action?: string;
  statement?: string;
  branch?: string;
  next?: string;
  durationMs?: number;
  changes?: Change[];
  messages?: string[];
  message?: string;
  error?: string;
  endError?: { code: string; message: string };
  outcome?: string;
  connection?: string;
  what?: string;
  detail?: string;
  fileName?: string;
  line?: number;
  column?: number;
}

export type RowKind = 'action' | 'statement' | 'message' | 'hub' | 'end';

/** One line of the trace view. */
export interface TraceRow {
  /** The event's `seq`; a group header that waits for its action has the first child's seq until then. */
  seq: number;
  kind: RowKind;
  /** 0: action or end; 1: nested under an action. */
  depth: 0 | 1;
  label: string;
  /** What ran: the action type, the statement kind, `TRACE`, the hub activity, or the run's outcome. */
  what: string;
  branch?: string;
  next?: string;
  ms?: number;
  changes: Change[];
  messages: string[];
  error?: string;
  fileName?: string;
  line?: number;
  column?: number;
  /** Still waiting for its action event (the action is running). */
  pending?: boolean;
}

const TYPES = new Set(['action', 'statement', 'message', 'hub', 'end']);

function text(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/**
 * Reads one JSON Lines trace line. Unknown fields are ignored (schema rule); a line that is not a
 * schema-1 event gives `undefined`, so text mixed into a stream (stderr) can be passed through.
 */
export function parseTraceLine(line: string): TraceEvent | undefined {
  const t = line.trim();
  if (!t.startsWith('{')) return undefined;
  let o: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(t);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    o = parsed as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (o.v !== 1 || typeof o.seq !== 'number' || typeof o.type !== 'string' || !TYPES.has(o.type)) return undefined;
  const changes = Array.isArray(o.changes)
    ? o.changes.filter((c): c is Record<string, unknown> => typeof c === 'object' && c !== null && typeof (c as { name?: unknown }).name === 'string').map((c) => ({ name: c.name as string, old: text(c.old), new: text(c.new) }))
    : undefined;
  const err = o.error;
  const endError =
    typeof err === 'object' && err !== null && !Array.isArray(err) ? { code: String((err as { code?: unknown }).code ?? ''), message: String((err as { message?: unknown }).message ?? '') } : undefined;
  return {
    v: 1,
    seq: o.seq,
    at: num(o.at) ?? 0,
    type: o.type as TraceEvent['type'],
    label: str(o.label),
    action: str(o.action),
    statement: str(o.statement),
    branch: str(o.branch),
    next: str(o.next),
    durationMs: num(o.durationMs),
    changes,
    messages: Array.isArray(o.messages) ? o.messages.map((m) => String(m)) : undefined,
    message: str(o.message),
    error: typeof err === 'string' ? err : undefined,
    endError,
    outcome: str(o.outcome),
    connection: str(o.connection),
    what: str(o.what),
    detail: str(o.detail),
    fileName: str(o.fileName),
    line: num(o.line),
    column: num(o.column),
  };
}

/** Reads a whole JSON Lines trace; lines that are not events are counted, not fatal. */
export function parseTrace(textOfFile: string): { events: TraceEvent[]; skipped: number } {
  const events: TraceEvent[] = [];
  let skipped = 0;
  for (const line of textOfFile.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const e = parseTraceLine(line);
    if (e) events.push(e);
    else skipped++;
  }
  return { events, skipped };
}

/** Writes events back as JSON Lines schema v1 (the `snip run --trace-format jsonl` shape). */
export function toJsonl(events: readonly TraceEvent[]): string {
  return events
    .map((e) => {
      const o: Record<string, unknown> = { v: 1, seq: e.seq, at: e.at, type: e.type };
      const put = (k: string, v: unknown) => {
        if (v !== undefined) o[k] = v;
      };
      if (e.type === 'action') {
        put('label', e.label), put('action', e.action), put('branch', e.branch), put('next', e.next), put('durationMs', e.durationMs ?? 0);
        put('changes', e.changes ?? []), put('error', e.error), put('messages', e.messages ?? []), put('fileName', e.fileName), put('line', e.line);
      } else if (e.type === 'statement') {
        put('label', e.label), put('statement', e.statement), put('fileName', e.fileName), put('line', e.line), put('column', e.column), put('changes', e.changes ?? []);
      } else if (e.type === 'message') {
        put('label', e.label), put('message', e.message), put('fileName', e.fileName), put('line', e.line ?? 0);
      } else if (e.type === 'hub') {
        put('label', e.label), put('connection', e.connection), put('what', e.what), put('detail', e.detail);
      } else {
        put('outcome', e.outcome), put('durationMs', e.durationMs ?? 0), put('error', e.endError);
      }
      return JSON.stringify(o) + '\n';
    })
    .join('');
}

/** A value as one short line for a row (the details pane shows it whole). */
export function shortValue(v: string | null, max = 40): string {
  if (v === null) return '∅';
  const one = v.replace(/\s+/g, ' ');
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** Whether a value text is a dynamic object or array (the view lets it expand). */
export function isStructured(v: string | null): boolean {
  if (v === null) return false;
  const t = v.trim();
  if (!(t.startsWith('{') && t.endsWith('}')) && !(t.startsWith('[') && t.endsWith(']'))) return false;
  try {
    const p: unknown = JSON.parse(t);
    return typeof p === 'object' && p !== null;
  } catch {
    return false;
  }
}

/** The text a filter matches against: everything a row shows. */
export function rowText(r: TraceRow): string {
  return [r.label, r.what, r.branch, r.next, r.error, ...r.messages, ...r.changes.flatMap((c) => [c.name, c.old ?? '', c.new ?? ''])].filter(Boolean).join(' ').toLowerCase();
}

/** Rows as events arrive. `add` returns true when existing rows changed (not only appended). */
export class TraceModel {
  readonly events: TraceEvent[] = [];
  readonly rows: TraceRow[] = [];
  /** Index in `rows` of the header of the group being filled, while its action runs. */
  private open: number | undefined;
  private openLabel: string | undefined;

  constructor(events: readonly TraceEvent[] = []) {
    for (const e of events) this.add(e);
  }

  add(e: TraceEvent): boolean {
    this.events.push(e);
    if (e.type === 'action') return this.closeGroup(e);
    if (e.type === 'end') {
      this.open = undefined;
      const outcome = e.outcome ?? 'completed';
      this.rows.push({
        seq: e.seq,
        kind: 'end',
        depth: 0,
        label: 'end',
        what: outcome,
        ms: e.durationMs,
        changes: [],
        messages: [],
        error: e.endError ? `${e.endError.code}: ${e.endError.message}` : undefined,
      });
      return false;
    }
    const label = e.label ?? '';
    if (this.open === undefined || this.openLabel !== label) {
      this.open = this.rows.length;
      this.openLabel = label;
      this.rows.push({ seq: e.seq, kind: 'action', depth: 0, label, what: '…', changes: [], messages: [], fileName: e.fileName, pending: true });
    }
    this.rows.push(this.childRow(e));
    return false;
  }

  private childRow(e: TraceEvent): TraceRow {
    const base = { seq: e.seq, depth: 1 as const, label: e.label ?? '', fileName: e.fileName, line: e.line || undefined, column: e.column };
    if (e.type === 'statement') return { ...base, kind: 'statement', what: e.statement ?? 'Statement', changes: e.changes ?? [], messages: [] };
    if (e.type === 'message') return { ...base, kind: 'message', what: 'TRACE', changes: [], messages: [e.message ?? ''] };
    return { ...base, kind: 'hub', what: `${e.what ?? 'hub'} ${e.connection ?? ''}`.trim(), changes: [], messages: e.detail ? [e.detail] : [] };
  }

  private closeGroup(e: TraceEvent): boolean {
    const row: TraceRow = {
      seq: e.seq,
      kind: 'action',
      depth: 0,
      label: e.label ?? '',
      what: e.action ?? '',
      branch: e.branch,
      next: e.next,
      ms: e.durationMs,
      changes: e.changes ?? [],
      messages: e.messages ?? [],
      error: e.error,
      fileName: e.fileName,
      line: e.line,
    };
    const open = this.open;
    this.open = undefined;
    this.openLabel = undefined;
    if (open !== undefined && this.rows[open]?.label === row.label) {
      this.rows[open] = row;
      return true;
    }
    this.rows.push(row);
    return false;
  }

  /** Rows matching a filter text (case-insensitive; a matching child keeps its action visible). */
  filter(query: string): TraceRow[] {
    const q = query.trim().toLowerCase();
    if (!q) return this.rows;
    const out: TraceRow[] = [];
    let header: TraceRow | undefined;
    let headerShown = false;
    for (const r of this.rows) {
      if (r.depth === 0) {
        header = r;
        headerShown = rowText(r).includes(q);
        if (headerShown) out.push(r);
      } else if (rowText(r).includes(q)) {
        if (header && !headerShown) {
          out.push(header);
          headerShown = true;
        }
        out.push(r);
      }
    }
    return out;
  }

  /** The run's outcome, once its end event arrived. */
  get end(): TraceEvent | undefined {
    const last = this.events[this.events.length - 1];
    return last?.type === 'end' ? last : undefined;
  }
}

/** The last value each line assigned, per file: `name = value` texts for end-of-line decorations. */
export function lastValues(events: readonly TraceEvent[]): Map<string, Map<number, string>> {
  const perLine = new Map<string, Map<number, Map<string, string | null>>>();
  const hasStatements = events.some((e) => e.type === 'statement');
  for (const e of events) {
    // With statement events, each change is pinned to its statement's line; without them, to the action's.
    if (e.type !== (hasStatements ? 'statement' : 'action') || !e.line || !e.fileName || !e.changes?.length) continue;
    let file = perLine.get(e.fileName);
    if (!file) perLine.set(e.fileName, (file = new Map()));
    let line = file.get(e.line);
    if (!line) file.set(e.line, (line = new Map()));
    for (const c of e.changes) line.set(c.name, c.new);
  }
  const out = new Map<string, Map<number, string>>();
  for (const [f, lines] of perLine) {
    const m = new Map<number, string>();
    for (const [l, vars] of lines) m.set(l, [...vars].map(([n, v]) => `${n} = ${shortValue(v, 60)}`).join(', '));
    out.set(f, m);
  }
  return out;
}

/** The path a run took through a flow: actions visited and how often each `from -> to` edge was taken. */
export function runPath(events: readonly TraceEvent[], fileName?: string): { visited: Map<string, number>; edges: Map<string, number> } {
  const visited = new Map<string, number>();
  const edges = new Map<string, number>();
  for (const e of events) {
    if (e.type !== 'action' || !e.label) continue;
    if (fileName && e.fileName && e.fileName !== fileName) continue;
    visited.set(e.label, (visited.get(e.label) ?? 0) + 1);
    if (e.next) {
      const key = edgeKey(e.label, e.next);
      edges.set(key, (edges.get(key) ?? 0) + 1);
    }
  }
  return { visited, edges };
}

/** How edges are keyed between the run path and the flow graph (labels are case-insensitive). */
export function edgeKey(from: string, to: string): string {
  return `${from.toLowerCase()}\u0000${to.toLowerCase()}`;
}

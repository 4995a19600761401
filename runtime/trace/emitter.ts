// One run's event stream: stamps schema version, sequence number and time, masks every text, and
// hands events to the sink. Created per run, so concurrent runs never share a counter.
import { noMask, type ActionEvent, type EndEvent, type Masker, type TraceEvent, type TraceLevel, type TraceSink } from './events.js';
import { maskEvent } from './mask.js';

type Unstamped<T> = T extends TraceEvent ? Omit<T, 'v' | 'seq' | 'at'> : never;

/** Emits events of one run (nothing when the level is `off` and there is no sink). */
export class TraceEmitter {
  private seq = 0;
  private readonly t0 = performance.now();
  constructor(
    readonly level: TraceLevel,
    readonly mask: Masker,
    private readonly sink: TraceSink | undefined,
  ) {}

  get enabled(): boolean {
    return this.sink !== undefined && this.level !== 'off';
  }

  get statements(): boolean {
    return this.enabled && this.level === 'statements';
  }

  /** Milliseconds since the run started, to 0.001 ms. */
  elapsed(): number {
    return Math.round((performance.now() - this.t0) * 1000) / 1000;
  }

  emit(event: Unstamped<TraceEvent>): void {
    if (!this.enabled || (event.type === 'statement' && this.level !== 'statements')) return;
    this.dispatch(event);
  }

  /**
   * An action event: the same event as `emit()` makes, keys in the same order, but built as one
   * literal (a spread of a dozen keys is most of a traced action's cost otherwise). `now` is a
   * `performance.now()` the caller already read for the action's duration.
   */
  action(e: Unstamped<ActionEvent>, now = performance.now()): void {
    if (!this.enabled) return;
    const seq = ++this.seq;
    const at = Math.round((now - this.t0) * 1000) / 1000;
    const stamped: ActionEvent =
      e.error === undefined
        ? { v: 1, seq, at, type: 'action', label: e.label, action: e.action, branch: e.branch, next: e.next, durationMs: e.durationMs, changes: e.changes, messages: e.messages, fileName: e.fileName, line: e.line }
        : { v: 1, seq, at, type: 'action', label: e.label, action: e.action, branch: e.branch, next: e.next, durationMs: e.durationMs, changes: e.changes, error: e.error, messages: e.messages, fileName: e.fileName, line: e.line };
    this.sink!(this.mask === noMask ? stamped : maskEvent(stamped, this.mask));
  }

  /** The end event goes out even at level `off` when there is a sink (hosts wait for it). */
  end(event: Unstamped<EndEvent>): void {
    if (this.sink !== undefined) this.dispatch(event);
  }

  private dispatch(event: Unstamped<TraceEvent>): void {
    const stamped = { v: 1, seq: ++this.seq, at: this.elapsed(), ...event } as TraceEvent;
    this.sink!(this.mask === noMask ? stamped : maskEvent(stamped, this.mask));
  }
}

// A trace for hosts as a callback or an async iterator: `for await (const e of stream)` sees every
// event in order and stops after the EndEvent. Events are buffered, so a slow consumer never loses one.
import type { TraceEvent, TraceSink } from './events.js';

/** A sink plus an async iterator over what it received. */
export interface TraceStream extends AsyncIterable<TraceEvent> {
  readonly sink: TraceSink;
}

/** Creates a stream; pass `stream.sink` as `onTrace` and iterate the stream. Single consumer. */
export function traceStream(): TraceStream {
  const buffer: TraceEvent[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  const sink: TraceSink = (event) => {
    if (ended) return;
    buffer.push(event);
    if (event.type === 'end') ended = true;
    wake?.();
    wake = undefined;
  };
  return {
    sink,
    async *[Symbol.asyncIterator]() {
      for (;;) {
        while (buffer.length > 0) {
          const e = buffer.shift()!;
          yield e;
          if (e.type === 'end') return;
        }
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}

/** Fans one event out to several sinks; a throwing sink does not stop the others or the run. */
export function teeSinks(...sinks: (TraceSink | undefined)[]): TraceSink {
  const live = sinks.filter((s): s is TraceSink => s !== undefined);
  return (event) => {
    for (const s of live) {
      try {
        s(event);
      } catch {
        // A sink must not throw (events.ts); one that does loses this event, not the run.
      }
    }
  };
}

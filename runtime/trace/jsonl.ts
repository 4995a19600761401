// JSON Lines: one event per line, schema v1 (docs/trace.md). Fields that are undefined (END's
// branch, a missing next) are left out, as JSON has no undefined.
import type { TraceEvent, TraceSink } from './events.js';

/** One event as its JSON line (with the newline). */
export function toJsonLine(event: TraceEvent): string {
  return JSON.stringify(event) + '\n';
}

/** A sink writing each event as a JSON line through `write`. */
export function jsonlSink(write: (text: string) => void): TraceSink {
  return (event) => write(toJsonLine(event));
}

/** Parses JSON Lines text back into events (blank lines skipped). */
export function parseJsonLines(text: string): TraceEvent[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as TraceEvent);
}

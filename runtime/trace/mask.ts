// Applies a Masker to every text of an event that may carry a value (variable values, messages,
// errors, hub details) before the event leaves the runtime. Names and labels are not values.
import type { ActionEvent, Masker, TraceEvent, VariableChange } from './events.js';

function maskChanges(changes: VariableChange[], mask: Masker): VariableChange[] {
  return changes.map((c) => ({
    name: c.name,
    old: typeof c.old === 'string' ? mask(c.old) : c.old,
    new: typeof c.new === 'string' ? mask(c.new) : c.new,
  }));
}

/** A copy of `event` with its value texts masked . */
export function maskEvent<T extends TraceEvent>(event: T, mask: Masker): T {
  switch (event.type) {
    case 'action': {
      const e: ActionEvent = { ...event, changes: maskChanges(event.changes, mask), messages: event.messages.map(mask) };
      if (event.error !== undefined) e.error = mask(event.error);
      return e as T;
    }
    case 'statement':
      return { ...event, changes: maskChanges(event.changes, mask) } as T;
    case 'message':
      return { ...event, message: mask(event.message) } as T;
    case 'hub':
      return { ...event, detail: mask(event.detail) } as T;
    case 'end':
      return event.error ? ({ ...event, error: { code: event.error.code, message: mask(event.error.message) } } as T) : event;
  }
}

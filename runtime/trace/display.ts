// Values as trace display text: scalars as their text, dynamic objects as compact JSON.
import type { VariableChange } from './events.js';

/** Display text of a plain rendering (`store.diff()` output): text as is, objects as JSON. */
export function displayText(plain: unknown): string {
  if (typeof plain === 'string') return plain;
  if (plain === undefined || plain === null) return '';
  return JSON.stringify(plain);
}

/** Changes as display text; `old` is null for a variable that did not exist before. */
export function displayChanges(changes: readonly VariableChange[]): VariableChange[] {
  return changes.map((c) => ({ name: c.name, old: c.old === undefined ? null : displayText(c.old), new: displayText(c.new) }));
}

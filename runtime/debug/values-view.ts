// How a debugger shows Snippet values: a one-line text, a type name, and for dynamic objects their
// members (named) and elements (indexed, 1-based as Snippet reads them), listed lazily by page.
import { Dyn, SnipDate, formatDateDefault, formatNumber, isHost, type Value } from '../values.js';

/** One line for a value; texts quoted so that "" and a missing value differ from each other. */
export function valueText(v: Value): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v === null) return 'null';
  if (v instanceof SnipDate) return formatDateDefault(v);
  if (v instanceof Dyn) {
    if (v.isArray) return `[${v.items!.length} items]`;
    const names = [...v.members.keys()];
    const shown = names.slice(0, 5).join(', ');
    const items = v.items !== undefined ? `, [${v.items.length} items]` : '';
    return `{${shown}${names.length > 5 ? ', …' : ''}${items}}`;
  }
  return `{${v.hostType}}`;
}

/** The type a debugger shows beside the value. */
export function valueType(v: Value): string {
  if (typeof v === 'string') return 'text';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'boolean';
  if (v === null) return 'null';
  if (v instanceof SnipDate) return 'date';
  if (v instanceof Dyn) return v.isArray ? 'array' : 'dynamic';
  return isHost(v) ? v.hostType : 'value';
}

/** How many children a value has: named members and indexed elements (0 for scalars). */
export function childCounts(v: Value): { named: number; indexed: number } {
  if (!(v instanceof Dyn)) return { named: 0, indexed: 0 };
  return { named: v.members.size, indexed: v.items?.length ?? 0 };
}

/** One child of an expandable value; `key` sets it back (a member name, or a 1-based index). */
export interface Child {
  name: string;
  value: Value;
  key: { member: string } | { index: number };
}

/** Children of a dynamic object: members, or a page of elements (`start` 0-based, `count`). */
export function children(v: Value, filter: 'named' | 'indexed' | undefined, start = 0, count?: number): Child[] {
  if (!(v instanceof Dyn)) return [];
  const out: Child[] = [];
  if (filter !== 'indexed') for (const [k, x] of v.members) out.push({ name: k, value: x, key: { member: k } });
  if (filter !== 'named' && v.items !== undefined) {
    const end = count === undefined || count <= 0 ? v.items.length : Math.min(v.items.length, start + count);
    for (let i = start; i < end; i++) out.push({ name: `[${i + 1}]`, value: v.items[i] ?? null, key: { index: i + 1 } });
  }
  return out;
}

/** Sets a child of a dynamic object; false when `v` cannot hold it. */
export function setChild(v: Value, key: Child['key'], value: Value): boolean {
  if (!(v instanceof Dyn)) return false;
  if ('member' in key) {
    v.members.set(key.member, value);
    return true;
  }
  if (v.items === undefined || key.index < 1 || key.index > v.items.length) return false;
  v.items[key.index - 1] = value;
  return true;
}

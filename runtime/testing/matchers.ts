// Expected values: plain JSON compares exactly (objects and arrays deeply), and a one-key object
// starting with `$` is a matcher: `{"$match": "regex"}`, `{"$contains": "text"}`, `{"$any": true}`
// (present, any value), `{"$absent": true}`, `{"$number": true}` (a number or numeric text).

/** One value that did not match, with a path like `outputs.agent.name`. */
export interface ValueMismatch {
  where: string;
  expected: string;
  actual: string;
}

const MATCHERS = new Set(['$match', '$contains', '$any', '$absent', '$number']);

/** Whether `v` is a matcher object (rather than an expected plain object). */
export function isMatcher(v: unknown): v is Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && MATCHERS.has(keys[0]!);
}

/** How an expected value reads in a failure message. */
export function showExpected(v: unknown): string {
  if (isMatcher(v)) {
    const [k, arg] = Object.entries(v)[0]!;
    if (k === '$match') return `text matching /${String(arg)}/`;
    if (k === '$contains') return `text containing ${JSON.stringify(arg)}`;
    if (k === '$any') return 'any value';
    if (k === '$absent') return '(absent)';
    return 'a number';
  }
  return JSON.stringify(v);
}

function showActual(v: unknown): string {
  return v === undefined ? '(absent)' : JSON.stringify(v);
}

function scalarText(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

/** Whether `actual` satisfies the matcher or equals the plain expected value. */
function matchOne(expected: unknown, actual: unknown): boolean {
  if (isMatcher(expected)) {
    const [k, arg] = Object.entries(expected)[0]!;
    const text = scalarText(actual);
    switch (k) {
      case '$absent':
        return actual === undefined;
      case '$any':
        return actual !== undefined;
      case '$number':
        return text !== undefined && text.trim() !== '' && Number.isFinite(Number(text));
      case '$contains':
        return text !== undefined && text.includes(String(arg));
      default:
        try {
          return text !== undefined && new RegExp(String(arg)).test(text);
        } catch {
          return false;
        }
    }
  }
  return deepEqual(expected, actual);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => matchOne(x, b[i]));
  if (a && typeof a === 'object') {
    if (!b || typeof b !== 'object' || Array.isArray(b)) return false;
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
    for (const k of keys) if (!matchOne(ao[k], bo[k])) return false;
    return true;
  }
  return false;
}

/**
 * Checks the listed names of `expected` against `actual` (names not listed are not checked).
 * Names compare without regard to case, as Snippet variables do.
 */
export function matchVariables(expected: Record<string, unknown>, actual: Record<string, unknown>, prefix: string): ValueMismatch[] {
  const lower = new Map(Object.entries(actual).map(([k, v]) => [k.toLowerCase(), v]));
  const out: ValueMismatch[] = [];
  for (const [name, want] of Object.entries(expected)) {
    const got = Object.hasOwn(actual, name) ? actual[name] : lower.get(name.toLowerCase());
    if (!matchOne(want, got)) out.push({ where: `${prefix}.${name}`, expected: showExpected(want), actual: showActual(got) });
  }
  return out;
}

/** Whether an actual path step (`label:Branch`) satisfies an expected one (`label` or `label:Branch`). */
export function stepMatches(expected: string, actual: string): boolean {
  if (!expected.includes(':')) return actual.split(':')[0]!.toLowerCase() === expected.toLowerCase();
  return actual.toLowerCase() === expected.toLowerCase();
}

/** The first difference between two paths as a readable pair of lines, or undefined when they match. */
export function pathDiff(expected: readonly string[], actual: readonly string[]): string | undefined {
  const n = Math.max(expected.length, actual.length);
  for (let i = 0; i < n; i++) {
    const e = expected[i];
    const a = actual[i];
    if (e !== undefined && a !== undefined && stepMatches(e, a)) continue;
    return [
      `first difference at step ${i + 1}: expected ${e ?? '(end of path)'}, got ${a ?? '(end of path)'}`,
      `expected: ${expected.join(' -> ')}`,
      `actual:   ${actual.join(' -> ')}`,
    ].join('\n');
  }
  return undefined;
}

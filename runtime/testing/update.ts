// `snip test --update`: writes what failing cases actually did into their expectations, the way
// snapshot tools update snapshots. Only what a case already expects is rewritten: its path, its
// error, its requests, and each listed output or variable that holds a plain value (matchers such
// as {"$match": ...} are left alone: they were written on purpose).
import { promises as fs } from 'node:fs';
import { writeFileAtomic } from '../atomic-write.js';
import { isMatcher } from './matchers.js';
import type { CaseResult } from './runner.js';

type Json = Record<string, unknown>;

function updateValues(expected: Json, actual: Record<string, unknown>): void {
  const lower = new Map(Object.entries(actual).map(([k, v]) => [k.toLowerCase(), v]));
  for (const [name, want] of Object.entries(expected)) {
    if (isMatcher(want)) continue;
    const got = Object.hasOwn(actual, name) ? actual[name] : lower.get(name.toLowerCase());
    if (got === undefined) expected[name] = { $absent: true };
    else expected[name] = got;
  }
}

/**
 * Rewrites the expectations of the failed cases of one test file (atomically); returns how many
 * cases changed. Results must come from a run with `keepActual`.
 */
export async function updateTestFile(file: string, results: readonly CaseResult[]): Promise<number> {
  const failed = new Map(results.filter((r) => !r.passed && r.actual && r.failures.every((f) => f.kind !== 'setup')).map((r) => [r.name, r.actual!]));
  if (failed.size === 0) return 0;
  const data = JSON.parse(await fs.readFile(file, 'utf8')) as { cases: Json[] };
  let changed = 0;
  for (const c of data.cases) {
    const actual = failed.get(c.name as string);
    if (!actual) continue;
    const e = (c.expect ??= {}) as Json;
    if (e.path !== undefined) e.path = actual.path;
    if (e.requests !== undefined) e.requests = actual.requests;
    if (e.error !== undefined || actual.error !== null) e.error = actual.error;
    if (e.outputs) updateValues(e.outputs as Json, actual.outputs);
    if (e.variables) updateValues(e.variables as Json, actual.variables);
    changed++;
  }
  if (changed > 0) await writeFileAtomic(file, JSON.stringify(data, null, 2) + '\n');
  return changed;
}

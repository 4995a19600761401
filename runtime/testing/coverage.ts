// Coverage from trace events: per script, which actions ran, which branches of each action were
// taken (OnError, OnTimeout and CASE values included), and which Snippet statement lines ran.
// Reported as a table, as JSON, and as LCOV (actions as functions, branches as BRDA, lines as DA).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { findAction } from '../../language/action-catalog.js';
import type { Action } from '../../language/ast.js';
import { compileScript } from '../flow/compile-script.js';
import type { TraceEvent } from '../trace/events.js';

export interface BranchCoverage {
  name: string;
  taken: number;
}

export interface ActionCoverage {
  label: string;
  type: string;
  line: number;
  runs: number;
  branches: BranchCoverage[];
}

export interface ScriptCoverage {
  /** The script as shown in traces (relative to the working folder). */
  file: string;
  actions: ActionCoverage[];
  /** Snippet statement lines and how often each ran. */
  lines: { line: number; hits: number }[];
  summary: { actions: [number, number]; branches: [number, number]; lines: [number, number] };
}

/**
 * The branches that count for an action: IF's True/False and the connect actions' OnSuccess,
 * OnError and OnTimeout always (unwired they fall through, and an untested OnTimeout is what
 * coverage is for); Default for every other action; every branch the script wires (CASE values,
 * SNIPPET Error, ASSIGN Overflow); and any branch a run took. A SNIPPET's unwired Error branch
 * is not counted, or every action would show a gap no test can close.
 */
function possibleBranches(action: Action, taken: Iterable<string>): string[] {
  const spec = findAction(action.type);
  if (!spec || spec.terminal) return [];
  const own = spec.branches.includes('True') || spec.branches.includes('OnSuccess') ? [...spec.branches] : ['Default'];
  const names = [...own];
  const add = (n: string) => {
    if (!names.some((x) => x.toLowerCase() === n.toLowerCase())) names.push(n);
  };
  for (const b of action.branches) add(b.name?.name ?? 'Default');
  for (const t of taken) add(spec.branches.find((b) => b.toLowerCase() === t) ?? t);
  return names;
}

/** Snippet statement kinds (language/ast.ts `Statement`). */
const STATEMENT_KINDS = new Set(['Assign', 'Dynamic', 'If', 'Select', 'Switch', 'For', 'ForEach', 'Repeat', 'While', 'Break', 'Function', 'Return', 'Trace', 'Uses', 'ExpressionStatement']);

/** Lines of every Snippet statement under `node` (nested ones included). */
function statementLines(node: unknown, out: Set<number>): void {
  if (Array.isArray(node)) {
    for (const n of node) statementLines(n, out);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const o = node as { kind?: unknown; range?: { start: { line: number } } };
  if (typeof o.kind === 'string' && STATEMENT_KINDS.has(o.kind) && o.range) out.add(o.range.start.line);
  for (const [k, v] of Object.entries(node)) if (k !== 'range' && v && typeof v === 'object') statementLines(v, out);
}

/**
 * Coverage of every script that appears in `traces` (statement-level traces give line coverage).
 * Scripts are read from `cwd` by the name the trace shows.
 */
export async function collectCoverage(traces: readonly (readonly TraceEvent[])[], cwd: string): Promise<ScriptCoverage[]> {
  const taken = new Map<string, Map<string, { runs: number; branches: Map<string, number> }>>();
  const hits = new Map<string, Map<number, number>>();
  for (const trace of traces) {
    for (const e of trace) {
      if (e.type !== 'action' && e.type !== 'statement') continue;
      if (e.fileName === undefined) continue;
      if (e.type === 'action') {
        const byLabel = taken.get(e.fileName) ?? new Map();
        taken.set(e.fileName, byLabel);
        const a = byLabel.get(e.label.toLowerCase()) ?? { runs: 0, branches: new Map<string, number>() };
        byLabel.set(e.label.toLowerCase(), a);
        a.runs++;
        if (e.branch !== undefined) a.branches.set(e.branch.toLowerCase(), (a.branches.get(e.branch.toLowerCase()) ?? 0) + 1);
      } else if (e.type === 'statement') {
        const lines = hits.get(e.fileName) ?? new Map<number, number>();
        hits.set(e.fileName, lines);
        lines.set(e.line, (lines.get(e.line) ?? 0) + 1);
      }
    }
  }
  const out: ScriptCoverage[] = [];
  for (const file of [...taken.keys()].sort()) {
    let source: string;
    try {
      source = await fs.readFile(path.resolve(cwd, file), 'utf8');
    } catch {
      continue;
    }
    const flow = compileScript(source, { fileName: file }).flow;
    if (!flow) continue;
    const byLabel = taken.get(file)!;
    const actions: ActionCoverage[] = flow.ast.actions.map((a, i) => {
      const t = byLabel.get(a.label.name.toLowerCase());
      return {
        label: a.label.name,
        type: a.type,
        line: flow.nodes[i]?.line ?? a.range.start.line,
        runs: t?.runs ?? 0,
        branches: possibleBranches(a, t?.branches.keys() ?? []).map((name) => ({ name, taken: t?.branches.get(name.toLowerCase()) ?? 0 })),
      };
    });
    const lineSet = new Set<number>();
    for (const a of flow.ast.actions) if (a.body) statementLines(a.body.body, lineSet);
    const lineHits = hits.get(file) ?? new Map<number, number>();
    const lines = [...lineSet].sort((x, y) => x - y).map((line) => ({ line, hits: lineHits.get(line) ?? 0 }));
    const branches = actions.flatMap((a) => a.branches);
    out.push({
      file,
      actions,
      lines,
      summary: {
        actions: [actions.filter((a) => a.runs > 0).length, actions.length],
        branches: [branches.filter((b) => b.taken > 0).length, branches.length],
        lines: [lines.filter((l) => l.hits > 0).length, lines.length],
      },
    });
  }
  return out;
}

function pct([hit, all]: [number, number]): string {
  return all === 0 ? '   -  ' : `${((hit / all) * 100).toFixed(1).padStart(5)}%`;
}

/** A table: one row per script, then the actions and branches never taken. */
export function coverageTable(cov: readonly ScriptCoverage[]): string {
  const width = Math.max(6, ...cov.map((c) => c.file.length));
  const rows = [`${'script'.padEnd(width)}  actions        branches       lines`];
  for (const c of cov) {
    const cell = (p: [number, number]) => `${pct(p)} ${`${p[0]}/${p[1]}`.padEnd(7)}`;
    rows.push(`${c.file.padEnd(width)}  ${cell(c.summary.actions)} ${cell(c.summary.branches)} ${cell(c.summary.lines)}`);
  }
  const missed: string[] = [];
  for (const c of cov) {
    for (const a of c.actions) {
      if (a.runs === 0) missed.push(`  ${c.file}:${a.line} ${a.label} (${a.type}) never ran`);
      else {
        const not = a.branches.filter((b) => b.taken === 0).map((b) => b.name);
        if (not.length) missed.push(`  ${c.file}:${a.line} ${a.label} (${a.type}) never took ${not.join(', ')}`);
      }
    }
  }
  return rows.join('\n') + '\n' + (missed.length ? `\nNot covered:\n${missed.join('\n')}\n` : '');
}

/** LCOV tracefile: actions as functions, each action's branches as BRDA, statement and action lines as DA. */
export function coverageLcov(cov: readonly ScriptCoverage[]): string {
  const out: string[] = [];
  for (const c of cov) {
    out.push('TN:', `SF:${c.file}`);
    for (const a of c.actions) out.push(`FN:${a.line},${a.label}`);
    for (const a of c.actions) out.push(`FNDA:${a.runs},${a.label}`);
    out.push(`FNF:${c.summary.actions[1]}`, `FNH:${c.summary.actions[0]}`);
    c.actions.forEach((a, i) => {
      a.branches.forEach((b, j) => out.push(`BRDA:${a.line},${i},${j},${a.runs === 0 ? '-' : b.taken}`));
    });
    out.push(`BRF:${c.summary.branches[1]}`, `BRH:${c.summary.branches[0]}`);
    const da = new Map<number, number>();
    for (const a of c.actions) da.set(a.line, (da.get(a.line) ?? 0) + a.runs);
    for (const l of c.lines) da.set(l.line, (da.get(l.line) ?? 0) + l.hits);
    const sorted = [...da].sort(([x], [y]) => x - y);
    for (const [line, n] of sorted) out.push(`DA:${line},${n}`);
    out.push(`LF:${sorted.length}`, `LH:${sorted.filter(([, n]) => n > 0).length}`, 'end_of_record');
  }
  return out.join('\n') + '\n';
}

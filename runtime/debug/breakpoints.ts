// Breakpoints of one debug session: source breakpoints per file (verified against the file's
// statements and actions, moved to the nearest one), function breakpoints on user FUNCTION names,
// with conditions, hit counts and log messages. Knows files only by absolute path.
import { nearestStop, type SourceIndex } from './source-index.js';

/** What a client asks for at one line. */
export interface BreakpointRequest {
  line: number;
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
}

/** A breakpoint as set: where it landed, or why it could not be set. */
export interface Breakpoint {
  id: number;
  verified: boolean;
  line: number;
  column?: number;
  /** Why it is unverified, or where it moved from. */
  message?: string;
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
  /** Times reached with its condition true. */
  hits: number;
}

/** A function breakpoint: stops at the first statement of a user FUNCTION of that name. */
export interface FunctionBreakpoint {
  id: number;
  name: string;
  condition?: string;
  hitCondition?: string;
  hits: number;
}

/** What `at` returns for a line without breakpoints (shared: the hot path allocates nothing). */
const NONE: Breakpoint[] = [];

const HIT = /^\s*(>=|<=|==|=|>|<|%)?\s*(\d+)\s*$/;

/**
 * Whether the `hits`-th hit stops under `hitCondition`: `N` or `==N` the Nth hit only, `>=N`,
 * `>N`, `<N`, `<=N`, and `%N` every Nth hit. An unreadable condition stops every time.
 */
export function hitMatches(hitCondition: string | undefined, hits: number): boolean {
  if (hitCondition === undefined || hitCondition.trim() === '') return true;
  const m = HIT.exec(hitCondition);
  if (m === null) return true;
  const n = Number(m[2]);
  switch (m[1]) {
    case '>=':
      return hits >= n;
    case '>':
      return hits > n;
    case '<':
      return hits < n;
    case '<=':
      return hits <= n;
    case '%':
      return n > 0 && hits % n === 0;
    default:
      return hits === n;
  }
}

/** Whether a hit condition can be read (unreadable ones are reported on the breakpoint). */
export function hitConditionValid(hitCondition: string | undefined): boolean {
  return hitCondition === undefined || hitCondition.trim() === '' || HIT.test(hitCondition);
}

/** All breakpoints of a session. */
export class BreakpointTable {
  private nextId = 1;
  private readonly byFile = new Map<string, Map<number, Breakpoint[]>>();
  private fns: FunctionBreakpoint[] = [];
  /** Verified source breakpoints over all files. */
  private verified = 0;

  /**
   * Replaces the breakpoints of `file`. `index` is undefined when the file cannot be read.
   * Each lands on the nearest statement or action line, or stays unverified with the reason.
   */
  setForFile(file: string, index: SourceIndex | undefined, requests: BreakpointRequest[]): Breakpoint[] {
    const byLine = new Map<number, Breakpoint[]>();
    const out = requests.map((r): Breakpoint => {
      const bp: Breakpoint = { id: this.nextId++, verified: false, line: r.line, hits: 0 };
      if (r.condition !== undefined && r.condition.trim() !== '') bp.condition = r.condition;
      if (r.hitCondition !== undefined && r.hitCondition.trim() !== '') bp.hitCondition = r.hitCondition;
      if (r.logMessage !== undefined && r.logMessage !== '') bp.logMessage = r.logMessage;
      if (index === undefined) {
        bp.message = 'the file cannot be read';
        return bp;
      }
      if (index.broken) {
        bp.message = 'the file has syntax errors and cannot run';
        return bp;
      }
      if (!hitConditionValid(bp.hitCondition)) {
        bp.message = `unreadable hit count '${bp.hitCondition}' (use N, >=N, >N, <N, <=N or %N)`;
        return bp;
      }
      const stop = nearestStop(index, r.line);
      if (stop === undefined) {
        bp.message = 'no statement or action in this file';
        return bp;
      }
      bp.verified = true;
      bp.line = stop.line;
      bp.column = stop.column;
      if (stop.line !== r.line) bp.message = `moved from line ${r.line} to the nearest ${stop.kind} on line ${stop.line}`;
      const list = byLine.get(stop.line) ?? [];
      list.push(bp);
      byLine.set(stop.line, list);
      return bp;
    });
    this.byFile.set(file, byLine);
    this.verified = 0;
    for (const lines of this.byFile.values()) for (const list of lines.values()) this.verified += list.length;
    return out;
  }

  /** Verified breakpoints at `line` of `file`. */
  at(file: string | undefined, line: number): Breakpoint[] {
    if (file === undefined || this.verified === 0) return NONE;
    return this.byFile.get(file)?.get(line) ?? NONE;
  }

  /** True when no breakpoint of any kind is set: the run need not look up lines at all. */
  get empty(): boolean {
    return this.verified === 0 && this.fns.length === 0;
  }

  setFunctions(requests: { name: string; condition?: string; hitCondition?: string }[]): FunctionBreakpoint[] {
    this.fns = requests.map((r) => {
      const fb: FunctionBreakpoint = { id: this.nextId++, name: r.name.trim(), hits: 0 };
      if (r.condition !== undefined && r.condition.trim() !== '') fb.condition = r.condition;
      if (r.hitCondition !== undefined && r.hitCondition.trim() !== '') fb.hitCondition = r.hitCondition;
      return fb;
    });
    return this.fns;
  }

  /** Function breakpoints on `name` (case-insensitive, as Snippet names are). */
  functions(name: string): FunctionBreakpoint[] {
    if (this.fns.length === 0) return [];
    const key = name.toLowerCase();
    return this.fns.filter((f) => f.name.toLowerCase() === key);
  }

  get hasFunctionBreakpoints(): boolean {
    return this.fns.length > 0;
  }
}

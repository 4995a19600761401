// What the debugger needs to know about one source file without running it: the lines where a
// statement or an action starts (breakpoints snap to them), the user FUNCTIONs with their ranges
// (to name function frames), and the hub connections its CONNECT* actions name.
import type { Action, Block, Range, SnippetProgram, Statement, StudioScript } from '../../language/ast.js';
import { parseDocument } from '../../language/parse.js';

/** A place where the run can stop. */
export interface StopLine {
  line: number;
  column: number;
  kind: 'statement' | 'action';
}

/** A user FUNCTION declared in the file. */
export interface FunctionSite {
  name: string;
  range: Range;
  /** Line of the first statement of its body (where a function breakpoint stops). */
  firstLine: number | undefined;
  /** Offset of that statement: reaching it means the function was just entered. */
  firstOffset: number | undefined;
}

/** The static facts of one file. */
export interface SourceIndex {
  kind: 'snip' | 'studio';
  /** Sorted by line; one entry per line (the first place on it). */
  stops: StopLine[];
  functions: FunctionSite[];
  /** Connection names written as text literals in `connectName` properties. */
  connections: string[];
  /** True when the file has syntax errors (the run would not start). */
  broken: boolean;
}

function walkBlock(body: Statement[] | Block | undefined, out: StopLine[], fns: FunctionSite[]): void {
  if (body === undefined) return;
  for (const s of Array.isArray(body) ? body : body.body) walkStatement(s, out, fns);
}

function walkStatement(s: Statement, out: StopLine[], fns: FunctionSite[]): void {
  if (s.kind === 'Function') {
    const first = s.body.body.find((b) => b.kind !== 'Function');
    fns.push({ name: s.name.name, range: s.range, firstLine: first?.range.start.line, firstOffset: first?.range.start.offset });
    walkBlock(s.body, out, fns);
    return;
  }
  out.push({ line: s.range.start.line, column: s.range.start.column, kind: 'statement' });
  switch (s.kind) {
    case 'If':
      walkBlock(s.then, out, fns);
      walkBlock(s.else, out, fns);
      break;
    case 'Select':
      for (const c of s.cases) walkBlock(c.body, out, fns);
      walkBlock(s.default, out, fns);
      break;
    case 'Switch':
      for (const c of s.cases) walkBlock(c.body, out, fns);
      walkBlock(s.default, out, fns);
      break;
    case 'For':
    case 'ForEach':
    case 'Repeat':
    case 'While':
      walkBlock(s.body, out, fns);
      break;
    default:
      break;
  }
}

function connectionOf(action: Action): string | undefined {
  const p = action.properties.find((x) => x.name.key === 'connectname');
  if (p === undefined || p.value.kind !== 'String' || p.value.parts.some((x) => x.kind !== 'Text')) return undefined;
  return p.value.parts.map((x) => (x.kind === 'Text' ? x.value : '')).join('');
}

/** Indexes a file's text; never throws (a file with errors yields what parsed). */
export function indexSource(fileName: string, source: string): SourceIndex {
  const parsed = parseDocument(fileName, source);
  const stops: StopLine[] = [];
  const functions: FunctionSite[] = [];
  const connections: string[] = [];
  const broken = parsed.diagnostics.some((d) => d.severity === 'error');
  let kind: SourceIndex['kind'] = 'snip';
  if (parsed.value.kind === 'Studio') {
    kind = 'studio';
    for (const a of (parsed.value as StudioScript).actions) {
      stops.push({ line: a.range.start.line, column: a.range.start.column, kind: 'action' });
      walkBlock(a.body?.body, stops, functions);
      const c = connectionOf(a);
      if (c !== undefined && !connections.includes(c)) connections.push(c);
    }
  } else {
    walkBlock((parsed.value as SnippetProgram).body, stops, functions);
  }
  stops.sort((a, b) => a.line - b.line || a.column - b.column);
  const unique = stops.filter((s, i) => i === 0 || stops[i - 1]!.line !== s.line);
  return { kind, stops: unique, functions, connections, broken };
}

/** The innermost function whose declaration contains `range`. */
export function functionAt(index: SourceIndex, range: Range): FunctionSite | undefined {
  let best: FunctionSite | undefined;
  for (const f of index.functions) {
    if (f.range.start.offset <= range.start.offset && range.end.offset <= f.range.end.offset) {
      if (best === undefined || f.range.start.offset >= best.range.start.offset) best = f;
    }
  }
  return best;
}

/** The stop a breakpoint at `line` snaps to: the first at or after it, else the last before it. */
export function nearestStop(index: SourceIndex, line: number): StopLine | undefined {
  return index.stops.find((s) => s.line >= line) ?? index.stops[index.stops.length - 1];
}

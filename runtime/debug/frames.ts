// Where a debugged run is: per flow scope (main script, subscripts) its current action and, by
// function depth, the latest statement run there. Updated before every action and statement; the
// stack the debugger shows is built from it only when the run stops.
import path from 'node:path';
import type { Range } from '../../language/ast.js';
import type { FlowScope } from '../flow/engine.js';
import type { FlowNode } from '../flow/types.js';
import type { StatementInfo } from '../interpreter/api.js';
import { functionAt, type SourceIndex } from './source-index.js';

/** One frame of the paused run, innermost first in `frames()`. */
export interface DebugFrame {
  id: number;
  name: string;
  kind: 'action' | 'function';
  file: string;
  line: number;
  column: number;
  /** The flow scope whose variables the frame sees. */
  scope: FlowScope;
  /** Parameters of a function frame. */
  locals?: () => Record<string, unknown>;
}

/** The latest statement run at one function depth (copied: the interpreter reuses its info objects). */
interface Place {
  range: Range;
  fileName: string | undefined;
  locals: () => Record<string, unknown>;
}

interface FlowState {
  scope: FlowScope;
  label: string;
  type: string;
  actionLine: number;
  /** Places by function depth (0: the SNIPPET's own statements); the first `count` are live. */
  places: Place[];
  count: number;
}

function place(flow: FlowState, k: number, range: Range, fileName: string | undefined, locals: () => Record<string, unknown>): void {
  const p = flow.places[k];
  if (p === undefined) flow.places[k] = { range, fileName, locals };
  else {
    p.range = range;
    p.fileName = fileName;
    p.locals = locals;
  }
}

/** The position of one run. `snipMain`: the main script is a .snip file (its one action is implicit). */
export class RunPosition {
  private flows: FlowState[] = [];

  constructor(private readonly snipMain: boolean) {}

  clear(): void {
    this.flows = [];
  }

  /** Before an action of `scope`: frames of deeper scopes (a finished subscript) are gone. */
  action(scope: FlowScope, node: FlowNode): void {
    const d = scope.depth;
    this.flows.length = d + 1;
    this.flows[d] = { scope, label: node.label, type: node.type, actionLine: node.line, places: [], count: 0 };
  }

  /** Before a statement: it becomes the latest place at its function depth; deeper ones returned. */
  statement(scope: FlowScope, label: string, info: StatementInfo): void {
    const d = scope.depth;
    let flow = this.flows[d];
    if (flow === undefined || flow.scope !== scope) {
      flow = { scope, label, type: 'SNIPPET', actionLine: info.range.start.line, places: [], count: 0 };
      this.flows[d] = flow;
    }
    if (this.flows.length !== d + 1) this.flows.length = d + 1;
    flow.count = info.depth + 1;
    // The outer depths' places are their call sites: statements run while the debugger was not
    // armed never reached it, so its own record of them may be stale.
    const callers = info.callers;
    if (callers !== undefined) {
      for (let k = 0; k < info.depth; k++) {
        const c = callers[k];
        if (c?.range !== undefined) place(flow, k, c.range, c.fileName, c.locals);
      }
    }
    place(flow, info.depth, info.range, info.fileName, info.locals);
  }

  /** The innermost place: its depth (see stepping.ts), whether it is an action line, its function depth. */
  top(): { depth: number; atAction: boolean; fnDepth: number } | undefined {
    const top = this.flows[this.flows.length - 1];
    if (top === undefined) return undefined;
    const fnDepth = Math.max(0, top.count - 1);
    return { depth: top.scope.depth + fnDepth, atAction: top.count === 0 && !(this.snipMain && top.scope.depth === 0), fnDepth };
  }

  /** Files of the scripts being run, outermost first. */
  files(): string[] {
    return this.flows.map((f) => f.scope.flow.fileName ?? '');
  }

  /** The stack, innermost first; `indexes` name the functions. */
  frames(indexes: ReadonlyMap<string, SourceIndex | undefined>): DebugFrame[] {
    const out: DebugFrame[] = [];
    for (const flow of this.flows) {
      const file = flow.scope.flow.fileName ?? '';
      const base = flow.count > 0 ? flow.places[0] : undefined;
      const sub = flow.scope.depth > 0 ? ` in ${path.basename(file)}` : '';
      out.push({
        id: 0,
        name: this.snipMain && flow.scope.depth === 0 ? path.basename(file) : `${flow.label} (${flow.type})${sub}`,
        kind: 'action',
        file,
        line: base?.range.start.line ?? flow.actionLine,
        column: base?.range.start.column ?? 1,
        scope: flow.scope,
      });
      for (let k = 1; k < flow.count; k++) {
        const place = flow.places[k];
        if (place === undefined) continue;
        const pfile = place.fileName ?? file;
        const site = indexes.get(pfile);
        const fn = site !== undefined ? functionAt(site, place.range) : undefined;
        out.push({
          id: 0,
          name: `${fn?.name ?? 'function'}()`,
          kind: 'function',
          file: pfile,
          line: place.range.start.line,
          column: place.range.start.column,
          scope: flow.scope,
          locals: place.locals,
        });
      }
    }
    out.reverse();
    out.forEach((f, i) => (f.id = i));
    return out;
  }
}

// Compile-time state of one compilation unit (a snippet, or one expression): resolved variable
// slots, the unit's user functions, and which of them may await (decided statically).
import type { Expression, FunctionDeclaration, Identifier, Statement } from '../../language/ast.js';
import { DEFAULT_LINKER, type Linker } from './links.js';
import type { Frame, Sig } from './run.js';

/** A user function of this unit, compiled lazily after every slot is known. */
export interface FnInfo {
  decl: FunctionDeclaration;
  key: string;
  params: Map<string, number>;
  /** `$`-suffixed parameters hold text. */
  textParams: boolean[];
  anyTextParam: boolean;
  mayBeAsync: boolean;
  body: ((f: Frame) => Sig | Promise<Sig>) | undefined;
}

/** How statements are compiled: fast (no hooks), traced (onStatement), debug (pause hook, async). */
export type Mode = 'fast' | 'traced' | 'debug';

export class Unit {
  /** Lower-case global name -> slot; `spellings[slot]` is the first spelling seen. */
  readonly slots = new Map<string, number>();
  readonly spellings: string[] = [];
  readonly fns = new Map<string, FnInfo>();
  constructor(
    readonly fileName: string | undefined,
    readonly mode: Mode,
    readonly linker: Linker = DEFAULT_LINKER,
  ) {}

  globalSlot(name: string): number {
    const key = name.toLowerCase();
    let s = this.slots.get(key);
    if (s === undefined) {
      s = this.spellings.length;
      this.slots.set(key, s);
      this.spellings.push(name);
    }
    return s;
  }

  /** Collects the unit's FUNCTION declarations (hoisted: callable before their line) and their asyncness. */
  declareFunctions(body: Statement[]): void {
    const found: FunctionDeclaration[] = [];
    walkStatements(body, (s) => {
      if (s.kind === 'Function') found.push(s);
    });
    for (const decl of found) {
      const params = new Map<string, number>();
      decl.params.forEach((p, i) => params.set(p.key, i));
      this.fns.set(decl.name.key, {
        decl,
        key: decl.name.key,
        params,
        textParams: decl.params.map((p) => p.name.endsWith('$')),
        anyTextParam: decl.params.some((p) => p.name.endsWith('$')),
        mayBeAsync: false,
        body: undefined,
      });
    }
    // Fixpoint: a function that calls an async one is async.
    for (let changed = true; changed; ) {
      changed = false;
      for (const fn of this.fns.values()) {
        if (!fn.mayBeAsync && this.blockMayBeAsync(fn.decl.body.body)) {
          fn.mayBeAsync = true;
          changed = true;
        }
      }
    }
  }

  blockMayBeAsync(body: Statement[]): boolean {
    if (this.mode === 'debug') return true;
    let found = false;
    walkStatements(body, (s) => {
      if (found || s.kind === 'Function') return;
      // A loop may pause to let the host's event loop run (Run.pause), so it counts as async.
      if (isLoop(s) || statementExpressions(s).some((e) => this.exprMayBeAsync(e))) found = true;
    }, false);
    return found;
  }

  stmtMayBeAsync(s: Statement): boolean {
    return this.blockMayBeAsync([s]);
  }

  /** Whether evaluating `e` may return a promise: an async built-in, an async or unknown function. */
  exprMayBeAsync(e: Expression | undefined): boolean {
    if (e === undefined) return false;
    if (this.mode === 'debug') return true;
    switch (e.kind) {
      case 'Number':
      case 'Boolean':
      case 'Identifier':
        return false;
      case 'String':
        return e.parts.some((p) => p.kind === 'Interpolation' && this.exprMayBeAsync(p.expression));
      case 'Member':
        return this.exprMayBeAsync(e.object);
      case 'Index':
        return this.exprMayBeAsync(e.object) || this.exprMayBeAsync(e.index);
      case 'Unary':
        return this.exprMayBeAsync(e.operand);
      case 'Group':
        return this.exprMayBeAsync(e.expression);
      case 'Binary': {
        // Iterative along the left spine: generated chains run to 100,000 terms.
        let x: Expression = e;
        while (x.kind === 'Binary') {
          if (this.exprMayBeAsync(x.right)) return true;
          x = x.left;
        }
        return this.exprMayBeAsync(x);
      }
      case 'Call':
        return this.callMayBeAsync(e.callee.name, false) || e.args.some((a) => this.exprMayBeAsync(a));
      case 'MethodCall':
        return (
          this.callMayBeAsync(e.name, true) || this.exprMayBeAsync(e.receiver) || e.args.some((a) => this.exprMayBeAsync(a))
        );
    }
  }

  private callMayBeAsync(name: string, method: boolean): boolean {
    const key = name.toLowerCase();
    const fn = this.fns.get(key);
    if (fn !== undefined) return fn.mayBeAsync || (method && this.linker.hostMethodAsync(key) === true);
    const b = this.linker.builtin(name);
    if (method) {
      const host = this.linker.hostMethodAsync(key);
      if (host !== undefined) return host || b?.entry.async === true;
    }
    if (b !== undefined) return b.entry.async === true;
    return true; // a function from another snippet, or a host method not in the catalog
  }
}

/** FOR, FOREACH, REPEAT and WHILE: the statements that may pause in a long run. */
export function isLoop(s: Statement): boolean {
  return s.kind === 'For' || s.kind === 'ForEach' || s.kind === 'Repeat' || s.kind === 'While';
}

/** The expressions a statement evaluates itself (not those of nested blocks). */
export function statementExpressions(s: Statement): Expression[] {
  switch (s.kind) {
    case 'Assign':
      return [s.target, s.value];
    case 'Dynamic':
      return s.init ? [s.init] : [];
    case 'If':
    case 'While':
      return [s.condition];
    case 'Select':
      return s.cases.flatMap((c) => c.conditions);
    case 'Switch':
      return [s.subject, ...s.cases.flatMap((c) => c.values)];
    case 'For':
      return [s.from, s.to];
    case 'ForEach':
      return [s.iterable];
    case 'Repeat':
      return [s.count];
    case 'Return':
      return s.value ? [s.value] : [];
    case 'Trace':
    case 'Uses':
      return [s.value];
    case 'ExpressionStatement':
      return [s.expression];
    default:
      return [];
  }
}

/** Visits statements depth-first; `intoFunctions` false stops at FUNCTION bodies. */
export function walkStatements(body: Statement[], visit: (s: Statement) => void, intoFunctions = true): void {
  for (const s of body) {
    visit(s);
    switch (s.kind) {
      case 'If':
        walkStatements(s.then.body, visit, intoFunctions);
        if (s.else) walkStatements(s.else.body, visit, intoFunctions);
        break;
      case 'Select':
        for (const c of s.cases) walkStatements(c.body.body, visit, intoFunctions);
        if (s.default) walkStatements(s.default.body, visit, intoFunctions);
        break;
      case 'Switch':
        for (const c of s.cases) walkStatements(c.body.body, visit, intoFunctions);
        if (s.default) walkStatements(s.default.body, visit, intoFunctions);
        break;
      case 'For':
      case 'ForEach':
      case 'Repeat':
      case 'While':
        walkStatements(s.body.body, visit, intoFunctions);
        break;
      case 'Function':
        if (intoFunctions) walkStatements(s.body.body, visit, intoFunctions);
        break;
      default:
        break;
    }
  }
}

/** Where an identifier lives: a parameter of the function being compiled, or a script-wide variable. */
export interface Scope {
  unit: Unit;
  fn: FnInfo | undefined;
}

/** The name as written without a `Global:` prefix (`Global:x` and `x` are one variable). */
export function bareName(id: Identifier): string {
  if (id.global !== true) return id.name;
  const colon = id.name.indexOf(':');
  return colon < 0 ? id.name : id.name.slice(colon + 1);
}

export function resolveSlot(scope: Scope, id: Identifier): { local: boolean; slot: number } {
  if (id.global !== true && scope.fn !== undefined) {
    const p = scope.fn.params.get(id.key);
    if (p !== undefined) return { local: true, slot: p };
  }
  return { local: false, slot: scope.unit.globalSlot(bareName(id)) };
}

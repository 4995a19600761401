// Statements and blocks to closures. Each statement compiles to a synchronous closure unless it
// may await (unit.ts decides), and the mode adds the trace or debug hook only where requested.
import type { AssignTarget, Block, Expression, Statement } from '../../language/ast.js';
import { isTruthy, toText, valuesEqual, type Value } from '../values.js';
import type { StatementInfo } from './api.js';
import { compileExpr, type Compiled, type Ev, type EvA } from './compile-expr.js';
import { compileLoop } from './compile-loop.js';
import { isAssignable, compilePlace } from './places.js';
import { BREAK, GO, RETURN, fail, andThen, type Frame, type Sig } from './run.js';
import type { Scope } from './unit.js';
import { isTextName, literalTextFor } from './text-names.js';
import { Dyn } from '../values.js';
import { OBJECT_BYTES } from './memory.js';

export type St = (f: Frame) => Sig | Promise<Sig>;
export type StS = (f: Frame) => Sig;

/** Compiles a block; the runner is synchronous unless some statement in it may await. */
export function compileBlock(scope: Scope, block: Block | Statement[]): St {
  const body = Array.isArray(block) ? block : block.body;
  const stmts = body.map((s) => compileStatement(scope, s));
  const async = scope.unit.blockMayBeAsync(body);
  const n = stmts.length;
  if (n === 0) return () => GO;
  // Debug mode: every block counts as async, but one statement needs no runner around it.
  if (n === 1 && scope.unit.mode === 'debug') return stmts[0]!;
  if (!async) {
    const ss = stmts as StS[];
    if (n === 1) return ss[0]!;
    return (f) => {
      for (let i = 0; i < n; i++) {
        const s = ss[i]!(f);
        if (s !== GO) return s;
      }
      return GO;
    };
  }
  const runFrom = (f: Frame, start: number): Sig | Promise<Sig> => {
    for (let i = start; i < n; i++) {
      const s = stmts[i]!(f);
      if (s instanceof Promise) return s.then((sig) => (sig !== GO ? sig : runFrom(f, i + 1)));
      if (s !== GO) return s;
    }
    return GO;
  };
  return (f) => runFrom(f, 0);
}

/** A statement with its step count and, per mode, its trace or debug hook. */
export function compileStatement(scope: Scope, s: Statement): St {
  if (s.kind === 'Function') return () => GO;
  const range = s.range;
  const mode = scope.unit.mode;
  if (mode === 'fast') {
    const fused = fastStatement(scope, s);
    if (fused !== undefined) return fused;
  }
  if (mode === 'debug') {
    const fused = debugFused(scope, s);
    if (fused !== undefined) return fused;
  }
  const inner = compileInner(scope, s);
  if (mode === 'fast') {
    return (f) => {
      const rt = f.rt;
      rt.range = range;
      rt.step();
      return inner(f);
    };
  }
  const file = scope.unit.fileName;
  const info = (f: Frame): StatementInfo => ({ kind: s.kind, range, fileName: file, depth: f.rt.depth, locals: f.rt.localsView });
  if (mode === 'traced') {
    return (f) => {
      const rt = f.rt;
      rt.range = range;
      rt.step();
      return andThen(inner(f), (sig) => {
        rt.range = range;
        rt.onStatement?.(info(f));
        return sig;
      });
    };
  }
  return debugStatement(scope, s, inner);
}

/**
 * Debug mode's parts of a statement: the hook call (while the gate is armed, see DebugGate),
 * and the report of a failure where it happened, since unarmed statements leave no position.
 * One info object per statement, refreshed before each call (the hook must not keep it).
 */
function debugParts(scope: Scope, s: Statement): {
  hook(f: Frame): void | Promise<void>;
  failed(f: Frame, e: unknown): never;
} {
  const file = scope.unit.fileName;
  const shared: StatementInfo = { kind: s.kind, range: s.range, fileName: file, depth: 0, locals: () => ({}) };
  const fill = (rt: Frame['rt']): StatementInfo => {
    shared.depth = rt.depth;
    shared.locals = rt.localsView;
    shared.callers = rt.callSites;
    return shared;
  };
  return {
    hook: (f) => f.rt.debug?.beforeStatement(fill(f.rt)),
    failed: (f, e) => {
      const rt = f.rt;
      if (rt.failure !== e) {
        rt.failure = e;
        rt.debug?.failed?.(fill(rt));
      }
      throw e;
    },
  };
}

/**
 * Debug mode, any statement. While the gate is unarmed (nothing could stop the run) the hook is
 * skipped but now and then: a run without breakpoints costs a flag check per
 * statement, and no closure is made unless the hook pauses.
 */
function debugStatement(scope: Scope, s: Statement, inner: St): St {
  const range = s.range;
  const file = scope.unit.fileName;
  const { hook, failed } = debugParts(scope, s);
  const run = (f: Frame): Sig | Promise<Sig> => {
    let sig: Sig | Promise<Sig>;
    try {
      sig = inner(f);
    } catch (e) {
      return failed(f, e);
    }
    return sig instanceof Promise ? reportLater(sig, f, failed) : sig;
  };
  return (f) => {
    const rt = f.rt;
    rt.range = range;
    rt.step();
    if (rt.gate.armed) {
      const paused = hook(f);
      if (paused !== undefined) return resumeLater(paused, f, range, file, run);
    }
    rt.file = file;
    return run(f);
  };
}

// The promise paths of the debug closures live outside them: a closure made inside would cost a
// context object on every run of the statement, paused or not.
type Failed = (f: Frame, e: unknown) => never;

function reportLater(sig: Promise<Sig>, f: Frame, failed: Failed): Promise<Sig> {
  return sig.catch((e: unknown) => failed(f, e));
}

function resumeLater(paused: Promise<void>, f: Frame, range: Statement['range'], file: string | undefined, then: St): Promise<Sig> {
  return paused.then(() => {
    f.rt.range = range;
    f.rt.file = file;
    return then(f);
  });
}

function assignLater(x: Promise<Value>, f: Frame, set: (f: Frame, x: Value) => Sig, failed: Failed): Promise<Sig> {
  return x.then((y) => set(f, y)).catch((e: unknown) => failed(f, e));
}

function returnLater(x: Promise<Value>, f: Frame, failed: Failed): Promise<Sig> {
  return x.then(
    (y) => {
      f.ret = y;
      return RETURN;
    },
    (e: unknown) => failed(f, e),
  );
}

/**
 * Debug mode: the commonest statements with the gate check folded in (as fastStatement does for
 * fast mode), saving two closure calls per statement. Errors of nested statements were reported
 * where they happened; only the statement's own expression needs the catch here.
 */
function debugFused(scope: Scope, s: Statement): St | undefined {
  const range = s.range;
  const file = scope.unit.fileName;
  switch (s.kind) {
    case 'Assign': {
      const place = compilePlace(scope, s.target);
      const v = compileAssigned(scope, s.target, s.value).fn;
      const { hook, failed } = debugParts(scope, s);
      const set = (f: Frame, x: Value): Sig => {
        if (typeof x === 'string' && x.length > f.rt.limits.maxStringSize) checkSize(x, f);
        place.set(f, x);
        return GO;
      };
      const body = (f: Frame): Sig | Promise<Sig> => {
        let x: Value | Promise<Value>;
        try {
          x = v(f);
          if (!(x instanceof Promise)) return set(f, x);
        } catch (e) {
          return failed(f, e);
        }
        return assignLater(x, f, set, failed);
      };
      return (f) => {
        const rt = f.rt;
        rt.range = range;
        rt.step();
        if (rt.gate.armed) {
          const paused = hook(f);
          if (paused !== undefined) return resumeLater(paused, f, range, file, body);
        }
        rt.file = file;
        let x: Value | Promise<Value>;
        try {
          x = v(f);
          if (!(x instanceof Promise)) {
            if (typeof x === 'string' && x.length > rt.limits.maxStringSize) checkSize(x, f);
            place.set(f, x);
            return GO;
          }
        } catch (e) {
          return failed(f, e);
        }
        return assignLater(x, f, set, failed);
      };
    }
    case 'Return': {
      if (s.value === undefined) return undefined;
      const v = compileExpr(scope, s.value).fn;
      const { hook, failed } = debugParts(scope, s);
      const body = (f: Frame): Sig | Promise<Sig> => {
        let x: Value | Promise<Value>;
        try {
          x = v(f);
        } catch (e) {
          return failed(f, e);
        }
        if (!(x instanceof Promise)) {
          f.ret = x;
          return RETURN;
        }
        return returnLater(x, f, failed);
      };
      return (f) => {
        const rt = f.rt;
        rt.range = range;
        rt.step();
        if (rt.gate.armed) {
          const paused = hook(f);
          if (paused !== undefined) return resumeLater(paused, f, range, file, body);
        }
        rt.file = file;
        let x: Value | Promise<Value>;
        try {
          x = v(f);
        } catch (e) {
          return failed(f, e);
        }
        if (!(x instanceof Promise)) {
          f.ret = x;
          return RETURN;
        }
        return returnLater(x, f, failed);
      };
    }
    case 'If': {
      const cond = compileExpr(scope, s.condition);
      if (cond.async) return undefined;
      const c = cond.fn as Ev;
      const yes = compileBlock(scope, s.then);
      const no = s.else ? compileBlock(scope, s.else) : undefined;
      const { hook, failed } = debugParts(scope, s);
      const body = (f: Frame): Sig | Promise<Sig> => {
        let v: Value;
        try {
          v = c(f);
        } catch (e) {
          return failed(f, e);
        }
        if (isTruthy(v)) return yes(f);
        return no === undefined ? GO : no(f);
      };
      return (f) => {
        const rt = f.rt;
        rt.range = range;
        rt.step();
        if (rt.gate.armed) {
          const paused = hook(f);
          if (paused !== undefined) return resumeLater(paused, f, range, file, body);
        }
        rt.file = file;
        let v: Value;
        try {
          v = c(f);
        } catch (e) {
          return failed(f, e);
        }
        if (v === 1 || v === true || (v !== 0 && v !== false && isTruthy(v))) return yes(f);
        return no === undefined ? GO : no(f);
      };
    }
    default:
      return undefined;
  }
}

/**
 * Fast mode: the commonest synchronous statements with their step counting folded in, saving a
 * closure call per statement. Undefined for the rest (they take the generic wrapper).
 */
function fastStatement(scope: Scope, s: Statement): StS | undefined {
  const range = s.range;
  switch (s.kind) {
    case 'Assign': {
      const place = compilePlace(scope, s.target);
      const val = compileAssigned(scope, s.target, s.value);
      if (val.async) return undefined;
      const v = val.fn as Ev;
      return (f) => {
        const rt = f.rt;
        rt.range = range;
        rt.step();
        const x = v(f);
        if (typeof x === 'string' && x.length > rt.limits.maxStringSize) checkSize(x, f);
        place.set(f, x);
        return GO;
      };
    }
    case 'If': {
      if (scope.unit.stmtMayBeAsync(s)) return undefined;
      const c = compileExpr(scope, s.condition).fn as Ev;
      const yes = compileBlock(scope, s.then) as StS;
      const no = s.else ? (compileBlock(scope, s.else) as StS) : undefined;
      return (f) => {
        const rt = f.rt;
        rt.range = range;
        rt.step();
        const v = c(f);
        if (v === 1 || v === true || (v !== 0 && v !== false && isTruthy(v))) return yes(f);
        return no === undefined ? GO : no(f);
      };
    }
    case 'Return': {
      if (s.value === undefined) return undefined;
      const val = compileExpr(scope, s.value);
      if (val.async) return undefined;
      const v = val.fn as Ev;
      return (f) => {
        const rt = f.rt;
        rt.range = range;
        rt.step();
        f.ret = v(f);
        return RETURN;
      };
    }
    default:
      return undefined;
  }
}

/** The right-hand side of an assignment; a number assigned to a `$` variable keeps its spelling. */
function compileAssigned(scope: Scope, target: AssignTarget, value: Expression): Compiled {
  const text = literalTextFor(target, value);
  return text === undefined ? compileExpr(scope, value) : { fn: () => text, async: false };
}

function checkSize(v: Value, f: Frame): Value {
  if (typeof v === 'string' && v.length > f.rt.limits.maxStringSize) {
    fail('SNIP3005', `String too long: ${v.length} characters exceed the maximum string size (${f.rt.limits.maxStringSize})`);
  }
  return v;
}

function compileInner(scope: Scope, s: Statement): St {
  switch (s.kind) {
    case 'Assign': {
      const place = compilePlace(scope, s.target);
      const val = compileAssigned(scope, s.target, s.value);
      if (!val.async) {
        const v = val.fn as Ev;
        return (f) => {
          place.set(f, checkSize(v(f), f));
          return GO;
        };
      }
      return (f) =>
        andThen(val.fn(f), (v) => {
          place.set(f, checkSize(v, f));
          return GO;
        });
    }
    case 'Dynamic': {
      const place = compilePlace(scope, s.name);
      if (s.init === undefined) {
        return (f) => {
          place.set(f, new Dyn());
          f.rt.alloc(OBJECT_BYTES);
          return GO;
        };
      }
      const init = compileExpr(scope, s.init).fn;
      const linker = scope.unit.linker;
      return (f) =>
        andThen(init(f), (v) => {
          let d: Value;
          if (v instanceof Dyn) d = v;
          else {
            const text = toText(v);
            d = text.trim() === '' ? new Dyn() : linker.dynFromText(text, f.rt.limits.maxDynamicBytes);
            f.rt.alloc(OBJECT_BYTES + text.length);
          }
          place.set(f, d);
          return GO;
        });
    }
    case 'If': {
      const cond = compileExpr(scope, s.condition);
      const yes = compileBlock(scope, s.then);
      const no = s.else ? compileBlock(scope, s.else) : () => GO;
      if (!cond.async) {
        const c = cond.fn as Ev;
        return (f) => (isTruthy(c(f)) ? yes(f) : no(f));
      }
      return (f) => andThen(cond.fn(f), (v) => (isTruthy(v) ? yes(f) : no(f)));
    }
    case 'Select': {
      const arms = s.cases.map((c) => ({ conds: c.conditions.map((e) => compileExpr(scope, e).fn), body: compileBlock(scope, c.body) }));
      const dflt = s.default ? compileBlock(scope, s.default) : () => GO;
      return (f) => selectFrom(f, arms, 0, 0, dflt, isTruthy);
    }
    case 'Switch': {
      const subject = compileExpr(scope, s.subject).fn;
      const arms = s.cases.map((c) => ({ conds: c.values.map((e) => compileExpr(scope, e).fn), body: compileBlock(scope, c.body) }));
      const dflt = s.default ? compileBlock(scope, s.default) : () => GO;
      // A `$` subject holds text: its CASE values are compared as text (Variables page).
      const same = isTextName(s.subject) ? (a: Value, b: Value) => toText(a) === toText(b) : valuesEqual;
      return (f) => andThen(subject(f), (subj) => selectFrom(f, arms, 0, 0, dflt, (v) => same(subj, v)));
    }
    case 'For':
    case 'ForEach':
    case 'Repeat':
    case 'While':
      return compileLoop(scope, s, compileBlock(scope, s.body));
    case 'Break':
      return () => BREAK;
    case 'Return': {
      if (s.value === undefined) return () => RETURN;
      const val = compileExpr(scope, s.value);
      if (!val.async) {
        const v = val.fn as Ev;
        return (f) => {
          f.ret = v(f);
          return RETURN;
        };
      }
      return (f) =>
        andThen(val.fn(f), (v) => {
          f.ret = v;
          return RETURN;
        });
    }
    case 'Trace': {
      const val = compileExpr(scope, s.value).fn;
      return (f) =>
        andThen(val(f), (v) => {
          f.rt.trace(toText(v));
          return GO;
        });
    }
    case 'Uses': {
      const range = s.range;
      return () => fail('SNIP3014', 'USES is not supported: SOAP web-service proxies are not available here', range);
    }
    case 'ExpressionStatement':
      return compileCallStatement(scope, s.expression);
    case 'Function':
      return () => GO;
  }
}

/** Runs SELECT/SWITCH arms: the first arm with a matching (stacked) condition, else DEFAULT. */
function selectFrom(
  f: Frame,
  arms: { conds: EvA[]; body: St }[],
  arm: number,
  cond: number,
  dflt: St,
  match: (v: Value) => boolean,
): Sig | Promise<Sig> {
  for (let a = arm; a < arms.length; a++) {
    const { conds, body } = arms[a]!;
    for (let c = a === arm ? cond : 0; c < conds.length; c++) {
      const v = conds[c]!(f);
      if (v instanceof Promise) {
        return v.then((x) => (match(x) ? body(f) : selectFrom(f, arms, a, c + 1, dflt, match)));
      }
      if (match(v)) return body(f);
    }
  }
  return dflt(f);
}

/** A bare call; a method-form built-in marked `assignsReceiver` (`x.append(s)`) stores its result back. */
function compileCallStatement(scope: Scope, e: Statement & { kind: 'ExpressionStatement' } extends { expression: infer E } ? E : never): St {
  const call = compileExpr(scope, e).fn;
  if (e.kind === 'MethodCall' && isAssignable(e.receiver) && !scope.unit.fns.has(e.name.toLowerCase())) {
    const b = scope.unit.linker.builtin(e.name);
    if (b?.entry.assignsReceiver) {
      const place = compilePlace(scope, e.receiver);
      return (f) =>
        andThen(call(f), (v) => {
          place.set(f, checkSize(v, f));
          return GO;
        });
    }
  }
  if (!scope.unit.exprMayBeAsync(e)) {
    return (f) => {
      call(f);
      return GO;
    };
  }
  return (f) => andThen(call(f), () => GO);
}


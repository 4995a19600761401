// FOR, FOREACH, REPEAT and WHILE. Every iteration counts as a step, so an empty runaway loop still
// hits the step and time limits. Each loop runs its turns synchronously and continues through
// `then` only when its body returns a promise (an awaited built-in) or the run's time slice is used
// up (Run.pause: the host's event loop runs, then the loop resumes where it stopped). So a busy
// `WHILE true` can be aborted and never freezes its host, and the hot path stays a plain JS loop.
import type { ForEachStatement, ForStatement, Identifier, RepeatStatement, WhileStatement } from '../../language/ast.js';
import { elementsOf } from '../arrays.js';
import { isTruthy, toNumber, toText, type Value } from '../values.js';
import { compileExpr, evalAll } from './compile-expr.js';
import { compilePlace } from './places.js';
import { BREAK, GO, RETURN, fail, type Frame, type Sig } from './run.js';
import { resolveSlot, type Scope } from './unit.js';
import type { St } from './compile-stmt.js';

/** The slot of a FOR counter that is a script variable holding numbers (not `$` text), else -1. */
function globalNumberCell(scope: Scope, v: Identifier): number {
  if (v.name.endsWith('$')) return -1;
  const { local, slot } = resolveSlot(scope, v);
  return local ? -1 : slot;
}

type Loop = ForStatement | ForEachStatement | RepeatStatement | WhileStatement;

function bound(v: Value, what: string, range: Loop['range']): number {
  const n = toNumber(v);
  if (Number.isNaN(n)) fail('SNIP3012', `${what} must be a number (got '${toText(v)}')`, range);
  return n;
}

type Turn = Sig | Promise<Sig>;

export function compileLoop(scope: Scope, s: Loop, body: St): St {
  // A body without loops or awaits never returns a promise: skip the check on the hot path.
  const bodySync = !scope.unit.blockMayBeAsync(s.body.body);
  switch (s.kind) {
    case 'For': {
      const bounds = [compileExpr(scope, s.from).fn, compileExpr(scope, s.to).fn];
      const place = compilePlace(scope, s.variable);
      const range = s.range;
      const global = globalNumberCell(scope, s.variable);
      // Turns from counter `i` (already stored in the variable) on.
      const turns = (f: Frame, i: number, end: number, dir: number): Turn => {
        const rt = f.rt;
        // A script variable's cell is fixed for the run: after the first (defining) assignment
        // the counter is stored straight into it.
        const cell = global < 0 ? undefined : f.g[global]!;
        for (;;) {
          const sig = body(f);
          if (!bodySync && sig instanceof Promise) return sig.then((x) => next(f, x, i, end, dir));
          if (sig === BREAK) return GO;
          if (sig === RETURN) return sig as Sig;
          i += dir;
          if (dir > 0 ? i > end : i < end) return GO;
          const due = rt.turn();
          if (cell !== undefined) cell.value = i;
          else place.set(f, i);
          if (due) return rt.pause().then(() => turns(f, i, end, dir));
        }
      };
      const next = (f: Frame, sig: Sig, i: number, end: number, dir: number): Turn => {
        if (sig === BREAK) return GO;
        if (sig === RETURN) return sig;
        i += dir;
        if (dir > 0 ? i > end : i < end) return GO;
        const due = f.rt.turn();
        place.set(f, i);
        return due ? f.rt.pause().then(() => turns(f, i, end, dir)) : turns(f, i, end, dir);
      };
      const begin = (f: Frame, [a, z]: Value[]): Turn => {
        const i = bound(a!, 'The FOR start value', range);
        const end = bound(z!, 'The FOR end value', range);
        place.set(f, i);
        return turns(f, i, end, end < i ? -1 : 1);
      };
      return (f) => {
        const b = evalAll(bounds, f);
        return b instanceof Promise ? b.then((x) => begin(f, x)) : begin(f, b);
      };
    }
    case 'ForEach': {
      const iter = compileExpr(scope, s.iterable).fn;
      const place = compilePlace(scope, s.variable);
      // Turns from item `k` on; the step of turn k was counted before.
      const turns = (f: Frame, items: Value[], k: number): Turn => {
        const rt = f.rt;
        for (; k < items.length; k++) {
          place.set(f, items[k]!);
          const sig = body(f);
          if (!bodySync && sig instanceof Promise) return sig.then((x) => next(f, x, items, k));
          if (sig === BREAK) return GO;
          if (sig === RETURN) return sig as Sig;
          if (k + 1 < items.length) {
            if (rt.turn()) {
              const from = k + 1;
              return rt.pause().then(() => turns(f, items, from));
            }
          }
        }
        return GO;
      };
      const next = (f: Frame, sig: Sig, items: Value[], k: number): Turn => {
        if (sig === BREAK) return GO;
        if (sig === RETURN) return sig;
        if (k + 1 >= items.length) return GO;
        return f.rt.turn() ? f.rt.pause().then(() => turns(f, items, k + 1)) : turns(f, items, k + 1);
      };
      return (f) => {
        const v = iter(f);
        return v instanceof Promise ? v.then((x) => turns(f, elementsOf(x), 0)) : turns(f, elementsOf(v), 0);
      };
    }
    case 'Repeat': {
      const count = compileExpr(scope, s.count).fn;
      const times = (v: Value): number => {
        const n = Math.trunc(toNumber(v));
        return Number.isNaN(n) ? 0 : n;
      };
      const turns = (f: Frame, n: number, k: number): Turn => {
        const rt = f.rt;
        for (; k < n; k++) {
          const sig = body(f);
          if (!bodySync && sig instanceof Promise) return sig.then((x) => next(f, x, n, k));
          if (sig === BREAK) return GO;
          if (sig === RETURN) return sig as Sig;
          if (k + 1 < n) {
            if (rt.turn()) {
              const from = k + 1;
              return rt.pause().then(() => turns(f, n, from));
            }
          }
        }
        return GO;
      };
      const next = (f: Frame, sig: Sig, n: number, k: number): Turn => {
        if (sig === BREAK) return GO;
        if (sig === RETURN) return sig;
        if (k + 1 >= n) return GO;
        return f.rt.turn() ? f.rt.pause().then(() => turns(f, n, k + 1)) : turns(f, n, k + 1);
      };
      return (f) => {
        const v = count(f);
        return v instanceof Promise ? v.then((x) => turns(f, times(x), 0)) : turns(f, times(v), 0);
      };
    }
    case 'While': {
      const cond = compileExpr(scope, s.condition).fn;
      const turns = (f: Frame): Turn => {
        const rt = f.rt;
        for (;;) {
          const c = cond(f);
          if (c instanceof Promise) return c.then((x) => (isTruthy(x) ? turnThen(f) : GO));
          if (!isTruthy(c)) return GO;
          const sig = body(f);
          if (!bodySync && sig instanceof Promise) return sig.then((x) => next(f, x));
          if (sig === BREAK) return GO;
          if (sig === RETURN) return sig as Sig;
          if (rt.turn()) return rt.pause().then(() => turns(f));
        }
      };
      const turnThen = (f: Frame): Turn => {
        const sig = body(f);
        return sig instanceof Promise ? sig.then((x) => next(f, x)) : next(f, sig);
      };
      const next = (f: Frame, sig: Sig): Turn => {
        if (sig === BREAK) return GO;
        if (sig === RETURN) return sig;
        return f.rt.turn() ? f.rt.pause().then(() => turns(f)) : turns(f);
      };
      return turns;
    }
  }
}

// FOR, FOREACH, REPEAT and WHILE. Every iteration counts as a step, so an empty runaway loop still
// hits the step and time limits. Loops that may await use an async twin of the same logic.
import type { ForEachStatement, ForStatement, Identifier, RepeatStatement, WhileStatement } from '../../language/ast.js';
import { elementsOf } from '../arrays.js';
import { isTruthy, toNumber, toText, type Value } from '../values.js';
import type { Ev } from './compile-expr.js';
import { compileExpr } from './compile-expr.js';
import { compilePlace } from './places.js';
import { BREAK, GO, RETURN, fail, type Frame, type Sig } from './run.js';
import { resolveSlot, type Scope } from './unit.js';
import type { St, StS } from './compile-stmt.js';

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

export function compileLoop(scope: Scope, s: Loop, body: St): St {
  const async = scope.unit.stmtMayBeAsync(s);
  switch (s.kind) {
    case 'For': {
      const from = compileExpr(scope, s.from).fn;
      const to = compileExpr(scope, s.to).fn;
      const place = compilePlace(scope, s.variable);
      const range = s.range;
      if (!async) {
        const b = body as StS;
        const a = from as Ev;
        const z = to as Ev;
        const global = globalNumberCell(scope, s.variable);
        return (f) => {
          let i = bound(a(f), 'The FOR start value', range);
          const end = bound(z(f), 'The FOR end value', range);
          const dir = end < i ? -1 : 1;
          const rt = f.rt;
          // A script variable's cell is fixed for the run: after the first (defining) assignment
          // the counter is stored straight into it.
          place.set(f, i);
          const cell = global < 0 ? undefined : f.g[global]!;
          for (;;) {
            const sig = b(f);
            if (sig === BREAK) return GO;
            if (sig === RETURN) return sig;
            i += dir;
            if (dir > 0 ? i > end : i < end) return GO;
            rt.step();
            if (cell !== undefined) cell.value = i;
            else place.set(f, i);
          }
        };
      }
      return async (f) => {
        let i = bound(await from(f), 'The FOR start value', range);
        const end = bound(await to(f), 'The FOR end value', range);
        const dir = end < i ? -1 : 1;
        for (;;) {
          place.set(f, i);
          const sig = await body(f);
          if (sig === BREAK) return GO;
          if (sig === RETURN) return sig;
          i += dir;
          if (dir > 0 ? i > end : i < end) return GO;
          f.rt.step();
        }
      };
    }
    case 'ForEach': {
      const iter = compileExpr(scope, s.iterable).fn;
      const place = compilePlace(scope, s.variable);
      if (!async) {
        const b = body as StS;
        const it = iter as Ev;
        return (f) => {
          const items = elementsOf(it(f));
          const rt = f.rt;
          for (let k = 0; k < items.length; k++) {
            if (k > 0) rt.step();
            place.set(f, items[k]!);
            const sig = b(f);
            if (sig === BREAK) return GO;
            if (sig === RETURN) return sig;
          }
          return GO;
        };
      }
      return async (f) => {
        const items = elementsOf(await iter(f));
        for (let k = 0; k < items.length; k++) {
          if (k > 0) f.rt.step();
          place.set(f, items[k]!);
          const sig = await body(f);
          if (sig === BREAK) return GO;
          if (sig === RETURN) return sig;
        }
        return GO;
      };
    }
    case 'Repeat': {
      const count = compileExpr(scope, s.count).fn;
      const times = (v: Value): number => {
        const n = Math.trunc(toNumber(v));
        return Number.isNaN(n) ? 0 : n;
      };
      if (!async) {
        const b = body as StS;
        const c = count as Ev;
        return (f) => {
          const n = times(c(f));
          const rt = f.rt;
          for (let k = 0; k < n; k++) {
            if (k > 0) rt.step();
            const sig = b(f);
            if (sig === BREAK) return GO;
            if (sig === RETURN) return sig;
          }
          return GO;
        };
      }
      return async (f) => {
        const n = times(await count(f));
        for (let k = 0; k < n; k++) {
          if (k > 0) f.rt.step();
          const sig = await body(f);
          if (sig === BREAK) return GO;
          if (sig === RETURN) return sig;
        }
        return GO;
      };
    }
    case 'While': {
      const cond = compileExpr(scope, s.condition).fn;
      if (!async) {
        const b = body as StS;
        const c = cond as Ev;
        return (f: Frame): Sig => {
          const rt = f.rt;
          for (let k = 0; isTruthy(c(f)); k++) {
            const sig = b(f);
            if (sig === BREAK) return GO;
            if (sig === RETURN) return sig;
            rt.step();
          }
          return GO;
        };
      }
      return async (f) => {
        while (isTruthy(await cond(f))) {
          const sig = await body(f);
          if (sig === BREAK) return GO;
          if (sig === RETURN) return sig;
          f.rt.step();
        }
        return GO;
      };
    }
  }
}

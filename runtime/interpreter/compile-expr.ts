// Expressions to closures. Pure expressions become plain synchronous closures; an expression that
// may reach an async call (decided statically in unit.ts) continues through `then`, so it turns
// asynchronous only when a promise actually appears.
import type { BinaryExpression, Expression, MemberExpression, StringLiteral } from '../../language/ast.js';
import { checkIndex, readElement } from '../arrays.js';
import { Dyn, isHost, isTruthy, toText, type Value } from '../values.js';
import { callExpr, methodCallExpr, propertyBuiltin } from './compile-call.js';
import { flatChain, longChain } from './compile-chain.js';
import { arith, binaryApply, compare, compareText, negate, numeric, textComparison, xor } from './operators.js';
import { numberLiteralText } from './text-names.js';
import { fail, andThen, type Frame } from './run.js';
import { resolveSlot, type Scope } from './unit.js';

/** A compiled expression: synchronous unless `async`, in which case it may return a promise. */
export type Ev = (f: Frame) => Value;
export type EvA = (f: Frame) => Value | Promise<Value>;
export interface Compiled {
  fn: EvA;
  async: boolean;
}

export function compileExpr(scope: Scope, e: Expression): Compiled {
  const async = scope.unit.exprMayBeAsync(e);
  return { fn: async ? compileAsync(scope, e) : compileSync(scope, e), async };
}

/** Evaluates several maybe-async closures in order; a promise only if one of them returned one. */
export function evalAll(fns: EvA[], f: Frame): Value[] | Promise<Value[]> {
  const out: Value[] = new Array(fns.length);
  for (let i = 0; i < fns.length; i++) {
    const v = fns[i]!(f);
    if (v instanceof Promise) return finishAll(fns, f, out, i, v);
    out[i] = v;
  }
  return out;
}

async function finishAll(fns: EvA[], f: Frame, out: Value[], i: number, p: Promise<Value>): Promise<Value[]> {
  out[i] = await p;
  for (let j = i + 1; j < fns.length; j++) out[j] = await fns[j]!(f);
  return out;
}

function leftLater(a: Promise<Value>, r: EvA, f: Frame, apply: (a: Value, b: Value) => Value): Promise<Value> {
  return a.then((x) => andThen(r(f), (y) => apply(x, y)));
}

function rightLater(a: Value, b: Promise<Value>, apply: (a: Value, b: Value) => Value): Promise<Value> {
  return b.then((y) => apply(a, y));
}

/** A closure that never returns a promise (the expression cannot reach an async call). */
export function compileSync(scope: Scope, e: Expression): Ev {
  switch (e.kind) {
    case 'Number':
    case 'Boolean': {
      const v = e.value;
      return () => v;
    }
    case 'String':
      return compileString(scope, e) as Ev;
    case 'Identifier': {
      const { local, slot } = resolveSlot(scope, e);
      if (local) return (f) => f.l[slot] as Value;
      return (f) => {
        const c = f.g[slot]!;
        c.defined = true;
        return c.value;
      };
    }
    case 'Group':
      return compileSync(scope, e.expression);
    case 'Unary': {
      if (e.operand.kind === 'Number') {
        const v = -e.operand.value;
        return () => v;
      }
      const operand = compileSync(scope, e.operand);
      return (f) => negate(operand(f));
    }
    case 'Binary': {
      const chain = longChain(e);
      if (chain !== undefined) {
        const rights = chain.steps.map((x) => compileSync(scope, x.right));
        return flatChain(chain.steps, compileSync(scope, chain.first), rights, false) as Ev;
      }
      return compileBinary(scope, e);
    }
    case 'Member': {
      const obj = compileSync(scope, e.object);
      const read = memberReader(scope, e);
      return (f) => read(obj(f), f);
    }
    case 'Index': {
      const obj = compileSync(scope, e.object);
      const idx = compileSync(scope, e.index);
      return (f) => readElement(obj(f), checkIndex(idx(f), f.rt.limits));
    }
    case 'Call':
      return callExpr(scope, e) as Ev;
    case 'MethodCall':
      return methodCallExpr(scope, e) as Ev;
  }
}

function compileAsync(scope: Scope, e: Expression): EvA {
  switch (e.kind) {
    case 'Group':
      return compileAsync(scope, e.expression);
    case 'Unary': {
      const operand = compileAsync(scope, e.operand);
      return (f) => andThen(operand(f), negate);
    }
    case 'Binary': {
      const chain = longChain(e);
      if (chain !== undefined) {
        const rights = chain.steps.map((x) => compileExpr(scope, x.right).fn);
        return flatChain(chain.steps, compileExpr(scope, chain.first).fn, rights, true);
      }
      const l = compileExpr(scope, e.left).fn;
      const r = compileExpr(scope, e.right).fn;
      const op = e.operator;
      if (op === '&' || op === '|') {
        const stopOn = op === '|';
        const stop = stopOn ? 1 : 0;
        return (f) => andThen(l(f), (a) => (isTruthy(a) === stopOn ? stop : andThen(r(f), (b) => (isTruthy(b) ? 1 : 0))));
      }
      const apply = binaryApply(op, textComparison(e));
      // Left then right, as evalAll would, without its arrays and closure when both are ready
      // (debug mode, where every user call counts as async, runs this for `fib(n-1) + fib(n-2)`).
      // The promise paths live outside: a closure here would cost a context on every run.
      return (f) => {
        const a = l(f);
        if (a instanceof Promise) return leftLater(a, r, f, apply);
        const b = r(f);
        return b instanceof Promise ? rightLater(a, b, apply) : apply(a, b);
      };
    }
    case 'Member': {
      const obj = compileAsync(scope, e.object);
      const read = memberReader(scope, e);
      return (f) => andThen(obj(f), (o) => read(o, f));
    }
    case 'Index': {
      const parts = [compileExpr(scope, e.object).fn, compileExpr(scope, e.index).fn];
      return (f) => andThen(evalAll(parts, f), ([o, i]) => readElement(o as Value, checkIndex(i as Value, f.rt.limits)));
    }
    case 'String':
      return compileString(scope, e);
    case 'Call':
      return callExpr(scope, e);
    case 'MethodCall':
      return methodCallExpr(scope, e);
    default:
      return compileSync(scope, e);
  }
}

function compileBinary(scope: Scope, e: BinaryExpression): Ev {
  if (textComparison(e)) {
    // A number literal beside a `$` variable is compared by its spelling, as it would be stored.
    const lt = numberLiteralText(e.left);
    const rt = numberLiteralText(e.right);
    const l = lt === undefined ? compileSync(scope, e.left) : () => lt;
    const r = rt === undefined ? compileSync(scope, e.right) : () => rt;
    const op = e.operator;
    return (f) => compareText(op, l(f), r(f));
  }
  const l = compileSync(scope, e.left);
  const r = compileSync(scope, e.right);
  const range = e.operatorRange;
  switch (e.operator) {
    case '+':
      return (f) => {
        const a = l(f);
        const b = r(f);
        return typeof a === 'number' && typeof b === 'number' ? a + b : arith('+', a, b);
      };
    case '-':
      return (f) => {
        const a = l(f);
        const b = r(f);
        return typeof a === 'number' && typeof b === 'number' ? a - b : arith('-', a, b);
      };
    case '*':
      return (f) => {
        const a = l(f);
        const b = r(f);
        return typeof a === 'number' && typeof b === 'number' ? a * b : arith('*', a, b);
      };
    case '%':
      return (f) => {
        const a = l(f);
        const b = r(f);
        if (typeof a === 'number' && typeof b === 'number' && b !== 0) return a % b;
        if (typeof b === 'number' && b === 0 && typeof a === 'number') fail('SNIP3001', 'Division by zero', range);
        return arith('%', a, b);
      };
    case '/':
    case '\\':
    case '^': {
      const op = e.operator;
      return (f) => {
        const a = l(f);
        const b = r(f);
        if (typeof a === 'number' && typeof b === 'number' && b !== 0) return numeric(op, a, b);
        if (typeof b === 'number' && b === 0 && op !== '^' && typeof a === 'number') fail('SNIP3001', 'Division by zero', range);
        return arith(op, a, b);
      };
    }
    case '&':
      return (f) => (isTruthy(l(f)) && isTruthy(r(f)) ? 1 : 0);
    case '|':
      return (f) => (isTruthy(l(f)) || isTruthy(r(f)) ? 1 : 0);
    case '~':
      return (f) => xor(l(f), r(f));
    case '=':
      return (f) => {
        const a = l(f);
        const b = r(f);
        return typeof a === 'number' && typeof b === 'number' ? (a === b ? 1 : 0) : compare('=', a, b);
      };
    case '<':
      return (f) => {
        const a = l(f);
        const b = r(f);
        return typeof a === 'number' && typeof b === 'number' ? (a < b ? 1 : 0) : compare('<', a, b);
      };
    case '<=':
      return (f) => {
        const a = l(f);
        const b = r(f);
        return typeof a === 'number' && typeof b === 'number' ? (a <= b ? 1 : 0) : compare('<=', a, b);
      };
    default: {
      const op = e.operator;
      return (f) => compare(op, l(f), r(f));
    }
  }
}

/** Reads `.name` of a value: a dynamic member, a host property, `$value`, or a property built-in. */
function memberReader(scope: Scope, e: MemberExpression): (o: Value, f: Frame) => Value {
  const name = e.name;
  const prop = propertyBuiltin(scope, e);
  const isValue = name === '$value';
  return (o, f) => {
    if (o instanceof Dyn) {
      const v = o.members.get(name);
      if (v !== undefined) return v;
    } else if (isHost(o)) {
      const v = o.getProperty(name);
      if (v !== undefined) return v;
    }
    if (isValue) return o;
    if (prop !== undefined) return prop(o, f) as Value;
    return null;
  };
}

function compileString(scope: Scope, e: StringLiteral): EvA {
  const pieces: (string | EvA)[] = [];
  let async = false;
  for (const p of e.parts) {
    if (p.kind === 'Text') {
      if (typeof pieces[pieces.length - 1] === 'string') pieces[pieces.length - 1] += p.value;
      else pieces.push(p.value);
    } else if (p.expression !== undefined) {
      const c = compileExpr(scope, p.expression);
      async ||= c.async;
      pieces.push(c.fn);
    }
  }
  let text: EvA;
  if (pieces.length === 0) text = () => '';
  else if (pieces.length === 1 && typeof pieces[0] === 'string') {
    const s = pieces[0];
    text = () => s;
  } else if (async) {
    const fns: EvA[] = pieces.map((p) => (typeof p === 'string' ? () => p : p));
    text = (f) =>
      andThen(evalAll(fns, f), (vs) => {
        const s = vs.map(toText).join('');
        f.rt.alloc(s.length);
        return s;
      });
  } else {
    const ps = pieces as (string | Ev)[];
    text = (f) => {
      let s = '';
      for (let i = 0; i < ps.length; i++) {
        const p = ps[i]!;
        s += typeof p === 'string' ? p : toText(p(f));
      }
      f.rt.alloc(s.length);
      return s;
    };
  }
  if (!e.date) return text;
  const range = e.range;
  const linker = scope.unit.linker;
  const toDate = (v: Value): Value => {
    const d = linker.dateFromText(v as string);
    if (d === undefined) fail('SNIP3017', `'${toText(v)}' is not a valid date/time`, range);
    return d;
  };
  return (f) => andThen(text(f), toDate);
}

// Calls: user functions of this unit (resolved statically), built-ins (resolved statically from the
// catalog), host-object methods and functions declared by other snippets of the run (by name).
import type { CallExpression, MemberExpression, MethodCallExpression, Range } from '../../language/ast.js';
import { SnipLimitError } from '../errors.js';
import { isHost, toPlain, toText, type Value } from '../values.js';
import type { UserFunction } from './api.js';
import { compileExpr, evalAll, type EvA } from './compile-expr.js';
import type { LinkedBuiltin } from './links.js';
import { createdBytes } from './memory.js';
import { Frame, fail, locate, type Run, type Sig } from './run.js';
import type { FnInfo, Scope } from './unit.js';
import { arity } from '../../language/catalog-types.js';

/** Runs a user function of a unit with its resolved cells: depth limit, locals, RETURN value. */
export function invokeUser(rt: Run, g: Frame['g'], fn: FnInfo, file: string | undefined, args: Value[]): Value | Promise<Value> {
  if (rt.depth >= rt.limits.maxCallDepth) {
    throw new SnipLimitError('SNIP3004', `Call depth limit exceeded: more than ${rt.limits.maxCallDepth} nested function calls`);
  }
  if (fn.anyTextParam) {
    for (let i = 0; i < fn.textParams.length; i++) if (fn.textParams[i] && typeof args[i] !== 'string') args[i] = toText(args[i]!);
  }
  const frame = new Frame(rt, g, args);
  if (!fn.mayBeAsync && rt.debug === undefined) return invokeSync(rt, frame, fn, file);
  const prevFile = rt.file;
  const prevLocals = rt.localsView;
  const prevRange = rt.range;
  if (rt.debug !== undefined) {
    rt.enterCall();
    rt.localsView = localsViewOf(fn, args);
  }
  rt.depth++;
  rt.file = file;
  let sig;
  try {
    sig = fn.body!(frame);
  } catch (e) {
    rt.depth--;
    rt.file = prevFile;
    rt.localsView = prevLocals;
    throw locate(e, rt.range, file);
  }
  if (sig instanceof Promise) return finishLater(sig, rt, frame, file, prevFile, prevLocals, prevRange);
  rt.depth--;
  rt.file = prevFile;
  rt.localsView = prevLocals;
  if (rt.debug !== undefined) rt.range = prevRange;
  return frame.ret;
}

/** The end of a call whose body awaited (kept out of invokeUser: its closures would cost every call). */
function finishLater(
  sig: Promise<Sig>,
  rt: Run,
  frame: Frame,
  file: string | undefined,
  prevFile: string | undefined,
  prevLocals: Run['localsView'],
  prevRange: Run['range'],
): Promise<Value> {
  return sig.then(
    () => {
      rt.depth--;
      rt.file = prevFile;
      rt.localsView = prevLocals;
      // Debug mode: the caller's statement is current again (a later call site in it, an error).
      if (rt.debug !== undefined) rt.range = prevRange;
      return frame.ret;
    },
    (e: unknown) => {
      rt.depth--;
      rt.file = prevFile;
      rt.localsView = prevLocals;
      throw locate(e, rt.range, file);
    },
  );
}

function localsViewOf(fn: FnInfo, args: Value[]): Run['localsView'] {
  return () => localsOf(fn, args);
}

/** The common case: a function that cannot await, outside debug mode (no locals view to keep). */
function invokeSync(rt: Run, frame: Frame, fn: FnInfo, file: string | undefined): Value {
  const prevFile = rt.file;
  rt.depth++;
  rt.file = file;
  try {
    (fn.body as (f: Frame) => Sig)(frame);
  } catch (e) {
    throw locate(e, rt.range, file);
  } finally {
    rt.depth--;
    rt.file = prevFile;
  }
  return frame.ret;
}

function localsOf(fn: FnInfo, args: Value[]): Record<string, unknown> {
  const o: Record<string, unknown> = Object.create(null);
  fn.decl.params.forEach((p, i) => (o[p.name] = toPlain(args[i] ?? null)));
  return o;
}

function argCountError(name: string, expected: number | string, got: number, range: Range): never {
  return fail('SNIP3010', `Function '${name}' expects ${expected} argument${expected === 1 ? '' : 's'} but got ${got}`, range);
}

/** Calls a built-in, locating its errors at the call and checking cancellation after I/O. */
function builtinCaller(b: LinkedBuiltin, name: string, range: Range): (args: Value[], f: Frame) => Value | Promise<Value> {
  const impl = b.impl;
  if (impl === undefined) return () => fail('SNIP3011', `Built-in '${name}' is not available in this build`, range);
  const { min, max } = arity(b.entry);
  return (args, f) => {
    const rt = f.rt;
    if (args.length < min || args.length > max) {
      argCountError(b.entry.name, min === max ? min : max === Infinity ? `at least ${min}` : `${min} to ${max}`, args.length, range);
    }
    let v;
    try {
      v = impl(args, rt);
    } catch (e) {
      throw locate(e, range, rt.file);
    }
    if (v instanceof Promise) return settled(v, rt, range);
    // A method that returns its receiver (setvalue) created nothing new.
    if (typeof v === 'string' || (typeof v === 'object' && v !== args[0])) counted(v, rt, range);
    return v;
  };
}

/** Counts a call's result against the memory budget; a limit error points at the call. */
function counted(v: Value, rt: Run, range: Range): void {
  try {
    rt.alloc(createdBytes(v));
  } catch (e) {
    throw locate(e, range, rt.file);
  }
}

/** An awaited built-in or host call: the clock is checked after the wait, errors get the call's place. */
function settled(p: Promise<Value>, rt: Run, range: Range): Promise<Value> {
  return p.then(
    (x) => {
      rt.checkClock();
      counted(x, rt, range);
      return x;
    },
    (e: unknown) => {
      throw locate(e, range, rt.file);
    },
  );
}

/** Calls a function declared by another snippet of the run, or fails with unknown-function. */
function registryCall(name: string, args: Value[], f: Frame, range: Range, method: boolean): Value | Promise<Value> {
  const fn: UserFunction | undefined = f.rt.functions.get(name);
  if (fn === undefined) return fail('SNIP3011', `Unknown ${method ? 'method' : 'function'} '${name}'`, range);
  if (fn.paramCount !== args.length) argCountError(fn.name, fn.paramCount, args.length, range);
  return fn.invoke(args, f.rt);
}

function userCaller(scope: Scope, fn: FnInfo, range: Range): (args: Value[], f: Frame) => Value | Promise<Value> {
  const n = fn.decl.params.length;
  const file = scope.unit.fileName;
  return (args, f) => {
    if (args.length !== n) argCountError(fn.decl.name.name, n, args.length, range);
    return invokeUser(f.rt, f.g, fn, file, args);
  };
}

/**
 * A synchronous call of this unit's function with the right argument count: the arguments go
 * straight into the callee's locals and the frame is entered without the generic bookkeeping.
 */
function directUserCall(scope: Scope, fn: FnInfo, args: EvA[]): EvA {
  const file = scope.unit.fileName;
  const enter = (f: Frame, l: Value[]): Value => {
    const rt = f.rt;
    if (rt.debug !== undefined || fn.anyTextParam) return invokeUser(rt, f.g, fn, file, l) as Value;
    if (rt.depth >= rt.limits.maxCallDepth) {
      throw new SnipLimitError('SNIP3004', `Call depth limit exceeded: more than ${rt.limits.maxCallDepth} nested function calls`);
    }
    const frame = new Frame(rt, f.g, l);
    const prevFile = rt.file;
    rt.depth++;
    rt.file = file;
    try {
      (fn.body as (f: Frame) => Sig)(frame);
    } catch (e) {
      rt.depth--;
      rt.file = prevFile;
      throw locate(e, rt.range, file);
    }
    rt.depth--;
    rt.file = prevFile;
    return frame.ret;
  };
  switch (args.length) {
    case 0:
      return (f) => enter(f, []);
    case 1: {
      const a0 = args[0]!;
      return (f) => enter(f, [a0(f) as Value]);
    }
    case 2: {
      const a0 = args[0]!;
      const a1 = args[1]!;
      return (f) => enter(f, [a0(f) as Value, a1(f) as Value]);
    }
    default:
      return (f) => enter(f, args.map((a) => a(f) as Value));
  }
}

/** `name(args)`: this unit's function, else a built-in, else a function of another snippet. */
export function callExpr(scope: Scope, e: CallExpression): EvA {
  const args = e.args.map((a) => compileExpr(scope, a).fn);
  const fn = scope.unit.fns.get(e.callee.key);
  if (fn !== undefined && fn.decl.params.length === args.length && !scope.unit.exprMayBeAsync(e)) {
    return directUserCall(scope, fn, args);
  }
  let call: (args: Value[], f: Frame) => Value | Promise<Value>;
  if (fn !== undefined) call = userCaller(scope, fn, e.range);
  else {
    const b = scope.unit.linker.builtin(e.callee.name);
    if (b !== undefined) call = builtinCaller(b, e.callee.name, e.range);
    else {
      const name = e.callee.name;
      call = (a, f) => registryCall(name, a, f, e.range, false);
    }
  }
  return withArgs(args, call, scope.unit.exprMayBeAsync(e));
}

function withArgs(args: EvA[], call: (args: Value[], f: Frame) => Value | Promise<Value>, async: boolean): EvA {
  if (async) {
    return (f) => {
      const vs = evalAll(args, f);
      return vs instanceof Promise ? vs.then((a) => call(a, f)) : call(vs, f);
    };
  }
  switch (args.length) {
    case 0:
      return (f) => call([], f);
    case 1: {
      const a0 = args[0]!;
      return (f) => call([a0(f) as Value], f);
    }
    case 2: {
      const a0 = args[0]!;
      const a1 = args[1]!;
      return (f) => call([a0(f) as Value, a1(f) as Value], f);
    }
    default:
      return (f) => call(args.map((a) => a(f) as Value), f);
  }
}

/**
 * `receiver.name(args)`: a host object's method when the receiver has one, else `name(receiver,
 * args...)` for this unit's functions, built-ins, and functions of other snippets.
 */
export function methodCallExpr(scope: Scope, e: MethodCallExpression): EvA {
  const parts = [compileExpr(scope, e.receiver).fn, ...e.args.map((a) => compileExpr(scope, a).fn)];
  const name = e.name;
  const range = e.range;
  const fn = scope.unit.fns.get(name.toLowerCase());
  const b = fn === undefined ? scope.unit.linker.builtin(name) : undefined;
  const fallback =
    fn !== undefined
      ? userCaller(scope, fn, range)
      : b !== undefined
        ? builtinCaller(b, name, range)
        : (a: Value[], f: Frame) => registryCall(name, a, f, range, true);
  const call = (all: Value[], f: Frame): Value | Promise<Value> => {
    const recv = all[0]!;
    if (isHost(recv)) {
      const m = recv.method(name);
      if (m !== undefined) {
        try {
          const v = m(all.slice(1));
          if (v instanceof Promise) return settled(v, f.rt, range);
          if (v !== recv) counted(v, f.rt, range);
          return v;
        } catch (err) {
          throw locate(err, range, f.rt.file);
        }
      }
    }
    return fallback(all, f);
  };
  return withArgs(parts, call, scope.unit.exprMayBeAsync(e));
}

/** A property-form built-in for `.name` (e.g. `Names.size`), or undefined. */
export function propertyBuiltin(scope: Scope, e: MemberExpression): ((o: Value, f: Frame) => Value | Promise<Value>) | undefined {
  if (e.name === '$value') return undefined;
  const b = scope.unit.linker.builtin(e.name);
  if (b === undefined || !b.entry.forms.includes('property')) return undefined;
  const call = builtinCaller(b, e.name, e.range);
  return (o, f) => call([o], f);
}

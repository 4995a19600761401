// Assignment targets: variables, dynamic members (created on the way: `a.b.c = v`), pipe-array
// and dynamic-array elements (`heroes[5] = v`, `obj.m[i].sub = v`), host properties.
import type { AssignTarget, Expression, Range } from '../../language/ast.js';
import { checkIndex, dynElementForWrite, writeDynElement, writePipeElement } from '../arrays.js';
import { Dyn, isHost, toText, type HostObject, type Value } from '../values.js';
import { compileExpr, type EvA } from './compile-expr.js';
import { ELEMENT_BYTES, MEMBER_BYTES, OBJECT_BYTES } from './memory.js';
import { fail, type Frame } from './run.js';
import { bareName, resolveSlot, type Scope } from './unit.js';

/** A compiled assignable location. */
export interface Place {
  get(f: Frame): Value;
  set(f: Frame, v: Value): void;
  /** The dynamic object (or host object) here, created when the location is empty. */
  container(f: Frame): Dyn | HostObject;
}

/** Whether an expression can be assigned to (method-form built-ins that write back need this). */
export function isAssignable(e: Expression): e is AssignTarget {
  return e.kind === 'Identifier' || ((e.kind === 'Member' || e.kind === 'Index') && isAssignable(e.object));
}

function isEmpty(v: Value): boolean {
  return v === null || v === '';
}

/** Evaluates an index inside a target; targets stay synchronous (documented limitation). */
function syncIndex(fn: EvA, range: Range): (f: Frame) => Value {
  return (f) => {
    const v = fn(f);
    if (v instanceof Promise) {
      void v.catch(() => undefined);
      fail('SNIP3014', 'An asynchronous call cannot be used inside an assignment target; assign it to a variable first', range);
    }
    return v;
  };
}

export function compilePlace(scope: Scope, t: AssignTarget): Place {
  switch (t.kind) {
    case 'Identifier': {
      const { local, slot } = resolveSlot(scope, t);
      const text = t.name.endsWith('$');
      const spelling = bareName(t);
      const get = local
        ? (f: Frame) => f.l[slot] as Value
        : (f: Frame) => {
            const c = f.g[slot]!;
            c.defined = true;
            return c.value;
          };
      const set = local
        ? (f: Frame, v: Value) => {
            f.l[slot] = text && typeof v !== 'string' ? toText(v) : v;
          }
        : (f: Frame, v: Value) => {
            const c = f.g[slot]!;
            if (!c.defined) {
              c.defined = true;
              c.name = spelling;
            }
            c.value = text && typeof v !== 'string' ? toText(v) : v;
          };
      return {
        get,
        set,
        container(f) {
          const v = get(f);
          if (v instanceof Dyn || isHost(v)) return v;
          if (!isEmpty(v)) fail('SNIP3001', `'${spelling}' holds a value, not a dynamic object`, t.range);
          const d = new Dyn();
          set(f, d);
          return d;
        },
      };
    }
    case 'Member': {
      const obj = compilePlace(scope, t.object as AssignTarget);
      const name = t.name;
      const range = t.nameRange;
      if (name === '__type') {
        const reserved = (): never => fail('SNIP3009', "The member name '__type' is reserved for JSON parsing", range);
        return { get: reserved, set: reserved, container: reserved };
      }
      const get = (f: Frame): Value => {
        const o = obj.get(f);
        if (o instanceof Dyn) return o.members.get(name) ?? null;
        if (isHost(o)) return o.getProperty(name) ?? null;
        return null;
      };
      const set = (f: Frame, v: Value): void => {
        if (name === '$value') fail('SNIP3020', "'$value' is read-only", range);
        const o = obj.container(f);
        if (o instanceof Dyn) {
          o.members.set(name, v);
          f.rt.alloc(MEMBER_BYTES);
        } else if (!o.setProperty(name, v)) fail('SNIP3020', `Property '${name}' of ${o.hostType} is read-only or does not exist`, range);
      };
      return {
        get,
        set,
        container(f) {
          const o = obj.container(f);
          if (isHost(o)) {
            const v = o.getProperty(name);
            if (v instanceof Dyn || (v !== undefined && isHost(v))) return v;
            return fail('SNIP3001', `Property '${name}' of ${o.hostType} is not an object`, range);
          }
          const v = o.members.get(name);
          if (v instanceof Dyn || (v !== undefined && isHost(v))) return v;
          if (v !== undefined && !isEmpty(v)) fail('SNIP3001', `Member '${name}' holds a value, not a dynamic object`, range);
          const d = new Dyn();
          o.members.set(name, d);
          return d;
        },
      };
    }
    case 'Index': {
      const obj = compilePlace(scope, t.object as AssignTarget);
      const idx = syncIndex(compileExpr(scope, t.index).fn, t.index.range);
      const range = t.range;
      const get = (f: Frame): Value => {
        const o = obj.get(f);
        const i = checkIndex(idx(f), f.rt.limits);
        if (o instanceof Dyn) return o.items?.[i - 1] ?? (i === 1 && o.items === undefined ? o : null);
        const items = isEmpty(o) ? [] : toText(o).split('|');
        return items[i - 1] ?? '';
      };
      const set = (f: Frame, v: Value): void => {
        const o = obj.get(f);
        const i = locatedIndex(idx, f, range);
        if (o instanceof Dyn) {
          const before = o.items?.length ?? 0;
          writeDynElement(o, i, v, f.rt.limits);
          f.rt.alloc(ELEMENT_BYTES * Math.max(1, o.items!.length - before));
        } else if (v instanceof Dyn && isEmpty(o)) {
          const d = new Dyn();
          writeDynElement(d, i, v, f.rt.limits);
          f.rt.alloc(OBJECT_BYTES + ELEMENT_BYTES * i);
          obj.set(f, d);
        } else {
          const text = writePipeElement(o, i, v, f.rt.limits);
          f.rt.alloc(text.length);
          obj.set(f, text);
        }
      };
      return {
        get,
        set,
        container(f) {
          let o = obj.get(f);
          const i = locatedIndex(idx, f, range);
          if (!(o instanceof Dyn)) {
            if (!isEmpty(o)) fail('SNIP3001', 'Elements of a text array cannot hold members; use DYNAMIC', range);
            o = new Dyn();
            obj.set(f, o);
          }
          return dynElementForWrite(o, i, f.rt.limits);
        },
      };
    }
  }
}

function locatedIndex(idx: (f: Frame) => Value, f: Frame, range: Range): number {
  const v = idx(f);
  try {
    return checkIndex(v, f.rt.limits);
  } catch (e) {
    (e as { range?: Range }).range ??= range;
    throw e;
  }
}

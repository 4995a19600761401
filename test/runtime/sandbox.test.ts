// Escape attempts: prototype names as variables, members and functions are plain names, and a
// script reaches nothing of the host.
import { describe, expect, it } from 'vitest';
import { FunctionRegistry, VariableStore, compileSnippetAst } from '../../runtime/interpreter/api.js';
import type { SnippetProgram } from '../../language/ast.js';
import { assign, call, dyn, id, mcall, member, num, program, str } from './interpreter/ast-helpers.js';

function run(p: SnippetProgram) {
  const store = new VariableStore();
  const r = compileSnippetAst(p).execute({ store, functions: new FunctionRegistry() });
  if (r instanceof Promise) throw new Error('unexpected async');
  return { store, error: r, vars: store.toPlain() };
}

describe('sandbox', () => {
  it('prototype names are plain variables', () => {
    const { vars, store } = run(
      program(assign(id('__proto__'), str('p')), assign(id('constructor'), num(1)), assign(id('toString'), str('t')), assign(id('x'), id('prototype'))),
    );
    expect(Object.getPrototypeOf(vars)).toBe(Object.prototype);
    expect(Object.getOwnPropertyNames(vars).sort()).toEqual(['__proto__', 'constructor', 'prototype', 'toString', 'x'].sort());
    expect(store.get('__proto__')).toBe('p');
    expect(store.get('constructor')).toBe(1);
    expect(({} as Record<string, unknown>).p).toBeUndefined();
  });

  it('prototype names are plain members', () => {
    const { vars } = run(
      program(
        dyn('o'),
        assign(member(id('o'), '__proto__'), str('a')),
        assign(member(member(id('o'), 'constructor'), 'prototype'), str('b')),
        assign(id('r1'), member(id('o'), 'toString')),
        assign(id('r2'), member(member(id('x'), 'constructor'), 'name')),
        assign(id('r3'), member(str('text'), 'constructor')),
      ),
    );
    const o = vars.o as Record<string, unknown>;
    expect(Object.getOwnPropertyDescriptor(o, '__proto__')?.value).toBe('a');
    expect(o.constructor).toEqual({ prototype: 'b' });
    expect(vars).toMatchObject({ r1: '', r2: '', r3: '' });
    expect((Object.prototype as Record<string, unknown>).prototype).toBeUndefined();
  });

  it('host and JavaScript names are unknown functions, never reached', () => {
    for (const name of ['eval', 'Function', 'require', 'process', 'constructor', 'setTimeout', 'import']) {
      const { error } = run(program(assign(id('r'), call(name, str('1')))));
      expect(error?.code, name).toBe('SNIP3011');
    }
    const { error } = run(program(assign(id('r'), mcall(str('x'), 'constructor', str('return process')))));
    expect(error?.code).toBe('SNIP3011');
  });

  it('user text is never evaluated as JavaScript', () => {
    const { vars } = run(program(assign(id('s'), str('${process.exit(1)}')), assign(id('t'), str('{', id('s'), '}'))));
    expect(vars.s).toBe('${process.exit(1)}');
  });
});

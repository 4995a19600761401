// The compiler core on hand-built ASTs: slots, loops, user functions, limits, errors.
import { describe, expect, it } from 'vitest';
import { FunctionRegistry, VariableStore, compileSnippetAst, resolveLimits } from '../../../runtime/interpreter/api.js';
import { assign, bin, call, fn, forLoop, id, iff, num, program, ret, str } from './ast-helpers.js';

function run(p: ReturnType<typeof program>, limits = {}) {
  const store = new VariableStore();
  const r = compileSnippetAst(p).execute({ store, functions: new FunctionRegistry(), limits: resolveLimits(limits) });
  expect(r).not.toBeInstanceOf(Promise);
  return { store, error: r as Exclude<typeof r, Promise<unknown>> };
}

describe('compiler core', () => {
  it('FOR with interpolation builds text from an undefined variable', () => {
    const { store, error } = run(program(forLoop('i', num(1), num(9), assign(id('ph'), str(id('ph'), id('i'))))));
    expect(error).toBeUndefined();
    expect(store.toPlain()).toEqual({ i: '9', ph: '123456789' });
  });

  it('recursive user function', () => {
    const fib = fn('fib', ['n'], iff(bin(id('n'), '<', num(2)), [ret(id('n'))]), ret(bin(call('fib', bin(id('n'), '-', num(1))), '+', call('fib', bin(id('n'), '-', num(2))))));
    const { store } = run(program(fib, assign(id('r'), call('fib', num(15)))));
    expect(store.get('r')).toBe(610);
  });

  it('runaway recursion stops with SNIP3004 and sets _ERR', () => {
    const loop = fn('f', ['n'], ret(call('f', id('n'))));
    const { store, error } = run(program(assign(id('a'), num(1)), assign(id('r'), call('f', num(1)))));
    void loop;
    expect(error?.code).toBe('SNIP3011');
    const r2 = run(program(loop, assign(id('a'), num(1)), assign(id('r'), call('f', num(1)))));
    expect(r2.error?.code).toBe('SNIP3004');
    expect(r2.store.get('a')).toBe(1);
    expect(String(r2.store.get('_ERR'))).toMatch(/Call depth/);
    expect(store.get('a')).toBe(1);
  });

  it('step limit', () => {
    const { error } = run(program(forLoop('i', num(1), num(1e9))), { maxSteps: 5000 });
    expect(error?.code).toBe('SNIP3002');
  });
});

// Statement and conversion rules of docs/language.md "Semantics", on hand-built ASTs.
import { describe, expect, it } from 'vitest';
import { FunctionRegistry, VariableStore, compileSnippetAst, resolveLimits } from '../../../runtime/interpreter/api.js';
import type { SnippetProgram } from '../../../language/ast.js';
import * as B from './ast-helpers.js';
const { assign, bin, id, num, str, program, index, member, dyn, foreach, select, switchOf, repeat, whileLoop, brk, iff, bool, uses, fn, ret, mcall, call } = B;

function run(p: SnippetProgram, limits = {}) {
  const store = new VariableStore();
  const r = compileSnippetAst(p).execute({ store, functions: new FunctionRegistry(), limits: resolveLimits(limits) });
  if (r instanceof Promise) throw new Error('unexpected async');
  return { store, error: r, vars: store.toPlain() };
}

describe('numeric evaluation', () => {
  it('ignores non-numeric operands and converts numeric text', () => {
    const { vars } = run(
      program(
        assign(id('s'), str('my string')),
        assign(id('c2'), bin(bin(num(123), '+', num(456)), '+', id('s'))),
        assign(id('a'), str('1')),
        assign(id('b'), str('2')),
        assign(id('c'), bin(id('a'), '+', id('b'))),
        assign(id('d'), bin(str('x'), '-', num(2))),
        assign(id('e'), bin(num(10), '*', id('nothing'))),
        assign(id('f'), bin(num(7), '\\', num(2))),
        assign(id('g'), bin(num(7), '%', num(3))),
        assign(id('h'), bin(num(2), '^', num(10))),
      ),
    );
    expect(vars).toMatchObject({ c2: '579', c: '3', d: '-2', e: '10', f: '3', g: '1', h: '1024', nothing: '' });
  });
  it('`+` with two texts and no number is SNIP3033 (String Handling page: + does not join text)', () => {
    const r = run(program(assign(id('i'), bin(str('x'), '+', str('y')))));
    expect(r.error?.code).toBe('SNIP3033');
    expect(r.error?.message).toContain('"{a}{b}"');
  });
  it('division by zero is SNIP3001', () => {
    expect(run(program(assign(id('x'), bin(num(1), '/', num(0))))).error?.code).toBe('SNIP3001');
  });
  it('comparisons and logic', () => {
    const { vars } = run(
      program(
        assign(id('a'), bin(str('201'), '=', num(201))),
        assign(id('b'), bin(str('abc'), '=', str('ABC'))),
        assign(id('c'), bin(bool(true), '~', bool(true))),
        assign(id('d'), bin(bool(false), '&', B.call('nosuchfn'))),
      ),
    );
    // Comparison and logic results are 1 or 0 (Variables page).
    expect(vars).toMatchObject({ a: '1', b: '0', c: '0', d: '0' });
  });
  it('$-suffixed names hold text', () => {
    const { store } = run(program(assign(id('n$'), bin(num(1), '+', num(2)))));
    expect(store.get('N$')).toBe('3');
  });
});

describe('pipe arrays', () => {
  it('writes past the end pad with empty elements; reads past the end are empty', () => {
    const { vars } = run(
      program(
        assign(id('h'), str('a|b|c')),
        assign(index(id('h'), num(5)), str('x')),
        assign(id('r'), index(id('h'), num(9))),
        assign(id('one'), index(str('solo'), num(1))),
      ),
    );
    expect(vars).toMatchObject({ h: 'a|b|c||x', r: '', one: 'solo' });
  });
  it('index over 63,000,000 gives the documented message', () => {
    const { error, store } = run(program(assign(index(id('big'), num(63000001)), str('x'))));
    expect(error?.code).toBe('SNIP3006');
    expect(error?.message).toBe('Array index out of bounds. The current array index (63000001) exceeds the maximum allowed index (63000000).');
    expect(String(store.get('__err'))).toContain('Array index out of bounds');
  });
  it('index 0 is invalid', () => {
    expect(run(program(assign(id('x'), index(str('a|b'), num(0))))).error?.code).toBe('SNIP3019');
  });
});

describe('dynamic objects', () => {
  it('auto-creates nested members and arrays of objects; members are case-sensitive', () => {
    const { vars } = run(
      program(
        dyn('o'),
        assign(member(member(id('o'), 'files'), 'file'), str('saga.txt')),
        assign(id('miss'), member(member(id('O'), 'Files'), 'file')),
        assign(member(index(member(id('p'), 'm'), num(2)), 'sub'), num(5)),
      ),
    );
    expect(vars).toEqual({ o: { files: { file: 'saga.txt' } }, miss: '', p: { m: ['', { sub: '5' }] } });
  });
  it('__type is reserved and $value is read-only', () => {
    expect(run(program(dyn('o'), assign(member(id('o'), '__type'), str('x')))).error?.code).toBe('SNIP3009');
    expect(run(program(dyn('o'), assign(member(id('o'), '$value'), str('x')))).error?.code).toBe('SNIP3020');
  });
  it('assigning a member below text is an error', () => {
    expect(run(program(assign(id('t'), str('x')), assign(member(id('t'), 'a'), num(1)))).error?.code).toBe('SNIP3001');
  });
});

describe('statements', () => {
  it('FOREACH over pipe arrays, plain text and empty', () => {
    const { vars } = run(
      program(
        foreach('n', str('Odin|Freya|Thor'), assign(id('s'), str(id('s'), id('n'), ';'))),
        foreach('m', str('solo'), assign(id('t'), str(id('t'), id('m')))),
        foreach('k', str(''), assign(id('u'), str('ran'))),
      ),
    );
    expect(vars).toMatchObject({ s: 'Odin;Freya;Thor;', t: 'solo' });
    expect(vars).not.toHaveProperty('u');
  });
  it('SELECT stacked cases OR together, first true wins', () => {
    const sel = (v: number) =>
      run(program(assign(id('x'), num(v)), select([[[bin(id('x'), '=', num(200)), bin(id('x'), '=', num(204))], [assign(id('r'), str('ok'))]]], [assign(id('r'), str('err'))]))).vars.r;
    expect([sel(200), sel(204), sel(500)]).toEqual(['ok', 'ok', 'err']);
  });
  it('SWITCH matches with the = rule', () => {
    const sw = (v: string | number) =>
      run(program(switchOf(typeof v === 'number' ? num(v) : str(v), [[[str('2'), num(3)], [assign(id('r'), str('hit'))]]], [assign(id('r'), str('miss'))]))).vars.r;
    expect([sw(2), sw(3), sw('x')]).toEqual(['hit', 'hit', 'miss']);
  });
  it('REPEAT, WHILE and BREAK', () => {
    const { vars } = run(
      program(
        repeat(num(3), assign(id('a'), bin(id('a'), '+', num(1)))),
        whileLoop(bool(true), assign(id('w'), bin(id('w'), '+', num(1))), iff(bin(id('w'), '>=', num(4)), [brk()])),
        repeat(str('x'), assign(id('never'), num(1))),
      ),
    );
    expect(vars).toMatchObject({ a: '3', w: '4' });
    expect(vars).not.toHaveProperty('never');
  });
  it('USES is not supported', () => {
    expect(run(program(uses(str('svc')))).error?.code).toBe('SNIP3014');
  });
  it('user functions: params local, others global, method form, wrong count', () => {
    const f = fn('gen', ['a'], assign(id('skill'), bin(id('a'), '*', num(2))), assign(id('a'), num(0)));
    const app = fn('MyAppend', ['a', 'b'], ret(str(id('a'), id('b'))));
    const { vars } = run(program(f, app, assign(id('a'), num(7)), B.stmt(call('gen', num(21))), assign(id('x'), mcall(str('p'), 'myappend', num(1)))));
    expect(vars).toMatchObject({ skill: '42', a: '7', x: 'p1' });
    expect(run(program(app, assign(id('r'), call('MyAppend', num(1))))).error?.code).toBe('SNIP3010');
  });
});

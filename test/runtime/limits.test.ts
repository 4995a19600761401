// Every run limit ends a runaway script with its own code, never a hang; plus the async path,
// cancellation, concurrency and the debug hook, with a stand-in async built-in.
import { describe, expect, it } from 'vitest';
import type { BuiltinEntry } from '../../language/catalog-types.js';
import type { SnippetProgram } from '../../language/ast.js';
import { FunctionRegistry, VariableStore, compileSnippetAst as compileWith, resolveLimits, type Links, type ExecEnv, type StatementInfo } from '../../runtime/interpreter/api.js';
import type { BuiltinImpl } from '../../runtime/builtins/types.js';
import { assign, bin, call, fn, forLoop, id, iff, index, num, program, ret, str, whileLoop, bool, trace } from './interpreter/ast-helpers.js';

const entry = (name: string, async: boolean): BuiltinEntry => ({
  name,
  category: 'misc',
  forms: ['function'],
  params: [{ name: 'x', kind: 'any' }],
  returns: 'any',
  description: '',
  example: '',
  provenance: 'I',
  async,
});
const impls = new Map<string, BuiltinImpl>([
  ['later', (args) => new Promise((resolve) => setImmediate(() => resolve(args[0] ?? null)))],
  ['now1', (args) => args[0] ?? null],
]);
const links: Partial<Links> = {
  findBuiltin: (n) => (n.toLowerCase() === 'later' ? entry('later', true) : n.toLowerCase() === 'now1' ? entry('now1', false) : undefined),
  impls,
};
/** Compiles against the stand-in built-ins above (the real catalog is not consulted). */
const compileSnippetAst = (p: SnippetProgram) => compileWith(p, { links });

function env(over: Partial<ExecEnv> = {}, limits = {}): ExecEnv {
  return { store: new VariableStore(), functions: new FunctionRegistry(), limits: resolveLimits(limits), ...over };
}

async function exec(p: SnippetProgram, e: ExecEnv) {
  return compileSnippetAst(p).execute(e);
}

describe('limits', () => {
  it('statements executed (SNIP3002), even with an empty loop body', async () => {
    const e = env({}, { maxSteps: 10_000 });
    expect((await exec(program(whileLoop(bool(true))), e))?.code).toBe('SNIP3002');
  });
  it('wall time (SNIP3003)', async () => {
    const e = env({}, { maxTimeMs: 0, maxSteps: 1e12 });
    e.budget = { steps: 0, startedAt: Date.now() - 5 };
    expect((await exec(program(whileLoop(bool(true))), e))?.code).toBe('SNIP3003');
  });
  it('call depth (SNIP3004)', async () => {
    const p = program(fn('f', ['n'], ret(call('f', bin(id('n'), '+', num(1))))), assign(id('r'), call('f', num(1))));
    const err = await exec(p, env({}, { maxCallDepth: 50 }));
    expect(err?.code).toBe('SNIP3004');
  });
  it('string size (SNIP3005) with a Limit name', async () => {
    const p = program(forLoop('i', num(1), num(600), assign(id('s'), str(id('s'), 'abcd'))));
    const e = env({}, { maxStringSize: 'Limit2K' });
    expect((await exec(p, e))?.code).toBe('SNIP3005');
    expect(String(e.store.get('s')).length).toBeLessThanOrEqual(2048);
  });
  it('array index limit is configurable', async () => {
    expect((await exec(program(assign(index(id('a'), num(11)), str('x'))), env({}, { maxArrayIndex: 10 })))?.code).toBe('SNIP3006');
  });
  it('cancellation (SNIP3015)', async () => {
    const ac = new AbortController();
    ac.abort();
    expect((await exec(program(whileLoop(bool(true))), env({ signal: ac.signal }, { maxSteps: 1e9 })))?.code).toBe('SNIP3015');
  });
});

describe('async path', () => {
  it('pure code runs synchronously', () => {
    const r = compileSnippetAst(program(assign(id('x'), call('now1', num(1))))).execute(env());
    expect(r).toBeUndefined();
  });
  it('an async built-in is awaited inside loops and user functions', async () => {
    const p = program(
      fn('g', ['v'], ret(bin(call('later', id('v')), '*', num(2)))),
      forLoop('i', num(1), num(3), assign(id('s'), bin(id('s'), '+', call('g', id('i'))))),
      iff(bin(call('later', num(1)), '=', num(1)), [assign(id('ok'), bool(true))]),
    );
    const c = compileSnippetAst(p);
    expect(c.mayBeAsync).toBe(true);
    const e = env();
    const r = c.execute(e);
    expect(r).toBeInstanceOf(Promise);
    expect(await r).toBeUndefined();
    expect(e.store.toPlain()).toMatchObject({ s: '12', ok: 'true' });
  });
  it('100 concurrent runs of one program are independent', async () => {
    const c = compileSnippetAst(program(forLoop('i', num(1), id('n'), assign(id('s'), bin(id('s'), '+', call('later', id('i')))))));
    const envs = Array.from({ length: 100 }, (_, k) => {
      const e = env();
      e.store.set('n', k + 1);
      return e;
    });
    await Promise.all(envs.map((e) => c.execute(e)));
    envs.forEach((e, k) => expect(e.store.get('s')).toBe(((k + 1) * (k + 2)) / 2));
  });
  it('functions declared in one snippet are callable from a later one', async () => {
    const e = env();
    await compileSnippetAst(program(fn('twice', ['x'], ret(bin(id('x'), '*', num(2)))))).execute(e);
    await compileSnippetAst(program(assign(id('r'), call('twice', num(21))))).execute(e);
    expect(e.store.get('r')).toBe(42);
  });
});

describe('hooks', () => {
  it('TRACE goes to onTrace; onStatement reports after each statement', async () => {
    const messages: string[] = [];
    const kinds: string[] = [];
    const e = env({ onTrace: (m) => messages.push(m), onStatement: (i: StatementInfo) => kinds.push(i.kind) });
    await exec(program(assign(id('x'), num(5)), iff(bool(true), [trace(str('x=', id('x')))])), e);
    expect(messages).toEqual(['x=5']);
    expect(kinds).toEqual(['Assign', 'Trace', 'If']);
  });
  it('debug mode pauses before each statement and can read variables', async () => {
    const seen: string[] = [];
    const e = env();
    e.debug = {
      beforeStatement: (info) =>
        new Promise<void>((resolve) => {
          seen.push(`${info.kind}:${JSON.stringify(e.store.toPlain())}:${JSON.stringify(info.locals())}`);
          setImmediate(resolve);
        }),
    };
    const p = program(fn('f', ['a'], ret(id('a'))), assign(id('x'), num(1)), assign(id('y'), call('f', num(2))));
    expect(await exec(p, e)).toBeUndefined();
    expect(seen).toEqual(['Assign:{}:{}', 'Assign:{"x":"1"}:{}', 'Return:{"x":"1"}:{"a":"2"}']);
  });
});

// Issue 9, items 7 and 8: generated code of absurd shape never overflows the compiler or the run,
// compile() and runScript() never throw, and `snip check`, `snip run`, compile() and runScript()
// agree on what they refuse (SNIP1028 nesting, SNIP1029 too many errors).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BuiltinEntry } from '../../../language/catalog-types.js';
import { parseSnippet } from '../../../language/parse.js';
import type { BuiltinImpl } from '../../../runtime/builtins/types.js';
import { main } from '../../../cli/main.js';
import { compile } from '../../../runtime/compile.js';
import { FunctionRegistry, VariableStore, compileSnippetAst } from '../../../runtime/interpreter/api.js';
import { runScript } from '../../../runtime/run-script.js';
import { fakeIO } from '../../cli/fake-io.js';
import { tempDir } from '../../helpers/temp-dir.js';

const chain = (n: number, term: string, op: string) => Array.from({ length: n }, () => term).join(` ${op} `);

let dir: string;
const deep = `x = ${'('.repeat(1000)}1${')'.repeat(1000)}\n`;
const garbage = 'x = @\n'.repeat(5000);
beforeAll(() => {
  dir = tempDir('snip-compile-limits-');
  writeFileSync(path.join(dir, 'deep.snip'), deep);
  writeFileSync(path.join(dir, 'garbage.snip'), garbage);
});

describe('long operator chains', () => {
  it.each([5_000, 100_000])('a %i-term sum compiles and runs', async (n) => {
    const { diagnostics, program } = compile(`a = 1\nx = ${chain(n, 'a', '+')}\n`);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const r = await program!.run();
    expect(r.error).toBeUndefined();
    expect(r.variables['x']).toBe(String(n));
  });
  it('snip check, snip run and snip fmt accept a 100,000-term sum', async () => {
    writeFileSync(path.join(dir, 'long.snip'), `a = 1\nx = ${chain(100_000, 'a', '+')}\nTRACE x\n`);
    const check = fakeIO(dir);
    expect(await main(['check', 'long.snip'], check)).toBe(0);
    expect(check.stdoutText() + check.stderrText()).not.toMatch(/SNIP\d{4}/);
    const run = fakeIO(dir);
    expect(await main(['run', 'long.snip'], run)).toBe(0);
    expect(run.stderrText()).toContain('trace: 100000');
    expect(await main(['fmt', '--check', 'long.snip'], fakeIO(dir))).toBe(0);
  });
  it('keeps left-to-right order, mixed operators and short-circuits in a flat chain', async () => {
    // 1000 - 1 - ... (99 ones) - (1 * 1 * 2) = 899: left to right, * before -; & and | short-circuit.
    const src = `x = 1000 - ${chain(100, '1', '-')} * 1 * 2\ny = false & ${chain(60, 'true', '&')}\nz = true | ${chain(60, 'false', '|')}\n`;
    const r = await compile(src).program!.run();
    expect(r.error).toBeUndefined();
    expect(r.variables).toMatchObject({ x: '899', y: '0', z: '1' });
  });
  it('points a division by zero inside a long chain at its operator', async () => {
    const src = `x = ${chain(60, '1', '+')} + 1 / 0\n`;
    const r = await compile(src).program!.run();
    expect(r.error).toMatchObject({ code: 'SNIP3001', line: 1 });
  });
  it('awaits async calls inside a long chain, in order', async () => {
    const entry: BuiltinEntry = {
      name: 'later',
      category: 'misc',
      forms: ['function'],
      params: [{ name: 'x', kind: 'any' }],
      returns: 'any',
      description: '',
      example: '',
      provenance: 'I',
      async: true,
    };
    const seen: unknown[] = [];
    const impls = new Map<string, BuiltinImpl>([
      ['later', (args) => new Promise((resolve) => setImmediate(() => (seen.push(args[0]), resolve(args[0] ?? null))))],
    ]);
    const terms = Array.from({ length: 200 }, (_, i) => (i % 50 === 0 ? `later(${i})` : '1')).join(' + ');
    const ast = parseSnippet(`x = ${terms}\n`).value;
    const compiled = compileSnippetAst(ast, { links: { findBuiltin: (n) => (n.toLowerCase() === 'later' ? entry : undefined), impls } });
    const store = new VariableStore();
    expect(await compiled.execute({ store, functions: new FunctionRegistry() })).toBeUndefined();
    expect(store.get('x')).toBe(196 + 0 + 50 + 100 + 150);
    expect(seen).toEqual([0, 50, 100, 150]);
  });
});

describe('deep nesting and garbage: everyone agrees, nobody throws', () => {
  it('1,000 nested parentheses: SNIP1028 from compile(), runScript(), snip check and snip run', async () => {
    expect(compile(deep).diagnostics.map((d) => d.code)).toContain('SNIP1028');
    expect((await runScript(path.join(dir, 'deep.snip'))).error?.code).toBe('SNIP1028');
    const check = fakeIO(dir);
    expect(await main(['check', 'deep.snip'], check)).toBe(1);
    expect(check.stdoutText() + check.stderrText()).toContain('SNIP1028');
    const run = fakeIO(dir);
    expect(await main(['run', 'deep.snip'], run)).toBe(2);
    expect(run.stderrText()).toContain('SNIP1028');
  });
  it('more than 100 errors stop with SNIP1029 "too many errors", quickly and everywhere', async () => {
    const { diagnostics } = compile(garbage);
    expect(diagnostics.length).toBeLessThanOrEqual(101);
    expect(diagnostics.at(-1)).toMatchObject({ code: 'SNIP1029', message: expect.stringMatching(/^too many errors/) });
    expect((await runScript(path.join(dir, 'garbage.snip'))).diagnostics?.at(-1)?.code).toBe('SNIP1029');
    const check = fakeIO(dir);
    expect(await main(['check', 'garbage.snip'], check)).toBe(1);
    const lines = (check.stdoutText() + check.stderrText()).split('\n').filter((l) => l.includes(' error SNIP'));
    expect(lines.length).toBeLessThanOrEqual(101);
    expect(lines.at(-1)).toContain('SNIP1029');
  });
  it('compile() and runScript() return values for any input, including bad host options', async () => {
    for (const src of [deep, garbage, '\u0000\u0001', `x = ${chain(100_000, '"a"', '<')}`]) {
      expect(() => compile(src)).not.toThrow();
      await expect(runScript(src, { fileName: 'x.snip' })).resolves.toBeDefined();
    }
    for (const notText of [null, undefined, 42, {}]) {
      const r = compile(notText as unknown as string);
      expect(r.program).toBeUndefined();
      expect(r.diagnostics[0]?.severity).toBe('error');
      await expect(runScript(notText as unknown as string)).resolves.toMatchObject({ error: expect.anything() });
    }
    const bad = await runScript('x = 1', { fileName: 'x.snip', limits: { maxStringSize: 'Limit3K' } });
    expect(bad.error?.code).toBe('SNIP3012');
    const r = await compile('x = 1').program!.run({ limits: { maxStringSize: 'huge' } });
    expect(r.error?.code).toBe('SNIP3012');
  });
});

// The public compile() API: variables are plain JSON (objects converted on first read), Global: names,
// and stand-in links for a compilation without touching the real catalog.
import { describe, expect, it } from 'vitest';
import { parseSnippet } from '../../../language/parse.js';
import { compile } from '../../../runtime/compile.js';
import { FunctionRegistry, VariableStore, compileSnippetAst } from '../../../runtime/interpreter/api.js';

describe('compile() variables', () => {
  it('are JSON-able, stable across reads and writable', async () => {
    const { program } = compile('DYNAMIC o\no.a.b = 1\no.list[2].x = "y"\nn = 5\nt = "{o.a.b}"');
    const { variables } = await program!.run();
    expect(JSON.parse(JSON.stringify(variables))).toEqual({ o: { a: { b: '1' }, list: ['', { x: 'y' }] }, n: '5', t: '1' });
    expect(variables.o).toBe(variables.o);
    expect(Object.keys(variables)).toEqual(['o', 'n', 't']);
    variables.o = 'replaced';
    expect(variables.o).toBe('replaced');
  });
  it('does not share objects between runs of one program', async () => {
    const { program } = compile('DYNAMIC o\no.n = o.n + 1');
    const a = await program!.run();
    const b = await program!.run();
    expect(a.variables.o).toEqual({ n: '1' });
    expect(b.variables.o).toEqual({ n: '1' });
    expect(a.variables.o).not.toBe(b.variables.o);
  });
});

describe('TRACE', () => {
  it('sends the text of its value and line to onTrace', async () => {
    const lines: [string, number][] = [];
    const { program } = compile('x = 2\nTRACE "x={x}"\nTRACE x * 3', { fileName: 't.snip' });
    await program!.run({ onTrace: (m, line) => lines.push([m, line]) });
    expect(lines).toEqual([
      ['x=2', 2],
      ['6', 3],
    ]);
  });
});

describe('links', () => {
  it('a compilation may replace a built-in without affecting others', async () => {
    const ast = parseSnippet('x = upper("a")').value;
    const store = new VariableStore();
    const impls = new Map([['upper', () => 'stand-in']]);
    await compileSnippetAst(ast, { links: { impls } }).execute({ store, functions: new FunctionRegistry() });
    expect(store.get('x')).toBe('stand-in');
    const real = await compile('x = upper("a")').program!.run();
    expect(real.variables.x).toBe('A');
  });
});

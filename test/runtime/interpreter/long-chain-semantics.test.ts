// Long operator chains compile flat (compile-chain.ts); their results must be the nested form's:
// logical results are 1 or 0, and a `$` variable compares as text (issue 16 rules).
import { describe, expect, test } from 'vitest';
import { compile } from '../../../runtime/compile.js';

async function value(source: string, name: string): Promise<unknown> {
  const { program, diagnostics } = compile(source);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const r = await program!.run({ inputs: {} });
  expect(r.error).toBeUndefined();
  return r.variables[name];
}

const long = (term: string, op: string, n = 60) => Array.from({ length: n }, () => term).join(` ${op} `);

describe('flat chains keep the nested semantics', () => {
  test('& and | give 1 or 0 in a long chain as in a short one', async () => {
    expect(await value(`a = 1\nx = ${long('a', '&')}`, 'x')).toBe(await value('a = 1\nx = a & a', 'x'));
    expect(await value(`a = 0\nx = ${long('a', '|')}`, 'x')).toBe(await value('a = 0\nx = a | a', 'x'));
    expect(String(await value(`a = 1\nx = ${long('a', '&')}`, 'x'))).toBe('1');
  });

  test('a $ variable compares as text in a long chain too', async () => {
    // "20" > "100" as text; 20 > 100 is false as numbers. Padding keeps the comparison last.
    const pad = long('0', '+', 55);
    const short = await value('small$ = 20\nbig$ = 100\nx = small$ > big$', 'x');
    expect(String(short)).toBe('1');
    expect(await value(`small$ = 20\nbig$ = 100\nx = ${pad} + small$ > big$`, 'x')).toBe(short);
  });
});

import { describe, expect, it } from 'vitest';
import { NUMBER_CASES } from './cases/numbers.js';
import { call, makeCtx, runCases } from './helpers.js';

describe('number built-ins', () => {
  runCases(NUMBER_CASES);

  it('random(n) is a whole number from 0 to n-1 drawn from the run random source', () => {
    const ctx = makeCtx({ randoms: [0, 0.585, 0.999999999] });
    expect([call('random', [100], ctx), call('random', [100], ctx), call('random', [100], ctx)]).toEqual([0, 58, 99]);
  });

  it('random() without a limit is the raw fraction', () => {
    expect(call('random', [], makeCtx({ randoms: [0.25] }))).toBe(0.25);
  });

  it('random rejects a limit below 1 and truncates fractions', () => {
    expect(() => call('random', [0])).toThrow(expect.objectContaining({ code: 'SNIP3012' }));
    expect(() => call('random', [-5])).toThrow(expect.objectContaining({ code: 'SNIP3012' }));
    expect(call('random', [2.9], makeCtx({ randoms: [0.99] }))).toBe(1);
  });
});

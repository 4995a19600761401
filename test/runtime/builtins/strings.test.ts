import { describe, expect, it } from 'vitest';
import { STRING_CASES } from './cases/strings.js';
import { LIMITS, call, makeCtx, runCases } from './helpers.js';

describe('text built-ins', () => {
  runCases(STRING_CASES);

  it('caps results at MaxStringSize with SNIP3005', () => {
    const ctx = makeCtx({ limits: { ...LIMITS, maxStringSize: 8 } });
    expect(call('append', ['abcd', 'efgh'], ctx)).toBe('abcdefgh');
    expect(() => call('append', ['abcd', 'efghi'], ctx)).toThrow(expect.objectContaining({ code: 'SNIP3005' }));
    expect(() => call('replace', ['aaaa', 'a', 'xyz'], ctx)).toThrow(expect.objectContaining({ code: 'SNIP3005' }));
  });

  it('append on a dynamic array adds the element in place', async () => {
    const arr = (await call('parsejson', ['[1]'])) as never;
    expect(call('append', [arr, 'two'])).toBe(arr);
    expect(call('size', [arr])).toBe(2);
    expect(call('index', [arr, 2])).toBe('two');
  });

  it('throw carries the script text as its message', () => {
    expect(() => call('throw', ['Order not found'])).toThrow('Order not found');
  });
});

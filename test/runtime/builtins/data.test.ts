import { describe, expect, it } from 'vitest';
import { DATA_CASES } from './cases/data.js';
import { LIMITS, call, makeCtx, runCases } from './helpers.js';

describe('array, dynamic, encoding and misc built-ins', () => {
  runCases(DATA_CASES);

  it('setvalue and remove change the object in place', async () => {
    const o = await call('parsejson', ['{"a":1}']);
    call('setvalue', [o, 'b', 'x']);
    call('remove', [o, 'a']);
    expect(call('asjson', [o])).toBe('{"b":"x"}');
  });

  it('guid() is a v4 GUID from the run random source, reproducible with the same draws', () => {
    const a = call('guid', [], makeCtx({ randoms: [0.1, 0.7, 0.3] }));
    const b = call('guid', [], makeCtx({ randoms: [0.1, 0.7, 0.3] }));
    const c = call('newguid', [], makeCtx({ randoms: [0.9, 0.2] }));
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
  });

  it('savetodb traces that there is no platform database', () => {
    const ctx = makeCtx();
    call('savetodb', ['x'], ctx);
    expect(ctx.traces.join('\n')).toContain('savetodb');
  });

  it('asjson/asxml output is truncated at the dynamic size limit', async () => {
    const ctx = makeCtx({ limits: { ...LIMITS, maxDynamicBytes: 20 } });
    const o = await call('parsejson', ['{"text":"abcdefghijklmnopqrstuvwxyz"}']);
    expect(call('asjson', [o], ctx)).toBe('{"text":"abcdefghijk');
    expect(call('asxml', [o], ctx)).toBe('<text>abcdefghijklmn');
  });

  it('truncation never splits a multi-byte character', async () => {
    const ctx = makeCtx({ limits: { ...LIMITS, maxDynamicBytes: 10 } });
    const o = await call('parsejson', ['{"t":"ééééé"}']);
    const out = call('asjson', [o], ctx) as string;
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(10);
    expect(out).toBe('{"t":"éé');
  });

  it('split and join cap their results at MaxStringSize', () => {
    const ctx = makeCtx({ limits: { ...LIMITS, maxStringSize: 5 } });
    expect(() => call('join', ['a|b|c', '--'], ctx)).toThrow(expect.objectContaining({ code: 'SNIP3005' }));
    expect(call('join', ['a|b|c', '-'], ctx)).toBe('a-b-c');
  });
});

// Issue 12, item 5: `compile()` keeps a program from the second compile of its source on, so a
// stream of one-off scripts keeps no compiled programs alive, while repeated sources share one.
import { describe, expect, it } from 'vitest';
import { compile } from '../../runtime/compile.js';

describe('compile() cache admission', () => {
  it('shares one program between repeated compiles of a source, from the second on', async () => {
    const src = `n = 41\nn = n + 1 // ${Math.random()}`;
    const first = compile(src, { fileName: 'a.snip' });
    const second = compile(src, { fileName: 'a.snip' });
    const third = compile(src, { fileName: 'a.snip' });
    expect(third.program).toBe(second.program);
    for (const c of [first, second, third]) expect((await c.program!.run()).variables['n']).toBe('42');
  });

  it('keeps file names apart and reports the same diagnostics every time', () => {
    const src = `x = (1 + // ${Math.random()}`;
    const runs = [compile(src, { fileName: 'a.snip' }), compile(src, { fileName: 'a.snip' }), compile(src, { fileName: 'b.snip' })];
    for (const r of runs) expect(r.program).toBeUndefined();
    expect(runs[1]!.diagnostics).toEqual(runs[0]!.diagnostics);
    expect(runs[2]!.diagnostics.map((d) => d.code)).toEqual(runs[0]!.diagnostics.map((d) => d.code));
    expect(compile(src, { fileName: 'a.snip' })).toBe(runs[1]);
  });
});

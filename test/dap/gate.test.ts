// The unarmed debug path (issue 11, item 8): with no breakpoint, step or pause pending, statements
// skip the debugger's hook. These runs start that way, through the real adapter, and check that
// whatever arms the run later still stops it at once with the whole stack right: a breakpoint set
// while a loop runs, a pause deep in a recursion (call sites recorded while nothing was armed),
// an error inside a function under the default "uncaught" filter.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchWith, scopeVariables, startAdapter, stopped, workspace, type Recorded } from './dap-client.js';

const LOOP = [
  'TRACE "looping"', // 1
  'n = 0', // 2
  'WHILE 1 = 1', // 3
  '{', // 4
  '  n = n + 1', // 5
  '  m = n % 7', // 6
  '}', // 7
  '',
].join('\n');

const DEEP = [
  'FUNCTION spin(n)', // 1
  '{', // 2
  '  IF n > 0', // 3
  '  {', // 4
  '    RETURN spin(n - 1)', // 5
  '  }', // 6
  '  x = helper(1)', // 7
  '  WHILE 1 = 1', // 8
  '  {', // 9
  '    k = k + 1', // 10
  '  }', // 11
  '}', // 12
  'FUNCTION helper(a)', // 13
  '{', // 14
  '  RETURN a + 1', // 15
  '}', // 16
  'TRACE "deep"', // 17
  'r = helper(2) + spin(3)', // 18
  '',
].join('\n');

const FAILS = [
  'FUNCTION parse(t)', // 1
  '{', // 2
  '  note = "parsing"', // 3
  '  RETURN parsejson(t)', // 4
  '}', // 5
  'FUNCTION outer(t)', // 6
  '{', // 7
  '  ok = parse("[1]")', // 8
  '  RETURN parse(t)', // 9
  '}', // 10
  'FOR i = 1 TO 3000', // 11
  '{', // 12
  '  s = s + i', // 13
  '}', // 14
  'v = outer("[")', // 15
  '',
].join('\n');

let ws: Awaited<ReturnType<typeof workspace>>;
let dap: Recorded;

beforeAll(async () => {
  ws = await workspace({ 'loop.snip': LOOP, 'deep.snip': DEEP, 'fails.snip': FAILS });
});
afterAll(async () => {
  await ws.dispose();
});
afterEach(async () => {
  await dap.client.stop();
});

describe('the unarmed debug path', () => {
  it('a breakpoint set while a loop runs with none stops it, and clearing it lets the run go on', async () => {
    dap = await startAdapter(ws.dir);
    const program = ws.file('loop.snip');
    const looping = dap.client.assertOutput('stdout', 'looping');
    await launchWith(dap.client, { program, limits: { maxSteps: 1_000_000_000_000 } });
    await looping;
    const set = await dap.client.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: 6 }] });
    expect(set.body.breakpoints.map((b) => b.verified)).toEqual([true]);
    const s = await stopped(dap);
    expect(s.event.body.reason).toBe('breakpoint');
    expect(s.frames.map((f) => f.line)).toEqual([6]);
    const n1 = Number((await scopeVariables(dap.client, s.top.id, 'Script')).get('n')?.value);
    expect(n1).toBeGreaterThan(0);
    // The breakpoint stays armed: the next turn stops there again, one turn later.
    await dap.client.continueRequest({ threadId: 1 });
    const again = await stopped(dap);
    expect(again.top.line).toBe(6);
    expect(Number((await scopeVariables(dap.client, again.top.id, 'Script')).get('n')?.value)).toBe(n1 + 1);
    // Cleared, the run loops unarmed again; a pause still gets in.
    await dap.client.setBreakpointsRequest({ source: { path: program }, breakpoints: [] });
    await dap.client.continueRequest({ threadId: 1 });
    await dap.client.pauseRequest({ threadId: 1 });
    const paused = await stopped(dap);
    expect(paused.event.body.reason).toBe('pause');
    expect([3, 5, 6]).toContain(paused.top.line);
    expect(Number((await scopeVariables(dap.client, paused.top.id, 'Script')).get('n')?.value)).toBeGreaterThan(n1);
  });

  it('a pause deep in a recursion shows every call site, also after an earlier call returned', async () => {
    dap = await startAdapter(ws.dir);
    const deep = dap.client.assertOutput('stdout', 'deep');
    await launchWith(dap.client, { program: ws.file('deep.snip'), limits: { maxSteps: 1_000_000_000_000 } });
    await deep;
    await dap.client.pauseRequest({ threadId: 1 });
    const s = await stopped(dap);
    expect(s.event.body.reason).toBe('pause');
    expect([8, 10]).toContain(s.top.line);
    // helper(2) returned before spin(3) was called on line 18: the call site is still line 18.
    expect(s.frames.slice(1).map((f) => [f.name, f.line])).toEqual([
      ['spin()', 5],
      ['spin()', 5],
      ['spin()', 5],
      ['deep.snip', 18],
    ]);
    expect(s.frames[0]!.name).toBe('spin()');
    // Each function frame shows its own call's parameters.
    const ns = [];
    for (const f of s.frames.slice(0, 4)) ns.push((await scopeVariables(dap.client, f.id, 'Function locals')).get('n')?.value);
    expect(ns).toEqual(['"0"', '"1"', '"2"', '"3"']);
    // Stepping out of the innermost frames is not possible from an endless loop; stepping over is.
    await dap.client.nextRequest({ threadId: 1 });
    const next = await stopped(dap);
    expect(next.event.body.reason).toBe('step');
    expect([8, 10]).toContain(next.top.line);
    expect(next.frames).toHaveLength(5);
  });

  it('an error inside a function stops under the default filter with the failing line and its callers', async () => {
    dap = await startAdapter(ws.dir);
    await launchWith(dap.client, { program: ws.file('fails.snip') }, () => dap.client.setExceptionBreakpointsRequest({ filters: ['uncaught'] }));
    const s = await stopped(dap);
    expect(s.event.body.reason).toBe('exception');
    expect(s.frames.map((f) => [f.name, f.line])).toEqual([
      ['parse()', 4],
      ['outer()', 9],
      ['fails.snip', 15],
    ]);
    const locals = await scopeVariables(dap.client, s.top.id, 'Function locals');
    expect(locals.get('t')?.value).toBe('"["');
    await Promise.all([dap.client.continueRequest({ threadId: 1 }), dap.terminated]);
  });
});

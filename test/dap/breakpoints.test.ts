// `snip dap` driven by the real DebugClient: a breakpoint stops at the right line with the
// expected variables; stepping into a FUNCTION and out again; conditional and hit-count
// breakpoints; logpoints; function breakpoints; a breakpoint moved to the nearest statement.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { childrenOf, launchWith, scopeVariables, startAdapter, stopped, workspace, type Recorded } from './dap-client.js';

const MAIN = [
  'x = 1', // 1
  'name = "Ada"', // 2
  'DYNAMIC d', // 3
  'd.a.b.c = "deep"', // 4
  'FUNCTION double(n)', // 5
  '{', // 6
  '  r = n * 2', // 7
  '  RETURN r', // 8
  '}', // 9
  'y = double(x)', // 10
  'total = 0', // 11
  'FOR i = 1 TO 5', // 12
  '{', // 13
  '  total = total + i', // 14
  '}', // 15
  'TRACE "total is {total}"', // 16
  '', // 17
].join('\n');

const FIB = [
  'FUNCTION fib(n)', // 1
  '{', // 2
  '  IF n < 2', // 3
  '  {', // 4
  '    RETURN n', // 5
  '  }', // 6
  '  RETURN fib(n - 1) + fib(n - 2)', // 7
  '}', // 8
  'result = fib(4)', // 9
  '',
].join('\n');

let ws: Awaited<ReturnType<typeof workspace>>;
let dap: Recorded;

beforeAll(async () => {
  ws = await workspace({ 'main.snip': MAIN, 'fib.snip': FIB });
});
afterAll(async () => {
  await ws.dispose();
});
afterEach(async () => {
  await dap.client.stop();
});

describe('source breakpoints', () => {
  it('stops at the breakpoint line with the expected variables, and expands a dynamic object three levels deep', async () => {
    dap = await startAdapter(ws.dir);
    const program = ws.file('main.snip');
    let verified: unknown[] = [];
    await launchWith(dap.client, { program }, async () => {
      const r = await dap.client.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: 10 }] });
      verified = r.body.breakpoints.map((b) => [b.verified, b.line]);
    });
    expect(verified).toEqual([[true, 10]]);
    const { event, top } = await stopped(dap);
    expect(event.body.reason).toBe('breakpoint');
    expect(top.line).toBe(10);
    expect(top.source?.path).toBe(program);
    const vars = await scopeVariables(dap.client, top.id, 'Script');
    expect(vars.get('x')?.value).toBe('1');
    expect(vars.get('name')?.value).toBe('"Ada"');
    expect(vars.has('y')).toBe(false);
    const d = vars.get('d')!;
    expect(d.variablesReference).toBeGreaterThan(0);
    const a = (await childrenOf(dap.client, d)).get('a')!;
    const b = (await childrenOf(dap.client, a)).get('b')!;
    const c = (await childrenOf(dap.client, b)).get('c')!;
    expect(c.value).toBe('"deep"');
    await Promise.all([dap.client.continueRequest({ threadId: 1 }), dap.terminated]);
  });

  it('steps into a FUNCTION, shows its frame and locals, and steps out again', async () => {
    dap = await startAdapter(ws.dir);
    const program = ws.file('main.snip');
    await launchWith(dap.client, { program }, () => dap.client.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: 10 }] }));
    await stopped(dap);
    await dap.client.stepInRequest({ threadId: 1 });
    const inside = await stopped(dap);
    expect(inside.event.body.reason).toBe('step');
    expect(inside.top.line).toBe(7);
    expect(inside.top.name).toBe('double()');
    expect(inside.frames.map((f) => f.line)).toEqual([7, 10]);
    const locals = await scopeVariables(dap.client, inside.top.id, 'Function locals');
    expect(locals.get('n')?.value).toBe('"1"');
    // Expressions see the selected frame: the parameter in the function, the script in the caller.
    expect((await dap.client.evaluateRequest({ expression: 'n + 1', frameId: inside.top.id, context: 'watch' })).body.result).toBe('2');
    expect((await dap.client.evaluateRequest({ expression: 'name', frameId: inside.frames[1]!.id, context: 'watch' })).body.result).toBe('"Ada"');
    await dap.client.nextRequest({ threadId: 1 });
    expect((await stopped(dap)).top.line).toBe(8);
    await dap.client.stepOutRequest({ threadId: 1 });
    const out = await stopped(dap);
    expect(out.top.line).toBe(11);
    expect(out.frames).toHaveLength(1);
    const vars = await scopeVariables(dap.client, out.top.id, 'Script');
    expect(vars.get('y')?.value).toBe('2');
    // Step over a line that calls the function: no stop inside it.
    await dap.client.nextRequest({ threadId: 1 });
    expect((await stopped(dap)).top.line).toBe(12);
    await Promise.all([dap.client.continueRequest({ threadId: 1 }), dap.terminated]);
  });

  it('honours a condition and a hit count, and a logpoint logs without stopping', async () => {
    dap = await startAdapter(ws.dir);
    const program = ws.file('main.snip');
    await launchWith(dap.client, { program }, () =>
      dap.client.setBreakpointsRequest({
        source: { path: program },
        breakpoints: [{ line: 14, condition: 'i > 2', hitCondition: '2' }, { line: 16, logMessage: 'logged {total} for {name}' }],
      }),
    );
    const first = await stopped(dap);
    expect(first.top.line).toBe(14);
    // Condition true from i = 3; the second such hit is i = 4.
    const vars = await scopeVariables(dap.client, first.top.id, 'Script');
    expect(vars.get('i')?.value).toBe('4');
    const logged = dap.client.assertOutput('console', 'logged 15 for Ada');
    await dap.client.continueRequest({ threadId: 1 });
    await logged;
    await dap.terminated;
    expect(dap.messages()).toContain('total is 15');
  });

  it('moves a breakpoint on a blank or brace line to the nearest statement; stops at a function breakpoint', async () => {
    dap = await startAdapter(ws.dir);
    const program = ws.file('main.snip');
    let lines: unknown[] = [];
    let fn: unknown[] = [];
    await launchWith(dap.client, { program }, async () => {
      const r = await dap.client.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: 13 }, { line: 17 }] });
      lines = r.body.breakpoints.map((b) => [b.verified, b.line]);
      const f = await dap.client.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'DOUBLE' }] });
      fn = f.body.breakpoints.map((b) => b.verified);
    });
    expect(lines).toEqual([
      [true, 14],
      [true, 16],
    ]);
    expect(fn).toEqual([true]);
    const s = await stopped(dap);
    expect(s.event.body.reason).toBe('function breakpoint');
    expect(s.top.line).toBe(7);
    await dap.client.setBreakpointsRequest({ source: { path: program }, breakpoints: [] });
    await Promise.all([dap.client.continueRequest({ threadId: 1 }), dap.terminated]);
  });

  it('a function breakpoint with a hit count stops on the right call of a recursive function', async () => {
    dap = await startAdapter(ws.dir);
    // Set before any file was read: unverified at first, verified once the program is read.
    const changed = dap.client.waitForEvent('breakpoint');
    let first: boolean | undefined;
    await launchWith(dap.client, { program: ws.file('fib.snip') }, async () => {
      const r = await dap.client.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'fib', hitCondition: '3' }] });
      first = r.body.breakpoints[0]?.verified;
    });
    expect(first).toBe(false);
    expect((await changed).body).toMatchObject({ reason: 'changed', breakpoint: { verified: true } });
    // Calls in order: fib(4), fib(3), fib(2), ...: the third entry is fib(2), three function frames deep.
    const s = await stopped(dap);
    expect(s.event.body.reason).toBe('function breakpoint');
    expect(s.top.line).toBe(3);
    expect(s.frames.map((f) => f.name)).toEqual(['fib()', 'fib()', 'fib()', 'fib.snip']);
    expect((await scopeVariables(dap.client, s.top.id, 'Function locals')).get('n')?.value).toBe('"2"');
    await Promise.all([dap.client.continueRequest({ threadId: 1 }), dap.terminated]);
  });

  it('reports a breakpoint in a missing file unverified with the reason', async () => {
    dap = await startAdapter(ws.dir);
    const program = ws.file('main.snip');
    let result: { verified: boolean; message?: string }[] = [];
    await launchWith(dap.client, { program }, async () => {
      const r = await dap.client.setBreakpointsRequest({ source: { path: ws.file('nowhere.snip') }, breakpoints: [{ line: 1 }] });
      result = r.body.breakpoints;
    });
    expect(result[0]?.verified).toBe(false);
    expect(result[0]?.message).toMatch(/cannot be read/);
    await dap.terminated;
  });
});

// Issue 9, item 6: busy scripts yield to the host's event loop, so an AbortSignal, the time limit
// and the host's own timers work during `WHILE true`; pausing never changes what a loop computes.
// No timed assertions: orderings only (the timer fires before the run ends).
import { describe, expect, it } from 'vitest';
import { compile } from '../../../runtime/compile.js';
import { FunctionRegistry, VariableStore, compileSnippetAst } from '../../../runtime/interpreter/api.js';
import { runScript } from '../../../runtime/run-script.js';
import { parseSnippet } from '../../../language/parse.js';
import type { EndEvent, TraceEvent } from '../../../runtime/trace/events.js';

const BUSY = 'x = 0\nWHILE true {\n  x = x + 1\n}\n';
const NO_STEP_LIMIT = { maxSteps: 1e12 };

/** Starts a timer beside the run and records whether it fired before the run ended. */
async function beside<T>(ms: number, run: () => Promise<T>): Promise<{ result: T; timerFiredFirst: boolean }> {
  let fired = false;
  const timer = setTimeout(() => (fired = true), ms);
  const result = await run();
  const timerFiredFirst = fired;
  clearTimeout(timer);
  return { result, timerFiredFirst };
}

describe('busy scripts yield', () => {
  it('WHILE true under runScript ends by an abort 200 ms in while a timer beside it fires', async () => {
    const trace: TraceEvent[] = [];
    const ac = new AbortController();
    let fired = false;
    let abortTimer: NodeJS.Timeout | undefined;
    let sideTimer: NodeJS.Timeout | undefined;
    // Both timers start when the loop is about to spin (a loaded machine may take long to get there).
    const onTrace = (e: TraceEvent): void => {
      trace.push(e);
      if (e.type === 'message' && e.message === 'started') {
        abortTimer = setTimeout(() => ac.abort(), 200);
        sideTimer = setTimeout(() => (fired = true), 50);
      }
    };
    const result = await runScript(`TRACE "started"\n${BUSY}`, { fileName: 'busy.snip', signal: ac.signal, limits: NO_STEP_LIMIT, onTrace });
    const timerFiredFirst = fired;
    clearTimeout(abortTimer);
    clearTimeout(sideTimer);
    expect(timerFiredFirst).toBe(true);
    expect(result.error).toMatchObject({ code: 'SNIP3015', line: 4 });
    expect(trace.at(-1)).toMatchObject({ type: 'end', outcome: 'aborted' } satisfies Partial<EndEvent>);
    expect(Number(result.variables['x'])).toBeGreaterThan(0);
  });

  it('the time limit stops a loop inside a user function called from an expression', async () => {
    const src = 'FUNCTION spin(n) {\n  WHILE true {\n    n = n + 1\n  }\n}\ny = 1 + spin(1)\n';
    const { result, timerFiredFirst } = await beside(30, () => runScript(src, { fileName: 'f.snip', limits: { ...NO_STEP_LIMIT, maxTimeMs: 1000 } }));
    expect(timerFiredFirst).toBe(true);
    expect(result.error).toMatchObject({ code: 'SNIP3003', line: 3 });
  });

  it('a flow whose actions branch in a loop yields between actions', async () => {
    const src = ['BEGIN start -> spin', 'SNIPPET spin {', '  n = n + 1', '}', '  -> spin', 'END done'].join('\n');
    const { result, timerFiredFirst } = await beside(30, () =>
      runScript(src, { fileName: 'loop.studio', signal: AbortSignal.timeout(200), limits: NO_STEP_LIMIT }),
    );
    expect(timerFiredFirst).toBe(true);
    expect(result.error?.code).toBe('SNIP3015');
  });

  it('compile().run() yields too, and a text abort reason becomes the message', async () => {
    const { program } = compile('FOR i = 1 TO 3 {\n  FOR j = 1 TO 1000000000 {\n    x = x + 1\n  }\n}\n');
    const ac = new AbortController();
    setTimeout(() => ac.abort('stopped by the host'), 50);
    const r = await program!.run({ signal: ac.signal, limits: NO_STEP_LIMIT });
    expect(r.error).toMatchObject({ code: 'SNIP3015', message: 'stopped by the host', line: 3 });
  });

  it('recursion without loops keeps its results while pauses fall due, and the time limit stops it', async () => {
    const fib = 'FUNCTION fib(n) {\n  IF n < 2 {\n    RETURN n\n  }\n  RETURN fib(n - 1) + fib(n - 2)\n}\nr = fib(22)\n';
    const ok = await compile(fib).program!.run({ yieldEveryMs: 0.001, limits: { maxSteps: 1e8 } });
    expect(ok.error).toBeUndefined();
    expect(ok.variables['r']).toBe('17711');
    const fan = 'FUNCTION f(n) {\n  IF n > 0 {\n    x = f(n - 1) + f(n - 1)\n  }\n  RETURN 1\n}\ny = f(60)\n';
    const r = await runScript(fan, { fileName: 'fan.snip', limits: { ...NO_STEP_LIMIT, maxTimeMs: 200 } });
    expect(r.error?.code).toBe('SNIP3003');
  });

  it('yieldEveryMs 0 keeps a run from yielding on its own', async () => {
    const { program } = compile('FOR i = 1 TO 2000000 {\n  x = x + 1\n}\n');
    const { result, timerFiredFirst } = await beside(0, () => program!.run({ yieldEveryMs: 0, limits: { maxSteps: 1e7 } }));
    expect(result.error).toBeUndefined();
    expect(timerFiredFirst).toBe(false);
  });

  it('an embedder that passes no budget keeps synchronous execution', () => {
    const ast = parseSnippet('FOR i = 1 TO 50000 {\n  s = s + i\n}\n').value;
    const store = new VariableStore();
    const r = compileSnippetAst(ast).execute({ store, functions: new FunctionRegistry() });
    expect(r).toBeUndefined();
    expect(store.get('s')).toBe(1250025000);
  });
});

describe('pausing keeps loop semantics', () => {
  // A slice of a microsecond: every clock check (each 1,024 steps) pauses.
  const run = async (src: string) => {
    const { result, timerFiredFirst } = await beside(0, () => compile(src).program!.run({ yieldEveryMs: 0.001, limits: { maxSteps: 1e7 } }));
    expect(timerFiredFirst).toBe(true); // it did pause
    return result;
  };

  it.each([
    ['FOR', 'FOR i = 1 TO 200000 {\n  s = s + i\n}\nr = s', '20000100000'],
    ['FOR down with BREAK', 'FOR i = 200000 TO 1 {\n  IF i = 10 {\n    BREAK\n  }\n  s = s + 1\n}\nr = "{s} {i}"', '199990 10'],
    ['REPEAT', 'REPEAT 200000 {\n  s = s + 2\n}\nr = s', '400000'],
    ['WHILE', 'i = 0\nWHILE i < 200000 {\n  i = i + 1\n}\nr = i', '200000'],
    [
      'FOREACH',
      'DYNAMIC a\nFOR i = 1 TO 50000 {\n  a[i] = i\n}\nFOREACH v IN a {\n  s = s + v\n}\nr = s',
      '1250025000',
    ],
    [
      'nested loops in a function with RETURN',
      'FUNCTION find(n) {\n  FOR i = 1 TO n {\n    FOR j = 1 TO n {\n      IF i * j = 100000 {\n        RETURN "{i}x{j}"\n      }\n    }\n  }\n  RETURN "none"\n}\nr = find(500)',
      '200x500',
    ],
  ])('%s', async (_name, src, expected) => {
    const r = await run(src);
    expect(r.error).toBeUndefined();
    expect(String(r.variables['r'])).toBe(expected);
  });
});

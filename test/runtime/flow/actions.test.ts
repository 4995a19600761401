// Every core action and each of its branches, through runScript on inline .studio sources.
import { describe, expect, it } from 'vitest';
import { runScript, type RunScriptOptions } from '../../../runtime/run-script.js';
import type { ActionEvent, TraceEvent } from '../../../runtime/trace/events.js';

async function run(source: string, options: RunScriptOptions = {}) {
  const r = await runScript(source, { fileName: 'test.studio', collectTrace: true, ...options });
  const actions = (r.trace ?? []).filter((e: TraceEvent): e is ActionEvent => e.type === 'action');
  return { ...r, actions, path: actions.map((a) => `${a.label}:${a.branch ?? '-'}`) };
}

describe('BEGIN and END', () => {
  it('BEGIN takes Default and END ends the run with the variables as outputs', async () => {
    const r = await run('PARAMS who\nBEGIN start -> done\nEND done\n', { inputs: { who: 'Ada' } });
    expect(r.error).toBeUndefined();
    expect(r.path).toEqual(['start:Default', 'done:-']);
    expect(r.outputs).toEqual({ who: 'Ada' });
    expect(r.actions[0]!.next).toBe('done');
  });
});

describe('SNIPPET', () => {
  it('takes Default when the code runs', async () => {
    const r = await run('BEGIN s -> code\nSNIPPET code {\n  x = 1 + 2\n}\n  -> done\n  Error -> bad\nEND bad\nEND done\n');
    expect(r.path).toEqual(['s:Default', 'code:Default', 'done:-']);
    expect(r.outputs).toEqual({ x: '3' });
  });
  it('takes Error on a runtime error and sets _ERR with the line', async () => {
    const r = await run('BEGIN s -> code\nSNIPPET code {\n  x = 1\n  y[0] = 2\n}\n  -> done\n  Error -> bad\nEND bad\nEND done\n');
    expect(r.path).toEqual(['s:Default', 'code:Error', 'bad:-']);
    expect(r.variables['x']).toBe('1');
    expect(String(r.variables['_ERR'])).toMatch(/line 4:3/);
    expect(r.actions[1]!.error).toBe(r.variables['_ERR']);
    expect(r.error).toBeUndefined();
  });
  it('MaxStringSize limits the strings the code may build', async () => {
    const src = 'BEGIN s -> code\nSNIPPET code (MaxStringSize = Limit2K) {\n  a = "x"\n  FOR i = 1 TO 12\n  {\n    a = "{a}{a}"\n  }\n}\n  Error -> bad\nEND done\nEND bad\n';
    const r = await run(src);
    expect(r.path.at(-1)).toBe('bad:-');
    expect(String(r.variables['_ERR'])).toMatch(/./);
  });
  it('collects TRACE messages in the action event and as message events', async () => {
    const r = await run('BEGIN s -> code\nSNIPPET code {\n  TRACE "hi {1+1}"\n}\n  -> done\nEND done\n');
    expect(r.actions[1]!.messages).toEqual(['hi 2']);
    expect(r.trace!.find((e) => e.type === 'message')).toMatchObject({ label: 'code', message: 'hi 2', line: 3 });
  });
});

describe('ASSIGN action', () => {
  it('Type String keeps the value as written; Numeric evaluates it (CE-73)', async () => {
    const r = await run(
      'BEGIN s -> a\nASSIGN a (Variable = t, Value = 1+1)\n  -> b\nASSIGN b (Variable = n, Value = 1+1, Type = Numeric)\n  -> c\nASSIGN c (Variable = g, Value = "n is {n}")\n  -> done\nEND done\n',
    );
    expect(r.outputs).toMatchObject({ t: '1+1', n: '2', g: 'n is 2' });
  });
  it('Type Numeric evaluates text written as an expression ("1+1", "{a}*2")', async () => {
    const r = await run(
      'BEGIN s -> a\nASSIGN a (Variable = n, Value = "1+1", Type = Numeric)\n  -> b\nASSIGN b (Variable = m, Value = "{k}*2", Type = Numeric)\n  -> done\nEND done\n',
      { inputs: { k: 4 } },
    );
    expect(r.outputs).toMatchObject({ n: '2', m: '8' });
  });
  it('Type Datetime stores a date', async () => {
    const r = await run('BEGIN s -> a\nASSIGN a (Variable = d, Value = "2024-01-31 08:00:00", Type = Datetime)\n  -> done\nEND done\n');
    expect(r.outputs['d']).toBe('01/31/2024 08:00:00');
  });
  it('takes Overflow when the value is longer than MaxStringSize (CE-74), leaving the variable', async () => {
    const long = 'y'.repeat(2049);
    const src = `BEGIN s -> a\nASSIGN a (Variable = v, Value = "{big}")\n  -> ok\n  Overflow -> over\nEND ok\nEND over\n`;
    const r = await run(src, { inputs: { big: long, v: 'before' } });
    expect(r.path).toEqual(['s:Default', 'a:Overflow', 'over:-']);
    expect(r.variables['v']).toBe('before');
    expect(String(r.variables['_ERR'])).toMatch(/2049 characters.*2048/);
    const fits = await run(src, { inputs: { big: 'y'.repeat(2048) } });
    expect(fits.path).toEqual(['s:Default', 'a:Default', 'ok:-']);
    const bigger = await run(src.replace('Value = "{big}")', 'Value = "{big}", MaxStringSize = Limit4K)'), { inputs: { big: long } });
    expect(bigger.path[1]).toBe('a:Default');
  });
  it('Numeric refuses text that is not a number (Error falls through to Default)', async () => {
    const r = await run('BEGIN s -> a\nASSIGN a (Variable = n, Value = "abc", Type = Numeric)\n  -> done\nEND done\n');
    expect(r.path).toEqual(['s:Default', 'a:Error', 'done:-']);
    expect(String(r.variables['_ERR'])).toMatch(/not a number/);
  });
});

describe('IF', () => {
  const src = 'PARAMS n\nBEGIN s -> test\nIF test (Expression = n > 10)\n  True -> big\n  False -> small\nEND big\nEND small\n';
  it('takes True', async () => expect((await run(src, { inputs: { n: 11 } })).path).toEqual(['s:Default', 'test:True', 'big:-']));
  it('takes False', async () => expect((await run(src, { inputs: { n: 3 } })).path).toEqual(['s:Default', 'test:False', 'small:-']));
});

describe('CASE', () => {
  const src = 'PARAMS v\nBEGIN s -> pick\nCASE pick (Variable = v)\n  red -> r\n  "dark blue" -> b\n  7 -> seven\n  -> other\nEND r\nEND b\nEND seven\nEND other\n';
  it.each([
    ['RED', 'r'],
    ['dark blue', 'b'],
    ['07', 'seven'],
    ['green', 'other'],
  ])('value %s goes to %s', async (v, target) => {
    const r = await run(src, { inputs: { v } });
    expect(r.path.at(-1)).toBe(`${target}:-`);
    expect(r.actions[1]!.next).toBe(target);
  });
});

describe('WAIT', () => {
  it('waits and takes Default', async () => {
    const r = await run('BEGIN s -> w\nWAIT w (Milliseconds = 5)\n  -> done\nEND done\n');
    expect(r.path).toEqual(['s:Default', 'w:Default', 'done:-']);
    expect(r.error).toBeUndefined();
  });
  it('ends early when the run is aborted', async () => {
    const controller = new AbortController();
    const pending = run('BEGIN s -> w\nWAIT w (Milliseconds = 60000)\n  -> done\nEND done\n', { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    const r = await pending;
    expect(r.error?.code).toBe('SNIP3015');
    expect(r.trace!.at(-1)).toMatchObject({ type: 'end', outcome: 'aborted' });
  });
  it('stops at the time limit instead of sleeping past it', async () => {
    const r = await run('BEGIN s -> w\nWAIT w (Milliseconds = 60000)\n  -> done\nEND done\n', { limits: { maxTimeMs: 20 } });
    expect(r.error?.code).toBe('SNIP3003');
  });
});

describe('RETURN in a main script', () => {
  it('ends the run with ReturnValue as the output', async () => {
    const r = await run('BEGIN s -> give\nRETURN give (ReturnValue = 6 * 7)\n');
    expect(r.outputs).toEqual({ ReturnValue: '42' });
  });
});

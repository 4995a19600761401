// The engine's rules: fall-through, labels, limits, abort, subscripts, concurrency.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileScript } from '../../../runtime/flow/compile-script.js';
import type { ActionHandler } from '../../../runtime/flow/types.js';
import { runCompiledScript, runScript } from '../../../runtime/run-script.js';
import type { ActionEvent, TraceEvent } from '../../../runtime/trace/events.js';
import { tempDir } from '../../helpers/temp-dir.js';

const labels = (trace: TraceEvent[] | undefined): string[] =>
  (trace ?? []).filter((e): e is ActionEvent => e.type === 'action').map((e) => e.label);

describe('fall-through', () => {
  it('an unwired branch goes to Default, then to the next action in the file', async () => {
    const src = [
      'PARAMS x',
      'BEGIN start',
      'IF test (Expression = x = 1)',
      '  True -> one',
      '  -> fallback',
      'END unreachable',
      'ASSIGN fallback (Variable = r, Value = "default")',
      'ASSIGN one (Variable = s, Value = "next in file")',
      'END done',
    ].join('\n');
    const viaDefault = await runScript(src, { fileName: 'f.studio', collectTrace: true, inputs: { x: 2 } });
    expect(labels(viaDefault.trace)).toEqual(['start', 'test', 'fallback', 'one', 'done']);
    const wired = await runScript(src, { fileName: 'f.studio', collectTrace: true, inputs: { x: 1 } });
    expect(labels(wired.trace)).toEqual(['start', 'test', 'one', 'done']);
  });
  it('a failed SNIPPET without Error wired falls to Default; past the last action the flow ends', async () => {
    const src = 'BEGIN s\nSNIPPET bad {\n  a[0] = 1\n}\n  -> after\nEND never\nASSIGN after (Variable = ok, Value = "yes")\n';
    const r = await runScript(src, { fileName: 'f.studio', collectTrace: true });
    expect(labels(r.trace)).toEqual(['s', 'bad', 'after']);
    expect(r.error).toBeUndefined();
    expect(r.outputs['ok']).toBe('yes');
    expect(r.trace!.at(-1)).toMatchObject({ type: 'end', outcome: 'completed' });
  });
});

describe('refusing to start', () => {
  it('an unknown label is a compile error with its location', async () => {
    const r = await runScript('BEGIN s -> nowhere\nEND done\n', { fileName: 'bad.studio' });
    expect(r.error).toMatchObject({ code: 'SNIP2001', line: 1, column: 12, fileName: 'bad.studio' });
    expect(r.error!.message).toMatch(/nowhere/);
    expect(r.diagnostics?.length).toBeGreaterThan(0);
  });
  it('duplicate labels, unknown action types and a missing BEGIN are refused', async () => {
    expect((await runScript('BEGIN s -> d\nEND d\nEND d\n', { fileName: 'x.studio' })).error?.code).toBe('SNIP2002');
    expect((await runScript('BEGIN s -> d\nFROB d\n', { fileName: 'x.studio' })).error?.code).toBe('SNIP2015');
    expect((await runScript('END d\n', { fileName: 'x.studio' })).error?.code).toBe('SNIP2018');
  });
});

describe('limits and abort', () => {
  it('a branch loop ends with the step limit, at the looping action', async () => {
    const src = 'BEGIN s -> a\nASSIGN a (Variable = n, Value = 1)\n  -> b\nASSIGN b (Variable = n, Value = 2)\n  -> a\n';
    const r = await runScript(src, { fileName: 'loop.studio', limits: { maxSteps: 500 }, collectTrace: true });
    expect(r.error?.code).toBe('SNIP3002');
    expect(r.error?.message).toMatch(/branch loop/);
    expect(r.error?.fileName).toBe('loop.studio');
    expect(r.trace!.at(-1)).toMatchObject({ type: 'end', outcome: 'error', error: { code: 'SNIP3002' } });
  });
  it('an aborted signal stops the run before the next action', async () => {
    const controller = new AbortController();
    controller.abort();
    const r = await runScript('BEGIN s -> d\nEND d\n', { fileName: 'a.studio', signal: controller.signal });
    expect(r.error?.code).toBe('SNIP3015');
  });
  it('aborting a looping flow ends it cleanly at the next action', async () => {
    const controller = new AbortController();
    const src = 'BEGIN s -> tick\nSNIPPET tick {\n  n = n + 1\n}\n  -> pause\nWAIT pause (Milliseconds = 1)\n  -> tick\n';
    const pending = runScript(src, { fileName: 'a.studio', signal: controller.signal, collectTrace: true, limits: { maxTimeMs: 60000 } });
    setTimeout(() => controller.abort(), 20);
    const r = await pending;
    expect(r.error?.code).toBe('SNIP3015');
    expect(Number(r.variables['n'])).toBeGreaterThan(0);
    const end = r.trace!.at(-1)!;
    expect(end).toMatchObject({ type: 'end', outcome: 'aborted' });
    expect(r.trace!.map((e) => e.seq)).toEqual(r.trace!.map((_, i) => i + 1));
  });
});

describe('RUNSUB', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('snip-flow-');
    writeFileSync(
      path.join(dir, 'main.studio'),
      [
        'PARAMS first',
        'BEGIN s -> call',
        'RUNSUB call (ScriptName = "lib/double", Parameters = "{first}|extra", ReturnVariable = doubled)',
        '  -> done',
        '  Error -> failed',
        'RUNSUB missing (ScriptName = "nope")',
        '  Error -> failed',
        'END done',
        'END failed',
      ].join('\n'),
    );
    writeFileSync(
      path.join(dir, 'lib-double.studio'),
      'PARAMS v\nBEGIN s -> work\nSNIPPET work {\n  r = v * 2\n  Global:seen = "{v}/{p2}"\n  local = 1\n}\n  -> back\nRETURN back (ReturnValue = r)\n',
    );
    writeFileSync(path.join(dir, 'broken.studio'), 'BEGIN s -> x\n');
    writeFileSync(path.join(dir, 'call-broken.studio'), 'BEGIN s -> c\nRUNSUB c (ScriptName = "broken")\n  -> d\n  Error -> d\nEND d\n');
    writeFileSync(path.join(dir, 'escape.studio'), 'BEGIN s -> c\nRUNSUB c (ScriptName = "../outside")\n  Error -> d\nEND d\n');
    writeFileSync(path.join(dir, 'recurse.studio'), 'BEGIN s -> c\nRUNSUB c (ScriptName = "recurse")\n  -> d\nEND d\n');
  });

  it('binds Parameters to PARAMS (then p2...), returns a value, shares Global: variables only', async () => {
    writeFileSync(path.join(dir, 'main2.studio'), 'PARAMS first\nBEGIN s -> call\nRUNSUB call (ScriptName = "lib-double", Parameters = "{first}|extra", ReturnVariable = doubled)\n  -> done\n  Error -> failed\nEND done\nEND failed\n');
    const r = await runScript(path.join(dir, 'main2.studio'), { inputs: { first: 21 }, collectTrace: true });
    expect(r.error).toBeUndefined();
    expect(r.variables['doubled']).toBe('42');
    expect(r.variables['seen']).toBe('21/extra');
    expect(r.variables).not.toHaveProperty('local');
    expect(r.variables).not.toHaveProperty('r');
    const sub = r.trace!.filter((e): e is ActionEvent => e.type === 'action' && e.fileName === 'lib-double.studio');
    expect(sub.map((e) => e.label)).toEqual(['s', 'work', 'back']);
    expect(labels(r.trace)).toEqual(['s', 's', 'work', 'back', 'call', 'done']);
  });
  it('a missing, broken or outside subscript takes Error with _ERR', async () => {
    const missing = await runScript(path.join(dir, 'main.studio'), { inputs: { first: 1 } });
    expect(missing.variables['_ERR']).toMatch(/cannot read the subscript 'lib\/double.studio'/);
    const broken = await runScript(path.join(dir, 'call-broken.studio'));
    expect(broken.variables['_ERR']).toMatch(/broken.studio:1:\d+ does not compile: SNIP2001/);
    const outside = await runScript(path.join(dir, 'escape.studio'));
    expect(outside.variables['_ERR']).toMatch(/outside the script's folder/);
  });
  it('endless recursion stops at the call-depth limit', async () => {
    const r = await runScript(path.join(dir, 'recurse.studio'), { limits: { maxCallDepth: 10 } });
    expect(r.error?.code).toBe('SNIP3004');
  });
});

describe('host extension points', () => {
  it('an asynchronous host action plugs in and sees services', async () => {
    const seen: unknown[] = [];
    const ping: ActionHandler = {
      type: 'PING',
      compile: () => ({
        run: async (ctx) => {
          seen.push(ctx.services?.['hub']);
          await new Promise((r) => setTimeout(r, 1));
          ctx.store.set('pong', 'yes');
          return { branch: 'OnSuccess' };
        },
      }),
    };
    const r = await runScript('BEGIN s -> p\nPING p\n  OnSuccess -> ok\nEND bad\nEND ok\n', {
      fileName: 'p.studio',
      actions: [ping],
      hub: { name: 'fake hub' },
      collectTrace: true,
    });
    expect(r.error).toBeUndefined();
    expect(labels(r.trace)).toEqual(['s', 'p', 'ok']);
    expect(seen).toEqual([{ name: 'fake hub' }]);
  });
});

describe('concurrency', () => {
  it('1,000 parallel runs of one compiled script give independent, correct outputs', async () => {
    const src = [
      'PARAMS n',
      'BEGIN s -> work',
      'SNIPPET work {',
      '  FUNCTION sq(x)',
      '  {',
      '    RETURN x * x',
      '  }',
      '  total = sq(n) + 1',
      '}',
      '  -> pause',
      'WAIT pause (Milliseconds = n % 3)',
      '  -> check',
      'IF check (Expression = total % 2 = 0)',
      '  True -> even',
      '  False -> odd',
      'ASSIGN even (Variable = kind, Value = "even")',
      '  -> done',
      'ASSIGN odd (Variable = kind, Value = "odd")',
      '  -> done',
      'END done',
    ].join('\n');
    const compiled = compileScript(src, { fileName: 'par.studio' });
    expect(compiled.flow).toBeDefined();
    const runs = Array.from({ length: 1000 }, (_, n) => runCompiledScript(compiled, { inputs: { n }, fileName: 'par.studio' }));
    const results = await Promise.all(runs);
    results.forEach((r, n) => {
      expect(r.error).toBeUndefined();
      const total = n * n + 1;
      expect(r.outputs).toMatchObject({ n: String(n), total: String(total), kind: total % 2 === 0 ? 'even' : 'odd' });
    });
    expect(compileScript(src, { fileName: 'par.studio' })).toBe(compiled);
  });
});

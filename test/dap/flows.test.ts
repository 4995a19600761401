// `snip dap` on .studio flows: a breakpoint on an action line stops before the action; step over
// a whole action; step into a RUNSUB subscript (its file in the stack) and out again; exception
// breakpoints for every error and for errors with no Error branch wired, with `_ERR` in System.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchWith, scopeVariables, startAdapter, stopped, workspace, type Recorded } from './dap-client.js';

const MAIN = [
  'SCRIPT "Main"', // 1
  '', // 2
  'BEGIN start -> prepare', // 3
  '', // 4
  'SNIPPET prepare {', // 5
  '  ASSIGN a = 20', // 6
  '  ASSIGN b = 22', // 7
  '}', // 8
  '  -> call', // 9
  '', // 10
  'RUNSUB call (ScriptName = "sub", Parameters = "{a}|{b}", ReturnVariable = total)', // 11
  '  -> check', // 12
  '', // 13
  'SNIPPET check {', // 14
  '  ASSIGN first = parsejson("{")', // 15
  '}', // 16
  '  -> fail', // 17
  '  Error -> fail', // 18
  '', // 19
  'SNIPPET fail {', // 20
  '  ASSIGN note = "before"', // 21
  '  ASSIGN second = parsejson("[")', // 22
  '}', // 23
  '  -> done', // 24
  '', // 25
  'END done', // 26
  '',
].join('\n');

const SUB = [
  'SCRIPT "Sub"', // 1
  'PARAMS x, y', // 2
  '', // 3
  'BEGIN start -> add', // 4
  '', // 5
  'SNIPPET add {', // 6
  '  ASSIGN sum = x + y', // 7
  '}', // 8
  '  -> give_back', // 9
  '', // 10
  'RETURN give_back (ReturnValue = sum)', // 11
  '',
].join('\n');

let ws: Awaited<ReturnType<typeof workspace>>;
let dap: Recorded;

beforeAll(async () => {
  ws = await workspace({ 'main.studio': MAIN, 'sub.studio': SUB });
});
afterAll(async () => {
  await ws.dispose();
});
afterEach(async () => {
  await dap.client.stop();
});

describe('flows', () => {
  it('stops before an action, steps over the whole action, then into a RUNSUB subscript and out again', async () => {
    dap = await startAdapter(ws.dir);
    const program = ws.file('main.studio');
    await launchWith(dap.client, { program }, () => dap.client.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: 5 }] }));
    const atPrepare = await stopped(dap);
    expect(atPrepare.top).toMatchObject({ line: 5, name: 'prepare (SNIPPET)' });
    // Before the action ran: its variables are not there yet.
    expect((await scopeVariables(dap.client, atPrepare.top.id, 'Script')).has('a')).toBe(false);

    await dap.client.nextRequest({ threadId: 1 });
    const atCall = await stopped(dap);
    expect(atCall.top).toMatchObject({ line: 11, name: 'call (RUNSUB)' });
    expect((await scopeVariables(dap.client, atCall.top.id, 'Script')).get('a')?.value).toBe('20');

    await dap.client.stepInRequest({ threadId: 1 });
    const subBegin = await stopped(dap);
    expect(subBegin.top.source?.path).toBe(ws.file('sub.studio'));
    expect(subBegin.top.line).toBe(4);
    expect(subBegin.frames.map((f) => [f.source?.name, f.line])).toEqual([
      ['sub.studio', 4],
      ['main.studio', 11],
    ]);
    await dap.client.stepInRequest({ threadId: 1 });
    expect((await stopped(dap)).top.line).toBe(6);
    await dap.client.stepInRequest({ threadId: 1 });
    const inSub = await stopped(dap);
    expect(inSub.top.line).toBe(7);
    const subVars = await scopeVariables(dap.client, inSub.top.id, 'Script');
    expect(subVars.get('x')?.value).toBe('"20"');
    expect(subVars.has('a')).toBe(false);
    // The caller's frame still sees the caller's variables.
    expect((await scopeVariables(dap.client, inSub.frames[1]!.id, 'Script')).get('a')?.value).toBe('20');

    await dap.client.stepOutRequest({ threadId: 1 });
    expect((await stopped(dap)).top).toMatchObject({ line: 11, name: 'give_back (RETURN) in sub.studio' });
    await dap.client.stepOutRequest({ threadId: 1 });
    const back = await stopped(dap);
    expect(back.top).toMatchObject({ line: 14, name: 'check (SNIPPET)' });
    expect((await scopeVariables(dap.client, back.top.id, 'Script')).get('total')?.value).toBe('42');
    await Promise.all([dap.client.continueRequest({ threadId: 1 }), dap.terminated]);
  });

  it('stops on an error with no Error branch wired, with _ERR in the System scope', async () => {
    dap = await startAdapter(ws.dir);
    const program = ws.file('main.studio');
    await launchWith(dap.client, { program }, () => dap.client.setExceptionBreakpointsRequest({ filters: ['uncaught'] }));
    const s = await stopped(dap);
    expect(s.event.body.reason).toBe('exception');
    expect(s.top.line).toBe(22);
    const system = await scopeVariables(dap.client, s.top.id, 'System');
    expect(system.get('_ERR')?.value).toMatch(/line 22/);
    const info = await dap.client.exceptionInfoRequest({ threadId: 1 });
    expect(info.body.exceptionId).toBe('SNIP3007');
    expect(info.body.breakMode).toBe('unhandled');
    await Promise.all([dap.client.continueRequest({ threadId: 1 }), dap.terminated]);
  });

  it('with "every error" also stops where the Error branch is wired', async () => {
    dap = await startAdapter(ws.dir);
    const program = ws.file('main.studio');
    await launchWith(dap.client, { program }, () => dap.client.setExceptionBreakpointsRequest({ filters: ['all'] }));
    const first = await stopped(dap);
    expect(first.top.line).toBe(15);
    expect((await dap.client.exceptionInfoRequest({ threadId: 1 })).body.breakMode).toBe('always');
    await dap.client.continueRequest({ threadId: 1 });
    expect((await stopped(dap)).top.line).toBe(22);
    await Promise.all([dap.client.continueRequest({ threadId: 1 }), dap.terminated]);
  });

  it('stops on entry at BEGIN when asked', async () => {
    dap = await startAdapter(ws.dir);
    await launchWith(dap.client, { program: ws.file('main.studio'), stopOnEntry: true });
    const s = await stopped(dap);
    expect(s.event.body.reason).toBe('entry');
    expect(s.top).toMatchObject({ line: 3, name: 'start (BEGIN)' });
    await Promise.all([dap.client.continueRequest({ threadId: 1 }), dap.terminated]);
  });
});

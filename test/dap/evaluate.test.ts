// `snip dap` evaluation in a paused frame through the real DebugClient: watch and Debug Console
// expressions, hover refusing side effects, setVariable with Snippet values (also inside a dynamic
// object), and a big array paged through indexed variables.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { childrenOf, launchWith, scopeVariables, startAdapter, stopped, workspace, type Recorded } from './dap-client.js';

const SCRIPT = [
  'x = 5', // 1
  'name = "Ada"', // 2
  'hits = 0', // 3
  'FUNCTION bump(v)', // 4
  '{', // 5
  '  hits = hits + 1', // 6
  '  RETURN v + 1', // 7
  '}', // 8
  'DYNAMIC big', // 9
  'FOR i = 1 TO 250', // 10
  '{', // 11
  '  big[i] = i * 2', // 12
  '}', // 13
  'DYNAMIC person', // 14
  'person.first = "Ada"', // 15
  'y = x + 1', // 16
  'TRACE "y={y} name={name} first={person.first}"', // 17
  '',
].join('\n');

let ws: Awaited<ReturnType<typeof workspace>>;
let dap: Recorded;

beforeAll(async () => {
  ws = await workspace({ 'eval.snip': SCRIPT });
});
afterAll(async () => {
  await ws.dispose();
});
afterEach(async () => {
  await dap.client.stop();
});

async function pausedAt16(): Promise<number> {
  dap = await startAdapter(ws.dir);
  const program = ws.file('eval.snip');
  await launchWith(dap.client, { program }, () => dap.client.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: 16 }] }));
  const s = await stopped(dap);
  expect(s.top.line).toBe(16);
  return s.top.id;
}

describe('evaluate', () => {
  it('evaluates watch and console expressions; hover refuses side effects', async () => {
    const frameId = await pausedAt16();
    expect((await dap.client.evaluateRequest({ expression: 'x * 2', frameId, context: 'watch' })).body.result).toBe('10');
    expect((await dap.client.evaluateRequest({ expression: 'len(name)', frameId, context: 'hover' })).body.result).toBe('3');
    expect((await dap.client.evaluateRequest({ expression: '"{name}!"', frameId, context: 'repl' })).body.result).toBe('Ada!');

    const refused = await dap.client.evaluateRequest({ expression: 'bump(1)', frameId, context: 'hover' }).then(
      () => undefined,
      (e: Error) => e.message,
    );
    expect(refused).toMatch(/SNIP3040/);
    // The Debug Console may call user functions.
    expect((await dap.client.evaluateRequest({ expression: 'bump(1)', frameId, context: 'repl' })).body.result).toBe('2');

    const bad = await dap.client.evaluateRequest({ expression: 'x +', frameId, context: 'watch' }).then(
      () => undefined,
      (e: Error) => e.message,
    );
    expect(bad).toMatch(/SNIP1\d{3}/);

    // Reading an unknown name in a watch does not create it in the script.
    await dap.client.evaluateRequest({ expression: 'nosuch', frameId, context: 'watch' });
    expect((await scopeVariables(dap.client, frameId, 'Script')).has('nosuch')).toBe(false);
    await Promise.all([dap.client.continueRequest({ threadId: 1 }), dap.terminated]);
  });

  it('sets variables with Snippet values, also a member of a dynamic object, and the run uses them', async () => {
    const frameId = await pausedAt16();
    const scopes = await dap.client.scopesRequest({ frameId });
    const script = scopes.body.scopes.find((s) => s.name === 'Script')!;
    const sx = await dap.client.setVariableRequest({ variablesReference: script.variablesReference, name: 'x', value: '40 + 1' });
    expect(sx.body.value).toBe('41');
    await dap.client.setVariableRequest({ variablesReference: script.variablesReference, name: 'name', value: '"Grace"' });
    const person = (await scopeVariables(dap.client, frameId, 'Script')).get('person')!;
    await dap.client.setVariableRequest({ variablesReference: person.variablesReference, name: 'first', value: '"Lovelace"' });
    const out = dap.client.assertOutput('stdout', 'y=42 name=Grace first=Lovelace');
    await dap.client.continueRequest({ threadId: 1 });
    await out;
    await dap.terminated;
  });

  it('pages a big array through indexed variables', async () => {
    const frameId = await pausedAt16();
    const big = (await scopeVariables(dap.client, frameId, 'Script')).get('big')!;
    expect(big.indexedVariables).toBe(250);
    const page = await dap.client.variablesRequest({ variablesReference: big.variablesReference, filter: 'indexed', start: 200, count: 10 });
    expect(page.body.variables.map((v) => [v.name, v.value])).toEqual(
      Array.from({ length: 10 }, (_, k) => [`[${201 + k}]`, String((201 + k) * 2)]),
    );
    const viaWatch = await dap.client.evaluateRequest({ expression: 'big', frameId, context: 'watch' });
    expect(viaWatch.body.indexedVariables).toBe(250);
    const all = await childrenOf(dap.client, big);
    expect(all.size).toBe(250);
    await Promise.all([dap.client.continueRequest({ threadId: 1 }), dap.terminated]);
  });
});

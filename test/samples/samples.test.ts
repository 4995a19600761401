// Every sample script runs with asserted outputs, and its JSON Lines trace matches the golden file
// in test/fixtures/traces (times normalised). Regenerate with UPDATE_GOLDEN=1 after a deliberate change.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScript } from '../../runtime/run-script.js';
import type { TraceEvent } from '../../runtime/trace/events.js';
import { toJsonLine } from '../../runtime/trace/jsonl.js';

const root = path.resolve(import.meta.dirname, '../..');
const sample = (name: string): string => path.join(root, 'samples', name);

async function run(name: string, inputs: Record<string, unknown> = {}) {
  return runScript(sample(name), { inputs, collectTrace: true, traceLevel: 'statements' });
}

/** Times vary from run to run; everything else in a trace is deterministic. */
function normalise(trace: TraceEvent[]): string {
  return trace.map((e) => toJsonLine({ ...e, at: 0, ...('durationMs' in e ? { durationMs: 0 } : {}) } as TraceEvent)).join('');
}

function golden(name: string, trace: TraceEvent[]): void {
  const file = path.join(root, 'test/fixtures/traces', name.replace(/\.(studio|snip)$/, '.jsonl'));
  const text = normalise(trace);
  if (process.env['UPDATE_GOLDEN'] === '1' || !existsSync(file)) writeFileSync(file, text);
  expect(text).toBe(readFileSync(file, 'utf8'));
}

const branches = (trace: TraceEvent[] | undefined): string[] =>
  (trace ?? []).flatMap((e) => (e.type === 'action' ? [`${e.label}:${e.branch ?? '-'}`] : []));

describe('samples', () => {
  it('hello.studio: IF True/False, ASSIGN, SNIPPET with TRACE', async () => {
    const r = await run('hello.studio');
    expect(r.error).toBeUndefined();
    expect(r.outputs).toMatchObject({ name: 'World', greeting: 'Hello, World!' });
    expect(branches(r.trace)).toEqual(['start:Default', 'check:True', 'default_name:Default', 'greet:Default', 'done:-']);
    golden('hello.studio', r.trace!);
    const ada = await run('hello.studio', { name: 'Ada' });
    expect(ada.outputs['greeting']).toBe('Hello, Ada!');
    expect(branches(ada.trace)).toContain('check:False');
  });

  it('snippet-error.studio: Default, and Error with _ERR', async () => {
    const ok = await run('snippet-error.studio', { index: 2 });
    expect(ok.outputs['status']).toBe('picked green');
    const bad = await run('snippet-error.studio', { index: 0 });
    expect(branches(bad.trace)).toContain('read:Error');
    expect(String(bad.outputs['status'])).toMatch(/^failed: .*\(line 9:3\)$/);
    golden('snippet-error.studio', bad.trace!);
  });

  it('assign-types.studio: String, Numeric, Datetime and Overflow', async () => {
    const r = await run('assign-types.studio');
    expect(r.error).toBeUndefined();
    expect(r.outputs).toMatchObject({ text: '1+1', number: '2', when: '03/05/2024 14:30:00', result: 'overflow' });
    expect(r.outputs).not.toHaveProperty('copy');
    expect(branches(r.trace)).toContain('too_long:Overflow');
    golden('assign-types.studio', r.trace!);
  });

  it('case-routing.studio: each value and Default', async () => {
    const cases: [string, string][] = [
      ['Sales', 'Sales queue'],
      ['support', 'Support queue'],
      ['42', 'The answer'],
      ['billing', 'Reception'],
    ];
    for (const [department, queue] of cases) {
      const r = await run('case-routing.studio', { department });
      expect(r.outputs['queue']).toBe(queue);
    }
    golden('case-routing.studio', (await run('case-routing.studio', { department: 'support' })).trace!);
  });

  it('runsub-main.studio: RUNSUB with Parameters, RETURN and a Global: variable', async () => {
    const r = await run('runsub-main.studio');
    expect(r.error).toBeUndefined();
    expect(r.outputs).toMatchObject({ total: '42', calls: '1', message: '20 + 22 = 42 after 1 call' });
    expect(r.outputs).not.toHaveProperty('sum');
    golden('runsub-main.studio', r.trace!);
  });

  it('sum-sub.studio on its own returns its value', async () => {
    const r = await run('sum-sub.studio', { x: 2, y: 3 });
    expect(r.outputs).toEqual({ ReturnValue: '5' });
  });

  it('wait-and-loop.studio: a bounded branch loop with WAIT', async () => {
    const r = await run('wait-and-loop.studio', { times: 3 });
    expect(r.outputs['count']).toBe('3');
    const ticks = (r.trace ?? []).flatMap((e) => (e.type === 'message' ? [e.message] : []));
    expect(ticks).toEqual(['tick 1', 'tick 2', 'tick 3']);
    golden('wait-and-loop.studio', r.trace!);
    const bounded = await runScript(sample('wait-and-loop.studio'), { inputs: { times: 1e9 }, limits: { maxSteps: 200 } });
    expect(bounded.error?.code).toBe('SNIP3002');
  });

  it('fall-through.studio: unwired branches go to Default or the next action', async () => {
    const yes = await run('fall-through.studio', { flag: 'yes' });
    expect(branches(yes.trace)).toEqual(['start:Default', 'broken:Error', 'only_true:True', 'said_yes:Default', 'finish:Default', 'done:-']);
    expect(yes.outputs).toMatchObject({ answer: 'yes', steps: 'broken, finished' });
    const no = await run('fall-through.studio', { flag: 'no' });
    expect(branches(no.trace)).toEqual(['start:Default', 'broken:Error', 'only_true:False', 'said_no:Default', 'finish:Default', 'done:-']);
    expect(no.outputs['answer']).toBe('no');
    golden('fall-through.studio', no.trace!);
  });

  it('greeting.snip: a .snip file as one SNIPPET action', async () => {
    const r = await run('greeting.snip', { name: 'Ada' });
    expect(r.error).toBeUndefined();
    expect(r.outputs['greeting']).toBe('Hello, Ada!');
    expect(JSON.parse(String(r.outputs['json']))).toEqual({ greeting: 'Hello, Ada!', length: '11' });
    golden('greeting.snip', r.trace!);
  });
});

// The trace view's model (vscode-extension/src/views/trace/rows.ts) over real traces: `snip run
// --trace-format jsonl` output of the samples, run in-process through the CLI's own `main`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../runtime/cli/main.js';
import { fakeIO } from '../cli/fake-io.js';
import { TraceModel, lastValues, parseTrace, parseTraceLine, runPath, toJsonl, edgeKey, isStructured } from '../../vscode-extension/src/views/trace/rows.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function traceOf(file: string, level: 'actions' | 'statements', ...inputs: string[]): Promise<string> {
  const io = fakeIO(root);
  await main(['run', file, `--trace=${level}`, '--trace-format', 'jsonl', ...inputs.flatMap((i) => ['--input', i])], io);
  return io.stderrText();
}

describe('trace rows', () => {
  it('nests statement and message rows under their action, filled in when the action arrives', async () => {
    const { events, skipped } = parseTrace(await traceOf('samples/hello.studio', 'statements', 'name=Ada'));
    expect(skipped).toBe(0);
    const model = new TraceModel();
    const afterEach: string[] = [];
    for (const e of events) {
      model.add(e);
      afterEach.push(model.rows.map((r) => `${r.depth}:${r.label}:${r.what}${r.pending ? '?' : ''}`).join(' '));
    }
    // While `greet` runs, its header waits (pending) above its first statement.
    expect(afterEach.some((s) => s.includes('0:greet:…? 1:greet:Assign'))).toBe(true);
    expect(model.rows.map((r) => `${r.depth}:${r.label}:${r.what}`)).toEqual([
      '0:start:BEGIN',
      '0:check:IF',
      '0:greet:SNIPPET',
      '1:greet:Assign',
      '1:greet:TRACE',
      '1:greet:Trace',
      '0:done:END',
      '0:end:completed',
    ]);
    const greet = model.rows.find((r) => r.label === 'greet' && r.depth === 0)!;
    expect(greet).toMatchObject({ branch: 'Default', next: 'done', line: 13, fileName: 'samples/hello.studio' });
    expect(greet.changes).toEqual([{ name: 'greeting', old: null, new: 'Hello, Ada!' }]);
    expect(greet.messages).toEqual(['Hello, Ada!']);
    expect(model.rows.find((r) => r.what === 'Assign')).toMatchObject({ line: 14, column: 3 });
    expect(model.end?.outcome).toBe('completed');
  });

  it('shows a failed action with its error and the branch it took', async () => {
    const model = new TraceModel(parseTrace(await traceOf('samples/snippet-error.studio', 'actions', 'index=70000000')).events);
    const read = model.rows.find((r) => r.label === 'read')!;
    expect(read.branch).toBe('Error');
    expect(read.next).toBe('failed');
    expect(read.error).toMatch(/index|bounds/i);
  });

  it('filters by any text a row shows and keeps the action of a matching statement', async () => {
    const model = new TraceModel(parseTrace(await traceOf('samples/hello.studio', 'statements', 'name=Ada')).events);
    expect(model.filter('assign').map((r) => `${r.depth}:${r.label}:${r.what}`)).toEqual(['0:greet:SNIPPET', '1:greet:Assign']);
    expect(model.filter('ADA').map((r) => r.label)).toContain('greet');
    expect(model.filter('').length).toBe(model.rows.length);
    expect(model.filter('no such text')).toEqual([]);
  });

  it('writes JSON Lines schema v1 that reads back to the same events', async () => {
    const text = await traceOf('samples/hello.studio', 'statements', 'name=Ada');
    const { events } = parseTrace(text);
    const again = toJsonl(events);
    expect(parseTrace(again).events).toEqual(events);
    // Field for field what `snip run --trace-format jsonl` wrote.
    expect(again.trimEnd().split('\n').map((l) => JSON.parse(l))).toEqual(text.trimEnd().split('\n').map((l) => JSON.parse(l)));
  });

  it('skips lines that are not schema-1 events and ignores unknown fields', () => {
    expect(parseTraceLine('samples/x.snip:3: trace: hi')).toBeUndefined();
    expect(parseTraceLine('{"v":2,"seq":1,"at":0,"type":"end"}')).toBeUndefined();
    expect(parseTraceLine('{"v":1,"seq":1,"at":0,"type":"wat"}')).toBeUndefined();
    expect(parseTraceLine('{"v":1,"seq":4,"at":1,"type":"end","outcome":"error","durationMs":2,"future":true,"error":{"code":"SNIP3002","message":"too many steps"}}')).toMatchObject({
      seq: 4,
      outcome: 'error',
      endError: { code: 'SNIP3002', message: 'too many steps' },
    });
    const { events, skipped } = parseTrace('not json\n{"v":1,"seq":1,"at":0,"type":"end","outcome":"completed","durationMs":1}\n\n');
    expect([events.length, skipped]).toEqual([1, 1]);
  });

  it('gives the last value of each assigned line, and the path with edge counts', async () => {
    const source = 'samples/wait-and-loop.studio';
    const events = parseTrace(await traceOf(source, 'statements')).events;
    const values = lastValues(events).get(source);
    expect(values).toBeDefined();
    expect([...values!.values()].every((t) => /^[A-Za-z_$][\w$]* = /.test(t))).toBe(true);
    const p = runPath(events);
    const actions = events.filter((e) => e.type === 'action');
    expect([...p.visited.values()].reduce((a, b) => a + b, 0)).toBe(actions.length);
    const withNext = actions.filter((e) => e.next);
    expect([...p.edges.values()].reduce((a, b) => a + b, 0)).toBe(withNext.length);
    expect(p.edges.get(edgeKey(withNext[0]!.label!, withNext[0]!.next!))).toBeGreaterThan(0);
  });

  it('keeps a RUNSUB subscript out of the calling flow\'s path', async () => {
    const events = parseTrace(await traceOf('samples/runsub-main.studio', 'actions')).events;
    const main = runPath(events, 'samples/runsub-main.studio');
    const sub = runPath(events, 'samples/sum-sub.studio');
    expect([...sub.visited.keys()]).toEqual(['start', 'add', 'give_back']);
    expect(main.visited.get('start')).toBe(1);
    expect(main.visited.has('add')).toBe(false);
    expect(runPath(events).visited.get('start')).toBe(2);
  });

  it('keeps up with 10,000 events (rows appended, not rebuilt)', () => {
    const model = new TraceModel();
    let seq = 0;
    for (let i = 0; i < 2500; i++) {
      model.add({ v: 1, seq: ++seq, at: seq, type: 'statement', label: `a${i}`, statement: 'Assign', line: 2, column: 1, changes: [{ name: 'x', old: String(i), new: String(i + 1) }] });
      model.add({ v: 1, seq: ++seq, at: seq, type: 'message', label: `a${i}`, message: `m${i}`, line: 3 });
      model.add({ v: 1, seq: ++seq, at: seq, type: 'statement', label: `a${i}`, statement: 'Trace', line: 3, column: 1, changes: [] });
      model.add({ v: 1, seq: ++seq, at: seq, type: 'action', label: `a${i}`, action: 'SNIPPET', branch: 'Default', durationMs: 0.1, changes: [], messages: [`m${i}`], line: 1 });
    }
    expect(model.events.length).toBe(10000);
    expect(model.rows.length).toBe(10000);
    expect(model.rows.filter((r) => r.pending)).toEqual([]);
    expect(model.filter('m2499').map((r) => r.label)).toEqual(['a2499', 'a2499']);
  });

  it('recognises dynamic objects so they can expand', () => {
    expect(isStructured('{"a":1}')).toBe(true);
    expect(isStructured('[1,2]')).toBe(true);
    expect(isStructured('{not json}')).toBe(false);
    expect(isStructured('12')).toBe(false);
    expect(isStructured(null)).toBe(false);
  });
});

// Trace sinks: table (aligned, colour only on request, summaries, cut marker), JSON Lines,
// the async-iterator stream, masking, and the emitter's stamping.
import { describe, expect, it } from 'vitest';
import { TraceEmitter } from '../../../runtime/trace/emitter.js';
import type { ActionEvent, EndEvent, TraceEvent } from '../../../runtime/trace/events.js';
import { jsonlSink, parseJsonLines } from '../../../runtime/trace/jsonl.js';
import { maskEvent } from '../../../runtime/trace/mask.js';
import { traceStream, teeSinks } from '../../../runtime/trace/stream.js';
import { CUT_MARKER, summarise, tableSink } from '../../../runtime/trace/table.js';

const action = (over: Partial<ActionEvent> = {}): ActionEvent => ({
  v: 1,
  seq: 1,
  at: 0,
  type: 'action',
  label: 'build',
  action: 'SNIPPET',
  branch: 'Default',
  next: 'done',
  durationMs: 1.25,
  changes: [{ name: 'token', old: null, new: 'abc-secret-xyz' }],
  messages: ['sent abc-secret-xyz'],
  ...over,
});
const end: EndEvent = { v: 1, seq: 2, at: 2, type: 'end', outcome: 'completed', durationMs: 2 };

describe('table', () => {
  it('aligns columns and shows changes, messages and _ERR without colour when not asked', () => {
    let out = '';
    const sink = tableSink({ write: (t) => (out += t), labelWidth: 8 });
    sink(action());
    sink(action({ seq: 2, label: 'longer_label', action: 'IF', branch: 'Error', next: undefined, changes: [], messages: [], error: 'bad thing' }));
    sink({ ...end, seq: 3 });
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^\s+#\s+label\s+action\s+branch -> next\s+ms$/);
    const row1 = lines.find((l) => l.includes('build'))!;
    const header = lines[0]!;
    expect(row1.indexOf('SNIPPET')).toBe(header.indexOf('action'));
    expect(row1).toContain('Default -> done');
    expect(out).toContain('token: (new) -> "abc-secret-xyz"');
    expect(out).toContain('trace: sent abc-secret-xyz');
    expect(out).toContain('Error -> (end)');
    expect(out).toContain('_ERR: bad thing');
    expect(out).toMatch(/completed in 2\.0 ms, 2 actions/);
    expect(out).not.toMatch(/\x1b\[/);
  });
  it('colours only when asked', () => {
    let out = '';
    tableSink({ write: (t) => (out += t), color: true })(action());
    expect(out).toMatch(/\x1b\[/);
  });
  it('summarises dynamic objects and cuts long values with a marker', () => {
    expect(summarise('{"a":1,"b":2,"c":3,"d":4,"e":5}')).toBe('{a, b, c, d, +1}');
    expect(summarise('[1,2,3]')).toBe('[3 items]');
    expect(summarise('{not json')).toBe('"{not json"');
    const cut = summarise('x'.repeat(100), 20);
    expect(cut).toBe('"' + 'x'.repeat(20) + CUT_MARKER + '(+80 chars)');
  });
});

describe('JSON Lines', () => {
  it('writes one parseable line per event and reads them back', () => {
    let out = '';
    const sink = jsonlSink((t) => (out += t));
    sink(action({ branch: undefined, next: undefined }));
    sink(end);
    expect(out.endsWith('\n')).toBe(true);
    expect(out.trimEnd().split('\n')).toHaveLength(2);
    const back = parseJsonLines(out);
    expect(back[0]).not.toHaveProperty('branch');
    expect(back[1]).toEqual(end);
  });
});

describe('masking', () => {
  it('masks every value text but not names and labels', () => {
    const mask = (t: string): string => t.replaceAll('abc-secret-xyz', '****');
    const m = maskEvent(action({ error: 'token abc-secret-xyz refused' }), mask);
    expect(JSON.stringify(m)).not.toContain('abc-secret-xyz');
    expect(m.changes[0]).toEqual({ name: 'token', old: null, new: '****' });
    expect(m.messages).toEqual(['sent ****']);
    expect(m.error).toBe('token **** refused');
    expect(m.label).toBe('build');
    const e = maskEvent({ ...end, outcome: 'error', error: { code: 'SNIP3001', message: 'abc-secret-xyz' } }, mask);
    expect(e.error).toEqual({ code: 'SNIP3001', message: '****' });
  });
  it('the emitter stamps v, consecutive seq and time, and applies the masker', () => {
    const got: TraceEvent[] = [];
    const em = new TraceEmitter('actions', (t) => t.replaceAll('s3cr3t', '***'), (e) => got.push(e));
    em.emit({ type: 'message', label: 'a', message: 'the s3cr3t', line: 1 });
    em.emit({ type: 'statement', label: 'a', statement: 'Assign', line: 1, column: 1, changes: [] });
    em.end({ type: 'end', outcome: 'completed', durationMs: 0 });
    expect(got.map((e) => [e.v, e.seq])).toEqual([
      [1, 1],
      [1, 2],
    ]);
    expect(got[0]).toMatchObject({ message: 'the ***' });
    expect(got[1]!.type).toBe('end');
  });
  it('level off sends only the end event', () => {
    const got: TraceEvent[] = [];
    const em = new TraceEmitter('off', (t) => t, (e) => got.push(e));
    em.emit({ type: 'message', label: 'a', message: 'x', line: 1 });
    em.end({ type: 'end', outcome: 'completed', durationMs: 0 });
    expect(got.map((e) => e.type)).toEqual(['end']);
  });
});

describe('stream', () => {
  it('iterates every event in order and stops after the end event', async () => {
    const stream = traceStream();
    const seen: number[] = [];
    const consumer = (async () => {
      for await (const e of stream) seen.push(e.seq);
    })();
    stream.sink(action());
    await new Promise((r) => setTimeout(r, 1));
    stream.sink(action({ seq: 2 }));
    stream.sink({ ...end, seq: 3 });
    stream.sink(action({ seq: 4 }));
    await consumer;
    expect(seen).toEqual([1, 2, 3]);
  });
  it('teeSinks keeps going when one sink throws', () => {
    const got: number[] = [];
    const tee = teeSinks(
      () => {
        throw new Error('broken sink');
      },
      undefined,
      (e) => got.push(e.seq),
    );
    tee(action());
    expect(got).toEqual([1]);
  });
});

// The debugger's pure parts, from tables: hit conditions, the hover side-effect check, where
// breakpoints land, launch-argument checking, and the message masker.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLaunch, LaunchError } from '../../dap/launch-args.js';
import { maskDeep } from '../../dap/mask-message.js';
import { BreakpointTable, hitMatches } from '../../runtime/debug/breakpoints.js';
import { parseWatch, sideEffectOf } from '../../runtime/debug/evaluate.js';
import { functionAt, indexSource, nearestStop } from '../../runtime/debug/source-index.js';

describe('hit conditions', () => {
  it.each([
    ['3', [3]],
    ['==3', [3]],
    ['>=3', [3, 4, 5, 6]],
    ['>4', [5, 6]],
    ['<3', [1, 2]],
    ['<=2', [1, 2]],
    ['%2', [2, 4, 6]],
    ['', [1, 2, 3, 4, 5, 6]],
  ])('%s stops on hits %j of 1..6', (condition, hits) => {
    expect([1, 2, 3, 4, 5, 6].filter((n) => hitMatches(condition, n))).toEqual(hits);
  });

  it('an unreadable hit count leaves the breakpoint unverified with the reason', () => {
    const idx = indexSource('a.snip', 'x = 1\n');
    const [bp] = new BreakpointTable().setForFile('a.snip', idx, [{ line: 1, hitCondition: 'often' }]);
    expect(bp).toMatchObject({ verified: false });
    expect(bp!.message).toMatch(/unreadable hit count/);
  });
});

describe('hover side effects', () => {
  it.each([
    ['x + 1', undefined],
    ['len(name) * 2', undefined],
    ['"{a.b} and {upper(c)}"', undefined],
    ['d.items[2].name', undefined],
    ['bump(1)', /not a built-in/],
    ['"{bump(1)}"', /not a built-in/],
    ['GetRESTProxy()', /side effects/],
    ['p.MakeRestRequest("u", "", 0)', /side effects/],
  ])('%s', (text, expected) => {
    const parsed = parseWatch(text);
    if (!parsed.ok) throw new Error(parsed.message);
    const effect = sideEffectOf(parsed.expr);
    if (expected === undefined) expect(effect).toBeUndefined();
    else expect(effect).toMatch(expected);
  });
});

describe('where breakpoints land', () => {
  const studio = ['SCRIPT "S"', '', 'BEGIN start -> s', '// note', 'SNIPPET s {', '  FUNCTION f(a)', '  {', '    RETURN a', '  }', '  x = f(1)', '}', 'END done', ''].join('\n');
  const idx = indexSource('s.studio', studio);

  it.each([
    [1, 3, 'action'],
    [3, 3, 'action'],
    [4, 5, 'action'],
    [6, 8, 'statement'],
    [7, 8, 'statement'],
    [10, 10, 'statement'],
    [11, 12, 'action'],
    [40, 12, 'action'],
  ])('line %i -> line %i (%s)', (line, expected, kind) => {
    expect(nearestStop(idx, line)).toMatchObject({ line: expected, kind });
  });

  it('names the function a statement is in', () => {
    const inner = { start: { line: 8, column: 5, offset: studio.indexOf('RETURN') }, end: { line: 8, column: 13, offset: studio.indexOf('RETURN') + 8 } };
    expect(functionAt(idx, inner)?.name).toBe('f');
    expect(idx.functions[0]?.firstLine).toBe(8);
  });

  it('a file with syntax errors keeps its breakpoints unverified', () => {
    const broken = indexSource('b.snip', 'x = (1\n');
    const [bp] = new BreakpointTable().setForFile('b.snip', broken, [{ line: 1 }]);
    expect(bp).toMatchObject({ verified: false, message: 'the file has syntax errors and cannot run' });
  });
});

describe('launch arguments', () => {
  it.each([
    [{}, /'program' must name/],
    [{ program: 'x.txt' }, /must be a .snip or .studio file/],
    [{ program: 'missing.snip' }, /cannot read the program/],
    [{ program: 'ok.snip', trace: 'loud' }, /'trace' must be off, actions or statements/],
    [{ program: 'ok.snip', inputs: [1] }, /'inputs' must be an object/],
    [{ program: 'ok.snip', limits: { maxSteps: -1 } }, /'limits.maxSteps' must be a positive whole number/],
    [{ program: 'ok.snip', limits: { maxStringSize: 'Limit3K' } }, /'limits.maxStringSize'/],
    [{ program: 'ok.snip', inputsFile: 'nope.json' }, /'inputsFile' nope.json cannot be read/],
  ])('%j is refused', async (args, message) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'snip-launch-'));
    try {
      await writeFile(path.join(dir, 'ok.snip'), 'x = 1\n');
      const err = await checkLaunch({ cwd: dir, ...args } as Parameters<typeof checkLaunch>[0]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(LaunchError);
      expect((err as LaunchError).code).toBe('SNIP3041');
      expect((err as Error).message).toMatch(message);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('inputs win over the inputs file; paths resolve against cwd', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'snip-launch-'));
    try {
      await writeFile(path.join(dir, 'ok.snip'), 'x = 1\n');
      await writeFile(path.join(dir, 'in.json'), JSON.stringify({ a: '1', b: '2' }));
      const l = await checkLaunch({ cwd: dir, program: 'ok.snip', inputsFile: 'in.json', inputs: { b: '3' }, hub: 'h' });
      expect(l.program).toBe(path.join(dir, 'ok.snip'));
      expect({ ...l.inputs }).toEqual({ a: '1', b: '3' });
      expect(l.hub).toBe(path.join(dir, 'h'));
      expect(l.trace).toBe('actions');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('message masking', () => {
  it('masks every string at any depth and keeps other values', () => {
    const mask = (t: string) => t.split('s3cret').join('****');
    const msg = { seq: 3, body: { variables: [{ name: 'a', value: 'x s3cret y', variablesReference: 0 }], output: 's3cret', ok: true } };
    expect(maskDeep(msg, mask)).toEqual({ seq: 3, body: { variables: [{ name: 'a', value: 'x **** y', variablesReference: 0 }], output: '****', ok: true } });
  });
});

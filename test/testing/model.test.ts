// The test-file model, matchers, --update and --watch's choice of cases: pure parts, checked
// directly (the runner and CLI suites run them end to end).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SnipError } from '../../runtime/errors.js';
import { parseTestFile, loadTestFile } from '../../runtime/testing/model.js';
import { matchVariables, pathDiff } from '../../runtime/testing/matchers.js';
import { runTests } from '../../runtime/testing/runner.js';
import { updateTestFile } from '../../runtime/testing/update.js';
import { affectedBy } from '../../runtime/testing/watch.js';
import { packageRoot } from '../../cli/commands/demo.js';

const root = packageRoot();

function parseError(data: unknown): string {
  try {
    parseTestFile(JSON.stringify(data), '/p/x.test.json');
  } catch (e) {
    expect(e).toBeInstanceOf(SnipError);
    expect((e as SnipError).code).toBe('SNIP7001');
    return (e as Error).message;
  }
  throw new Error('parsed');
}

describe('test files', () => {
  it('resolves paths against the test file and defaults the cassette', () => {
    const f = parseTestFile(JSON.stringify({ script: 'a.studio', hub: 'hub/h.json', cases: [{ name: 'one' }] }), '/p/q/a.test.json');
    expect(f.hub).toBe(path.resolve('/p/q/hub/h.json'));
    expect(f.cassette).toBe(path.resolve('/p/q/__cassettes__/a.cassette.json'));
    expect(f.cases[0]).toEqual({ name: 'one', script: 'a.studio', inputs: {}, expect: {}, faults: [] });
  });

  it.each([
    [{ cases: [] }, /cases must be a non-empty list/],
    [{ script: 'a.studio', cases: [{ name: 'a' }, { name: 'a' }] }, /'a' is used twice/],
    [{ cases: [{ name: 'a' }] }, /cases\[0\] has no script/],
    [{ script: 'a.studio', cases: [{ name: 'a', expect: { error: 'oops' } }] }, /expect\.error must be an error code/],
    [{ script: 'a.studio', cases: [{ name: 'a', faults: [{ request: '/x', kind: 'slow' }] }] }, /faults\[0\]\.kind must be timeout, refused or status/],
    [{ script: 'a.studio', cases: [{ name: 'a', faults: [{ request: '/x', kind: 'status', status: 99 }] }] }, /faults\[0\]\.status must be an HTTP status code/],
    [{ script: 'a.studio', extra: 1, cases: [{ name: 'a' }] }, /'extra' is not a known field/],
  ])('rejects %j', (data, message) => {
    expect(parseError(data)).toMatch(message);
  });
});

describe('matchers', () => {
  it('plain values exactly, patterns by matcher, names without case', () => {
    const actual = { Greeting: 'Hello, Ada!', count: '3', obj: { a: '1', b: ['x'] } };
    expect(matchVariables({ greeting: 'Hello, Ada!', count: { $number: true }, obj: { a: '1', b: ['x'] }, gone: { $absent: true } }, actual, 'outputs')).toEqual([]);
    expect(matchVariables({ greeting: { $match: '^Hello, [A-Z]' }, count: { $any: true }, obj: { a: { $contains: '1' }, b: ['x'] } }, actual, 'outputs')).toEqual([]);
    expect(matchVariables({ greeting: 'Hi', obj: { a: '1' }, count: { $absent: true }, none: { $any: true } }, actual, 'outputs')).toEqual([
      { where: 'outputs.greeting', expected: '"Hi"', actual: '"Hello, Ada!"' },
      { where: 'outputs.obj', expected: '{"a":"1"}', actual: '{"a":"1","b":["x"]}' },
      { where: 'outputs.count', expected: '(absent)', actual: '"3"' },
      { where: 'outputs.none', expected: 'any value', actual: '(absent)' },
    ]);
  });

  it('paths: a bare label takes any branch; the first difference is named', () => {
    expect(pathDiff(['start', 'check:False', 'greet'], ['start:Default', 'check:False', 'greet:Default'])).toBeUndefined();
    expect(pathDiff(['start', 'check:True'], ['start:Default', 'check:False', 'greet:Default'])).toMatch(/^first difference at step 2: expected check:True, got check:False/);
    expect(pathDiff(['start'], ['start:Default', 'x'])).toMatch(/step 2: expected \(end of path\), got x/);
  });
});

describe('--update', () => {
  it('writes the actual path and plain values of failed cases, and leaves matchers alone', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'snip-update-'));
    try {
      copyFileSync(path.join(root, 'samples', 'hello.studio'), path.join(dir, 'hello.studio'));
      const file = path.join(dir, 'hello.test.json');
      writeFileSync(file, JSON.stringify({ script: 'hello.studio', cases: [
        { name: 'ada', inputs: { name: 'Ada' }, expect: { outputs: { greeting: 'Hi', name: { $match: '^A' } }, path: ['start'] } },
        { name: 'ok', inputs: { name: 'Bo' }, expect: { outputs: { greeting: 'Hello, Bo!' } } },
      ] }));
      const results = await runTests([await loadTestFile(file)], { cwd: dir, keepActual: true });
      expect(results.map((r) => r.passed)).toEqual([false, true]);
      expect(await updateTestFile(file, results)).toBe(1);
      const data = JSON.parse(readFileSync(file, 'utf8'));
      expect(data.cases[0].expect).toEqual({ outputs: { greeting: 'Hello, Ada!', name: { $match: '^A' } }, path: ['start:Default', 'check:False', 'greet:Default', 'done'] });
      const again = await runTests([await loadTestFile(file)], { cwd: dir });
      expect(again.every((r) => r.passed)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('--watch reruns', () => {
  it('the cases of a changed script, the callers of a changed subscript, all cases of a changed test file or cassette', async () => {
    const runsub = await loadTestFile(path.join(root, 'samples', 'runsub-main.test.json'));
    const hello = await loadTestFile(path.join(root, 'samples', 'hello.test.json'));
    const files = [runsub, hello];
    const read = (f: string) => readFileSync(f, 'utf8');
    const s = (p: string) => path.join(root, 'samples', p);
    expect(affectedBy(files, s('hello.studio'), new Map(), read)).toEqual(new Map([[hello.file, new Set(hello.cases.map((c) => c.name))]]));
    // sum-sub.studio is one case's script and the other's subscript.
    expect(affectedBy(files, s('sum-sub.studio'), new Map(), read)).toEqual(new Map([[runsub.file, new Set(runsub.cases.map((c) => c.name))]]));
    expect(affectedBy(files, s('hello.test.json'), new Map(), read)).toEqual(new Map([[hello.file, undefined]]));
    expect(affectedBy(files, hello.cassette, new Map(), read)).toEqual(new Map([[hello.file, undefined]]));
    expect(affectedBy(files, s('README.md'), new Map(), read).size).toBe(0);
  });
});

// Coverage from trace events, checked on samples with known paths: hello.studio run only with a
// name (IF False), then also without one; the LCOV and JSON forms agree with the table.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { packageRoot } from '../../cli/commands/demo.js';
import { collectCoverage, coverageLcov, coverageTable } from '../../runtime/testing/coverage.js';
import { loadTestFile } from '../../runtime/testing/model.js';
import { runTests } from '../../runtime/testing/runner.js';

const root = packageRoot();

async function coverageOf(file: string, filter?: string) {
  const tf = await loadTestFile(path.join(root, 'samples', file));
  const results = await runTests([tf], { cwd: root, coverage: true, ...(filter ? { filter } : {}) });
  expect(results.every((r) => r.passed)).toBe(true);
  return collectCoverage(results.map((r) => r.trace!), root);
}

describe('coverage', () => {
  it('hello.studio with a name: the True branch and default_name are not covered', async () => {
    const [c] = await coverageOf('hello.test.json', 'greets by name');
    expect(c!.file).toBe('samples/hello.studio');
    expect(c!.actions.map((a) => [a.label, a.runs])).toEqual([['start', 1], ['check', 1], ['default_name', 0], ['greet', 1], ['done', 1]]);
    expect(c!.actions[1]!.branches).toEqual([{ name: 'True', taken: 0 }, { name: 'False', taken: 1 }]);
    // start, check (True, False), default_name, greet: 5 branches, 3 taken.
    expect(c!.summary).toEqual({ actions: [4, 5], branches: [3, 5], lines: [2, 2] });
    const table = coverageTable([c!]);
    expect(table).toMatch(/samples\/hello\.studio\s+80\.0% 4\/5\s+60\.0% 3\/5\s+100\.0% 2\/2/);
    expect(table).toContain('samples/hello.studio:7 check (IF) never took True');
    expect(table).toContain('samples/hello.studio:11 default_name (ASSIGN) never ran');
    const lcov = coverageLcov([c!]);
    expect(lcov).toContain('SF:samples/hello.studio\n');
    expect(lcov).toContain('FNDA:0,default_name\n');
    expect(lcov).toContain('BRDA:7,1,0,0\nBRDA:7,1,1,1\n');
    expect(lcov).toContain('BRDA:11,2,0,-\n');
    expect(lcov).toMatch(/BRF:5\nBRH:3\n/);
    expect(lcov).toContain('DA:11,0\n');
    expect(lcov.trim().endsWith('end_of_record')).toBe(true);
  });

  it('both hello cases cover every action and branch', async () => {
    const [c] = await coverageOf('hello.test.json');
    expect(c!.summary).toEqual({ actions: [5, 5], branches: [5, 5], lines: [2, 2] });
  });

  it('CASE values and connect branches count; the subscript of RUNSUB is covered too', async () => {
    const cov = await coverageOf('case-routing.test.json');
    expect(cov[0]!.actions.find((a) => a.label === 'route')!.branches.map((b) => `${b.name}=${b.taken}`)).toEqual(['Default=1', 'sales=1', 'support=1', '42=1']);
    const lookup = await coverageOf('agent-lookup.test.json');
    const call = lookup[0]!.actions.find((a) => a.label === 'call')!;
    expect(call.branches.every((b) => b.taken > 0)).toBe(true);
    const sub = await coverageOf('runsub-main.test.json', 'Global');
    expect(sub.map((c) => c.file)).toEqual(['samples/runsub-main.studio', 'samples/sum-sub.studio']);
    expect(sub[1]!.summary.actions).toEqual([3, 3]);
  });
});

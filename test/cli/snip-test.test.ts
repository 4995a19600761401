// `snip test`: the samples' own tests run through the real binary as one of `npm test`'s suites
// (replayed from their cassettes, offline), the JUnit XML parses and counts right, and bad usage or
// a bad test file exits 2 with a clean message.
import { describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { main } from '../../cli/main.js';
import { packageRoot } from '../../cli/commands/demo.js';
import { fakeIO } from './fake-io.js';

const root = packageRoot();
const bin = path.join(root, 'bin', 'snip.js');

function snip(args: string[], cwd = root): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('snip test samples', () => {
  it('every sample case passes from its cassettes (the suite npm test runs)', async () => {
    const r = await snip(['test', 'samples']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Cases: \d+ passed, \d+ total/);
    expect(r.stdout).not.toContain('FAIL');
    for (const f of ['agent-lookup', 'assign-types', 'case-routing', 'fall-through', 'greeting', 'hello', 'runsub-main', 'snippet-error', 'wait-and-loop']) {
      expect(r.stdout).toContain(`PASS samples/${f}.test.json`);
    }
    // The demo credentials never show, not even in passing output.
    for (const s of ['demo-secret', 'demo-client']) expect(r.stdout).not.toContain(s);
  });

  it('--reporter junit writes JUnit XML that parses, one suite per test file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'snip-junit-'));
    try {
      const out = path.join(dir, 'junit.xml');
      const r = await snip(['test', 'samples', '--reporter', 'junit', '--out', out]);
      expect(r.code).toBe(0);
      const xml = readFileSync(out, 'utf8');
      const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => n === 'testsuite' || n === 'testcase' }).parse(xml);
      const suites = doc.testsuites.testsuite as { name: string; tests: string; failures: string; testcase: { name: string; failure?: unknown }[] }[];
      const total = suites.reduce((n, s) => n + s.testcase.length, 0);
      expect(Number(doc.testsuites.tests)).toBe(total);
      expect(Number(doc.testsuites.failures)).toBe(0);
      const lookup = suites.find((s) => s.name === 'samples/agent-lookup.test.json')!;
      expect(lookup.testcase.map((c) => c.name)).toContain('an upstream timeout takes OnTimeout');
      expect(suites.every((s) => s.testcase.every((c) => c.failure === undefined))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a failing case exits 1, and its JUnit failure carries the diff (escaped, parseable)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'snip-junit-'));
    try {
      copyFileSync(path.join(root, 'samples', 'hello.studio'), path.join(dir, 'hello.studio'));
      writeFileSync(
        path.join(dir, 'hello.test.json'),
        JSON.stringify({ script: 'hello.studio', cases: [{ name: 'wrong <greeting> & path', inputs: { name: 'Ada' }, expect: { outputs: { greeting: 'Hi, Ada!' }, path: ['start', 'check:True'] } }] }),
      );
      const r = await snip(['test', '--reporter', 'junit'], dir);
      expect(r.code).toBe(1);
      const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(r.stdout);
      const tc = doc.testsuites.testsuite.testcase;
      expect(tc.name).toBe('wrong <greeting> & path');
      expect(tc.failure['#text']).toContain('expected: "Hi, Ada!"');
      expect(tc.failure['#text']).toContain('actual:   "Hello, Ada!"');
      expect(tc.failure['#text']).toContain('first difference at step 2: expected check:True, got check:False');
      const json = await snip(['test', '--reporter', 'json'], dir);
      const report = JSON.parse(json.stdout);
      expect(report).toMatchObject({ passed: false, total: 1, failed: 1 });
      expect(report.cases[0].failures.map((f: { kind: string }) => f.kind)).toEqual(['output', 'path']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('snip test --coverage', () => {
  it('prints the table and writes JSON and LCOV files', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'snip-cov-'));
    try {
      const io = fakeIO(root);
      const json = path.join(dir, 'cov', 'coverage.json');
      const lcov = path.join(dir, 'cov', 'lcov.info');
      expect(await main(['test', 'samples', '--filter', 'hello.test.json > greets by name', '--coverage-json', json, '--coverage-lcov', lcov], io)).toBe(0);
      expect(io.stdoutText()).toMatch(/samples\/hello\.studio\s+80\.0% 4\/5\s+60\.0% 3\/5/);
      const cov = JSON.parse(readFileSync(json, 'utf8'));
      expect(cov).toHaveLength(1);
      expect(cov[0].summary).toEqual({ actions: [4, 5], branches: [3, 5], lines: [2, 2] });
      expect(readFileSync(lcov, 'utf8')).toMatch(/^TN:\nSF:samples\/hello\.studio\n[\s\S]*BRF:5\nBRH:3\n[\s\S]*end_of_record\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the samples\' cassettes', () => {
  it('hold no demo secret, token or loopback address', () => {
    const dir = path.join(root, 'samples', '__cassettes__');
    const text = readFileSync(path.join(dir, 'agent-lookup.cassette.json'), 'utf8');
    for (const s of ['demo-secret', 'demo-client', '127.0.0.1', 'localhost']) expect(text).not.toContain(s);
    expect(text).toContain('[[ client_secret ]]');
    expect(text).toContain('Bearer [[ access_token ]]');
  });

  it('re-recording against the demo API (--record --demo-api) gives the committed cassette byte for byte', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'snip-rerecord-'));
    try {
      mkdirSync(path.join(dir, 'hub'));
      for (const f of ['agent-lookup.studio', 'agent-lookup.test.json', 'hub/demo-hub.json']) copyFileSync(path.join(root, 'samples', f), path.join(dir, f));
      const io = fakeIO(dir);
      expect(await main(['test', '--record', '--demo-api'], io)).toBe(0);
      expect(io.stdoutText()).toMatch(/cassettes recorded for \d+ case\(s\)/);
      const fresh = readFileSync(path.join(dir, '__cassettes__', 'agent-lookup.cassette.json'), 'utf8');
      expect(fresh).toBe(readFileSync(path.join(root, 'samples', '__cassettes__', 'agent-lookup.cassette.json'), 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('snip test usage', () => {
  it('exits 2 on a bad reporter, no test files, or a bad test file', async () => {
    const io = fakeIO(root);
    expect(await main(['test', 'samples', '--reporter', 'tap'], io)).toBe(2);
    expect(io.stderrText()).toMatch(/--reporter expects pretty, json or junit/);

    const dir = mkdtempSync(path.join(tmpdir(), 'snip-test-usage-'));
    try {
      const empty = fakeIO(dir);
      expect(await main(['test'], empty)).toBe(2);
      expect(empty.stderrText()).toMatch(/no \*\.test\.json files/);

      writeFileSync(path.join(dir, 'x.test.json'), JSON.stringify({ script: 'x.studio', cases: [{ name: 'a', expect: { output: {} } }] }));
      const bad = fakeIO(dir);
      expect(await main(['test'], bad)).toBe(2);
      expect(bad.stderrText()).toMatch(/error SNIP7001: x\.test\.json: cases\[0\]\.expect\.output is not a known expectation/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a script that does not compile exits 2 with its diagnostics', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'snip-test-compile-'));
    try {
      writeFileSync(path.join(dir, 'bad.studio'), 'BEGIN start -> nowhere\n');
      writeFileSync(path.join(dir, 'bad.test.json'), JSON.stringify({ script: 'bad.studio', cases: [{ name: 'a', expect: { outputs: { x: '1' } } }] }));
      const io = fakeIO(dir);
      expect(await main(['test'], io)).toBe(2);
      expect(io.stdoutText()).toMatch(/the script does not compile\n\s*bad\.studio:1:\d+: error SNIP\d{4}: /);
      expect(io.stdoutText()).not.toContain('outputs.x');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--filter picks cases by file and name', async () => {
    const io = fakeIO(root);
    expect(await main(['test', 'samples', '--filter', 'case-routing.test.json > sales'], io)).toBe(0);
    expect(io.stdoutText()).toMatch(/Cases: 1 passed, 1 total/);
  });
});

describe('snip test --watch', () => {
  it('reruns the cases of a changed script and stops cleanly on SIGINT', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'snip-watch-'));
    try {
      for (const f of ['hello.studio', 'hello.test.json', 'case-routing.studio', 'case-routing.test.json']) copyFileSync(path.join(root, 'samples', f), path.join(dir, f));
      const child = spawn(process.execPath, [bin, 'test', '--watch'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
      let out = '';
      const waitFor = (text: string) =>
        new Promise<void>((resolve, reject) => {
          const check = () => {
            if (out.includes(text)) {
              child.stdout.off('data', onData);
              resolve();
            }
          };
          const onData = (d: Buffer) => {
            out += d.toString('utf8');
            check();
          };
          child.stdout.on('data', onData);
          child.once('exit', () => reject(new Error(`exited before '${text}':\n${out}`)));
          check();
        });
      await waitFor('watching for changes');
      const before = out.length;
      const script = path.join(dir, 'hello.studio');
      writeFileSync(script, readFileSync(script, 'utf8').replace('Hello, {name}!', 'Hey, {name}!'));
      await waitFor('Cases: 2 failed, 0 passed, 2 total');
      const rerun = out.slice(before);
      expect(rerun).toContain('change: hello.studio');
      expect(rerun).toContain('FAIL hello.test.json > greets by name');
      // case-routing does not use hello.studio: not rerun.
      expect(rerun).not.toContain('case-routing');
      const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGINT');
      expect(await exit).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

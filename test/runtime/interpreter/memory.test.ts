// Issue 9, item 7: the memory budget. What the run's variables hold is measured (shared objects
// once, cycles and deep chains without recursion); a run past its budget stops with SNIP3021 and
// the line, and the process stays near its budget (measured in a child process).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../runtime/compile.js';
import { VariableStore } from '../../../runtime/interpreter/api.js';
import { heldBytes } from '../../../runtime/interpreter/memory.js';
import { Dyn } from '../../../runtime/values.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('heldBytes', () => {
  it('counts text by characters, a shared object once, and survives cycles', () => {
    const store = new VariableStore();
    const d = new Dyn();
    d.members.set('self', d);
    d.members.set('text', 'x'.repeat(1000));
    store.set('a', d);
    store.set('b', d);
    store.set('s', 'y'.repeat(500));
    const one = heldBytes(store);
    expect(one).toBeGreaterThan(1500);
    expect(one).toBeLessThan(1800);
    store.set('c', 'z'.repeat(100));
    expect(heldBytes(store) - one).toBe(100);
  });
  it('walks a 200,000-deep chain of objects without recursion', () => {
    const store = new VariableStore();
    let head = new Dyn();
    for (let i = 0; i < 200_000; i++) {
      const next = new Dyn();
      next.members.set('n', head);
      head = next;
    }
    store.set('chain', head);
    expect(heldBytes(store)).toBeGreaterThan(200_000 * 64);
  });
});

describe('memory budget', () => {
  const grow = 'DYNAMIC kept\nFOR i = 1 TO 100000 {\n  kept[i] = "{i} {pad}"\n}\n';
  const pad = 'p'.repeat(1000);

  it('stops a growing run with SNIP3021 and the line, as configured', async () => {
    const r = await compile(grow).program!.run({ inputs: { pad }, limits: { maxMemoryBytes: 2 * 1024 * 1024 } });
    expect(r.error).toMatchObject({ code: 'SNIP3021', line: 3 });
    expect(r.error!.message).toMatch(/Memory limit exceeded.*limit 2 MB/);
    expect(r.variables['_ERR']).toMatch(/Memory limit exceeded/);
  });
  it('lets the same run finish with a larger budget', async () => {
    const r = await compile(grow).program!.run({ inputs: { pad }, limits: { maxMemoryBytes: 256 * 1024 * 1024 } });
    expect(r.error).toBeUndefined();
  });
  it('counts built-in results and dynamic objects from text', async () => {
    const src = 'DYNAMIC kept\nFOR i = 1 TO 100000 {\n  DYNAMIC o = "[1,2,3,4,5,6,7,8,9,10]"\n  kept[i] = o\n  kept[i].name = pad.replace("p", "q")\n}\n';
    const r = await compile(src).program!.run({ inputs: { pad }, limits: { maxMemoryBytes: 1024 * 1024 } });
    expect(r.error).toMatchObject({ code: 'SNIP3021' });
  });

  it('a built-in result beyond what the engine can hold is a string-size error, not an internal one', async () => {
    const src = 's = "aaaaaaaa"\nREPEAT 12 {\n  s = "{s}{s}"\n}\nt = s.replace("a", s)\n';
    const r = await compile(src).program!.run();
    expect(r.error).toMatchObject({ code: 'SNIP3005', line: 5 });
  });

  it('a child process running a growing script stays under its budget + 200 MB', () => {
    const script = [
      "import { runScript } from './dist/runtime/run-script.js';",
      'const src = process.argv[1];',
      "const r = await runScript(src, { fileName: 'grow.snip', limits: { maxSteps: 1e9, maxTimeMs: 60000 } });",
      'process.stdout.write(JSON.stringify({ code: r.error?.code, line: r.error?.line, maxRss: process.resourceUsage().maxRSS * 1024 }));',
    ].join('\n');
    const src = [
      's = "0123456789abcdef"',
      'REPEAT 10 {',
      '  s = "{s}{s}"',
      '}',
      'DYNAMIC kept',
      'i = 0',
      'WHILE true {',
      '  i = i + 1',
      '  kept.setvalue("k{i}", s.replace("0", "{i}"))',
      '}',
    ].join('\n');
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script, src], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    expect(child.status, child.stderr).toBe(0);
    const out = JSON.parse(child.stdout) as { code: string; line: number; maxRss: number };
    expect(out).toMatchObject({ code: 'SNIP3021', line: 9 });
    expect(out.maxRss).toBeLessThan((64 + 200) * 1024 * 1024);
  });
});

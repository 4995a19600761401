// Issue 16: one verdict for a program. Whatever `snip check` reports as an error stops `snip run`
// (exit 2, the diagnostics printed), `runScript()` and `compile()` the same way; warnings stay
// warnings. Also: the text of a comparison result (1/0) reaches the trace, and the new runtime
// error for `+` between texts never echoes a value.
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkDocument } from '../../language/analyze.js';
import { compile } from '../../runtime/compile.js';
import { runScript } from '../../runtime/run-script.js';
import { tempDir } from '../helpers/temp-dir.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin/snip.js');

/** Programs `snip check` rejects; each does something visible before the faulty line. */
const REJECTED: Record<string, { source: string; code: string }> = {
  'return-outside.snip': { source: 'TRACE "started"\nx = 1\nRETURN x\n', code: 'SNIP2006' },
  'builtin-name.snip': { source: 'TRACE "started"\nFUNCTION left(a, b)\n{\n  RETURN a\n}\n', code: 'SNIP2012' },
  'unknown-function.snip': { source: 'TRACE "started"\ny = nosuch(1)\n', code: 'SNIP2003' },
  'wrong-count.snip': { source: 'TRACE "started"\nFUNCTION f(a, b)\n{\n  RETURN a\n}\ny = f(1)\n', code: 'SNIP2004' },
  'quoted-variable.snip': { source: 'TRACE "started"\nn = 2\ny = "{n}" * 3\n', code: 'SNIP2024' },
  'plus-text.snip': { source: 'TRACE "started"\nn = "Ada"\ny = "Hi " + n\n', code: 'SNIP1025' },
};

interface Exec {
  code: number;
  stdout: string;
  stderr: string;
}

function snip(args: string[], cwd: string): Promise<Exec> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' } }, (e, stdout, stderr) =>
      resolve({ code: e ? ((e as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** `file:line:col: error CODE: message` lines, in order. */
function errorLines(text: string): string[] {
  return text.split('\n').filter((l) => /: error SNIP\d{4}: /.test(l));
}

let dir: string;
beforeAll(() => {
  if (!existsSync(path.join(root, 'dist/cli/main.js'))) {
    throw new Error('run `npm run build` before this test (the binary runs dist/)');
  }
  dir = tempDir('snip-verdict-');
  for (const [name, c] of Object.entries(REJECTED)) writeFileSync(path.join(dir, name), c.source);
  writeFileSync(path.join(dir, 'warned.snip'), 'TRACE "started"\ny = "{neverSet}x"\n');
  writeFileSync(
    path.join(dir, 'flow.studio'),
    'SCRIPT "verdict"\nBEGIN start -> work\nSNIPPET work {\n  TRACE "started"\n  RETURN 1\n}\nEND done\n',
  );
  writeFileSync(path.join(dir, 'join.snip'), 'first = token\nsecond = "abc"\nfull = first + second\n');
});

describe('one verdict for a program', () => {
  for (const [name, c] of Object.entries(REJECTED)) {
    it(`${name}: check, compile(), runScript() and snip run agree (${c.code})`, async () => {
      const checked = checkDocument(name, c.source).diagnostics.filter((d) => d.severity === 'error');
      expect(checked.map((d) => d.code)).toContain(c.code);

      const compiled = compile(c.source, { fileName: name });
      expect(compiled.program).toBeUndefined();
      expect(compiled.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(checked.map((d) => d.code));

      const traced: string[] = [];
      const run = await runScript(path.join(dir, name), { onTrace: (e) => void traced.push(e.type) });
      expect(run.error?.code).toBe(checked[0]!.code);
      expect(run.diagnostics?.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(checked.map((d) => d.code));
      expect(run.variables).toEqual({});
      expect(traced.filter((t) => t === 'action' || t === 'message')).toEqual([]);

      const check = await snip(['check', name], dir);
      const cli = await snip(['run', name], dir);
      expect(check.code).toBe(1);
      expect(cli.code).toBe(2);
      expect(errorLines(cli.stderr)).toEqual(errorLines(check.stdout));
      expect(cli.stderr).not.toContain('started');
    });
  }

  it('refuses a .studio script whose SNIPPET has RETURN outside a FUNCTION', async () => {
    const run = await runScript(path.join(dir, 'flow.studio'));
    expect(run.error?.code).toBe('SNIP2006');
    const cli = await snip(['run', 'flow.studio'], dir);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/^flow\.studio:5:3: error SNIP2006: /m);
    expect(cli.stderr).not.toContain('started');
  });

  it('warnings stay warnings: the script runs', async () => {
    const cli = await snip(['run', 'warned.snip', '--print-vars'], dir);
    expect(cli.code).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({ y: 'x' });
    expect(cli.stderr).toContain('trace: started');
  });
});

describe('comparison results in the trace', () => {
  it('a statement trace shows 1 and 0, the Variables page text of true and false', async () => {
    const run = await runScript('a = 5\nbig = a > 3\nsmall = a < 3\n', { fileName: 'cmp.snip', collectTrace: true, traceLevel: 'statements' });
    const changes = (run.trace ?? []).flatMap((e) => ('changes' in e ? e.changes : []));
    expect(changes).toContainEqual(expect.objectContaining({ name: 'big', new: '1' }));
    expect(changes).toContainEqual(expect.objectContaining({ name: 'small', new: '0' }));
  });
});

describe('SNIP3033 never shows a value', () => {
  const secret = 'sk-live-4f1b2c9d7e';
  it('in the run result', async () => {
    const run = await runScript(path.join(dir, 'join.snip'), { inputs: { token: secret } });
    expect(run.error?.code).toBe('SNIP3033');
    expect(run.error?.message).toContain('"{a}{b}"');
    expect(JSON.stringify(run.error)).not.toContain(secret);
  });
  it('in snip run output, with a trace', async () => {
    const cli = await snip(['run', 'join.snip', '--input', `token=${secret}`, '--trace', '--trace-format', 'jsonl'], dir);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/join\.snip:3:1: error SNIP3033: /);
    expect(cli.stderr.split('\n').filter((l) => l.includes('SNIP3033')).join('\n')).not.toContain(secret);
  });
});

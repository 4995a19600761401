// Issue 12, item 2: `runScript(path)` and RUNSUB compile a file once and again whenever it changes.
// Real files in a temporary folder: edits (same size, right after the run, or hidden behind a
// restored modification time), subscript edits, deletions, and what a run reports then.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, unlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runScript } from '../../runtime/run-script.js';
import { compileFile } from '../../runtime/script-cache.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'snip-script-cache-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const main = (word: string) => `BEGIN start -> say\nSNIPPET say {\n  ASSIGN word = "${word}"\n}\n  -> done\nEND done\n`;

describe('runScript(path) with the script cache', () => {
  it('sees an edit of the same size made right after a run', async () => {
    const file = path.join(dir, 'edit.studio');
    await writeFile(file, main('alpha'));
    expect((await runScript(file)).variables['word']).toBe('alpha');
    await writeFile(file, main('gamma'));
    expect((await runScript(file)).variables['word']).toBe('gamma');
    await writeFile(file, main('longer text'));
    expect((await runScript(file)).variables['word']).toBe('longer text');
  });

  it('compiles a settled file once, and sees an edit hidden behind a restored modification time', async () => {
    const file = path.join(dir, 'settled.studio');
    const old = new Date('2020-01-01T00:00:00Z');
    await writeFile(file, main('first'));
    await utimes(file, old, old);
    const a = await compileFile(file, { fileName: 'settled.studio' });
    const b = await compileFile(file, { fileName: 'settled.studio' });
    expect('flow' in a && a.flow).toBeTruthy();
    expect(b).toBe(a);
    // Same size, same mtime: only the change time (and the text) tell the edit apart.
    await writeFile(file, main('other'));
    await utimes(file, old, old);
    const c = await compileFile(file, { fileName: 'settled.studio' });
    expect(c).not.toBe(a);
    expect((await runScript(file)).variables['word']).toBe('other');
  });

  it('reports a deleted script as unreadable, and runs it again once it is back', async () => {
    const file = path.join(dir, 'gone.studio');
    await writeFile(file, main('here'));
    expect((await runScript(file)).variables['word']).toBe('here');
    await unlink(file);
    const r = await runScript(file);
    expect(r.error).toMatchObject({ code: 'SNIP3012' });
    expect(r.error!.message).toContain('ENOENT');
    await writeFile(file, main('back'));
    expect((await runScript(file)).variables['word']).toBe('back');
  });

  it('reports compile errors of an edited script, and recovers after the fix', async () => {
    const file = path.join(dir, 'broken.studio');
    await writeFile(file, main('fine'));
    expect((await runScript(file)).error).toBeUndefined();
    await writeFile(file, 'BEGIN start -> nowhere\nSNIPPET x {\n  ASSIGN = \n}\n');
    const r = await runScript(file);
    expect(r.error).toBeDefined();
    expect(r.diagnostics?.length).toBeGreaterThan(0);
    await writeFile(file, main('fixed'));
    expect((await runScript(file)).variables['word']).toBe('fixed');
  });
});

describe('RUNSUB with the script cache', () => {
  const caller = [
    'BEGIN start -> call',
    'RUNSUB call (ScriptName = "sub", ReturnVariable = got)',
    '  -> done',
    '  Error -> failed',
    'ASSIGN failed (Variable = got, Value = "failed: {_ERR}") -> done',
    'END done',
    '',
  ].join('\n');
  const sub = (value: string) => `BEGIN start -> give\nRETURN give (ReturnValue = "${value}")\n`;

  it('sees an edited subscript on the next run', async () => {
    const folder = await mkdtemp(path.join(dir, 'runsub-'));
    const file = path.join(folder, 'main.studio');
    await writeFile(file, caller);
    await writeFile(path.join(folder, 'sub.studio'), sub('one'));
    expect((await runScript(file)).variables['got']).toBe('one');
    await writeFile(path.join(folder, 'sub.studio'), sub('two'));
    expect((await runScript(file)).variables['got']).toBe('two');
  });

  it('takes the Error branch with a clear _ERR once the subscript is deleted', async () => {
    const folder = await mkdtemp(path.join(dir, 'runsub-'));
    const file = path.join(folder, 'main.studio');
    await writeFile(file, caller);
    await writeFile(path.join(folder, 'sub.studio'), sub('present'));
    expect((await runScript(file)).variables['got']).toBe('present');
    await unlink(path.join(folder, 'sub.studio'));
    const r = await runScript(file);
    expect(r.variables['got']).toMatch(/^failed: .*cannot read the subscript/);
    expect(String(r.variables['got'])).not.toContain(folder);
  });
});

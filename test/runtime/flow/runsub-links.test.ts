// Issue 9, item 8: RUNSUB stays inside the main script's folder on the real file system too: a
// symbolic link (to a file or a folder) that leads outside is refused; one that stays inside works.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runScript } from '../../../runtime/run-script.js';
import { tempDir } from '../../helpers/temp-dir.js';

const SUB = 'BEGIN s -> r\nRETURN r (ReturnValue = "from sub")\n';
const caller = (name: string) =>
  `BEGIN s -> c\nRUNSUB c (ScriptName = "${name}", ReturnVariable = got)\n  -> d\n  Error -> d\nEND d\n`;

let base: string;
beforeAll(() => {
  base = tempDir('snip-runsub-links-');
  const outside = path.join(base, 'outside');
  const project = path.join(base, 'project');
  mkdirSync(outside);
  mkdirSync(path.join(project, 'lib'), { recursive: true });
  writeFileSync(path.join(outside, 'secret.studio'), SUB);
  writeFileSync(path.join(project, 'lib', 'real.studio'), SUB);
  symlinkSync(path.join(outside, 'secret.studio'), path.join(project, 'escape.studio'));
  symlinkSync(outside, path.join(project, 'elsewhere'));
  symlinkSync(path.join(project, 'lib', 'real.studio'), path.join(project, 'alias.studio'));
  for (const name of ['escape', 'elsewhere/secret', 'alias']) {
    writeFileSync(path.join(project, `call-${name.replace('/', '-')}.studio`), caller(name));
  }
});

describe('RUNSUB and symbolic links', () => {
  it.each(['escape', 'elsewhere-secret'])('refuses a link out of the folder (%s)', async (name) => {
    const r = await runScript(path.join(base, 'project', `call-${name}.studio`));
    expect(r.error).toBeUndefined();
    expect(String(r.variables['_ERR'])).toMatch(/link that leads outside the script's folder/);
    expect(r.variables['got']).toBeUndefined();
  });
  it('follows a link that stays inside', async () => {
    const r = await runScript(path.join(base, 'project', 'call-alias.studio'));
    expect(r.error).toBeUndefined();
    expect(r.variables['got']).toBe('from sub');
  });
});

// Neovim headless as an independent LSP client (Debian's neovim 0.7): it opens a fixture, and a
// Lua probe reports the diagnostics, completion and hover it got from `snip lsp --stdio`.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { hasCommand, requireTool, SETUP_NEOVIM } from '../helpers/tools.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixtures = path.join(root, 'test/fixtures/lsp');

const nvim = requireTool('neovim (nvim)', hasCommand('nvim'), SETUP_NEOVIM);

describe.skipIf(!nvim)('neovim as LSP client', () => {
  test('diagnostics, completion, hover and an incremental edit', async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'snip-nvim-'));
    const out = path.join(tmp, 'result.json');
    try {
      await new Promise<void>((resolve, reject) =>
        execFile(
          'nvim',
          ['--headless', '--clean', '-c', `luafile ${path.join(fixtures, 'probe.lua')}`, path.join(fixtures, 'neovim/greet.snip')],
          {
            cwd: path.join(fixtures, 'neovim'),
            env: { PATH: process.env.PATH ?? '', HOME: tmp, XDG_STATE_HOME: tmp, XDG_DATA_HOME: tmp, PROBE_OUT: out, PROBE_ROOT: path.join(fixtures, 'neovim'), SNIP_BIN: path.join(root, 'bin/snip.js'), NODE: process.execPath },
            timeout: 60_000,
          },
          (e) => (e ? reject(e) : resolve()),
        ),
      );
      const r = JSON.parse(readFileSync(out, 'utf8')) as {
        errors: string[];
        initialized: boolean;
        diagnostics: { lnum: number; col: number; message: string; severity: number; code: string }[];
        completion: string[];
        hover: string;
        after_edit: number;
      };
      expect(r.errors).toEqual([]);
      expect(r.initialized).toBe(true);
      expect(r.diagnostics).toEqual([
        { lnum: 2, col: 13, message: "unknown function 'lefft'; did you mean 'left'?", severity: 1, code: 'SNIP2003' },
        { lnum: 3, col: 6, message: "'gr' is read before any assignment (it is empty unless it is an input)", severity: 2, code: 'SNIP2009' },
      ]);
      expect(r.completion).toEqual(expect.arrayContaining(['greeting', 'shout', 'upper', 'left']));
      expect(r.completion).not.toContain('gr');
      expect(r.hover).toMatch(/^```snip\nupper\(text: text\): text\n```/);
      expect(r.after_edit).toBe(1);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

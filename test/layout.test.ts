// The arrows of the layout (DESIGN.md): language <- runtime <- (lsp, service, dap) <- cli, and
// samples use the package, never a host. Read from the import statements of every source file, so
// a wrong-way import fails here before it tangles the build of the extension or the service.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What each top-level folder may import of ours (besides itself). */
const ALLOWED: Record<string, readonly string[]> = {
  language: [],
  runtime: ['language'],
  lsp: ['language', 'runtime'],
  service: ['language', 'runtime'],
  dap: ['language', 'runtime'],
  samples: ['language', 'runtime', 'service', 'index.ts'],
  cli: ['language', 'runtime', 'lsp', 'service', 'dap', 'samples'],
};

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sources(full));
    else if (name.endsWith('.ts')) out.push(full);
  }
  return out;
}

const IMPORT = /(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;

describe('layout arrows', () => {
  for (const [folder, allowed] of Object.entries(ALLOWED)) {
    test(`${folder}/ imports only ${allowed.join(', ') || 'nothing of ours'}`, () => {
      const wrong: string[] = [];
      for (const file of sources(path.join(root, folder))) {
        for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
          const target = path.relative(root, path.resolve(path.dirname(file), m[1]!)).split(path.sep)[0]!;
          if (target !== folder && !allowed.includes(target)) wrong.push(`${path.relative(root, file)} -> ${m[1]}`);
        }
      }
      expect(wrong).toEqual([]);
    });
  }
});

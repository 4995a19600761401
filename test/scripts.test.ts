// Behaviour tests written as scripts: test/scripts/<feature>/*.snip with `// expect: name = value`
// lines (value as text, read back from the final variables), `// expect error: CODE` (runtime) and
// `// expect compile error: CODE` (one line per error the compiler must report; nothing runs).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compile } from '../runtime/compile.js';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), 'scripts');

function textOf(vars: Record<string, unknown>, name: string): string {
  const key = Object.keys(vars).find((k) => k.toLowerCase() === name.toLowerCase());
  const v = key === undefined ? '' : vars[key];
  return typeof v === 'string' ? v : JSON.stringify(v);
}

for (const feature of readdirSync(root).sort()) {
  describe(feature, () => {
    for (const file of readdirSync(path.join(root, feature)).filter((f) => f.endsWith('.snip')).sort()) {
      it(file, async () => {
        const source = readFileSync(path.join(root, feature, file), 'utf8');
        const expects = [...source.matchAll(/\/\/ expect: (\S+) =[ ]?(.*)$/gm)].map((m) => [m[1]!, m[2]!.trimEnd()] as const);
        const expectError = /\/\/ expect error: (SNIP\d{4})/.exec(source)?.[1];
        const expectCompile = [...source.matchAll(/\/\/ expect compile error: (SNIP\d{4})/g)].map((m) => m[1]!);
        expect(expects.length + (expectError ? 1 : 0) + expectCompile.length, 'a script must expect something').toBeGreaterThan(0);
        const { diagnostics, program } = compile(source, { fileName: `${feature}/${file}` });
        const errors = diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
        if (expectCompile.length > 0) {
          // One verdict: code `snip check` rejects does not compile, so it never runs.
          expect(errors.sort()).toEqual(expectCompile.sort());
          expect(program).toBeUndefined();
          return;
        }
        expect(errors).toEqual([]);
        const { variables, error } = await program!.run();
        expect(error?.code).toBe(expectError);
        for (const [name, value] of expects) expect(textOf(variables, name), name).toBe(value);
      });
    }
  });
}

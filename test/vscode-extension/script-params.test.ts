// Run inputs (vscode-extension/src/commands/script-params.ts): the PARAMS of the samples, as the
// parser reads them, and the inputs file beside a script.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseStudio } from '../../language/parse.js';
import { inputsFileFor, scriptParams } from '../../vscode-extension/src/commands/script-params.js';

const samples = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../samples');

describe('script params', () => {
  it('finds the same PARAMS as the parser in every sample', () => {
    const studios = readdirSync(samples).filter((f) => f.endsWith('.studio'));
    expect(studios.length).toBeGreaterThan(3);
    for (const f of studios) {
      const source = readFileSync(path.join(samples, f), 'utf8');
      expect(scriptParams(source), f).toEqual(parseStudio(source).value.params.map((p) => p.name));
    }
  });

  it('reads PARAMS after comments and SCRIPT only, in any case', () => {
    expect(scriptParams('// c\n\nscript "x"\nparams a, b_2 , $c // note\nBEGIN s\n')).toEqual(['a', 'b_2', '$c']);
    expect(scriptParams('BEGIN start\nPARAMS late\n')).toEqual([]);
    expect(scriptParams('ASSIGN x = 1\n')).toEqual([]);
  });

  it('puts the inputs file beside the script', () => {
    expect(inputsFileFor(path.join('a', 'b', 'hello.studio'))).toBe(path.join('a', 'b', 'hello.inputs.json'));
    expect(inputsFileFor('greeting.snip')).toBe('greeting.inputs.json');
  });
});

// Every documented Snippet example of the conformance corpus parses without a syntax error.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSnippet } from '../../language/parse.js';

interface Case {
  id: string;
  title: string;
  code: string;
  kind: string;
}

const cases = JSON.parse(readFileSync(new URL('../fixtures/conformance-cases.json', import.meta.url), 'utf8')) as Case[];
const snippets = cases.filter((c) => c.kind === 'snippet' && c.code.trim() !== '');

describe('conformance corpus parses', () => {
  it('has snippet cases to check', () => {
    expect(snippets.length).toBeGreaterThan(30);
  });

  it.each(snippets.map((c) => [`${c.id} ${c.title}`, c] as const))('%s', (_name, c) => {
    const { value, diagnostics } = parseSnippet(c.code, { fileName: `${c.id}.snip` });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(value.body.length).toBeGreaterThan(0);
  });
});

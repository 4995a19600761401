// The Chevrotain grammar passes Chevrotain's own validations (skipped at run time for speed), and
// the shared parser instance gives the same result when reused, including after broken input.
import { describe, expect, it } from 'vitest';
import { validateGrammar } from '../../language/chevrotain/parser.js';
import { parseSnippet, parseStudio } from '../../language/parse.js';

describe('Chevrotain grammar', () => {
  it('passes the grammar validations', () => {
    expect(() => validateGrammar()).not.toThrow();
  });

  it('gives the same tree when the shared instance is reused after an error', () => {
    const src = 'x = "a{b + 1}c"\nIF x = 1 {\n  TRACE x.y[2]\n}';
    const first = parseSnippet(src);
    parseSnippet('IF a {\n} ELSE IF b {\n}');
    parseStudio('SNIPPET s {\n  x = "{(}"\nEND e');
    const again = parseSnippet(src);
    expect(again).toEqual(first);
    expect(again.diagnostics).toEqual([]);
  });

  it('reads ELSE IF as ELSE { IF } with one diagnostic and no holes', () => {
    const { value, diagnostics } = parseSnippet('IF a {\n} ELSE IF b {\n}');
    expect(diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.column])).toEqual([['SNIP1027', 2, 3]]);
    const s = value.body[0];
    expect(s?.kind).toBe('If');
    const inner = s?.kind === 'If' ? s.else?.body[0] : undefined;
    expect(inner?.kind === 'If' && inner.condition).toMatchObject({ kind: 'Identifier', name: 'b' });
    expect(JSON.stringify(value)).not.toContain('null');
  });
});

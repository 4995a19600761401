// Error recovery: each broken input gives the expected code(s) at the expected line:col, the
// parser keeps going after the error, and it never throws.
import { describe, expect, it } from 'vitest';
import { parseSnippet, parseStudio } from '../../language/parse.js';

type Expected = [code: string, line: number, column: number];

const SNIPPET_CASES: [name: string, source: string, expected: Expected[]][] = [
  ['unclosed IF block', 'IF x = 1 {\n  TRACE "a"\n', [['SNIP1004', 2, 13]]],
  ['IF without {', 'IF x = 1\n  TRACE "a"\n}', [['SNIP1005', 2, 3]]],
  ['two statements on a line', 'x = 1 y = 2', [['SNIP1010', 1, 7]]],
  ['missing value', 'x = ', [['SNIP1006', 1, 4]]],
  ['unclosed parenthesis', 'x = (1 + 2', [['SNIP1008', 1, 11]]],
  ['unclosed argument list', 'x = f(1, 2', [['SNIP1008', 1, 11]]],
  ['unclosed index', 'x = a[1', [['SNIP1009', 1, 8]]],
  ['FOR without TO', 'FOR i = 1 9 {\n}', [['SNIP1018', 1, 11]]],
  ['FOREACH without IN', 'FOREACH i arr {\n}', [['SNIP1019', 1, 11]]],
  ['stray ELSE', 'ELSE {\n}', [['SNIP1015', 1, 1]]],
  ['CASE outside SELECT', 'CASE 1 {\n}', [['SNIP1016', 1, 1]]],
  ['stray closing brace', '}', [['SNIP1003', 1, 1]]],
  ['unterminated string', 'x = "abc', [['SNIP1002', 1, 5]]],
  ['unknown escape', 'x = $"a\\qb"', [['SNIP1014', 1, 8]]],
  ['ELSE IF', 'IF a {\n} ELSE IF b {\n}', [['SNIP1027', 2, 3]]],
  ['== at statement level', 'x == 1', [['SNIP1026', 1, 3]]],
  ['== in a condition', 'IF a == 1 {\n}', [['SNIP1026', 1, 6]]],
  ['&& in a condition', 'IF a && b {\n}', [['SNIP1026', 1, 6]]],
  ['! as NOT', 'x = !a', [['SNIP1026', 1, 5]]],
  ['dangling operator', 'x = 1 +', [['SNIP1006', 1, 8]]],
  ['FUNCTION without a name', 'FUNCTION (a) {\n}', [['SNIP1007', 1, 10]]],
  ['empty parameter', 'FUNCTION f(a, ) {\n}', [['SNIP1007', 1, 15]]],
  ['number glued to a name', 'x = 12abc', [['SNIP1017', 1, 5]]],
  ['stray #', 'x = #', [['SNIP1001', 1, 5]]],
  ['two independent errors', 'IF a {\n  x = \n}\ny = 2\nz = (', [['SNIP1006', 2, 6], ['SNIP1006', 5, 6]]],
  ['statement inside SELECT', 'SELECT {\n  x = 1\n}', [['SNIP1003', 2, 3]]],
  ['CASE without a block', 'SWITCH x {\n CASE 1\n}', [['SNIP1005', 3, 1]]],
  ['DYNAMIC without a name', 'DYNAMIC = 3', [['SNIP1007', 1, 9]]],
  ['ASSIGN without a variable', 'ASSIGN = 3', [['SNIP1007', 1, 8]]],
  ['assigning to a call', 'f(1) = 2', [['SNIP1011', 1, 1]]],
  ['bare name', 'x', [['SNIP1024', 1, 1]]],
  ['bare member', 'x.y', [['SNIP1024', 1, 1]]],
  ['TRACE without value', 'TRACE', [['SNIP1006', 1, 6]]],
  ['member name missing', 'x = a.', [['SNIP1007', 1, 7]]],
  ['unclosed block, later lines', 'x = 1\n\n  IF a {\n    y = 2\n  \nz = 3\n', [['SNIP1004', 6, 7]]],
  ['BREAK with a value', 'BREAK 2', [['SNIP1010', 1, 7]]],
  ['bad interpolation', 'x = "{1 +}"', [['SNIP1006', 1, 10]]],
  ['keyword as a value', 'x = IF', [['SNIP1006', 1, 5]]],
  ['keyword as a variable', 'in = 5', [['SNIP1007', 1, 1]]],
  ['number where a statement starts', '42', [['SNIP1024', 1, 1]]],
  ['errors on three lines', 'a = )\nb = 1\nc = (\nd = 2\ne = ]', [['SNIP1006', 1, 5], ['SNIP1006', 3, 6], ['SNIP1006', 5, 5]]],
];

const STUDIO_CASES: [name: string, source: string, expected: Expected[]][] = [
  ['branch without target', 'BEGIN start ->\nEND x', [['SNIP1022', 1, 15]]],
  ['action without label', 'BEGIN\nEND x', [['SNIP1021', 1, 6]]],
  ['branch without action', '-> x\nEND x', [['SNIP1020', 1, 1]]],
  ['property without value', 'ASSIGN a (Variable = x, Value = )\n  -> b\nEND b', [['SNIP1006', 1, 33]]],
  ['error inside a SNIPPET body', 'SNIPPET s {\n  x = \n}\nEND e', [['SNIP1006', 2, 6]]],
  ['unclosed SNIPPET body', 'SNIPPET s {\n  x = 1\nEND e', [['SNIP1004', 3, 1]]],
  ['bad property name', 'ASSIGN a (1 = 2)\nEND b', [['SNIP1023', 1, 11]]],
];

function summary(ds: { code: string; range: { start: { line: number; column: number } }; severity: string }[]): Expected[] {
  return ds.filter((d) => d.severity === 'error').map((d) => [d.code, d.range.start.line, d.range.start.column]);
}

describe('Snippet error recovery', () => {
  it.each(SNIPPET_CASES)('%s', (_name, source, expected) => {
    expect(summary(parseSnippet(source).diagnostics)).toEqual(expected);
  });

  it('points an unclosed block at its opener', () => {
    const { diagnostics } = parseSnippet('x = 1\nIF a {\n  y = 2\n');
    expect(diagnostics).toHaveLength(1);
    const d = diagnostics[0]!;
    expect(d.message).toBe("expected '}' to close the IF block opened at 2:6, but found the end of the file");
    expect(d.related?.[0]?.range.start).toEqual({ line: 2, column: 6, offset: 11 });
  });

  it('keeps the statements around an error', () => {
    const { value } = parseSnippet('a = 1\nb = = 2\nIF a {\n  c = (\n  d = 4\n}\ne = 5');
    expect(value.body.map((s) => s.kind)).toEqual(['Assign', 'If', 'Assign']);
    const ifs = value.body[1];
    expect(ifs?.kind === 'If' && ifs.then.body.map((s) => s.kind)).toEqual(['Assign']);
  });

  it('warns about an unclosed { in a string and keeps it as text', () => {
    const { value, diagnostics } = parseSnippet('x = "a{b"');
    expect(diagnostics.map((d) => [d.code, d.severity])).toEqual([['SNIP1012', 'warning']]);
    const s = value.body[0];
    expect(s?.kind === 'Assign' && s.value.kind === 'String' && s.value.parts).toEqual([
      expect.objectContaining({ kind: 'Text', value: 'a{b' }),
    ]);
  });
});

describe('.studio error recovery', () => {
  it.each(STUDIO_CASES)('%s', (_name, source, expected) => {
    expect(summary(parseStudio(source).diagnostics)).toEqual(expected);
  });

  it('keeps the actions after a broken one', () => {
    const { value } = parseStudio('BEGIN start -> a\nASSIGN a (Variable = )\n  -> b\nSNIPPET b {\n  x = 1\n}\nEND c');
    expect(value.actions.map((a) => a.label.name)).toEqual(['start', 'b', 'c']);
  });
});

describe('JSON written in a plain string', () => {
  it('says how to write literal braces when an interpolation looks like JSON', () => {
    for (const src of ['DYNAMIC o = "{\\"a\\": 1}"', "p = '{\"a\": 1}'"]) {
      const d = parseSnippet(src).diagnostics.filter((x) => x.severity === 'error');
      expect(d).toHaveLength(1);
      expect(d[0]!.code).toBe('SNIP1001');
      expect(d[0]!.message).toContain('looks like JSON');
      expect(d[0]!.message).toContain('$"\\{');
    }
  });

  it('does not add the hint to ordinary interpolation errors', () => {
    const d = parseSnippet('x = "{a +}"').diagnostics.filter((x) => x.severity === 'error');
    expect(d.length).toBeGreaterThan(0);
    expect(d[0]!.message).not.toContain('JSON');
  });
});

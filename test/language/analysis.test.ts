// Semantic analysis of .snip code: symbols and diagnostics with their codes and positions.
import { describe, expect, it } from 'vitest';
import { analyzeSnippet, checkDocument, occurrenceAt } from '../../language/analyze.js';
import { parseSnippet } from '../../language/parse.js';

function check(source: string, options?: Parameters<typeof checkDocument>[2]) {
  return checkDocument('test.snip', source, options);
}

/** `CODE@line:col` for each diagnostic of the given codes (all analysis codes when omitted). */
function found(source: string, codes?: string[]): string[] {
  return check(source)
    .diagnostics.filter((d) => (codes ? codes.includes(d.code) : d.code.startsWith('SNIP2')))
    .map((d) => `${d.code}@${d.range.start.line}:${d.range.start.column}`);
}

describe('function calls', () => {
  it('reports an unknown function with a suggestion', () => {
    const { diagnostics } = check('x = 1\ny = lenght(x)');
    const d = diagnostics.find((x) => x.code === 'SNIP2003');
    expect(d).toBeDefined();
    expect(d!.range.start).toMatchObject({ line: 2, column: 5 });
    expect(d!.data).toMatchObject({ name: 'lenght', suggestion: 'length' });
    expect(d!.message).toContain("did you mean 'length'");
  });

  it('checks the argument count of user functions in both call forms', () => {
    const src = 'FUNCTION add(a, b)\n{\n  RETURN a + b\n}\nr = add(1)\ns = add(1, 2)\nt = 1\nu = t.add(2)\nv = t.add(2, 3)';
    expect(found(src, ['SNIP2004'])).toEqual(['SNIP2004@5:5', 'SNIP2004@9:5']);
  });

  it('checks the argument count of built-ins, counting the receiver in method form', () => {
    const src = 's = "abc"\na = left(s)\nb = left(s, 1)\nc = s.left(1)\nd = s.left(1, 2)';
    expect(found(src, ['SNIP2004'])).toEqual(['SNIP2004@2:5', 'SNIP2004@5:5']);
  });

  it('lets external functions be called (declared in another file)', () => {
    const src = 'x = helper(1, 2)';
    expect(check(src).diagnostics.some((d) => d.code === 'SNIP2003')).toBe(true);
    const withExternal = check(src, { externalFunctions: [{ name: 'Helper', params: ['a', 'b'] }] });
    expect(withExternal.diagnostics.filter((d) => d.code.startsWith('SNIP200'))).toEqual([]);
  });

  it('accepts a call above the declaration (functions are hoisted) and records calls', () => {
    const { analysis } = check('generateskill(100)\nFUNCTION generateskill(a) // picks a skill\n{\n  skill = random(a)\n}');
    expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const fn = analysis.symbols.functions.get('generateskill')!;
    expect(fn.params).toEqual(['a']);
    expect(fn.calls.map((r) => r.start.line)).toEqual([1]);
    expect(fn.doc?.trim()).toBe('picks a skill');
  });

  it('reports duplicate functions and duplicate parameters', () => {
    const src = 'FUNCTION f(a, a)\n{\n}\nFUNCTION F()\n{\n}';
    expect(found(src, ['SNIP2011', 'SNIP2019'])).toEqual(['SNIP2019@1:15', 'SNIP2011@4:10']);
  });
});

describe('control flow', () => {
  it('reports BREAK outside a loop, also inside a function called from a loop', () => {
    const src = 'BREAK\nFOR i = 1 TO 3\n{\n  BREAK\n}\nFUNCTION f()\n{\n  BREAK\n}';
    expect(found(src, ['SNIP2005'])).toEqual(['SNIP2005@1:1', 'SNIP2005@8:3']);
  });

  it('reports RETURN outside a function', () => {
    expect(found('RETURN 1\nFUNCTION f()\n{\n  RETURN 2\n}', ['SNIP2006'])).toEqual(['SNIP2006@1:1']);
  });
});

describe('variables', () => {
  it('warns once for a read before any assignment, not for system variables', () => {
    const src = 'a = b\nc = b\nd = _ERR\ne = __httpstatuscode\nf = a';
    const ds = check(src).diagnostics.filter((d) => d.code === 'SNIP2009');
    expect(ds.map((d) => `${d.range.start.line}:${d.range.start.column}`)).toEqual(['1:5']);
    expect(ds[0]!.severity).toBe('warning');
  });

  it('counts assignments later in a loop body (the next iteration sees them)', () => {
    expect(found('FOR i = 1 TO 9\n{\n  ph = "{ph}{i}"\n}', ['SNIP2009'])).toEqual([]);
  });

  it('lets function bodies read variables assigned anywhere in the file', () => {
    expect(found('FUNCTION f()\n{\n  RETURN total\n}\ntotal = 3\nx = f()', ['SNIP2009'])).toEqual([]);
  });

  it('is case-insensitive for variable names and keeps the first spelling', () => {
    const { analysis } = check('HTTPStatus = 200\nx = "{httpstatus}"');
    const v = analysis.symbols.variables.get('httpstatus')!;
    expect(v.name).toBe('HTTPStatus');
    expect(v.kind).toBe('number');
    expect(v.definitions).toHaveLength(1);
    expect(v.references.map((r) => r.start.line)).toEqual([2]);
    expect(analysis.diagnostics.filter((d) => d.code === 'SNIP2009')).toEqual([]);
  });

  it('infers kinds where evident', () => {
    const { analysis } = check(
      'DYNAMIC o\nt = "x{o}"\nn = 1 + 2\nb = n > 2\nd = #"02/09/2023"\na = "Odin|Freya"\np = GetRESTProxy()\nname$ = 5',
    );
    const kind = (k: string) => analysis.symbols.variables.get(k)?.kind;
    expect([kind('o'), kind('t'), kind('n'), kind('b'), kind('d'), kind('a'), kind('p'), kind('name$')]).toEqual([
      'dynamic',
      'text',
      'number',
      'boolean',
      'date',
      'array',
      'restproxy',
      'text',
    ]);
  });

  it('keeps function parameters apart from script-wide variables', () => {
    const { analysis } = check('a = 1\nFUNCTION f(a)\n{\n  RETURN a\n}\nx = f(a)');
    const param = analysis.symbols.variables.get('f/a')!;
    expect(param.scope).toBe('f');
    expect(param.references.map((r) => r.start.line)).toEqual([4]);
    expect(analysis.symbols.variables.get('a')!.references.map((r) => r.start.line)).toEqual([6]);
  });

  it('finds the symbol under a position', () => {
    const src = 'total = 1\nx = total';
    const { analysis } = check(src);
    const o = occurrenceAt(analysis.symbols, src.lastIndexOf('total') + 2)!;
    expect(o).toMatchObject({ symbol: 'variable', key: 'total', definition: false });
  });
});

describe('dynamic members', () => {
  it('hints at a member case mismatch against an earlier assignment (CE-59)', () => {
    const src = 'DYNAMIC beowulfCharacteristics\nASSIGN beowulfCharacteristics.files.file = "saga.txt"\nASSIGN fileContent = "{beowulfcharacteristics.Files.file}"';
    const ds = check(src).diagnostics.filter((d) => d.code === 'SNIP2010');
    expect(ds).toHaveLength(1);
    expect(ds[0]!.severity).toBe('hint');
    expect(ds[0]!.range.start).toMatchObject({ line: 3, column: 47 });
    expect(ds[0]!.data).toEqual({ expected: 'files' });
  });

  it('records member paths for completion', () => {
    const { analysis } = check('DYNAMIC req\nreq.HEADERS.Accept = "x"\nreq.URL = "u"\ny = req.URL');
    const members = analysis.symbols.variables.get('req')!.members;
    expect(members.map((m) => m.path)).toEqual(['HEADERS', 'HEADERS.Accept', 'URL']);
    expect(members.find((m) => m.path === 'URL')!.references).toHaveLength(1);
  });

  it('reports the reserved member name __type (CE-62)', () => {
    expect(found('DYNAMIC o\nASSIGN o.__type = "x"', ['SNIP2007'])).toEqual(['SNIP2007@2:10']);
  });

  it('hints toward HYPHENPLACEHOLDER for a hyphen in what looks like a member name', () => {
    const ds = check('DYNAMIC h\nh.x = 1\ny = h.CONTENT-TYPE').diagnostics.filter((d) => d.code === 'SNIP2020');
    expect(ds).toHaveLength(1);
    expect(ds[0]!.data).toEqual({ suggestion: 'CONTENTHYPHENPLACEHOLDERTYPE' });
    expect(found('a = 5\nb = 3\nc = a - b', ['SNIP2020'])).toEqual([]);
  });

  it('reports + next to text as an error that shows the interpolated form (String Handling page)', () => {
    const ds = check('B = 1\nA = "text" + B + "!"').diagnostics.filter((d) => d.code === 'SNIP1025');
    expect(ds).toHaveLength(1);
    expect(ds[0]!.severity).toBe('error');
    expect(ds[0]!.message).toContain('"text{B}!"');
  });

  it('reports a variable in braces and quotes inside a numeric expression (Expressions page)', () => {
    const ds = check('B = 1\nA = "{B}" * 2\nC = 3 - "{B}x"').diagnostics.filter((d) => d.code === 'SNIP2024');
    expect(ds.map((d) => [d.severity, d.range.start.line])).toEqual([
      ['error', 2],
      ['error', 3],
    ]);
    expect(ds[0]!.message).toContain('write B without braces and quotes');
  });

  it('reports non-numeric text literals in arithmetic, but not quoted numbers or comparisons', () => {
    const ds = check('A = "abc" * 2\nB = "12" * 2\nC = "7" + 1\nD = "abc" = "abc"\nE = #"01/02/2024" + 1').diagnostics;
    expect(ds.filter((d) => d.severity === 'error').map((d) => [d.code, d.range.start.line])).toEqual([['SNIP2025', 1]]);
  });
});

describe('robustness', () => {
  it('never throws on programs with syntax errors', () => {
    for (const src of ['IF {', 'FOR = TO', 'x = (', 'FUNCTION (', 'SELECT { CASE }', '"', 'a.b.c[', '}}}']) {
      const parsed = parseSnippet(src, { fileName: 'x.snip' });
      expect(() => analyzeSnippet(parsed.value)).not.toThrow();
    }
  });
});

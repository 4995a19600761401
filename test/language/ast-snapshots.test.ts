// AST snapshots for a representative set of inputs. Ranges are stripped except in the few cases
// marked `withRanges`, so snapshots stay readable while still pinning exact positions somewhere.
import { describe, expect, it } from 'vitest';
import { parseSnippet, parseStudio } from '../../language/parse.js';

/** Drops ranges (and operator/name ranges) so the snapshot shows the shape. */
function shape(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(shape);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'range' || k === 'operatorRange' || k === 'nameRange' || k === 'typeRange') continue;
    if (v === undefined) continue;
    out[k] = shape(v);
  }
  return out;
}

/** Compact `line:col-line:col` ranges instead of nested position objects. */
function withRanges(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withRanges);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (v === undefined) continue;
    if (k.endsWith('ange') && v && typeof v === 'object' && 'start' in v) {
      const r = v as { start: { line: number; column: number; offset: number }; end: { line: number; column: number; offset: number } };
      out[k] = `${r.start.line}:${r.start.column}-${r.end.line}:${r.end.column} @${r.start.offset}-${r.end.offset}`;
    } else out[k] = withRanges(v);
  }
  return out;
}

const SNIPPETS: Record<string, string> = {
  'loop with interpolation': 'FOR i=1 TO 9\n{\n\tph = "{ph}{i}"\n}',
  'if else': 'IF customerName = "ABC Corporation"\n{\n  x = 1\n}\nELSE\n{\n  x = 2\n}',
  'select stacked cases': 'SELECT\n{\n  CASE HTTPStatus = 200 // ok\n  CASE HTTPStatus = 204\n  {\n  }\n  DEFAULT\n  {\n    dfoerror = true\n  }\n}',
  'switch': 'SWITCH var\n{\n  CASE "a" { x = 1 }\n  CASE 2\n  CASE 3 { x = 2 }\n  DEFAULT { x = 3 }\n}',
  'function with doc and method call': 'FUNCTION MyAppend(a, b) // joins\n{\n  RETURN "{a}{b}"\n}\nph = ph.MyAppend(i)',
  'dynamic json text': 'DYNAMIC o = $"\\{ \\"a\\": {n} }"\nASSIGN o.items[2].name = "x"\nTRACE o.asjson()',
  'operators': 'x = -2 ^ 2 * 3 + a \\ b % c = d & e ~ f | g != h',
  'dates and globals': 'Global:start = #"{date} 8:00"\nwindow = Global:start',
};

describe('AST snapshots', () => {
  for (const [name, source] of Object.entries(SNIPPETS)) {
    it(name, () => {
      const r = parseSnippet(source);
      expect(r.diagnostics).toEqual([]);
      expect(shape(r.value)).toMatchSnapshot();
    });
  }

  it('ranges: nested interpolation with quotes', () => {
    const r = parseSnippet(`body = "{mailbody.replace('"','\\"')}!"`);
    expect(withRanges(r.value)).toMatchSnapshot();
  });

  it('ranges: if with a block and a call', () => {
    const r = parseSnippet('IF a.b[1] >= 2 { f(x, "y{z}") }\r\nTRACE 1');
    expect(withRanges(r.value)).toMatchSnapshot();
  });

  it('ranges: studio action with a body and branches', () => {
    const r = parseStudio('BEGIN start -> s\nSNIPPET s (MaxStringSize = "Limit4K") {\n  x = 1\n}\n  Error -> e\nEND e');
    expect(r.diagnostics).toEqual([]);
    expect(withRanges(r.value)).toMatchSnapshot();
  });
});

// The formatter: canonical output for known inputs, and over every fixture: idempotence, and the
// AST stays the same (ranges aside).
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatDocument, formatRange } from '../../language/formatter.js';
import { parseDocument } from '../../language/parse.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

/** The AST without positions: what formatting must never change. */
function shape(fileName: string, source: string): unknown {
  const { value } = parseDocument(fileName, source);
  return JSON.parse(
    JSON.stringify(value, (key, v) =>
      key === 'range' || key === 'nameRange' || key === 'operatorRange' || key === 'typeRange' ? undefined : key === 'type' && typeof v === 'string' ? v.toUpperCase() : v,
    ),
  );
}

function fixtures(): { name: string; fileName: string; source: string }[] {
  const out: { name: string; fileName: string; source: string }[] = [];
  const cases = path.join(root, 'test/fixtures/conformance-cases.json');
  if (existsSync(cases)) {
    for (const c of JSON.parse(readFileSync(cases, 'utf8')) as { id: string; kind: string; code: string }[]) {
      if (c.kind === 'snippet' && c.code) out.push({ name: c.id, fileName: `${c.id}.snip`, source: c.code });
    }
  }
  for (const dir of ['test/fixtures/formatter', 'samples', 'test/fixtures']) {
    const full = path.join(root, dir);
    if (!existsSync(full)) continue;
    for (const f of readdirSync(full)) {
      if (/\.(snip|studio)$/.test(f)) out.push({ name: `${dir}/${f}`, fileName: f, source: readFileSync(path.join(full, f), 'utf8') });
    }
  }
  return out;
}

describe('formatter over every fixture', () => {
  const all = fixtures();
  it('has fixtures', () => {
    expect(all.length).toBeGreaterThan(2);
  });
  for (const f of all) {
    it(`${f.name}: idempotent, same AST, comments kept`, () => {
      const parsed = parseDocument(f.fileName, f.source);
      if (parsed.diagnostics.some((d) => d.severity === 'error')) {
        expect(formatDocument(f.fileName, f.source).text).toBe(f.source);
        return;
      }
      const once = formatDocument(f.fileName, f.source);
      expect(once.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(shape(f.fileName, once.text)).toEqual(shape(f.fileName, f.source));
      expect(formatDocument(f.fileName, once.text).text).toBe(once.text);
    });
  }
});

describe('canonical style', () => {
  const fmt = (src: string, name = 'a.snip') => formatDocument(name, src).text;

  it('upper-cases keywords, indents by two spaces, puts braces on the header line', () => {
    expect(fmt('if x=1{trace "one"}else{trace "two"}')).toBe('IF x = 1 {\n  TRACE "one"\n} ELSE {\n  TRACE "two"\n}\n');
  });

  it('keeps whether ASSIGN was written', () => {
    expect(fmt('assign a=1\nb=2')).toBe('ASSIGN a = 1\nb = 2\n');
  });

  it('keeps comments in place and at most one blank line', () => {
    expect(fmt('// head\na = 1 // one\n\n\n\nb = 2\n// tail\n')).toBe('// head\na = 1 // one\n\nb = 2\n// tail\n');
  });

  it('reproduces strings exactly as written', () => {
    const src = 'a = $"\\{ \\"k\\": \\"{ v }\\" }"\nb = \'it{x . left( 1 )}\'\n';
    expect(fmt(src)).toBe(src);
  });

  it('stacks CASE lines of SELECT over a shared block', () => {
    const src = 'SELECT\n{\n\tCASE s = 200 // ok\n\tCASE s = 204\n\t{\n\t\t// Success\n\t}\n\n\tDEFAULT\n\t{\n\t\te = true\n\t}\n}';
    expect(fmt(src)).toBe('SELECT {\n  CASE s = 200 // ok\n  CASE s = 204 {\n    // Success\n  }\n\n  DEFAULT {\n    e = true\n  }\n}\n');
  });

  it('keeps the FUNCTION doc comment on the declaration line', () => {
    expect(fmt('function add(a,b) // adds\n{\nreturn a+b\n}')).toBe('FUNCTION add(a, b) { // adds\n  RETURN a + b\n}\n');
  });

  it('formats .studio scripts: header, actions, branches', () => {
    const src = 'params a,b\nbegin start -> s\nsnippet s {\nx=1\n}\n  error -> e\nEND e';
    expect(fmt(src, 'f.studio')).toBe('PARAMS a, b\nBEGIN start -> s\nSNIPPET s {\n  x = 1\n}\n  error -> e\nEND e\n');
  });

  it('keeps action property values as written (ASSIGN Type String stores the text)', () => {
    const src = 'BEGIN start -> a\nASSIGN a (Variable = t, Value = 1+1, Type = "String")\n-> e\nEND e';
    expect(fmt(src, 'f.studio')).toBe('BEGIN start -> a\nASSIGN a (Variable = t, Value = 1+1, Type = "String") -> e\nEND e\n');
  });

  it('refuses to format a file with syntax errors', () => {
    const src = 'IF x = 1 {\n  a = (\n';
    const r = formatDocument('bad.snip', src);
    expect(r.text).toBe(src);
    expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  });

  it('formats a range as an edit of whole lines', () => {
    const src = 'a = 1\nif x=1{trace "one"}\nb = 2\n';
    const edit = formatRange('r.snip', src, { start: 7, end: 8 })!;
    expect(edit.range.start).toMatchObject({ line: 2, column: 1 });
    expect(edit.range.end).toMatchObject({ line: 3, column: 1 });
    expect(edit.newText).toBe('IF x = 1 {\n  TRACE "one"\n}\n');
    expect(formatRange('r.snip', src, { start: 0, end: 2 })).toBeUndefined();
  });
});

describe('formatter over mutated fixtures', () => {
  // Deterministic pseudo-random mutations: whatever still parses must format to the same AST,
  // idempotently; analysis must not throw either.
  let seed = 12345;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const pieces = ['\n', ' ', '{', '}', '// c\n', 'IF x ', 'ELSE', '"s{a}"', '(', ')', '-', '.', 'CASE 1', '\n\n\n'];
  function mutate(src: string): string {
    const lines = src.split('\n');
    switch (rand(4)) {
      case 0:
        lines.splice(rand(lines.length), 1);
        return lines.join('\n');
      case 1: {
        const i = rand(lines.length);
        lines.splice(i, 0, lines[rand(lines.length)]!);
        return lines.join('\n');
      }
      case 2: {
        const at = rand(src.length + 1);
        return src.slice(0, at) + pieces[rand(pieces.length)] + src.slice(at);
      }
      default: {
        const at = rand(Math.max(1, src.length));
        return src.slice(0, at) + src.slice(at + 1 + rand(3));
      }
    }
  }

  it('keeps the AST and is idempotent on every mutation that parses', () => {
    const all = fixtures();
    let formatted = 0;
    for (let i = 0; i < 600; i++) {
      const f = all[rand(all.length)]!;
      const src = mutate(mutate(f.source));
      const parsed = parseDocument(f.fileName, src);
      if (parsed.diagnostics.some((d) => d.severity === 'error')) continue;
      formatted++;
      const once = formatDocument(f.fileName, src).text;
      expect(shape(f.fileName, once), `${f.name} mutated:\n${src}`).toEqual(shape(f.fileName, src));
      expect(formatDocument(f.fileName, once).text, `${f.name} mutated:\n${src}`).toBe(once);
    }
    expect(formatted).toBeGreaterThan(50);
  });
});

import { describe, expect, test } from 'vitest';
import { definition } from '../../lsp/definition.js';
import { documentHighlights } from '../../lsp/highlights.js';
import { references } from '../../lsp/references.js';
import { at } from './cursor.js';

const LIB = { fileName: 'lib.snip', text: 'FUNCTION greet(name)\n{\n  RETURN "Hi {name}"\n}' };
const line = (l: number, c1: number, c2: number) => ({ start: { line: l, character: c1 }, end: { line: l, character: c2 } });

describe('definition', () => {
  test('a variable goes to its assignments', () => {
    const c = at('ASSIGN total = 1\nIF total > 0\n{\n  ASSIGN TOTAL = 2\n}\nTRACE to<|>tal');
    expect(definition(c.doc, c.position, c.workspace)).toEqual([
      { uri: 'file:///ws/test.snip', range: line(0, 7, 12) },
      { uri: 'file:///ws/test.snip', range: line(3, 9, 14) },
    ]);
  });

  test('a function goes to its declaration in another file', () => {
    const c = at('ASSIGN g = gr<|>eet("x")', 'main.snip', { others: [LIB] });
    expect(definition(c.doc, c.position, c.workspace)).toEqual([{ uri: 'file:///ws/lib.snip', range: line(0, 9, 14) }]);
  });

  test('a branch target goes to its action label', () => {
    const c = at('BEGIN start -> do<|>ne\nEND done', 'a.studio');
    expect(definition(c.doc, c.position, c.workspace)).toEqual([{ uri: 'file:///ws/a.studio', range: line(1, 4, 8) }]);
  });

  test('a RUNSUB ScriptName goes to the subscript', () => {
    const c = at('BEGIN start -> r\nRUNSUB r (ScriptName = "su<|>b.studio")\n  -> done\nEND done', 'a.studio', {
      others: [{ fileName: 'sub.studio', text: 'BEGIN s -> e\nEND e' }],
    });
    expect(definition(c.doc, c.position, c.workspace)).toEqual([{ uri: 'file:///ws/sub.studio', range: line(0, 0, 0) }]);
  });
});

describe('references and highlights', () => {
  test('variables are case-insensitive; declarations included on request', () => {
    const src = 'ASSIGN Name = "a"\nTRACE "{name}"\nTRACE NA<|>ME';
    const c = at(src);
    expect(references(c.doc, c.position, c.workspace, true).map((l) => l.range)).toEqual([line(0, 7, 11), line(1, 8, 12), line(2, 6, 10)]);
    expect(references(c.doc, c.position, c.workspace, false).map((l) => l.range)).toEqual([line(1, 8, 12), line(2, 6, 10)]);
    expect(documentHighlights(c.doc, c.position)).toEqual([
      { range: line(0, 7, 11), kind: 3 },
      { range: line(1, 8, 12), kind: 2 },
      { range: line(2, 6, 10), kind: 2 },
    ]);
  });

  test('a function across files', () => {
    const c = at('ASSIGN g = greet("x")\nASSIGN h = "y".gr<|>eet()', 'main.snip', { others: [LIB] });
    expect(references(c.doc, c.position, c.workspace, true)).toEqual([
      { uri: 'file:///ws/lib.snip', range: line(0, 9, 14) },
      { uri: 'file:///ws/main.snip', range: line(0, 11, 16) },
      { uri: 'file:///ws/main.snip', range: line(1, 15, 20) },
    ]);
  });

  test('a label and the branches that lead to it', () => {
    const c = at('BEGIN start -> done\nSNIPPET s {\n}\n  Error -> done\nEND do<|>ne', 'a.studio');
    expect(references(c.doc, c.position, c.workspace, true).map((l) => l.range)).toEqual([line(0, 15, 19), line(3, 11, 15), line(4, 4, 8)]);
  });
});

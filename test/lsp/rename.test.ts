import { describe, expect, test } from 'vitest';
import { prepareRename, rename } from '../../lsp/rename.js';
import { at } from './cursor.js';

const line = (l: number, c1: number, c2: number) => ({ start: { line: l, character: c1 }, end: { line: l, character: c2 } });

describe('rename', () => {
  test('prepare gives the name under the cursor', () => {
    const c = at('ASSIGN total = 1\nTRACE to<|>tal');
    expect(prepareRename(c.doc, c.position, c.workspace)).toEqual({ range: line(1, 6, 11), placeholder: 'total' });
  });

  test('every spelling of a variable is renamed, inside interpolations too', () => {
    const c = at('ASSIGN total = 1\nTRACE "{TOTAL}"\nASSIGN Total = to<|>tal + 1');
    expect(rename(c.doc, c.position, 'sum', c.workspace)).toEqual({
      changes: {
        'file:///ws/test.snip': [
          { range: line(0, 7, 12), newText: 'sum' },
          { range: line(1, 8, 13), newText: 'sum' },
          { range: line(2, 7, 12), newText: 'sum' },
          { range: line(2, 15, 20), newText: 'sum' },
        ],
      },
    });
  });

  test('a function is renamed in every file of the workspace', () => {
    const c = at('ASSIGN g = gr<|>eet("x")', 'main.snip', { others: [{ fileName: 'lib.snip', text: 'FUNCTION greet(name)\n{\n  RETURN name\n}' }] });
    const edit = rename(c.doc, c.position, 'welcome', c.workspace);
    expect(edit).toEqual({
      changes: {
        'file:///ws/main.snip': [{ range: line(0, 11, 16), newText: 'welcome' }],
        'file:///ws/lib.snip': [{ range: line(0, 9, 14), newText: 'welcome' }],
      },
    });
  });

  test('a label and its branch targets', () => {
    const c = at('BEGIN start -> done\nEND do<|>ne', 'a.studio');
    expect(rename(c.doc, c.position, 'finish', c.workspace)).toEqual({
      changes: { 'file:///ws/a.studio': [{ range: line(0, 15, 19), newText: 'finish' }, { range: line(1, 4, 8), newText: 'finish' }] },
    });
  });

  test('refusals: built-ins, system variables, bad names, keywords, clashes', () => {
    const b = at('ASSIGN a = le<|>ft("x", 1)');
    expect(prepareRename(b.doc, b.position, b.workspace)).toEqual({ error: 'Built-in functions cannot be renamed.' });
    const s = at('TRACE _E<|>RR');
    expect(prepareRename(s.doc, s.position, s.workspace)).toEqual({ error: "'_ERR' is set by the runtime and cannot be renamed." });
    const v = at('ASSIGN a = 1\nASSIGN b = 2\nTRACE <|>a');
    expect(rename(v.doc, v.position, '9x', v.workspace)).toEqual({ error: "'9x' is not a valid name: a letter, then letters, digits, '_' or '$'." });
    expect(rename(v.doc, v.position, 'while', v.workspace)).toEqual({ error: "'while' is a keyword." });
    expect(rename(v.doc, v.position, 'B', v.workspace)).toEqual({ error: "A variable 'B' already exists." });
  });
});
